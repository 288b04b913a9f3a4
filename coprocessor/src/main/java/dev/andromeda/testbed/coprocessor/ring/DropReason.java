package dev.andromeda.testbed.coprocessor.ring;

/**
 * Why work did not get done. Every reason is a counter per VM ({@code VmCounters}); nothing is
 * lost without one of them going up.
 */
public enum DropReason {
    /** The fast path found the VM's ring full (all its items outstanding); counted by the fast path thread. */
    RING_FULL,
    /** The Internet ACL denied the packet. */
    ACL_DENIED,
    /** The packet's source exceeded its packet rate. */
    DOS_RATE_EXCEEDED,
    /** Over the WAN rate with the shaper's queue already at its bound. */
    SHAPER_QUEUE_FULL,
    /** Larger than the shaper's burst: it could never be sent. */
    SHAPER_OVER_BURST,
    /** The VM sent flow misses faster than its limit; the fast path keeps using the default route. */
    FLOW_MISS_RATE_LIMITED,
    /** The flow resolver threw. */
    FLOW_RESOLVER_FAILED,
    /** The crypto batch's memory cannot be reached from the coprocessor thread (a confined arena). */
    CRYPTO_BATCH_NOT_SHARED,
    /** The crypto stage threw, or no crypto stage is configured, or the item carried no batch. */
    CRYPTO_STAGE_FAILED,
    /** The item named no kind of work: a fast path bug, refused rather than guessed at. */
    MALFORMED_ITEM;

    private static final DropReason[] VALUES = values();

    public static DropReason of(int ordinal) {
        return VALUES[ordinal];
    }

    public static int count() {
        return VALUES.length;
    }
}
