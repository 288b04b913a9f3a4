package dev.andromeda.testbed.fastpath.packet;

/**
 * Why {@link PacketParser} refused a frame: one value per way the bytes can
 * be wrong, so a drop counter says exactly what arrived. {@link #NONE} (the
 * first, ordinal 0) means the frame is well-formed.
 *
 * <p>"Truncated" means the bytes the header needs are not there: past the end
 * of the frame for Ethernet, VLAN and the fixed IP headers, past the end the
 * IP header declares for everything inside IP (trailing Ethernet padding is
 * never taken for a header). "Lies" are lengths in a header that point past
 * what arrived or inside the header itself.
 *
 * <p>Not drops, and so not here: a later IPv4 or IPv6 fragment carries no L4
 * header, and the parser accepts it, flagged ({@link ParsedPacket#isFragment()}
 * and not {@link ParsedPacket#isFirstFragment()}), ports 0, for the
 * reassembly or fragment-forwarding stage to decide. Unknown IP protocols are
 * accepted too, with no L4 header parsed. L4 checksums are not checked here:
 * that is the checksum stage's work, and often the NIC's.
 */
public enum DropReason {
    /** Well-formed: every header the parser knows is present and consistent. */
    NONE,

    /** Fewer than 14 bytes. */
    TRUNCATED_ETHERNET,
    /** A VLAN TPID with fewer than 4 bytes after it. */
    TRUNCATED_VLAN,
    /** More than {@link PacketParser#MAX_VLAN_TAGS} stacked VLAN tags. */
    TOO_MANY_VLAN_TAGS,
    /** Neither IPv4 nor IPv6 after the Ethernet header and its tags (ARP, 802.3 lengths, ...). */
    UNSUPPORTED_ETHERTYPE,

    /** Fewer than 20 bytes of IPv4 header, or fewer than its IHL says (options cut). */
    TRUNCATED_IPV4,
    /** Ethertype 0x0800 but the version nibble is not 4. */
    IPV4_BAD_VERSION,
    /** IHL below 5: the header would be shorter than its own fixed fields. */
    IPV4_BAD_IHL,
    /** Total length smaller than the header. */
    IPV4_TOTAL_LENGTH_SHORTER_THAN_HEADER,
    /** Total length reaching past the end of the frame. */
    IPV4_TOTAL_LENGTH_PAST_FRAME,
    /** The RFC 1071 header checksum does not verify. */
    IPV4_BAD_HEADER_CHECKSUM,

    /** Fewer than 40 bytes of IPv6 header. */
    TRUNCATED_IPV6,
    /** Ethertype 0x86DD but the version nibble is not 6. */
    IPV6_BAD_VERSION,
    /** Payload length reaching past the end of the frame (jumbograms, payload length 0 with a jumbo option, are not supported). */
    IPV6_PAYLOAD_LENGTH_PAST_FRAME,
    /** An extension header cut by the end of the IPv6 payload. */
    TRUNCATED_IPV6_EXTENSION_HEADER,
    /** More than {@link PacketParser#MAX_IPV6_EXTENSION_HEADERS} extension headers: a parser-exhaustion attempt. */
    IPV6_TOO_MANY_EXTENSION_HEADERS,
    /** A hop-by-hop header anywhere but straight after the fixed header (RFC 8200 §4.1). */
    IPV6_HOP_BY_HOP_NOT_FIRST,

    /** Fragment offset plus fragment data beyond 65,535 bytes: the reassembled datagram could not exist ("ping of death"). */
    FRAGMENT_PAST_MAX_DATAGRAM,

    /** Fewer than 8 bytes of UDP header inside the IP payload. */
    TRUNCATED_UDP,
    /** UDP length below 8. */
    UDP_LENGTH_SHORTER_THAN_HEADER,
    /** UDP length reaching past the end of the IP payload (unfragmented datagrams only). */
    UDP_LENGTH_PAST_PACKET,

    /** Fewer than 20 bytes of TCP header inside the IP payload. */
    TRUNCATED_TCP,
    /** TCP data offset below 5 words. */
    TCP_BAD_DATA_OFFSET,
    /** TCP data offset (options) reaching past the end of the IP payload. */
    TCP_DATA_OFFSET_PAST_END,

    /** Fewer than 8 bytes of ICMP or ICMPv6 header inside the IP payload. */
    TRUNCATED_ICMP,

    /** UDP to port 6081 with fewer than 8 bytes of GENEVE header in the UDP payload. */
    TRUNCATED_GENEVE,
    /** A GENEVE version other than 0. */
    GENEVE_BAD_VERSION,
    /** GENEVE options reaching past the end of the UDP payload. */
    GENEVE_OPTIONS_PAST_END;

    /** Whether the frame is dropped: everything but {@link #NONE}. */
    public boolean isDrop() {
        return this != NONE;
    }
}
