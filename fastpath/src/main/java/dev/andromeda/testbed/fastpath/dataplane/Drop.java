package dev.andromeda.testbed.fastpath.dataplane;

/**
 * Why the dataplane dropped a packet, beyond malformed headers (those are the
 * parser's {@code DropReason}s, counted beside these). Every drop is counted
 * by reason; none is silent.
 */
public enum Drop {
    /** Not IPv4 inside: this dataplane routes IPv4 virtual networks. */
    NOT_IPV4,
    /** A VM sent from an address that is not its own. */
    SPOOFED_SOURCE,
    /** No flow and no default route: the flow-miss handler was told, the packet dropped. */
    FLOW_MISS,
    /** The flow's pre-computed firewall refused the destination port. */
    FIREWALL,
    /** The flow's action is drop. */
    ACTION_DROP,
    /** The checksum stage refused the packet's checksum request. */
    CHECKSUM_REJECTED,
    /** PSP: sealing failed (bad frame, stage refused). */
    PSP_SEAL_FAILED,
    /** PSP: the ICV did not verify, or the header was bad. */
    PSP_OPEN_FAILED,
    /** PSP: no security association for the SPI. */
    PSP_UNKNOWN_SPI,
    /** Arrived in cleartext for a PSP-encrypted virtual network. */
    PSP_REQUIRED,
    /** A VM's packet had nowhere to go: a default-route flow with no hoverboard programmed. */
    NO_ROUTE,
    /** Arrived encapsulated for a virtual network or address with no VM here. */
    NO_LOCAL_VM,
    /** Arrived without GENEVE (or PSP) encapsulation on the physical port. */
    NOT_ENCAPSULATED,
    /** A VM's receive ring was full. */
    VM_RING_FULL,
    /** The link or port refused the packet (its ring was full). */
    PORT_FULL,
    /** No free packet buffer. */
    POOL_EXHAUSTED,
    /** The coprocessor's ring, or the host's batches in flight to it, were full. */
    COPROCESSOR_FULL,
    /** Internet traffic the VM's coprocessor refused: ACL, DoS limit or WAN shaper (its counters say which). */
    INTERNET_REFUSED,
    /** Bound for the Internet, but the host has no Internet port or no coprocessors. */
    NO_INTERNET_PATH
}
