package dev.andromeda.testbed.control.agent;

/**
 * The host's side of controller fencing: the highest controller epoch it has
 * accepted a program from. A controller whose epoch is below it has been
 * deposed by a newer election and may not program the host any more. (The
 * election that hands out epochs lives elsewhere; this is only the check.)
 * Not thread-safe: the {@link HostAgent} guards it.
 */
final class EpochFence {
    private long highest;

    EpochFence(long highest) {
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
