package dev.andromeda.testbed.fastpath.dataplane;

/**
 * Connection tracking for stateful firewall rules. The firewall is computed
 * per flow and applied at the sender, so a reply is checked on the host of
 * the VM that replies -- which is the host that saw the connection's first
 * packets arrive for that VM. That host records each arriving 5-tuple whose
 * reverse flow is stateful; when its VM answers, {@link #isReply} lets the
 * answer through even where the rules alone would not.
 *
 * <p>Fixed size, open addressing over flat arrays, nothing allocated per
 * packet: a key probes {@value #WAYS} slots; a full window overwrites its
 * stalest entry (counted in {@link #evictions()}); entries idle longer than
 * the timeout no longer match. Host thread only.
 */
public final class ConnectionTable {
    static final int WAYS = 8;

    private final long[] k1;     // vni << 40 | proto << 32 | sport << 16 | dport   (of the arriving packet)
    private final long[] k2;     // src << 32 | dst
    private final long[] seen;   // last packet, ns; 0 = empty
    private final int mask;
    private final long idleTimeoutNs;
    private long evictions;
    private long entries;

    /** @param capacity slots, rounded up to a power of two (at least {@value #WAYS}) */
    public ConnectionTable(int capacity, long idleTimeoutNs) {
        int n = Integer.highestOneBit(Math.max(WAYS, capacity) - 1) << 1;   // the power of two >= both
        k1 = new long[n];
        k2 = new long[n];
        seen = new long[n];
        mask = n - 1;
        this.idleTimeoutNs = idleTimeoutNs;
    }

    /** A packet from {@code src:sport} arrived for the local VM at {@code dst:dport}. */
    public void record(int vni, int proto, int src, int dst, int sport, int dport, long now) {
        long a = key1(vni, proto, sport, dport);
        long b = key2(src, dst);
        int start = hash(a, b);
        int stalest = start;
        for (int w = 0; w < WAYS; w++) {
            int s = (start + w) & mask;
            if (seen[s] != 0 && k1[s] == a && k2[s] == b) {
                seen[s] = nonZero(now);
                return;
            }
            if (seen[s] == 0 || now - seen[s] > idleTimeoutNs) {
                stalest = s;
                break;
            }
            if (seen[s] < seen[stalest]) {
                stalest = s;
            }
        }
        if (seen[stalest] != 0 && now - seen[stalest] <= idleTimeoutNs) {
            evictions++;
        } else if (seen[stalest] == 0) {
            entries++;
        }
        k1[stalest] = a;
        k2[stalest] = b;
        seen[stalest] = nonZero(now);
    }

    /**
     * Whether a packet the local VM sends from {@code src:sport} to {@code dst:dport} answers
     * a connection recorded arriving the other way (and still live).
     */
    public boolean isReply(int vni, int proto, int src, int dst, int sport, int dport, long now) {
        long a = key1(vni, proto, dport, sport);
        long b = key2(dst, src);
        int start = hash(a, b);
        for (int w = 0; w < WAYS; w++) {
            int s = (start + w) & mask;
            if (seen[s] != 0 && k1[s] == a && k2[s] == b) {
                if (now - seen[s] > idleTimeoutNs) {
                    return false;
                }
                seen[s] = nonZero(now);
                return true;
            }
        }
        return false;
    }

    /** Live connections pushed out by newer ones when a probe window was full. */
    public long evictions() {
        return evictions;
    }

    /** Slots ever filled (a measure of table use; reused slots are not counted again). */
    public long entries() {
        return entries;
    }

    private static long key1(int vni, int proto, int sport, int dport) {
        return (long) vni << 40 | (long) (proto & 0xFF) << 32 | (long) (sport & 0xFFFF) << 16 | (dport & 0xFFFF);
    }

    private static long key2(int src, int dst) {
        return (long) src << 32 | (dst & 0xFFFFFFFFL);
    }

    private int hash(long a, long b) {
        long h = a * 0x9E3779B97F4A7C15L ^ b * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ h >>> 29) & mask;
    }

    private static long nonZero(long now) {
        return now == 0 ? 1 : now;
    }
}
