package dev.andromeda.testbed.control.agent;

/**
 * The host's side of controller fencing: the highest controller epoch it has
 * accepted a program from. A controller whose epoch is below it has been
 * deposed by a newer election and may not program the host any more. (The
 * election that hands out epochs is {@code control.election}; its {@code EpochFence} is the same
 * rule per partition for a multi-partition store -- this is one host, one floor.)
 * Not thread-safe: the {@link HostAgent} guards it.
 */
final class EpochFloor {
    private long highest;

    EpochFloor(long highest) {
        this.highest = highest;
    }

    /** Whether a controller of {@code epoch} may still write: not older than the newest seen. */
    boolean admits(long epoch) {
        return epoch >= highest;
    }

    /** Records an epoch a program was accepted from. */
    void advance(long epoch) {
        if (epoch > highest) {
            highest = epoch;
        }
    }

    long highest() {
        return highest;
    }
}
