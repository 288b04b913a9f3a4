package dev.andromeda.testbed.control.election;

/**
 * The check a host (or any store that takes orders from a partition's master) applies before it
 * accepts a write: admit it only when its epoch is at least the highest epoch already seen for
 * that partition, and remember the new highest. A deposed master still holds its old epoch, so
 * once its successor has written with a larger one, the deposed master's late writes are refused.
 */
@FunctionalInterface
public interface EpochFence {

    /**
     * Returns {@code true} and records {@code epoch} as the partition's highest when
     * {@code epoch >= highest seen}; returns {@code false} (and changes nothing) otherwise.
     */
    boolean admit(int partition, long epoch);
}
