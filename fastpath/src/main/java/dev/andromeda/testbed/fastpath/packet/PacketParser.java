package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Parses one Ethernet frame down to its L4 header, and a GENEVE header when
 * the frame is a tunnel packet, into a reused {@link ParsedPacket}.
 *
 * <pre>
 *  Ethernet --+-- 802.1Q / 802.1ad tags (at most 2) --+
 *             +---------------------------------------+--+-- IPv4 (+ options; header checksum verified)
 *                                                        +-- IPv6 -- ext headers 0, 43, 44, 60 (at most 8)
 *             +------------------------------------------+
 *             +-- TCP (+ options)
 *             +-- ICMP / ICMPv6
 *             +-- any other protocol: accepted, no L4 header parsed
 *             +-- UDP -- dst port 6081, unfragmented -- GENEVE (+ options, skipped) -- inner frame, not parsed
 * </pre>
 * </pre>
 *
 * <p>Safety: every read is preceded by a length check against the frame's
 * {@code [offset, offset + length)} window, or, inside IP, against the end the
 * IP header declares (itself checked to lie inside the window). So no input
 * bytes make it read outside the window or throw; bad input comes back as a
 * {@link DropReason}. Lengths are checked in {@code long} arithmetic so no
 * header field can overflow an offset.
 *
 * <p>Fragments: the first fragment (offset 0) has its L4 header parsed; a
 * later one is accepted, flagged, with no L4 header ({@link DropReason} says
 * why that is not a drop). GENEVE is only recognised in unfragmented
 * datagrams: the inner frame of a fragment is incomplete, and this testbed's
 * encapsulation sets DF anyway.
 *
 * <p>Cost: no allocation, no locks; a linear walk of at most two tags and
 * eight extension headers. The IPv4 header checksum is verified in software
 * here (about 20 bytes summed); a NIC's receive checksum offload would let a
 * future caller skip it.
 */
public final class PacketParser {
    /** Stacked 802.1Q/802.1ad tags accepted: a QinQ pair. */
    public static final int MAX_VLAN_TAGS = 2;
    /**
     * IPv6 extension headers walked before giving up. RFC 8200 allows chains
     * of any length, but real traffic carries two or three, and an unbounded
     * walk is a cheap way to make a dataplane spin (RFC 7112, RFC 9098).
     */
    public static final int MAX_IPV6_EXTENSION_HEADERS = 8;
    /** No reassembled IP datagram (or IPv6 payload, without jumbograms) exceeds this. */
    static final int MAX_DATAGRAM_BYTES = 65_535;

    private PacketParser() {
    }

    /**
     * Parses the frame at {@code [offset, offset + length)} of {@code m}.
     *
     * @param out overwritten with what was found; complete only when the result is {@link DropReason#NONE}
     * @return {@link DropReason#NONE} for a well-formed frame, otherwise why it is dropped
     * @throws IndexOutOfBoundsException if the window itself lies outside {@code m}: a caller's bug, not bad input
     */
    public static DropReason parse(MemorySegment m, long offset, int length, ParsedPacket out) {
        Objects.checkFromIndexSize(offset, length, m.byteSize());
        out.reset(offset, length);
        long end = offset + length;
        if (length < Ethernet.HEADER_BYTES) {
            return DropReason.TRUNCATED_ETHERNET;
        }
        int etherType = Ethernet.etherType(m, offset);
        long l3 = offset + Ethernet.HEADER_BYTES;
        int tags = 0;
        while (etherType == Ethernet.TYPE_VLAN || etherType == Ethernet.TYPE_QINQ) {
            if (tags == MAX_VLAN_TAGS) {
                return DropReason.TOO_MANY_VLAN_TAGS;
            }
            if (end - l3 < Vlan.TAG_BYTES) {
                return DropReason.TRUNCATED_VLAN;
            }
            if (tags == 0) {
                out.vlanId = Vlan.vlanId(m, l3);
            } else {
                out.innerVlanId = Vlan.vlanId(m, l3);
            }
            etherType = Vlan.innerEtherType(m, l3);
            l3 += Vlan.TAG_BYTES;
            tags++;
        }
        out.etherType = etherType;
        out.l3Offset = l3;
        return switch (etherType) {
            case Ethernet.TYPE_IPV4 -> parseIpv4(m, l3, end, out);
            case Ethernet.TYPE_IPV6 -> parseIpv6(m, l3, end, out);
            default -> DropReason.UNSUPPORTED_ETHERTYPE;
        };
    }

