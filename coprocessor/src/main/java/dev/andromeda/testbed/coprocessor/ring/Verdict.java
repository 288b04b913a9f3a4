package dev.andromeda.testbed.coprocessor.ring;

/** A work item's outcome, as the fast path reads it from the result ring. */
public enum Verdict {
    /** Not decided yet (an item in a request ring, or held by the shaper). */
    PENDING,
    /** Done: forward the packet; a flow miss carries its action, a crypto batch is completed. */
    PASS,
    /** Refused; {@link WorkItem#dropReason()} says why. The fast path still owns and frees the packet. */
    DROP
}
