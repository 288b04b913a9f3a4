package dev.andromeda.testbed.control.agent;

/** A host's answer to a programming update: {@link Ack} or {@link Reject}. */
public sealed interface ApplyResult {

    /** The update is the host's state now; {@code version} is what it runs. */
    record Ack(long version) implements ApplyResult {
    }

    /** The update was refused; the host stays on its last good state. */
    record Reject(Reason reason, String message) implements ApplyResult {
    }

    enum Reason {
        /** The update's version is not newer than the one running. */
        STALE_VERSION,
        /** The update comes from a controller epoch older than one already accepted (a deposed controller). */
        DEPOSED_EPOCH,
        /** The program does not validate (see {@link FlowProgram#toFlowTable()}). */
        INVALID
    }

    static ApplyResult ack(long version) {
        return new Ack(version);
    }

    static ApplyResult reject(Reason reason, String message) {
        return new Reject(reason, message);
    }

    default boolean acked() {
        return this instanceof Ack;
    }
}
