package dev.andromeda.testbed.fastpath.packet;

import java.util.Random;

import static dev.andromeda.testbed.fastpath.packet.Frames.concat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random well-formed frames that remember what they were built from, so a
 * parse can be checked field by field: 0-2 VLAN tags, IPv4 with 0-10 option
 * words or IPv6 with 0-5 extension headers, unfragmented or a first, later or
 * (IPv6) atomic fragment, TCP with options, UDP, ICMP/ICMPv6, an opaque
 * protocol or GENEVE, payloads from empty up, sometimes Ethernet padding.
 */
final class RandomPackets {
    private static final int[] OPAQUE_PROTOCOLS = {47, 89, 132};

    private RandomPackets() {
    }

    /** What the parser must report for {@link #frame}. */
    static final class Sample {
        byte[] frame;
        String description = "";
        int vlanId = -1;
        int innerVlanId = -1;
        int etherType;
        int l3Offset;
        int ipVersion;
        int ipPacketLength;
        int ipv4Src;
        int ipv4Dst;
        long ipv6SrcHi;
        long ipv6SrcLo;
        long ipv6DstHi;
        long ipv6DstLo;
        int extensionHeaders;
        int ttl;
        int protocol;
        int l4Offset;
        boolean hasTransportHeader;
        int srcPort;
        int dstPort;
        int tcpFlags;
        int icmpType = -1;
        int icmpCode = -1;
        int payloadOffset;
        int payloadLength;
        boolean isFragment;
        boolean isFirstFragment;
        boolean moreFragments;
        int fragmentOffset;
        boolean isGeneve;
        int vni = -1;
        int innerOffset = -1;
        int innerLength;
        boolean padded;

        byte[] frame() {
            return frame;
        }

        void assertMatches(ParsedPacket p, long at, String context) {
            String c = context + " -> " + p;
            assertThat(p.l2Offset()).as(c).isEqualTo(at);
            assertThat(p.frameLength()).as(c).isEqualTo(frame.length);
            assertThat(p.vlanId()).as(c).isEqualTo(vlanId);
            assertThat(p.innerVlanId()).as(c).isEqualTo(innerVlanId);
            assertThat(p.etherType()).as(c).isEqualTo(etherType);
            assertThat(p.l3Offset()).as(c).isEqualTo(at + l3Offset);
            assertThat(p.ipVersion()).as(c).isEqualTo(ipVersion);
            assertThat(p.ipPacketLength()).as(c).isEqualTo(ipPacketLength);
            assertThat(p.ipv4Src()).as(c).isEqualTo(ipv4Src);
            assertThat(p.ipv4Dst()).as(c).isEqualTo(ipv4Dst);
            assertThat(p.ipv6SrcHi()).as(c).isEqualTo(ipv6SrcHi);
            assertThat(p.ipv6SrcLo()).as(c).isEqualTo(ipv6SrcLo);
            assertThat(p.ipv6DstHi()).as(c).isEqualTo(ipv6DstHi);
            assertThat(p.ipv6DstLo()).as(c).isEqualTo(ipv6DstLo);
            assertThat(p.ipv6ExtensionHeaders()).as(c).isEqualTo(extensionHeaders);
            assertThat(p.ttl()).as(c).isEqualTo(ttl);
            assertThat(p.protocol()).as(c).isEqualTo(protocol);
            assertThat(p.l4Offset()).as(c).isEqualTo(at + l4Offset);
            assertThat(p.hasTransportHeader()).as(c).isEqualTo(hasTransportHeader);
            assertThat(p.srcPort()).as(c).isEqualTo(srcPort);
            assertThat(p.dstPort()).as(c).isEqualTo(dstPort);
            assertThat(p.tcpFlags()).as(c).isEqualTo(tcpFlags);
            assertThat(p.icmpType()).as(c).isEqualTo(icmpType);
            assertThat(p.icmpCode()).as(c).isEqualTo(icmpCode);
            assertThat(p.payloadOffset()).as(c).isEqualTo(at + payloadOffset);
            assertThat(p.payloadLength()).as(c).isEqualTo(payloadLength);
            assertThat(p.isFragment()).as(c).isEqualTo(isFragment);
            assertThat(p.isFirstFragment()).as(c).isEqualTo(isFirstFragment);
            assertThat(p.moreFragments()).as(c).isEqualTo(moreFragments);
            assertThat(p.fragmentOffset()).as(c).isEqualTo(fragmentOffset);
            assertThat(p.isGeneve()).as(c).isEqualTo(isGeneve);
            assertThat(p.vni()).as(c).isEqualTo(vni);
            assertThat(p.innerOffset()).as(c).isEqualTo(innerOffset < 0 ? -1 : at + innerOffset);
            assertThat(p.innerLength()).as(c).isEqualTo(innerLength);
        }

