package dev.andromeda.testbed.fastpath.packet;

/**
 * What {@link PacketParser} found in one frame: a mutable struct the caller
 * allocates once and reuses for every parse, so parsing allocates nothing.
 *
 * <p>Offsets are absolute byte offsets in the segment that was parsed (the
 * pool's slab), like {@link PacketBatch#offset}, not relative to the frame.
 * Absent values are {@code -1} (offsets, VLAN ids, protocol, ICMP type and
 * code, VNI) or {@code 0} (ports, addresses, TCP flags, IP version).
 *
 * <pre>
 *  l2Offset          l3Offset            l4Offset      payloadOffset
 *  |                 |                   |             |
 *  [Ethernet][802.1Q][IPv4 + options    ][TCP + opts  ][payload ......][pad]
 *                    [IPv6][ext headers ][UDP][GENEVE ][inner frame ..]
 *                                                      |innerOffset
 *                    |&lt;-- ipPacketLength ---------------------------&gt;|
 * </pre>
 *
 * <p>ICMP and ICMPv6: {@link #icmpType()} and {@link #icmpCode()} hold the
 * type and code, and the ports stay 0; they are not folded into the ports so a
 * port-range firewall rule can never match an ICMP type by accident.
 *
 * <p>After a drop the fields describe the headers parsed before the bad one
 * (useful in a drop trace) and nothing after it; they are only complete when
 * the parse returned {@link DropReason#NONE}. The fields are package-private
 * and written by the parser alone; everyone else reads them through the
 * accessors, which the JIT inlines.
 */
public final class ParsedPacket {
    long l2Offset;
    int frameLength;
    long l3Offset;
    long l4Offset;
    long payloadOffset;
    int payloadLength;

    int vlanId;
    int innerVlanId;
    int etherType;

    int ipVersion;
    int protocol;
    int ttl;
    int ipPacketLength;
    int ipv4Src;
    int ipv4Dst;
    long ipv6SrcHi;
    long ipv6SrcLo;
    long ipv6DstHi;
    long ipv6DstLo;
    int ipv6ExtensionHeaders;

    boolean isFragment;
    boolean isFirstFragment;
    boolean moreFragments;
    int fragmentOffset;

    boolean hasTransportHeader;
    int srcPort;
    int dstPort;
    int tcpFlags;
    int icmpType;
    int icmpCode;

    boolean isGeneve;
    int vni;
    int geneveProtocolType;
    int geneveOptionsLength;
    boolean geneveOam;
    boolean geneveCritical;
    long innerOffset;
    int innerLength;

    public ParsedPacket() {
        reset(0, 0);
    }

    /** Forgets the last parse; the parser calls it first. */
    void reset(long frameOffset, int length) {
        l2Offset = frameOffset;
        frameLength = length;
        l3Offset = -1;
        l4Offset = -1;
        payloadOffset = -1;
        payloadLength = 0;
        vlanId = -1;
        innerVlanId = -1;
        etherType = -1;
        ipVersion = 0;
        protocol = -1;
        ttl = 0;
        ipPacketLength = 0;
        ipv4Src = 0;
        ipv4Dst = 0;
        ipv6SrcHi = 0;
        ipv6SrcLo = 0;
        ipv6DstHi = 0;
        ipv6DstLo = 0;
        ipv6ExtensionHeaders = 0;
        isFragment = false;
        isFirstFragment = false;
        moreFragments = false;
        fragmentOffset = 0;
        hasTransportHeader = false;
        srcPort = 0;
        dstPort = 0;
        tcpFlags = 0;
        icmpType = -1;
        icmpCode = -1;
        isGeneve = false;
        vni = -1;
        geneveProtocolType = -1;
        geneveOptionsLength = 0;
        geneveOam = false;
        geneveCritical = false;
        innerOffset = -1;
        innerLength = 0;
    }

    /** Where the frame (its Ethernet header) starts. */
    public long l2Offset() {
        return l2Offset;
    }

    /** The frame's length as given to the parser, Ethernet padding included. */
    public int frameLength() {
        return frameLength;
    }

    /** Where the IP header starts, after any VLAN tags; -1 before it is found. */
    public long l3Offset() {
        return l3Offset;
    }

    /**
     * Where the upper-layer header starts: after IPv4 options or the IPv6
     * extension headers. For a later fragment, where its fragment data starts.
     */
    public long l4Offset() {
        return l4Offset;
    }

    /** Where the L4 payload starts: after the TCP options, UDP or ICMP header; = l4Offset with no L4 header. */
    public long payloadOffset() {
        return payloadOffset;
    }

    /**
     * L4 payload bytes: up to the UDP length for unfragmented UDP, up to the
     * end of the IP packet otherwise; never counts Ethernet padding.
     */
    public int payloadLength() {
        return payloadLength;
    }

    /** The first (outer) 802.1Q tag's VLAN id, -1 without one. */
    public int vlanId() {
        return vlanId;
    }

