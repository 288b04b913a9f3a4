package dev.andromeda.testbed.control.programming;

/** A direct host-to-host flow on the sending host, bypassing the hoverboards. */
public record OffloadFlow(int senderHostId, int vni, int proto, int src, int dst) {
}