        @Override
        public String toString() {
            return description + " (" + frame.length + " bytes)";
        }
    }

    static Sample wellFormed(Random r, int maxPayload) {
        Sample s = new Sample();
        StringBuilder d = new StringBuilder();
        boolean v6 = r.nextBoolean();
        int fragmentKind = r.nextInt(10);
        boolean first = fragmentKind == 0;
        boolean later = fragmentKind == 1;
        boolean atomic = v6 && fragmentKind == 2;
        s.isFragment = first || later;
        s.isFirstFragment = first;
        byte[] payload = new byte[r.nextInt(maxPayload + 1)];
        r.nextBytes(payload);
        int icmpProtocol = v6 ? IpProtocol.ICMPV6 : IpProtocol.ICMP;

        // L4
        byte[] l4;
        int l4HeaderBytes;
        s.payloadLength = payload.length;
        if (later) {
            int[] protocols = {IpProtocol.TCP, IpProtocol.UDP, icmpProtocol, 47};
            s.protocol = protocols[r.nextInt(protocols.length)];
            l4 = payload;
            l4HeaderBytes = 0;
            d.append("later fragment of protocol ").append(s.protocol);
        } else {
            int kind = r.nextInt(5);
            if (kind == 4 && first) {
                kind = 1; // GENEVE is only recognised unfragmented
            }
            switch (kind) {
                case 0 -> {
                    int words = r.nextInt(11);
                    s.protocol = IpProtocol.TCP;
                    s.srcPort = r.nextInt(65_536);
                    s.dstPort = r.nextInt(65_536);
                    s.tcpFlags = r.nextInt(256);
                    l4 = Frames.tcp().ports(s.srcPort, s.dstPort).flags(s.tcpFlags).optionWords(words).build(payload);
                    l4HeaderBytes = 20 + 4 * words;
                    d.append("TCP with ").append(words).append(" option words");
                }
                case 1 -> {
                    s.protocol = IpProtocol.UDP;
                    s.srcPort = r.nextInt(65_536);
                    s.dstPort = r.nextInt(65_536);
                    if (s.dstPort == Geneve.UDP_PORT) {
                        s.dstPort++;
                    }
                    int udpLength = 8 + payload.length + (first ? 8 + r.nextInt(2000) : 0);
                    l4 = Frames.udpWithLength(s.srcPort, s.dstPort, udpLength, payload);
                    l4HeaderBytes = 8;
                    d.append("UDP");
                }
                case 2 -> {
                    s.protocol = icmpProtocol;
                    s.icmpType = r.nextInt(256);
                    s.icmpCode = r.nextInt(256);
                    l4 = Frames.icmp(s.icmpType, s.icmpCode, payload);
                    l4HeaderBytes = 8;
                    d.append("ICMP");
                }
                case 3 -> {
                    s.protocol = OPAQUE_PROTOCOLS[r.nextInt(OPAQUE_PROTOCOLS.length)];
                    l4 = payload;
                    l4HeaderBytes = 0;
                    d.append("protocol ").append(s.protocol);
                }
                default -> {
                    int words = r.nextInt(9);
                    s.protocol = IpProtocol.UDP;
                    s.srcPort = FlowHash.sourcePort(r.nextInt());
                    s.dstPort = Geneve.UDP_PORT;
                    s.isGeneve = true;
                    s.vni = r.nextInt(Geneve.MAX_VNI + 1);
                    byte[] geneve = Frames.geneve().vni(s.vni).optionWords(words).oam(r.nextBoolean())
                            .critical(r.nextBoolean()).build(payload);
                    l4 = Frames.udp(s.srcPort, s.dstPort, geneve);
                    l4HeaderBytes = 8;
                    s.payloadLength = geneve.length;
                    s.innerOffset = 8 + 8 + 4 * words; // relative to L4 for now
                    s.innerLength = payload.length;
                    d.append("GENEVE with ").append(words).append(" option words");
                }
            }
            s.hasTransportHeader = s.protocol == IpProtocol.TCP || s.protocol == IpProtocol.UDP || s.protocol == icmpProtocol;
        }

        // L3
        byte[] l3;
        int l3HeaderBytes;
        s.ttl = 1 + r.nextInt(255);
        if (!v6) {
            int words = r.nextInt(11);
            s.ipVersion = 4;
            s.etherType = Ethernet.TYPE_IPV4;
            s.ipv4Src = r.nextInt();
            s.ipv4Dst = r.nextInt();
            Frames.Ipv4Builder ip = Frames.ipv4().src(s.ipv4Src).dst(s.ipv4Dst).ttl(s.ttl).protocol(s.protocol)
                    .optionWords(words).tos(r.nextInt(256)).identification(r.nextInt(65_536));
            if (first) {
                ip.fragment(0, true);
                s.moreFragments = true;
            } else if (later) {
                int units = 1 + r.nextInt(1000);
                s.moreFragments = r.nextBoolean();
                s.fragmentOffset = units * 8;
                ip.fragment(units, s.moreFragments);
            } else if (r.nextBoolean()) {
                ip.dontFragment();
            }
            l3 = ip.build(l4);
            l3HeaderBytes = 20 + 4 * words;
            d.insert(0, "IPv4 with " + words + " option words, ");
        } else {
            s.ipVersion = 6;
            s.etherType = Ethernet.TYPE_IPV6;
            s.ipv6SrcHi = r.nextLong();
            s.ipv6SrcLo = r.nextLong();
            s.ipv6DstHi = r.nextLong();
            s.ipv6DstLo = r.nextLong();
            byte[] body = l4;
            int next = s.protocol;
            int extensionBytes = 0;
            StringBuilder chain = new StringBuilder();
            if (first || later || atomic) {
                int offset = later ? 8 * (1 + r.nextInt(1000)) : 0;
                boolean more = first || (later && r.nextBoolean());
                s.fragmentOffset = offset;
                s.moreFragments = first || later ? more : false;
                body = Frames.ipv6Fragment(next, offset, more, r.nextInt(), body);
                next = IpProtocol.FRAGMENT;
                extensionBytes += 8;
                s.extensionHeaders++;
                chain.insert(0, " fragment");
            }
            int middle = r.nextInt(3);
            for (int i = 0; i < middle; i++) {
                int type = r.nextBoolean() ? IpProtocol.ROUTING : IpProtocol.DESTINATION_OPTIONS;
                int length = 8 * (1 + r.nextInt(4));
                body = Frames.ipv6Extension(next, length, body);
                next = type;
                extensionBytes += length;
                s.extensionHeaders++;
                chain.insert(0, " " + type + "/" + length);
            }
            if (r.nextInt(4) == 0) {
                int length = 8 * (1 + r.nextInt(4));
                body = Frames.ipv6Extension(next, length, body);
                next = IpProtocol.HOP_BY_HOP;
                extensionBytes += length;
                s.extensionHeaders++;
                chain.insert(0, " hop-by-hop/" + length);
            }
            l3 = Frames.ipv6().src(s.ipv6SrcHi, s.ipv6SrcLo).dst(s.ipv6DstHi, s.ipv6DstLo).hopLimit(s.ttl)
                    .trafficClass(r.nextInt(256)).flowLabel(r.nextInt()).nextHeader(next).build(body);
            l3HeaderBytes = 40 + extensionBytes;
            d.insert(0, "IPv6 with ext [" + chain.toString().trim() + "], " + (atomic ? "atomic fragment, " : ""));
        }
        s.ipPacketLength = l3.length;
        if (first) {
            d.insert(0, "first fragment, ");
        }

        // L2
        int tags = r.nextInt(10) < 6 ? 0 : r.nextInt(10) < 7 ? 1 : 2;
        byte[] l2Body = l3;
        int etherType = s.etherType;
        if (tags == 2) {
            s.innerVlanId = r.nextInt(4096);
            l2Body = Frames.vlanTag((r.nextInt(16) << 12) | s.innerVlanId, etherType, l2Body);
            etherType = Ethernet.TYPE_VLAN;
        }
        if (tags >= 1) {
            s.vlanId = r.nextInt(4096);
            l2Body = Frames.vlanTag((r.nextInt(16) << 12) | s.vlanId, etherType, l2Body);
            etherType = tags == 2 ? Ethernet.TYPE_QINQ : Ethernet.TYPE_VLAN;
        }
        byte[] frame = Frames.ethernet(r.nextLong() >>> 16, r.nextLong() >>> 16, etherType, l2Body);
        if (r.nextInt(4) == 0) {
            byte[] padding = new byte[1 + r.nextInt(30)];
            r.nextBytes(padding);
            frame = concat(frame, padding);
            s.padded = true;
            d.append(", padded");
        }
        d.insert(0, tags + " VLAN tags, ");

        s.frame = frame;
        s.l3Offset = 14 + 4 * tags;
        s.l4Offset = s.l3Offset + l3HeaderBytes;
        s.payloadOffset = s.l4Offset + l4HeaderBytes;
        if (s.innerOffset >= 0) {
            s.innerOffset += s.l4Offset;
        }
        s.description = d.toString();
        return s;
    }
}
