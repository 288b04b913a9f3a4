package dev.andromeda.testbed.fastpath.agent;

import java.util.concurrent.locks.LockSupport;

/**
 * Spin, then yield, then park with a doubling period up to a maximum (the shape of Agrona's
 * {@code BackoffIdleStrategy}). Any work resets it to spinning. Coprocessor threads float over
 * shared cores, so the default parks soon: a few spins, a few yields, 1 µs growing to 100 µs.
 * The maximum park bounds how late an idle worker sees new work.
 */
public final class BackoffIdleStrategy implements IdleStrategy {
    private final long maxSpins;
    private final long maxYields;
    private final long minParkNs;
    private final long maxParkNs;

    private long spins;
    private long yields;
    private long parkNs;

    public BackoffIdleStrategy(long maxSpins, long maxYields, long minParkNs, long maxParkNs) {
        if (maxSpins < 0 || maxYields < 0 || minParkNs < 1 || maxParkNs < minParkNs) {
            throw new IllegalArgumentException("need spins, yields >= 0 and 1 <= minPark <= maxPark");
        }
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNs = minParkNs;
        this.maxParkNs = maxParkNs;
        reset();
    }

    public static BackoffIdleStrategy defaults() {
        return new BackoffIdleStrategy(100, 10, 1_000, 100_000);
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs << 1, maxParkNs);
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        parkNs = minParkNs;
    }

    /** How long the next park would last (for tests). */
    long nextParkNs() {
        return parkNs;
    }
}
