package dev.andromeda.testbed.control.election;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory, per-partition append-only log guarded by epochs: it stands for what hosts accept
 * from controllers. A write is accepted only when its epoch is at least the highest epoch the log
 * has seen for that partition; an older epoch is rejected with a reason naming both epochs.
 * Thread-safe (every method is synchronized).
 */
public final class FencedLog implements EpochFence {

    /** One accepted write. */
    public record Entry(int partition, long epoch, String payload) {}

    /** The outcome of {@link #append}. */
    public sealed interface Result permits Accepted, Rejected {
        boolean accepted();
    }

    /** The write was admitted and appended. */
    public record Accepted(Entry entry) implements Result {
        @Override
        public boolean accepted() {
            return true;
        }
    }

    /** The write was refused: {@code epoch} is older than {@code highestSeen}. */
    public record Rejected(int partition, long epoch, long highestSeen, String reason) implements Result {
        @Override
        public boolean accepted() {
            return false;
        }
    }

    private final Map<Integer, Long> highest = new HashMap<>();
    private final Map<Integer, List<Entry>> entries = new HashMap<>();

    @Override
    public synchronized boolean admit(int partition, long epoch) {
        long seen = highest.getOrDefault(partition, Long.MIN_VALUE);
        if (epoch < seen) {
            return false;
        }
        highest.put(partition, epoch);
        return true;
    }

    /** Appends {@code payload} for {@code partition} if {@code epoch} passes the fence. */
    public synchronized Result append(int partition, long epoch, String payload) {
        long seen = highest.getOrDefault(partition, Long.MIN_VALUE);
        if (!admit(partition, epoch)) {
            return new Rejected(partition, epoch, seen,
                    "stale epoch " + epoch + " for partition " + partition
                            + ": highest seen is " + seen + " (writer was deposed)");
        }
        Entry e = new Entry(partition, epoch, payload);
        entries.computeIfAbsent(partition, k -> new ArrayList<>()).add(e);
        return new Accepted(e);
    }

    /** The highest epoch admitted for {@code partition}, or {@link Long#MIN_VALUE} if none. */
    public synchronized long highestEpoch(int partition) {
        return highest.getOrDefault(partition, Long.MIN_VALUE);
    }

    /** A copy of the accepted entries of {@code partition}, in order. */
    public synchronized List<Entry> entries(int partition) {
        return List.copyOf(entries.getOrDefault(partition, List.of()));
    }
}
