package dev.andromeda.testbed.fastpath.packet;

import java.util.Arrays;

/**
 * Counts of frames per {@link DropReason}: one {@code long} per reason,
 * indexed by ordinal, so counting is one array increment and no branch.
 * {@code count(NONE)} is allowed and counts accepted frames, so a stage can
 * write {@code counters.count(PacketParser.parse(...))} for every frame.
 *
 * <p>Plain fields, single writer: the owning dataplane thread counts; other
 * threads read a snapshot only after handing-off (a future metrics exporter
 * copies through a ring, not by reading these live).
 */
public final class DropCounters {
    private static final DropReason[] REASONS = DropReason.values();

    private final long[] counts = new long[REASONS.length];

    public void count(DropReason reason) {
        counts[reason.ordinal()]++;
    }

    /** Adds {@code frames} at once: counters updated once per batch, not per packet. */
    public void add(DropReason reason, long frames) {
        counts[reason.ordinal()] += frames;
    }

    public long get(DropReason reason) {
        return counts[reason.ordinal()];
    }

    /** Frames dropped, for any reason; accepted frames ({@link DropReason#NONE}) are not included. */
    public long total() {
        long total = 0;
        for (int i = 1; i < counts.length; i++) {
            total += counts[i];
        }
        return total;
    }

    /** Frames accepted: {@code get(NONE)}. */
    public long accepted() {
        return counts[DropReason.NONE.ordinal()];
    }

    /** Adds another set of counters into this one (per-queue counters into a per-host total). */
    public void addAll(DropCounters other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
    }

    public void reset() {
        Arrays.fill(counts, 0);
    }

    /** The non-zero counters, e.g. {@code {NONE=120, TRUNCATED_UDP=2}}; cold path. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                if (s.length() > 1) {
                    s.append(", ");
                }
                s.append(REASONS[i]).append('=').append(counts[i]);
            }
        }
        return s.append('}').toString();
    }
}