    private static DropReason parseIpv4(MemorySegment m, long l3, long end, ParsedPacket out) {
        if (end - l3 < Ipv4.MIN_HEADER_BYTES) {
            return DropReason.TRUNCATED_IPV4;
        }
        if (Ipv4.version(m, l3) != Ipv4.VERSION) {
            return DropReason.IPV4_BAD_VERSION;
        }
        int headerLength = Ipv4.headerLength(m, l3);
        if (headerLength < Ipv4.MIN_HEADER_BYTES) {
            return DropReason.IPV4_BAD_IHL;
        }
        if (end - l3 < headerLength) {
            return DropReason.TRUNCATED_IPV4;
        }
        int totalLength = Ipv4.totalLength(m, l3);
        if (totalLength < headerLength) {
            return DropReason.IPV4_TOTAL_LENGTH_SHORTER_THAN_HEADER;
        }
        if (end - l3 < totalLength) {
            return DropReason.IPV4_TOTAL_LENGTH_PAST_FRAME;
        }
        if (!Ipv4.isHeaderChecksumValid(m, l3)) {
            return DropReason.IPV4_BAD_HEADER_CHECKSUM;
        }
        int protocol = Ipv4.protocol(m, l3);
        out.ipVersion = 4;
        out.protocol = protocol;
        out.ttl = Ipv4.ttl(m, l3);
        out.ipPacketLength = totalLength;
        out.ipv4Src = Ipv4.src(m, l3);
        out.ipv4Dst = Ipv4.dst(m, l3);
        long ipEnd = l3 + totalLength;
        long l4 = l3 + headerLength;

        int fragmentWord = Ipv4.flagsAndFragmentOffset(m, l3);
        int fragmentOffset = (fragmentWord & Ipv4.FRAGMENT_OFFSET_MASK) << 3;
        boolean moreFragments = (fragmentWord & Ipv4.FLAG_MF) != 0;
        if (moreFragments || fragmentOffset != 0) {
            DropReason reason = recordFragment(fragmentOffset, moreFragments, headerLength + ipEnd - l4, out);
            if (reason != DropReason.NONE || fragmentOffset != 0) {
                return laterFragment(l4, ipEnd, out, reason);
            }
        }
        return parseTransport(m, l4, ipEnd, protocol, IpProtocol.ICMP, out);
    }

    private static DropReason parseIpv6(MemorySegment m, long l3, long end, ParsedPacket out) {
        if (end - l3 < Ipv6.HEADER_BYTES) {
            return DropReason.TRUNCATED_IPV6;
        }
        if (Ipv6.version(m, l3) != Ipv6.VERSION) {
            return DropReason.IPV6_BAD_VERSION;
        }
        int payloadLength = Ipv6.payloadLength(m, l3);
        if (end - l3 - Ipv6.HEADER_BYTES < payloadLength) {
            return DropReason.IPV6_PAYLOAD_LENGTH_PAST_FRAME;
        }
        out.ipVersion = 6;
        out.ttl = Ipv6.hopLimit(m, l3);
        out.ipPacketLength = Ipv6.HEADER_BYTES + payloadLength;
        out.ipv6SrcHi = Ipv6.srcHi(m, l3);
        out.ipv6SrcLo = Ipv6.srcLo(m, l3);
        out.ipv6DstHi = Ipv6.dstHi(m, l3);
        out.ipv6DstLo = Ipv6.dstLo(m, l3);
        long ipEnd = l3 + Ipv6.HEADER_BYTES + payloadLength;
        long at = l3 + Ipv6.HEADER_BYTES;
        int next = Ipv6.nextHeader(m, l3);
        out.protocol = next;

        int headers = 0;
        while (IpProtocol.isIpv6ExtensionHeader(next)) {
            if (headers == MAX_IPV6_EXTENSION_HEADERS) {
                return DropReason.IPV6_TOO_MANY_EXTENSION_HEADERS;
            }
            if (next == IpProtocol.HOP_BY_HOP && headers != 0) {
                return DropReason.IPV6_HOP_BY_HOP_NOT_FIRST;
            }
            if (ipEnd - at < Ipv6Extension.MIN_HEADER_BYTES) {
                return DropReason.TRUNCATED_IPV6_EXTENSION_HEADER;
            }
            int following = Ipv6Extension.nextHeader(m, at);
            headers++;
            out.ipv6ExtensionHeaders = headers;
            if (next == IpProtocol.FRAGMENT) {
                int fragmentOffset = Ipv6Extension.fragmentOffsetBytes(m, at);
                boolean moreFragments = Ipv6Extension.moreFragments(m, at);
                at += Ipv6Extension.FRAGMENT_HEADER_BYTES;
                out.protocol = following;
                if (moreFragments || fragmentOffset != 0) {
                    DropReason reason = recordFragment(fragmentOffset, moreFragments, ipEnd - at, out);
                    if (reason != DropReason.NONE || fragmentOffset != 0) {
                        // What follows a later fragment's header is the middle of the
                        // original payload, not more headers: stop walking.
                        return laterFragment(at, ipEnd, out, reason);
                    }
                }
            } else {
                int headerLength = Ipv6Extension.length(m, at);
                if (ipEnd - at < headerLength) {
                    return DropReason.TRUNCATED_IPV6_EXTENSION_HEADER;
                }
                at += headerLength;
                out.protocol = following;
            }
            next = following;
        }
        return parseTransport(m, at, ipEnd, next, IpProtocol.ICMPV6, out);
    }

