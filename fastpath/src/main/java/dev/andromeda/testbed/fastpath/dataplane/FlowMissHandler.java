package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.packet.ParsedPacket;

/**
 * Told of flow misses: {@link #onMiss} of those with no default route to take
 * (the packet is dropped), {@link #onForwardedMiss} of those the default route
 * forwards to the hoverboards. Called on the dataplane thread: it must not
 * block (hand the miss to the flow-miss coprocessor's ring, or count it), so
 * the loop never stalls.
 */
@FunctionalInterface
public interface FlowMissHandler {
    FlowMissHandler IGNORE = (vm, packet) -> { };

    /** A miss with no default route: the dataplane drops the packet (Drop.FLOW_MISS). */
    void onMiss(VmPort vm, ParsedPacket packet);

    /**
     * A miss the default route forwarded (the hoverboards carry the flow): nothing to do
     * unless the handler programs flows on demand, so that later packets skip the
     * hoverboards (the control plane's MissReporter).
     */
    default void onForwardedMiss(VmPort vm, ParsedPacket packet) {
    }
}
