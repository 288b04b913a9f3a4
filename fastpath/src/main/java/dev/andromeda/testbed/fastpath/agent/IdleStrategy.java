package dev.andromeda.testbed.fastpath.agent;

/** What a busy-polling loop does after a duty cycle, given the work it did. */
public interface IdleStrategy {
    /** Called after every duty cycle; {@code workCount == 0} means the cycle found nothing. */
    void idle(int workCount);

    /** Busy-spin: lowest latency, one core burnt (the Andromeda fast path's choice). */
    IdleStrategy BUSY_SPIN = workCount -> {
        if (workCount == 0) {
            Thread.onSpinWait();
        }
    };

    /** Spin, then yield, then park with exponential backoff up to {@code maxParkNs}; reset by work. */
    static IdleStrategy backoff(int spins, int yields, long minParkNs, long maxParkNs) {
        return new BackoffIdleStrategy(spins, yields, minParkNs, maxParkNs);
    }
}
