package dev.andromeda.testbed.fastpath.flow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One immutable snapshot of a host's flows, Andromeda's shape: a flow key --
 * the virtual network (VNI) and the 3-tuple (protocol, source, destination
 * address) -- goes through <em>one</em> hash lookup to a dense index, and
 * everything else about the flow sits in flat arrays at that index: its action,
 * its pre-computed firewall and its counters.
 *
 * <pre>
 *   (vni, proto, src, dst) --hash--> slot --slotIndex[]--> i
 *                                                       action[i]
 *                                                       policyKind[i], rangeFrom[i], rangeCount[i] -> ranges[]
 *                                                       packets[i], bytes[i]
 * </pre>
 *
 * Lookups read only final arrays and never lock. The control plane never
 * changes a snapshot: it builds a new one ({@link FlowTableBuilder}) and
 * publishes it through a {@link FlowTableHolder}; the dataplane thread adopts
 * it between batches and carries the counters over.
 *
 * <p>Counters have a single writer, the dataplane thread, which updates them
 * with plain stores; other threads read them with opaque reads (a recent value,
 * never a torn one).
 */
public final class FlowTable {
    static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    public static final int MISS = -1;

    // Open-addressing hash, linear probing, capacity a power of two.
    final int[] slotHi;       // vni << 8 | proto
    final long[] slotLo;      // src << 32 | dst
    final int[] slotIndex;    // dense index, or -1 for an empty slot
    final int mask;

    // Dense, by flow index.
    final int[] vni;
    final int[] proto;
    final int[] src;
    final int[] dst;
    final int[] action;
    final byte[] policyKind;
    final int[] rangeFrom;
    final int[] rangeCount;
    final int[] ranges;
    final long[] packets;
    final long[] bytes;

    // Where ENCAP actions go.
    final int[] hostIp;
    final long[] hostMac;
    final int[] hoverboards;  // host indices of the default route
    private final boolean anyStateful;

    FlowTable(int[] slotHi, long[] slotLo, int[] slotIndex, int[] vni, int[] proto, int[] src, int[] dst,
              int[] action, byte[] policyKind, int[] rangeFrom, int[] rangeCount, int[] ranges, int[] hostIp,
              long[] hostMac, int[] hoverboards) {
        this.slotHi = slotHi;
        this.slotLo = slotLo;
        this.slotIndex = slotIndex;
        this.mask = slotIndex.length - 1;
        this.vni = vni;
        this.proto = proto;
        this.src = src;
        this.dst = dst;
        this.action = action;
        this.policyKind = policyKind;
        this.rangeFrom = rangeFrom;
        this.rangeCount = rangeCount;
        this.ranges = ranges;
        this.packets = new long[vni.length];
        this.bytes = new long[vni.length];
        this.hostIp = hostIp;
        this.hostMac = hostMac;
        this.hoverboards = hoverboards;
        boolean stateful = false;
        for (byte k : policyKind) {
            stateful |= k == FirewallPolicy.Kind.STATEFUL.ordinal();
        }
        this.anyStateful = stateful;
    }

    /** Whether any flow has a stateful firewall (else connection tracking has nothing to do). */
    public boolean anyStateful() {
        return anyStateful;
    }

    /** Number of flows. */
    public int size() {
        return vni.length;
    }

    static int hash(int hi, long lo) {
        long h = lo * 0x9E3779B97F4A7C15L + hi * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 32));
    }

    static int keyHi(int vni, int proto) {
        return (vni & 0xFFFFFF) << 8 | (proto & 0xFF);
    }

    static long keyLo(int src, int dst) {
        return (long) src << 32 | (dst & 0xFFFFFFFFL);
    }

    /** The flow's dense index, or {@link #MISS}. One hash, a short probe, no allocation, no lock. */
    public int lookup(int vni, int proto, int src, int dst) {
        int hi = keyHi(vni, proto);
        long lo = keyLo(src, dst);
        int m = mask;
        for (int s = hash(hi, lo) & m; ; s = (s + 1) & m) {
            int i = slotIndex[s];
            if (i < 0) {
                return MISS;
            }
            if (slotHi[s] == hi && slotLo[s] == lo) {
                return i;
            }
        }
    }

    public int action(int i) {
        return action[i];
    }

    public FirewallPolicy.Kind policyKind(int i) {
        return FirewallPolicy.Kind.values()[policyKind[i]];
    }

    /**
     * Whether the flow's firewall lets a packet to {@code dstPort} through:
     * nothing to do for ALLOW_ALL (the common case), a scan of a few sorted
     * ranges otherwise. STATEFUL flows answer for new connections here; the
     * caller consults connection tracking for replies.
     */
    public boolean allows(int i, int dstPort) {
        return switch (policyKind[i]) {
            case 0 -> true;
            case 1, 2 -> FirewallPolicy.inRanges(ranges, rangeFrom[i], rangeCount[i], dstPort);
            default -> false;
        };
    }

    /** Counts a packet on the flow (dataplane thread only). */
    public void count(int i, int frameBytes) {
        packets[i]++;
        bytes[i] += frameBytes;
    }

    /** Packets counted on flow i (any thread; a recent value). */
    public long packets(int i) {
        return (long) LONGS.getOpaque(packets, i);
    }

    /** Bytes counted on flow i (any thread; a recent value). */
    public long bytes(int i) {
        return (long) LONGS.getOpaque(bytes, i);
    }

    public int vni(int i) {
        return vni[i];
    }

    public int proto(int i) {
        return proto[i];
    }

    public int src(int i) {
        return src[i];
    }

    public int dst(int i) {
        return dst[i];
    }

    public int hostIp(int hostIndex) {
        return hostIp[hostIndex];
    }

    public long hostMac(int hostIndex) {
        return hostMac[hostIndex];
    }

    /** The hoverboard host a default-route flow goes to, spread by flow hash. */
    public int hoverboardFor(int flowHash) {
        int[] h = hoverboards;
        if (h.length == 0) {
            return -1;
        }
        return h[(flowHash & 0x7FFFFFFF) % h.length];
    }

    public int hosts() {
        return hostIp.length;
    }

    /** Carries counters of flows present in both tables from {@code old} into this one (dataplane thread). */
    void adoptCounters(FlowTable old) {
        for (int i = 0; i < size(); i++) {
            int j = old.lookup(vni[i], proto[i], src[i], dst[i]);
            if (j != MISS) {
                packets[i] = old.packets[j];
                bytes[i] = old.bytes[j];
            }
        }
    }
}
