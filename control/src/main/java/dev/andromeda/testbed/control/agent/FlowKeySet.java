package dev.andromeda.testbed.control.agent;

/**
 * The flow keys (VNI, protocol, source, destination) a program has given so
 * far, to refuse one given twice: open addressing over three int arrays,
 * nothing allocated per key. A host's program holds up to millions of flows
 * (a hoverboard holds a route per VM); a set of boxed lists cost more than
 * building the flow table itself.
 */
final class FlowKeySet {
    private long[] vniProto;
    private int[] src;
    private int[] dst;
    private boolean[] used;
    private int mask;
    private int size;

    /** @param expected keys to be added (the table is sized for them at half load; it grows past that) */
    FlowKeySet(int expected) {
        allocate(Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1);
    }

    private void allocate(int capacity) {
        vniProto = new long[capacity];
        src = new int[capacity];
        dst = new int[capacity];
        used = new boolean[capacity];
        mask = capacity - 1;
    }

    /** Twice the slots, every key placed again: kept at most half full, probes stay short. */
    private void grow() {
        long[] vp = vniProto;
        int[] s = src;
        int[] d = dst;
        boolean[] u = used;
        allocate(u.length * 2);
        for (int i = 0; i < u.length; i++) {
            if (u[i]) {
                place(vp[i], s[i], d[i]);
            }
        }
    }

    private void place(long vp, int s, int d) {
        int i = mix(vp, s, d) & mask;
        while (used[i]) {
            i = (i + 1) & mask;
        }
        used[i] = true;
        vniProto[i] = vp;
        src[i] = s;
        dst[i] = d;
    }

    /** Adds the key; false when it was there already (any int values: range checks are the caller's). */
    boolean add(int vni, int proto, int s, int d) {
        long vp = (long) vni << 32 | (proto & 0xFFFFFFFFL);
        int h = mix(vp, s, d);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            if (!used[i]) {
                if (++size > used.length / 2) {
                    grow();
                    place(vp, s, d);
                } else {
                    used[i] = true;
                    vniProto[i] = vp;
                    src[i] = s;
                    dst[i] = d;
                }
                return true;
            }
            if (vniProto[i] == vp && src[i] == s && dst[i] == d) {
                return false;
            }
        }
    }

    /** Spreads all 96 key bits over the slot index (murmur3's finaliser after a multiply-add). */
    private static int mix(long a, int b, int c) {
        long h = (a * 0x9E3779B97F4A7C15L + b) * 0xC2B2AE3D27D4EB4FL + c;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }
}
