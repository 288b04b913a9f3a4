package dev.andromeda.testbed.fastpath.flow;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the control plane publishes a new {@link FlowTable} and the dataplane
 * adopts it -- the shadow-copy swap. The control side calls {@link #publish}
 * from any thread; the dataplane thread calls {@link #adopt} at the start of
 * each batch, so a batch always sees one table, lookups never lock, and
 * counters (single writer: the dataplane) are carried over by the dataplane
 * itself, so no increment is lost in the swap.
 */
public final class FlowTableHolder {
    private final AtomicReference<FlowTable> pending = new AtomicReference<>();
    private volatile FlowTable current;
    private volatile long swaps;

    public FlowTableHolder(FlowTable initial) {
        this.current = initial;
    }

    /** Offers a new table; a table published and not yet adopted is replaced. */
    public void publish(FlowTable next) {
        pending.set(next); // volatile write: the dataplane's getAndSet sees a fully built table
    }

    /**
     * The table for the next batch (dataplane thread only): the newest
     * published one if any, with counters carried over from the one it replaces.
     */
    public FlowTable adopt() {
        // An acquire read first (a plain load on x86): the read-modify-write only when there is news.
        FlowTable next = pending.getAcquire() == null ? null : pending.getAndSet(null);
        if (next == null) {
            return current;
        }
        next.adoptCounters(current);
        current = next; // volatile write: readers of counters move to the new table
        swaps++;
        return next;
    }

    /** The newest table: published and not yet adopted, else the one in use (control side, to build on). */
    public FlowTable latest() {
        FlowTable p = pending.get();
        return p != null ? p : current;
    }

    /** The table the dataplane uses now (any thread). */
    public FlowTable current() {
        return current;
    }

    /** Tables adopted so far. */
    public long swaps() {
        return swaps;
    }
}
