package dev.andromeda.testbed.hw.driver;

import java.util.ArrayDeque;

/**
 * A {@link BeatSource} fed from a queue: a test adds beats (one value per field of the
 * channel, in the channel's order) and a {@link ValidReadySource} sends them in order.
 */
public final class BeatQueue implements BeatSource {
    private final ArrayDeque<long[]> beats = new ArrayDeque<>();

    /** Queues a beat: one value per field. */
    public BeatQueue add(long... fields) {
        beats.addLast(fields.clone());
        return this;
    }

    /** Beats queued and not yet offered. */
    public int size() {
        return beats.size();
    }

    public boolean isEmpty() {
        return beats.isEmpty();
    }

    @Override
    public boolean next(long[] fields) {
        long[] b = beats.pollFirst();
        if (b == null) {
            return false;
        }
        System.arraycopy(b, 0, fields, 0, Math.min(b.length, fields.length));
        return true;
    }
}
