package dev.andromeda.testbed.fastpath.dataplane;

import java.util.Arrays;

/**
 * Bytes a host sends per flow over the default route (to the hoverboards):
 * what the control plane reads to decide which flows are heavy enough for a
 * direct host-to-host offload flow (Andromeda §4: usage measured at the
 * sending host). An open-addressing table of fixed capacity, written by the
 * dataplane thread without allocating; a flow that finds the table full is
 * counted in {@link #untracked()} (exported as the host's
 * {@link DataplaneCounters#defaultRouteUntracked()}), not lost silently.
 * Every drain empties the table, so the capacity bounds the distinct flows of
 * one interval, not of the host's lifetime: a flow still sending takes a slot
 * again with its next packet, and an idle one leaves its slot to new flows.
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
    private final DataplaneCounters counters;

    /** {@code counters}: where packets of flows that found the table full are counted. */
    public DefaultRouteUsage(int capacity, DataplaneCounters counters) {
        this.counters = counters;
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
                    counters.defaultRouteUntracked(1);
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
        counters.defaultRouteUntracked(1);
    }

    /**
     * Hands every flow's bytes since the last drain to {@code to} and empties the table (the
     * host's thread, between turns of the dataplane, which counts on the same thread).
     */
    public void drain(Consumer to) {
        for (int s = 0; s < keyHi.length; s++) {
            if (keyHi[s] != -1 && bytes[s] > 0) {
                to.accept(keyHi[s] >>> 8, keyHi[s] & 0xFF, (int) (keyLo[s] >>> 32), (int) keyLo[s], bytes[s]);
            }
        }
        // Freeing every key, not only zeroing its bytes: a key kept after its flow went idle would
        // hold its slot forever, and after capacity/2 distinct flows no new flow (however heavy)
        // would be counted, so none would be offloaded. Clearing whole slots also keeps the linear
        // probe chains intact, which deleting single keys would break.
        Arrays.fill(keyHi, -1);
        Arrays.fill(bytes, 0);
        used = 0;
    }

    /** Packets whose flow found the table full (since the host started). */
    public long untracked() {
        return counters.defaultRouteUntracked();
    }
}
