package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * GENEVE encapsulation (RFC 8926) of an Ethernet frame in place: the outer
 * headers are written into the headroom just before the inner frame, so no
 * byte of the inner frame moves.
 *
 * <pre>
 *   new offset = innerOffset - 50                                 innerOffset
 *   |                                                             |
 *   [ Ethernet 14 ][ IPv4 20 ][ UDP 8 ][ GENEVE 8 ]               [ inner Ethernet frame ... ]
 *    dst, src MAC   DF, TTL,   src port  ver 0, no options,
 *    type 0x0800    proto 17,  = flow     proto 0x6558 (TEB),
 *                   checksum   hash,      VNI
 *                              dst 6081,
 *                              csum 0
 * </pre>
 *
 * <p>The outer UDP checksum is 0 (not computed): RFC 8926 §3.3 allows a zero
 * UDP checksum for GENEVE over IPv4, as RFC 768 does for UDP over IPv4, and
 * the inner frame carries its own L4 checksum. The outer IPv4 header checksum
 * is computed, and DF is set: tunnels are sized by path MTU, not fragmented.
 * The outer IPv4 identification is 0, which RFC 6864 permits for atomic
 * (DF, unfragmented) datagrams.
 *
 * <p>Decapsulation has no method of its own: {@link PacketParser} on the outer
 * frame returns the VNI and the inner frame's
 * {@link ParsedPacket#innerOffset()} and {@link ParsedPacket#innerLength()},
 * and the inner frame is used where it lies; parsing it is a second
 * {@code parse} call on those offsets.
 */
public final class GeneveEncap {
    /** Outer Ethernet + IPv4 (no options) + UDP + GENEVE (no options). */
    public static final int ENCAP_OVERHEAD =
            Ethernet.HEADER_BYTES + Ipv4.MIN_HEADER_BYTES + Udp.HEADER_BYTES + Geneve.BASE_HEADER_BYTES;
    /** The largest inner frame: the outer IPv4 total length must fit in 16 bits. */
    public static final int MAX_INNER_LENGTH = PacketParser.MAX_DATAGRAM_BYTES - (ENCAP_OVERHEAD - Ethernet.HEADER_BYTES);

    private static final int IP_OFFSET = Ethernet.HEADER_BYTES;
    private static final int UDP_OFFSET = IP_OFFSET + Ipv4.MIN_HEADER_BYTES;
    private static final int GENEVE_OFFSET = UDP_OFFSET + Udp.HEADER_BYTES;

    private GeneveEncap() {
    }

    /**
     * The outer headers of one tunnel: a mutable struct kept per destination
     * (or per flow) and reused for every packet. Setters check ranges, so the
     * per-packet {@link #encapsulate} need not.
     */
    public static final class OuterHeaders {
        public static final int DEFAULT_TTL = 64;

        private long srcMac;
        private long dstMac;
        private int srcIp;
        private int dstIp;
        private int ttl = DEFAULT_TTL;
        private int udpSourcePort = FlowHash.MIN_SOURCE_PORT;
        private int vni;
        /**
         * The 50 header bytes as far as they do not depend on the packet (everything but the
         * IPv4 and UDP lengths, the IPv4 checksum and the UDP source port), rebuilt only when a
         * field changes; {@code checksumBase} is the IPv4 header's ones'-complement sum without
         * its total length and checksum, so a packet's checksum is one addition and a fold.
         */
        private final byte[] template = new byte[ENCAP_OVERHEAD];
        private final MemorySegment templateSegment = MemorySegment.ofArray(template);
        private int checksumBase;
        private boolean stale = true;

        public OuterHeaders srcMac(long mac) {
            stale |= srcMac != checkMac(mac);
            this.srcMac = mac;
            return this;
        }

        public OuterHeaders dstMac(long mac) {
            stale |= dstMac != checkMac(mac);
            this.dstMac = mac;
            return this;
        }

        public OuterHeaders srcIp(int address) {
            stale |= srcIp != address;
            this.srcIp = address;
            return this;
        }

        public OuterHeaders dstIp(int address) {
            stale |= dstIp != address;
            this.dstIp = address;
            return this;
        }

        public OuterHeaders ttl(int ttl) {
            stale |= this.ttl != checkRange("ttl", ttl, 1, 255);
            this.ttl = ttl;
            return this;
        }

        /** The outer UDP source port: set per packet from {@link FlowHash#sourcePort} for ECMP entropy. */
        public OuterHeaders udpSourcePort(int port) {
            this.udpSourcePort = checkRange("udpSourcePort", port, 0, 0xFFFF);
            return this;
        }

        public OuterHeaders vni(int vni) {
            stale |= this.vni != checkRange("vni", vni, 0, Geneve.MAX_VNI);
            this.vni = vni;
            return this;
        }

        /** The template, rebuilt if a field changed since. */
        private MemorySegment template() {
            if (stale) {
                MemorySegment t = templateSegment;
                Ethernet.dstMac(t, 0, dstMac);
                Ethernet.srcMac(t, 0, srcMac);
                Ethernet.etherType(t, 0, Ethernet.TYPE_IPV4);
                Ipv4.versionAndIhl(t, IP_OFFSET, Ipv4.MIN_HEADER_BYTES / 4);
                Ipv4.tos(t, IP_OFFSET, 0);
                Ipv4.identification(t, IP_OFFSET, 0);
                Ipv4.flagsAndFragmentOffset(t, IP_OFFSET, Ipv4.FLAG_DF);
                Ipv4.ttl(t, IP_OFFSET, ttl);
                Ipv4.protocol(t, IP_OFFSET, IpProtocol.UDP);
                Ipv4.src(t, IP_OFFSET, srcIp);
                Ipv4.dst(t, IP_OFFSET, dstIp);
                Udp.dstPort(t, UDP_OFFSET, Geneve.UDP_PORT);
                Udp.checksum(t, UDP_OFFSET, 0);
                Geneve.versionAndOptionLength(t, GENEVE_OFFSET, 0);
                Geneve.flags(t, GENEVE_OFFSET, false, false);
                Geneve.protocolType(t, GENEVE_OFFSET, Ethernet.TYPE_TEB);
                Geneve.vni(t, GENEVE_OFFSET, vni);
                checksumBase = ((0x40 | Ipv4.MIN_HEADER_BYTES / 4) << 8) // version 4, IHL, TOS 0
                        + Ipv4.FLAG_DF + (ttl << 8 | IpProtocol.UDP)
                        + (srcIp >>> 16) + (srcIp & 0xFFFF) + (dstIp >>> 16) + (dstIp & 0xFFFF);
                stale = false;
            }
            return templateSegment;
        }

        public long srcMac() {
            return srcMac;
        }

        public long dstMac() {
            return dstMac;
        }

        public int srcIp() {
            return srcIp;
        }

        public int dstIp() {
            return dstIp;
        }

        public int ttl() {
            return ttl;
        }

        public int udpSourcePort() {
            return udpSourcePort;
        }

        public int vni() {
            return vni;
        }

        private static long checkMac(long mac) {
            if ((mac >>> 48) != 0) {
                throw new IllegalArgumentException("MAC wider than 48 bits: 0x" + Long.toHexString(mac));
            }
            return mac;
        }

        private static int checkRange(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " outside " + min + ".." + max + ": " + value);
            }
            return value;
        }
    }

    /**
     * Writes the outer headers into the {@value #ENCAP_OVERHEAD} bytes before
     * {@code innerOffset}.
     *
     * @return the encapsulated frame's offset, {@code innerOffset - ENCAP_OVERHEAD}; its
     *         length is {@code innerLength + ENCAP_OVERHEAD}
     * @throws IndexOutOfBoundsException if the headroom or the inner frame is outside {@code m}
     * @throws IllegalArgumentException  if the inner frame is longer than {@link #MAX_INNER_LENGTH}
     */
    public static long encapsulate(MemorySegment m, long innerOffset, int innerLength, OuterHeaders h) {
        long at = innerOffset - ENCAP_OVERHEAD;
        Objects.checkFromIndexSize(at, (long) ENCAP_OVERHEAD + innerLength, m.byteSize());
        if (innerLength > MAX_INNER_LENGTH) {
            throw new IllegalArgumentException("inner frame of " + innerLength + " bytes exceeds " + MAX_INNER_LENGTH);
        }
        // One copy of what the tunnel's packets share, then the four fields that are the packet's own.
        MemorySegment.copy(h.template(), 0, m, at, ENCAP_OVERHEAD);
        long ip = at + IP_OFFSET;
        int ipLength = ENCAP_OVERHEAD - Ethernet.HEADER_BYTES + innerLength;
        Ipv4.totalLength(m, ip, ipLength);
        int sum = h.checksumBase + ipLength;
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        Ipv4.headerChecksum(m, ip, ~sum & 0xFFFF);
        long udp = at + UDP_OFFSET;
        Udp.srcPort(m, udp, h.udpSourcePort);
        Udp.length(m, udp, ipLength - Ipv4.MIN_HEADER_BYTES);
        return at;
    }
}
