package dev.andromeda.testbed.coprocessor;

import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when a test says so. */
public final class ManualClock implements LongSupplier {
    private volatile long now;

    public ManualClock(long start) {
        this.now = start;
    }

    @Override
    public long getAsLong() {
        return now;
    }

    public void advance(long nanos) {
        now += nanos;
    }

    public void set(long nanos) {
        now = nanos;
    }
}
