package dev.andromeda.testbed.fastpath.dataplane;

import java.util.concurrent.locks.LockSupport;

/**
 * A blocking wake-up: the thread that owns it sleeps in {@link #await} until
 * another thread calls {@link #wake} (or the time is up). The opposite of busy
 * polling: no core is spent while there is nothing to do, and each hand-off to
 * a sleeping thread costs a wake-up (a futex call, a scheduler decision, a
 * context switch). A wake that comes before the sleep is not lost: park's
 * permit makes the next {@link #await} return at once.
 */
public final class Waker {
    private volatile Thread owner;
    private volatile long wakes;

    /** Makes the calling thread the one {@link #wake} wakes. */
    public void bindToCurrentThread() {
        owner = Thread.currentThread();
    }

    /** Sleeps until woken or {@code maxNanos} passed (the owner thread). */
    public void await(long maxNanos) {
        LockSupport.parkNanos(this, maxNanos);
    }

    /** Wakes the owner if it sleeps (any thread). */
    public void wake() {
        Thread t = owner;
        if (t != null) {
            wakes++; // racy on purpose: a count for reports, not a synchronisation
            LockSupport.unpark(t);
        }
    }

    /** Wake-ups asked for (approximate: counted without a lock). */
    public long wakes() {
        return wakes;
    }
}