    /**
     * Records fragment fields; rejects a fragment whose data would end beyond
     * the largest datagram. {@code reassembledBytes} is what this fragment
     * adds on top of its offset (for IPv4 the header counts too, as Linux's
     * reassembly limit does).
     */
    private static DropReason recordFragment(int fragmentOffset, boolean moreFragments, long reassembledBytes,
                                             ParsedPacket out) {
        out.isFragment = true;
        out.isFirstFragment = fragmentOffset == 0;
        out.moreFragments = moreFragments;
        out.fragmentOffset = fragmentOffset;
        if (fragmentOffset + reassembledBytes > MAX_DATAGRAM_BYTES) {
            return DropReason.FRAGMENT_PAST_MAX_DATAGRAM;
        }
        return DropReason.NONE;
    }

    /** A later fragment: its data starts at {@code at}, with no L4 header in it. */
    private static DropReason laterFragment(long at, long ipEnd, ParsedPacket out, DropReason reason) {
        out.l4Offset = at;
        out.payloadOffset = at;
        out.payloadLength = (int) (ipEnd - at);
        return reason;
    }

    private static DropReason parseTransport(MemorySegment m, long l4, long ipEnd, int protocol, int icmpProtocol,
                                             ParsedPacket out) {
        out.l4Offset = l4;
        long available = ipEnd - l4;
        if (protocol == IpProtocol.TCP) {
            if (available < Tcp.MIN_HEADER_BYTES) {
                return DropReason.TRUNCATED_TCP;
            }
            int headerLength = Tcp.headerLength(m, l4);
            if (headerLength < Tcp.MIN_HEADER_BYTES) {
                return DropReason.TCP_BAD_DATA_OFFSET;
            }
            if (available < headerLength) {
                return DropReason.TCP_DATA_OFFSET_PAST_END;
            }
            out.hasTransportHeader = true;
            out.srcPort = Tcp.srcPort(m, l4);
            out.dstPort = Tcp.dstPort(m, l4);
            out.tcpFlags = Tcp.flags(m, l4);
            out.payloadOffset = l4 + headerLength;
            out.payloadLength = (int) (available - headerLength);
            return DropReason.NONE;
        }
        if (protocol == IpProtocol.UDP) {
            return parseUdp(m, l4, ipEnd, out);
        }
        if (protocol == icmpProtocol) {
            if (available < Icmp.HEADER_BYTES) {
                return DropReason.TRUNCATED_ICMP;
            }
            out.hasTransportHeader = true;
            out.icmpType = Icmp.type(m, l4);
            out.icmpCode = Icmp.code(m, l4);
            out.payloadOffset = l4 + Icmp.HEADER_BYTES;
            out.payloadLength = (int) (available - Icmp.HEADER_BYTES);
            return DropReason.NONE;
        }
        out.payloadOffset = l4;
        out.payloadLength = (int) available;
        return DropReason.NONE;
    }

    private static DropReason parseUdp(MemorySegment m, long l4, long ipEnd, ParsedPacket out) {
        long available = ipEnd - l4;
        if (available < Udp.HEADER_BYTES) {
            return DropReason.TRUNCATED_UDP;
        }
        int udpLength = Udp.length(m, l4);
        if (udpLength < Udp.HEADER_BYTES) {
            return DropReason.UDP_LENGTH_SHORTER_THAN_HEADER;
        }
        out.hasTransportHeader = true;
        out.srcPort = Udp.srcPort(m, l4);
        out.dstPort = Udp.dstPort(m, l4);
        long payload = l4 + Udp.HEADER_BYTES;
        out.payloadOffset = payload;
        if (out.isFragment) {
            // A first fragment's UDP length covers the whole datagram, most of
            // which is in later fragments: it cannot be checked here.
            out.payloadLength = (int) (ipEnd - payload);
            return DropReason.NONE;
        }
        if (available < udpLength) {
            return DropReason.UDP_LENGTH_PAST_PACKET;
        }
        // Bytes between the UDP length and the IP end are ignored, as Linux trims them.
        long udpEnd = l4 + udpLength;
        out.payloadLength = udpLength - Udp.HEADER_BYTES;
        if (out.dstPort == Geneve.UDP_PORT) {
            return parseGeneve(m, payload, udpEnd, out);
        }
        return DropReason.NONE;
    }

    private static DropReason parseGeneve(MemorySegment m, long at, long udpEnd, ParsedPacket out) {
        if (udpEnd - at < Geneve.BASE_HEADER_BYTES) {
            return DropReason.TRUNCATED_GENEVE;
        }
        if (Geneve.version(m, at) != Geneve.VERSION) {
            return DropReason.GENEVE_BAD_VERSION;
        }
        int headerLength = Geneve.headerLength(m, at);
        if (udpEnd - at < headerLength) {
            return DropReason.GENEVE_OPTIONS_PAST_END;
        }
        out.isGeneve = true;
        out.vni = Geneve.vni(m, at);
        out.geneveProtocolType = Geneve.protocolType(m, at);
        out.geneveOptionsLength = headerLength - Geneve.BASE_HEADER_BYTES;
        out.geneveOam = Geneve.oam(m, at);
        out.geneveCritical = Geneve.critical(m, at);
        out.innerOffset = at + headerLength;
        out.innerLength = (int) (udpEnd - out.innerOffset);
        return DropReason.NONE;
    }
}
