package dev.andromeda.testbed.fastpath.dataplane;

import java.util.Arrays;

/**
 * Bytes a host sends per flow over the default route (to the hoverboards):
 * what the control plane reads to decide which flows are heavy enough for a
 * direct host-to-host offload flow (Andromeda §4: usage measured at the
 * sending host). An open-addressing table of fixed capacity, written by the
 * dataplane thread without allocating; a flow that finds the table full is
 * counted in {@link #untracked()}, not lost silently.
 */
public final class DefaultRouteUsage {
    /** Receives one flow's bytes since the last drain. */
    @FunctionalInterface
    public interface Consumer {
        void accept(int vni, int proto, int src, int dst, long bytes);
    }

    private final int[] keyHi;   // vni << 8 | proto, or -1 for an empty slot
    private final long[] keyLo;  // src << 32 | dst
    private final long[] bytes;
    private final int mask;
    private int used;
    private long untracked;

    public DefaultRouteUsage(int capacity) {
        int cap = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        keyHi = new int[cap];
        Arrays.fill(keyHi, -1);
        keyLo = new long[cap];
        bytes = new long[cap];
        mask = cap - 1;
    }

    /** Counts a packet of a default-routed flow (dataplane thread). */
    void count(int vni, int proto, int src, int dst, int length) {
        int hi = (vni & 0xFFFFFF) << 8 | (proto & 0xFF);
        long lo = (long) src << 32 | (dst & 0xFFFFFFFFL);
        long h = lo * 0x9E3779B97F4A7C15L ^ hi * 0xC2B2AE3D27D4EB4FL;
        for (int s = (int) (h ^ (h >>> 32)) & mask, probes = 0; probes <= mask; s = (s + 1) & mask, probes++) {
            if (keyHi[s] == -1) {
                if (used * 2 >= keyHi.length) {
                    untracked++;
                    return;
                }
                keyHi[s] = hi;
                keyLo[s] = lo;
                used++;
            }
            if (keyHi[s] == hi && keyLo[s] == lo) {
                bytes[s] += length;
                return;
            }
        }
        untracked++;
    }

    /** Hands every flow's bytes since the last drain to {@code to} and resets them (the host's thread). */
    public void drain(Consumer to) {
        for (int s = 0; s < keyHi.length; s++) {
            if (keyHi[s] != -1 && bytes[s] > 0) {
                to.accept(keyHi[s] >>> 8, keyHi[s] & 0xFF, (int) (keyLo[s] >>> 32), (int) keyLo[s], bytes[s]);
                bytes[s] = 0;
            }
        }
    }

    /** Packets whose flow found the table full. */
    public long untracked() {
        return untracked;
    }
}
