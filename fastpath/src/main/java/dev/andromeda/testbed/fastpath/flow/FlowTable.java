package dev.andromeda.testbed.fastpath.flow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One immutable snapshot of a host's flows, Andromeda's shape: a flow key --
 * the virtual network (VNI) and the 3-tuple (protocol, source, destination
 * address) -- goes through <em>one</em> hash lookup to a dense index, and
 * everything a hit needs about the flow sits in one 64-byte record at that
 * index: its action, its pre-computed firewall and its counters.
 *
 * <pre>
 *   slots (16 bytes a slot, 4 to a cache line; linear probing, load at most 1/2)
 *     [ src << 32 | dst ][ vni << 40 | proto << 32 | index + 1 ]     0 = empty
 *                                                       |
 *   records (64 bytes a flow, one cache line)           v
 *     [ action << 32 | kind << 24 | ranges ][ overflow ][ packets ][ bytes ][ 8 port ranges inline ]
 * </pre>
 *
 * A hit reads two cache lines, the slot's and the record's (ten arrays before issue 11:
 * three for the slot, seven for the flow); a flow with more than {@value #INLINE_RANGES}
 * port ranges keeps them in an overflow array, a third. The key arrays ({@link #vni(int)}
 * ...) are for the control plane and counter adoption, never read by a lookup.
 *
 * <p>Lookups read only final arrays and never lock. The control plane never
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

    /** Longs per flow record: 64 bytes, a cache line. */
    static final int RECORD_LONGS = 8;
    /**
     * Where record 0 starts in {@link #records}: a large array is allocated at the start of a
     * heap region (G1's humongous objects) and its elements begin 16 bytes in, so 6 longs of
     * padding put every record on a cache-line boundary. Were the header another size, the
     * records would straddle two lines: slower, never wrong.
     */
    static final int RECORD_BASE = 6;
    static final int META = 0;
    static final int OVERFLOW = 1;
    static final int PACKETS = 2;
    static final int BYTES = 3;
    static final int RANGES = 4;
    /** Port ranges a record holds itself (two 32-bit ranges a long). */
    static final int INLINE_RANGES = 8;

    // Open-addressing hash, linear probing, capacity a power of two: 2 longs a slot.
    final long[] slots;
    final int mask;
    final long[] records;
    /** The port ranges of flows with more than {@link #INLINE_RANGES}. */
    final int[] overflowRanges;

    // By flow index, off the lookup path.
    final int[] vni;
    final int[] proto;
    final int[] src;
    final int[] dst;

    // Where ENCAP actions go.
    final int[] hostIp;
    final long[] hostMac;
    final int[] hoverboards;  // host indices of the default route
    private final boolean anyStateful;

    FlowTable(long[] slots, long[] records, int[] overflowRanges, int[] vni, int[] proto, int[] src, int[] dst,
              int[] hostIp, long[] hostMac, int[] hoverboards) {
        this.slots = slots;
        this.mask = slots.length / 2 - 1;
        this.records = records;
        this.overflowRanges = overflowRanges;
        this.vni = vni;
        this.proto = proto;
        this.src = src;
        this.dst = dst;
        this.hostIp = hostIp;
        this.hostMac = hostMac;
        this.hoverboards = hoverboards;
        boolean stateful = false;
        for (int i = 0; i < vni.length; i++) {
            stateful |= kindOrdinal(i) == FirewallPolicy.Kind.STATEFUL.ordinal();
        }
        this.anyStateful = stateful;
    }

    static int record(int i) {
        return RECORD_BASE + i * RECORD_LONGS;
    }

    /** A record's first long: action, firewall kind, number of port ranges. */
    static long meta(int action, int kind, int rangeCount) {
        return (long) action << 32 | (long) (kind & 0xFF) << 24 | (rangeCount & 0xFFFFFF);
    }

    private int kindOrdinal(int i) {
        return (int) (records[record(i) + META] >>> 24) & 0xFF;
    }

    /** Flow i's port ranges, packed {@code lo << 16 | hi} as {@link FirewallPolicy#ranges()}. */
    int[] ranges(int i) {
        long meta = records[record(i) + META];
        int count = (int) meta & 0xFFFFFF;
        int[] r = new int[count];
        for (int j = 0; j < count; j++) {
            r[j] = range(record(i), meta, j);
        }
        return r;
    }

    private int range(int rec, long meta, int j) {
        if ((meta & 0xFFFFFF) > INLINE_RANGES) {
            return overflowRanges[(int) records[rec + OVERFLOW] + j];
        }
        return (int) (records[rec + RANGES + (j >> 1)] >>> ((j & 1) << 5));
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
        long[] sl = slots;
        int m = mask;
        for (int s = hash(hi, lo) & m; ; s = (s + 1) & m) {
            long tag = sl[2 * s + 1];
            if (tag == 0) {
                return MISS;
            }
            if (sl[2 * s] == lo && (int) (tag >>> 32) == hi) {
                return (int) tag - 1;
            }
        }
    }

    /**
     * Reads the cache line where the key's probe starts, and returns what it read: a batch
     * touches every packet's slot first, then looks them up, so the cache misses of a large
     * table overlap instead of coming one after the other (VPP prefetches the same way).
     */
    public long touchSlot(int vni, int proto, int src, int dst) {
        return slots[2 * (hash(keyHi(vni, proto), keyLo(src, dst)) & mask) + 1];
    }

    /** Reads flow i's record line (its action), for the same reason as {@link #touchSlot}. */
    public long touchRecord(int i) {
        return records[record(i) + META];
    }

    public int action(int i) {
        return (int) (records[record(i) + META] >>> 32);
    }

    public FirewallPolicy.Kind policyKind(int i) {
        return FirewallPolicy.Kind.values()[kindOrdinal(i)];
    }

    /**
     * Whether the flow's firewall lets a packet to {@code dstPort} through:
     * nothing to do for ALLOW_ALL (the common case), a scan of a few sorted
     * ranges otherwise. STATEFUL flows answer for new connections here; the
     * caller consults connection tracking for replies.
     */
    public boolean allows(int i, int dstPort) {
        int rec = record(i);
        long meta = records[rec + META];
        return switch ((int) (meta >>> 24) & 0xFF) {
            case 0 -> true;
            case 1, 2 -> inRanges(rec, meta, dstPort);
            default -> false;
        };
    }

    /** {@link FirewallPolicy#inRanges} over the record's ranges (sorted, {@code lo << 16 | hi}). */
    private boolean inRanges(int rec, long meta, int port) {
        int count = (int) meta & 0xFFFFFF;
        if (count > INLINE_RANGES) {
            return FirewallPolicy.inRanges(overflowRanges, (int) records[rec + OVERFLOW], count, port);
        }
        long[] r = records;
        for (int j = 0; j < count; j++) {
            int range = (int) (r[rec + RANGES + (j >> 1)] >>> ((j & 1) << 5));
            if (port < range >>> 16) {
                return false; // sorted: no later range can hold it
            }
            if (port <= (range & 0xFFFF)) {
                return true;
            }
        }
        return false;
    }

    /** Counts a packet on the flow (dataplane thread only). */
    public void count(int i, int frameBytes) {
        int rec = record(i);
        records[rec + PACKETS]++;
        records[rec + BYTES] += frameBytes;
    }

    /** Packets counted on flow i (any thread; a recent value). */
    public long packets(int i) {
        return (long) LONGS.getOpaque(records, record(i) + PACKETS);
    }

    /** Bytes counted on flow i (any thread; a recent value). */
    public long bytes(int i) {
        return (long) LONGS.getOpaque(records, record(i) + BYTES);
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
                records[record(i) + PACKETS] = old.records[record(j) + PACKETS];
                records[record(i) + BYTES] = old.records[record(j) + BYTES];
            }
        }
    }
}
