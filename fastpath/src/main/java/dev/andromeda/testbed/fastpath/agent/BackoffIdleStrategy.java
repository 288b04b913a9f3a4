package dev.andromeda.testbed.fastpath.agent;

import java.util.concurrent.locks.LockSupport;

/**
 * Spin, then yield, then park with exponential backoff: a loop that is busy
 * stays hot, an idle one gives its core away. State belongs to one thread.
 */
final class BackoffIdleStrategy implements IdleStrategy {
    private final int spins;
    private final int yields;
    private final long minParkNs;
    private final long maxParkNs;
    private long idleCycles;
    private long parkNs;

    BackoffIdleStrategy(int spins, int yields, long minParkNs, long maxParkNs) {
        if (spins < 0 || yields < 0 || minParkNs < 1 || maxParkNs < minParkNs) {
            throw new IllegalArgumentException("need spins, yields >= 0 and 1 <= minParkNs <= maxParkNs");
        }
        this.spins = spins;
        this.yields = yields;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        this.parkNs = minParkNs;
    }

    /** The next park's length (for tests). */
    long nextParkNs() {
        return parkNs;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            idleCycles = 0;
            parkNs = minParkNs;
            return;
        }
        idleCycles++;
        if (idleCycles <= spins) {
            Thread.onSpinWait();
        } else if (idleCycles <= spins + yields) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs * 2, maxParkNs);
        }
    }
}
