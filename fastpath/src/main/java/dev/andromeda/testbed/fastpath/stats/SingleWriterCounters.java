package dev.andromeda.testbed.fastpath.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed set of counters written by one thread (the dataplane's) and read by
 * any: writes are opaque stores -- plain stores on x86, no fence -- and reads
 * opaque loads, which see a recent value and never a torn one. Volatile fields
 * would put a full fence (a locked instruction) after every store: a dozen
 * counters updated per stage per batch cost more than a small batch's work.
 */
public final class SingleWriterCounters {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots;

    public SingleWriterCounters(int count) {
        this.slots = new long[count];
    }

    /** Adds {@code delta} to counter {@code i} (the writer thread only). */
    public void add(int i, long delta) {
        SLOT.setOpaque(slots, i, slots[i] + delta);
    }

    /** Counter {@code i}, as recently written (any thread). */
    public long get(int i) {
        return (long) SLOT.getOpaque(slots, i);
    }

    /** Zeroes every counter (the writer thread only). */
    public void reset() {
        for (int i = 0; i < slots.length; i++) {
            SLOT.setOpaque(slots, i, 0L);
        }
    }
}
