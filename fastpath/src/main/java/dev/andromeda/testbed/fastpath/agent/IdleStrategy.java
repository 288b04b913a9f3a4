package dev.andromeda.testbed.fastpath.agent;

/** What a thread does between duty cycles; one instance per thread (it may keep state). */
public interface IdleStrategy {
    /** Called after each duty cycle with the work it did; idles only when that was 0. */
    void idle(int workCount);

    /** Forgets any backoff state. */
    default void reset() {
    }

    /**
     * Never idles: lowest latency, one core burnt (the Andromeda fast path's choice); also for tests
     * that drive agents by hand.
     */
    IdleStrategy BUSY_SPIN = workCount -> {
        if (workCount == 0) {
            Thread.onSpinWait();
        }
    };

    /** Spin, then yield, then park with exponential backoff up to {@code maxParkNs}; reset by work. */
    static IdleStrategy backoff(long spins, long yields, long minParkNs, long maxParkNs) {
        return new BackoffIdleStrategy(spins, yields, minParkNs, maxParkNs);
    }
}
