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
    private String owner;

    EpochFloor(Checkpoints.Floor start) {
        this.highest = start.epoch();
        this.owner = start.owner();
    }

    /** Whether a controller of {@code epoch} may still write: not older than the newest seen. */
    boolean admits(long epoch) {
        return epoch >= highest;
    }

    /**
     * Records an epoch a fence or a program came with. Only a higher epoch changes the owner: an
     * equal one keeps the master that set it first, so a second master given the same epoch sees it.
     */
    void advance(long epoch, String by) {
        if (epoch > highest) {
            highest = epoch;
            owner = by;
        }
    }

    long highest() {
        return highest;
    }

    /** The incarnation of the master that set the floor, "" when not known. */
    String owner() {
        return owner;
    }

    Checkpoints.Floor floor() {
        return new Checkpoints.Floor(highest, owner);
    }
}