    /** With QinQ, the second (customer) tag's VLAN id; -1 otherwise. */
    public int innerVlanId() {
        return innerVlanId;
    }

    /** The ethertype after the VLAN tags: 0x0800 or 0x86DD when well-formed. */
    public int etherType() {
        return etherType;
    }

    /** 4, 6, or 0 before an IP header is found. */
    public int ipVersion() {
        return ipVersion;
    }

    /** IPv4 protocol, or IPv6's last next header after the extension headers; -1 before IP. */
    public int protocol() {
        return protocol;
    }

    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl() {
        return ttl;
    }

    /** The IP packet's length as its header declares it (IPv4 total length, or 40 + IPv6 payload length). */
    public int ipPacketLength() {
        return ipPacketLength;
    }

    public int ipv4Src() {
        return ipv4Src;
    }

    public int ipv4Dst() {
        return ipv4Dst;
    }

    public long ipv6SrcHi() {
        return ipv6SrcHi;
    }

    public long ipv6SrcLo() {
        return ipv6SrcLo;
    }

    public long ipv6DstHi() {
        return ipv6DstHi;
    }

    public long ipv6DstLo() {
        return ipv6DstLo;
    }

    /** IPv6 extension headers walked, 0..{@link PacketParser#MAX_IPV6_EXTENSION_HEADERS}. */
    public int ipv6ExtensionHeaders() {
        return ipv6ExtensionHeaders;
    }

    /**
     * Part of a fragmented datagram: MF set or a non-zero offset. An IPv6
     * "atomic fragment" (fragment header, offset 0, M clear; RFC 6946) is not.
     */
    public boolean isFragment() {
        return isFragment;
    }

    /** The fragment at offset 0, the only one with an L4 header. */
    public boolean isFirstFragment() {
        return isFirstFragment;
    }

    public boolean moreFragments() {
        return moreFragments;
    }

    /** Fragment offset in bytes (the wire value x 8). */
    public int fragmentOffset() {
        return fragmentOffset;
    }

    /**
     * Whether a TCP, UDP, ICMP or ICMPv6 header was parsed: false for later
     * fragments and for other protocols, whose ports stay 0.
     */
    public boolean hasTransportHeader() {
        return hasTransportHeader;
    }

    public int srcPort() {
        return srcPort;
    }

    public int dstPort() {
        return dstPort;
    }

    /** TCP flags CWR..FIN ({@link Tcp#SYN} and the rest), 0 when not TCP. */
    public int tcpFlags() {
        return tcpFlags;
    }

    /** ICMP or ICMPv6 type, -1 when not ICMP. */
    public int icmpType() {
        return icmpType;
    }

    /** ICMP or ICMPv6 code, -1 when not ICMP. */
    public int icmpCode() {
        return icmpCode;
    }

    /**
     * UDP to port 6081 with a valid GENEVE header, in an unfragmented
     * datagram. The parser does not descend into the inner frame: parse
     * {@code [innerOffset, innerOffset + innerLength)} for that.
     */
    public boolean isGeneve() {
        return isGeneve;
    }

    /** The 24-bit GENEVE VNI, -1 when not GENEVE. */
    public int vni() {
        return vni;
    }

    /** GENEVE protocol type: 0x6558 when the inner frame is Ethernet. */
    public int geneveProtocolType() {
        return geneveProtocolType;
    }

    /** GENEVE option bytes (skipped, not interpreted). */
    public int geneveOptionsLength() {
        return geneveOptionsLength;
    }

    public boolean geneveOam() {
        return geneveOam;
    }

    /**
     * GENEVE C bit: critical options present. The parser does not drop for it;
     * RFC 8926 §3.4 leaves that to the tunnel endpoint, which knows the options
     * it understands.
     */
    public boolean geneveCritical() {
        return geneveCritical;
    }

    /** Where the GENEVE inner frame starts, -1 when not GENEVE. */
    public long innerOffset() {
        return innerOffset;
    }

    /** Inner frame bytes, up to the end of the UDP datagram. */
    public int innerLength() {
        return innerLength;
    }

    /** For logs and test failures; allocates. */
    @Override
    public String toString() {
        return "ParsedPacket{l2=" + l2Offset + ", len=" + frameLength + ", l3=" + l3Offset + ", l4=" + l4Offset
                + ", payload=" + payloadOffset + "+" + payloadLength + ", vlan=" + vlanId + "/" + innerVlanId
                + ", ethertype=0x" + Integer.toHexString(etherType) + ", ipv" + ipVersion + ", proto=" + protocol
                + ", ports=" + srcPort + ">" + dstPort + ", icmp=" + icmpType + "/" + icmpCode
                + ", tcpFlags=0x" + Integer.toHexString(tcpFlags)
                + (isFragment ? ", fragment@" + fragmentOffset + (moreFragments ? "+MF" : "") : "")
                + (isGeneve ? ", geneve vni=" + vni + " inner=" + innerOffset + "+" + innerLength : "") + "}";
    }
}
