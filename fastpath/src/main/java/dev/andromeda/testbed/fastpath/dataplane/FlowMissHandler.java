package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.packet.ParsedPacket;

/**
 * Told of flow misses that have no default route to take (and, when the host
 * is set so, of those the default route forwards). Called on the
 * dataplane thread: it must not block (hand the miss to the flow-miss
 * coprocessor's ring, or count it), so the loop never stalls.
 */
@FunctionalInterface
public interface FlowMissHandler {
    FlowMissHandler IGNORE = (vm, packet) -> { };

    void onMiss(VmPort vm, ParsedPacket packet);
}
