package dev.andromeda.testbed.fastpath.packet;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

import static dev.andromeda.testbed.fastpath.packet.Frames.bytes;
import static dev.andromeda.testbed.fastpath.packet.Frames.concat;
import static dev.andromeda.testbed.fastpath.packet.Frames.ethernet;
import static dev.andromeda.testbed.fastpath.packet.Frames.geneve;
import static dev.andromeda.testbed.fastpath.packet.Frames.icmp;
import static dev.andromeda.testbed.fastpath.packet.Frames.ipv4;
import static dev.andromeda.testbed.fastpath.packet.Frames.ipv6;
import static dev.andromeda.testbed.fastpath.packet.Frames.ipv6Extension;
import static dev.andromeda.testbed.fastpath.packet.Frames.ipv6Fragment;
import static dev.andromeda.testbed.fastpath.packet.Frames.tcp;
import static dev.andromeda.testbed.fastpath.packet.Frames.udp;
import static dev.andromeda.testbed.fastpath.packet.Frames.udpWithLength;
import static dev.andromeda.testbed.fastpath.packet.Frames.vlanTag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parser, header by header: well-formed frames field by field, then every way to cut or lie. */
class PacketParserTest {
    private static final int IPV4 = Ethernet.TYPE_IPV4;
    private static final int IPV6 = Ethernet.TYPE_IPV6;
    private static final byte[] PAYLOAD = "andromeda".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ParsedPacket p = new ParsedPacket();

    private DropReason parse(byte[] frame) {
        return PacketParser.parse(Frames.exactly(frame), 0, frame.length, p);
    }

    private DropReason parsePrefix(byte[] frame, int length) {
        return parse(Arrays.copyOf(frame, length));
    }

    private static byte[] ipv4Frame(Frames.Ipv4Builder ip, byte[] l4) {
        return ethernet(IPV4, ip.build(l4));
    }

    private static byte[] ipv6Frame(Frames.Ipv6Builder ip, byte[] l4) {
        return ethernet(IPV6, ip.build(l4));
    }

    // ---- well-formed frames, field by field ----------------------------------------------

    @Test
    void parsesAnIpv4UdpFrameFieldByField() {
        byte[] frame = ipv4Frame(ipv4().src(0xC0A8_0001).dst(0xC0A8_00C7).ttl(17), udp(5000, 53, PAYLOAD));

        assertThat(parse(frame)).isEqualTo(DropReason.NONE);
        assertThat(p.l2Offset()).isZero();
        assertThat(p.frameLength()).isEqualTo(frame.length);
        assertThat(p.etherType()).isEqualTo(IPV4);
        assertThat(p.vlanId()).isEqualTo(-1);
        assertThat(p.l3Offset()).isEqualTo(14);
        assertThat(p.ipVersion()).isEqualTo(4);
        assertThat(p.ipv4Src()).isEqualTo(0xC0A8_0001);
        assertThat(p.ipv4Dst()).isEqualTo(0xC0A8_00C7);
        assertThat(p.ttl()).isEqualTo(17);
        assertThat(p.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(p.ipPacketLength()).isEqualTo(20 + 8 + PAYLOAD.length);
        assertThat(p.l4Offset()).isEqualTo(34);
        assertThat(p.hasTransportHeader()).isTrue();
        assertThat(p.srcPort()).isEqualTo(5000);
        assertThat(p.dstPort()).isEqualTo(53);
        assertThat(p.payloadOffset()).isEqualTo(42);
        assertThat(p.payloadLength()).isEqualTo(PAYLOAD.length);
        assertThat(p.isFragment()).isFalse();
        assertThat(p.isGeneve()).isFalse();
        assertThat(p.icmpType()).isEqualTo(-1);
    }

    @Test
    void parsesAnIpv6TcpFrameFieldByField() {
        byte[] frame = ipv6Frame(ipv6().src(0x2001_0DB8_0000_0001L, 0x10).dst(0xFE80_0000_0000_0000L, 0xFFFF_FFFF_FFFF_FFFFL)
                        .nextHeader(IpProtocol.TCP).hopLimit(3),
                tcp().ports(1234, 80).flags(Tcp.SYN | Tcp.ACK).optionWords(3).build(PAYLOAD));

        assertThat(parse(frame)).isEqualTo(DropReason.NONE);
        assertThat(p.ipVersion()).isEqualTo(6);
        assertThat(p.ipv6SrcHi()).isEqualTo(0x2001_0DB8_0000_0001L);
        assertThat(p.ipv6SrcLo()).isEqualTo(0x10);
        assertThat(p.ipv6DstHi()).isEqualTo(0xFE80_0000_0000_0000L);
        assertThat(p.ipv6DstLo()).isEqualTo(-1L);
        assertThat(p.ttl()).isEqualTo(3);
        assertThat(p.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(p.l4Offset()).isEqualTo(54);
        assertThat(p.srcPort()).isEqualTo(1234);
        assertThat(p.dstPort()).isEqualTo(80);
        assertThat(p.tcpFlags()).isEqualTo(Tcp.SYN | Tcp.ACK);
        assertThat(p.payloadOffset()).isEqualTo(54 + 32);
        assertThat(p.payloadLength()).isEqualTo(PAYLOAD.length);
    }

    @Test
    void reportsAbsoluteOffsetsWhenTheFrameSitsInsideALargerSegment() {
        byte[] frame = ipv4Frame(ipv4(), udp(1, 2, PAYLOAD));
        try (PacketPool pool = new PacketPool(4, 2048)) {
            int buffer = pool.allocate();
            buffer = pool.allocate(); // buffer 1: a non-zero base
            long at = pool.frameOffset(buffer);
            MemorySegment.copy(frame, 0, pool.memory(), java.lang.foreign.ValueLayout.JAVA_BYTE, at, frame.length);

            assertThat(PacketParser.parse(pool.memory(), at, frame.length, p)).isEqualTo(DropReason.NONE);
            assertThat(p.l2Offset()).isEqualTo(at);
            assertThat(p.l3Offset()).isEqualTo(at + 14);
            assertThat(p.l4Offset()).isEqualTo(at + 34);
            assertThat(p.payloadOffset()).isEqualTo(at + 42);
        }
    }

    @Test
    void throwsOnlyWhenTheCallerGivesAWindowOutsideTheSegment() {
        MemorySegment m = MemorySegment.ofArray(new byte[64]);
        assertThatThrownBy(() -> PacketParser.parse(m, 60, 10, p)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> PacketParser.parse(m, -1, 10, p)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> PacketParser.parse(m, 0, -1, p)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void forgetsThePreviousParseWhenTheStructIsReused() {
        byte[] tunnel = ipv4Frame(ipv4(), udp(1, Geneve.UDP_PORT, geneve().build(ipv4Frame(ipv4(), udp(1, 2, PAYLOAD)))));
        byte[] icmpFrame = ipv4Frame(ipv4().protocol(IpProtocol.ICMP), icmp(8, 0, PAYLOAD));
        assertThat(parse(tunnel)).isEqualTo(DropReason.NONE);
        assertThat(p.isGeneve()).isTrue();

        assertThat(parse(icmpFrame)).isEqualTo(DropReason.NONE);
        assertThat(p.isGeneve()).isFalse();
        assertThat(p.vni()).isEqualTo(-1);
        assertThat(p.innerOffset()).isEqualTo(-1);
        assertThat(p.srcPort()).isZero();
        assertThat(p.dstPort()).isZero();
        assertThat(p.icmpType()).isEqualTo(8);
    }

    // ---- truncated headers, at every length ---------------------------------------------

    @Test
    void rejectsFramesShorterThanAnEthernetHeaderAtEveryLength() {
        byte[] frame = ipv4Frame(ipv4(), udp(1, 2, PAYLOAD));
        for (int n = 0; n < Ethernet.HEADER_BYTES; n++) {
            assertThat(parsePrefix(frame, n)).as("length %d", n).isEqualTo(DropReason.TRUNCATED_ETHERNET);
        }
    }

    @Test
    void rejectsAVlanTagCutAtEveryLength() {
        byte[] frame = ethernet(Ethernet.TYPE_VLAN, vlanTag(100, IPV4, ipv4().build(udp(1, 2, PAYLOAD))));
        for (int n = 14; n < 18; n++) {
            assertThat(parsePrefix(frame, n)).as("length %d", n).isEqualTo(DropReason.TRUNCATED_VLAN);
        }
    }

    @Test
    void rejectsAnIpv4HeaderCutAtEveryLengthForEveryIhl() {
        for (int words = 0; words <= 10; words++) {
            byte[] frame = ipv4Frame(ipv4().optionWords(words), udp(1, 2, PAYLOAD));
            for (int n = 14; n < 14 + 20 + 4 * words; n++) {
                assertThat(parsePrefix(frame, n)).as("IHL %d, length %d", 5 + words, n)
                        .isEqualTo(DropReason.TRUNCATED_IPV4);
            }
        }
    }

    @Test
    void rejectsAnIpv6HeaderCutAtEveryLength() {
        byte[] frame = ipv6Frame(ipv6(), udp(1, 2, PAYLOAD));
        for (int n = 14; n < 54; n++) {
            assertThat(parsePrefix(frame, n)).as("length %d", n).isEqualTo(DropReason.TRUNCATED_IPV6);
        }
    }

    @Test
    void rejectsAUdpHeaderCutAtEveryLengthOverIpv4AndIpv6() {
        byte[] header = udp(1, 2, new byte[0]);
        for (int n = 0; n < Udp.HEADER_BYTES; n++) {
            byte[] cut = Arrays.copyOf(header, n);
            assertThat(parse(ipv4Frame(ipv4(), cut))).as("IPv4, %d bytes", n).isEqualTo(DropReason.TRUNCATED_UDP);
            assertThat(parse(ipv6Frame(ipv6(), cut))).as("IPv6, %d bytes", n).isEqualTo(DropReason.TRUNCATED_UDP);
        }
    }

    @Test
    void rejectsATcpHeaderCutAtEveryLengthIncludingItsOptions() {
        byte[] header = tcp().optionWords(10).build(new byte[0]);
        for (int n = 0; n < Tcp.MAX_HEADER_BYTES; n++) {
            byte[] cut = Arrays.copyOf(header, n);
            DropReason expected = n < Tcp.MIN_HEADER_BYTES ? DropReason.TRUNCATED_TCP : DropReason.TCP_DATA_OFFSET_PAST_END;
            assertThat(parse(ipv4Frame(ipv4().protocol(IpProtocol.TCP), cut))).as("IPv4, %d bytes", n).isEqualTo(expected);
            assertThat(parse(ipv6Frame(ipv6().nextHeader(IpProtocol.TCP), cut))).as("IPv6, %d bytes", n).isEqualTo(expected);
        }
    }

    @Test
    void rejectsAnIcmpHeaderCutAtEveryLength() {
        byte[] header = icmp(8, 0, new byte[0]);
        for (int n = 0; n < Icmp.HEADER_BYTES; n++) {
            byte[] cut = Arrays.copyOf(header, n);
            assertThat(parse(ipv4Frame(ipv4().protocol(IpProtocol.ICMP), cut))).as("ICMP, %d bytes", n)
                    .isEqualTo(DropReason.TRUNCATED_ICMP);
            assertThat(parse(ipv6Frame(ipv6().nextHeader(IpProtocol.ICMPV6), cut))).as("ICMPv6, %d bytes", n)
                    .isEqualTo(DropReason.TRUNCATED_ICMP);
        }
    }

    @Test
    void rejectsAGeneveHeaderCutAtEveryLengthIncludingItsOptions() {
        byte[] header = geneve().optionWords(3).build(new byte[0]);
        for (int n = 0; n < header.length; n++) {
            byte[] frame = ipv4Frame(ipv4(), udp(1, Geneve.UDP_PORT, Arrays.copyOf(header, n)));
            DropReason expected = n < Geneve.BASE_HEADER_BYTES ? DropReason.TRUNCATED_GENEVE : DropReason.GENEVE_OPTIONS_PAST_END;
            assertThat(parse(frame)).as("%d bytes", n).isEqualTo(expected);
        }
        assertThat(parse(ipv4Frame(ipv4(), udp(1, Geneve.UDP_PORT, header)))).isEqualTo(DropReason.NONE);
        assertThat(p.innerLength()).as("a GENEVE header with nothing after it carries an empty inner frame").isZero();
    }

    @Test
    void rejectsAnIpv6ExtensionHeaderCutAtEveryLength() {
        for (int type : new int[] {IpProtocol.HOP_BY_HOP, IpProtocol.ROUTING, IpProtocol.DESTINATION_OPTIONS}) {
            byte[] extension = ipv6Extension(IpProtocol.UDP, 24, new byte[0]);
            for (int n = 0; n < extension.length; n++) {
                byte[] frame = ipv6Frame(ipv6().nextHeader(type), Arrays.copyOf(extension, n));
                assertThat(parse(frame)).as("next header %d, %d bytes", type, n)
                        .isEqualTo(DropReason.TRUNCATED_IPV6_EXTENSION_HEADER);
            }
        }
        byte[] fragment = ipv6Fragment(IpProtocol.UDP, 0, true, 7, new byte[0]);
        for (int n = 0; n < fragment.length; n++) {
            byte[] frame = ipv6Frame(ipv6().nextHeader(IpProtocol.FRAGMENT), Arrays.copyOf(fragment, n));
            assertThat(parse(frame)).as("fragment header, %d bytes", n)
                    .isEqualTo(DropReason.TRUNCATED_IPV6_EXTENSION_HEADER);
        }
    }

    @Test
    void rejectsEveryProperPrefixOfAWellFormedFrame() {
        for (byte[] frame : wellFormedFrames()) {
            assertThat(parse(frame)).isEqualTo(DropReason.NONE);
            for (int n = 0; n < frame.length; n++) {
                assertThat(parsePrefix(frame, n)).as("prefix %d of a %d-byte frame", n, frame.length)
                        .isNotEqualTo(DropReason.NONE);
            }
        }
    }

    static List<byte[]> wellFormedFrames() {
        byte[] inner = ipv4Frame(ipv4(), udp(1, 2, PAYLOAD));
        return List.of(
                ipv4Frame(ipv4(), udp(1, 2, PAYLOAD)),
                ipv4Frame(ipv4().optionWords(4).protocol(IpProtocol.TCP), tcp().optionWords(2).build(PAYLOAD)),
                ipv4Frame(ipv4().protocol(IpProtocol.ICMP), icmp(8, 0, PAYLOAD)),
                ipv6Frame(ipv6().nextHeader(IpProtocol.HOP_BY_HOP),
                        ipv6Extension(IpProtocol.ROUTING, 16, ipv6Extension(IpProtocol.TCP, 8, tcp().build(PAYLOAD)))),
                ipv6Frame(ipv6().nextHeader(IpProtocol.ICMPV6), icmp(128, 0, PAYLOAD)),
                ethernet(Ethernet.TYPE_VLAN, vlanTag(42, IPV4, ipv4().build(udp(1, 2, PAYLOAD)))),
                ipv4Frame(ipv4(), udp(40000, Geneve.UDP_PORT, geneve().optionWords(2).build(inner))));
    }

    // ---- lengths and fields that lie ---------------------------------------------------

    @Test
    void rejectsAnIpv4HeaderWhoseVersionIsNot4() {
        for (int version = 0; version < 16; version++) {
            if (version != 4) {
                assertThat(parse(ipv4Frame(ipv4().version(version), udp(1, 2, PAYLOAD)))).as("version %d", version)
                        .isEqualTo(DropReason.IPV4_BAD_VERSION);
            }
        }
    }

    @Test
    void rejectsAnIhlBelow5() {
        for (int ihl = 0; ihl < 5; ihl++) {
            assertThat(parse(ipv4Frame(ipv4().ihl(ihl), udp(1, 2, PAYLOAD)))).as("IHL %d", ihl)
                    .isEqualTo(DropReason.IPV4_BAD_IHL);
        }
    }

    @Test
    void rejectsAnIpv4TotalLengthShorterThanTheHeader() {
        for (int totalLength = 0; totalLength < 28; totalLength++) {
            assertThat(parse(ipv4Frame(ipv4().optionWords(2).totalLength(totalLength), udp(1, 2, PAYLOAD))))
                    .as("total length %d with a 28-byte header", totalLength)
                    .isEqualTo(DropReason.IPV4_TOTAL_LENGTH_SHORTER_THAN_HEADER);
        }
    }

    @Test
    void rejectsAnIpv4TotalLengthPastTheFrame() {
        int actual = 20 + 8 + PAYLOAD.length;
        for (int totalLength : new int[] {actual + 1, actual + 2, actual + 100, 65535}) {
            assertThat(parse(ipv4Frame(ipv4().totalLength(totalLength), udp(1, 2, PAYLOAD))))
                    .as("total length %d", totalLength).isEqualTo(DropReason.IPV4_TOTAL_LENGTH_PAST_FRAME);
        }
    }

    @Test
    void rejectsABadIpv4HeaderChecksum() {
        assertThat(parse(ipv4Frame(ipv4().corruptChecksum(), udp(1, 2, PAYLOAD))))
                .isEqualTo(DropReason.IPV4_BAD_HEADER_CHECKSUM);
    }

    @Test
    void detectsEverySingleBitFlipInTheIdentificationTtlProtocolAndAddresses() {
        byte[] frame = ipv4Frame(ipv4().optionWords(3), udp(1, 2, PAYLOAD));
        int[] headerBytes = {4, 5, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19, 20, 27};
        for (int headerByte : headerBytes) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = frame.clone();
                flipped[14 + headerByte] ^= (byte) (1 << bit);
                assertThat(parse(flipped)).as("header byte %d bit %d", headerByte, bit)
                        .isEqualTo(DropReason.IPV4_BAD_HEADER_CHECKSUM);
            }
        }
    }

    @Test
    void rejectsAnIpv6HeaderWhoseVersionIsNot6() {
        assertThat(parse(ipv6Frame(ipv6().version(4), udp(1, 2, PAYLOAD)))).isEqualTo(DropReason.IPV6_BAD_VERSION);
    }

    @Test
    void rejectsAnIpv6PayloadLengthPastTheFrame() {
        int actual = 8 + PAYLOAD.length;
        for (int payloadLength : new int[] {actual + 1, 65535}) {
            assertThat(parse(ipv6Frame(ipv6().payloadLength(payloadLength), udp(1, 2, PAYLOAD))))
                    .as("payload length %d", payloadLength).isEqualTo(DropReason.IPV6_PAYLOAD_LENGTH_PAST_FRAME);
        }
    }

    @Test
    void rejectsAUdpLengthBelowTheHeaderOrPastThePacket() {
        for (int udpLength = 0; udpLength < 8; udpLength++) {
            assertThat(parse(ipv4Frame(ipv4(), udpWithLength(1, 2, udpLength, PAYLOAD)))).as("UDP length %d", udpLength)
                    .isEqualTo(DropReason.UDP_LENGTH_SHORTER_THAN_HEADER);
        }
        int actual = 8 + PAYLOAD.length;
        for (int udpLength : new int[] {actual + 1, 65535}) {
            assertThat(parse(ipv4Frame(ipv4(), udpWithLength(1, 2, udpLength, PAYLOAD)))).as("UDP length %d", udpLength)
                    .isEqualTo(DropReason.UDP_LENGTH_PAST_PACKET);
            assertThat(parse(ipv6Frame(ipv6(), udpWithLength(1, 2, udpLength, PAYLOAD)))).as("IPv6 UDP length %d", udpLength)
                    .isEqualTo(DropReason.UDP_LENGTH_PAST_PACKET);
        }
    }

    @Test
    void ignoresBytesBetweenTheUdpLengthAndTheEndOfTheIpPacket() {
        byte[] frame = ipv4Frame(ipv4(), udpWithLength(1, 2, 8 + 4, PAYLOAD));
        assertThat(parse(frame)).isEqualTo(DropReason.NONE);
        assertThat(p.payloadLength()).isEqualTo(4);
    }

    @Test
    void rejectsATcpDataOffsetBelow5() {
        for (int dataOffset = 0; dataOffset < 5; dataOffset++) {
            assertThat(parse(ipv4Frame(ipv4().protocol(IpProtocol.TCP), tcp().dataOffset(dataOffset).build(PAYLOAD))))
                    .as("data offset %d", dataOffset).isEqualTo(DropReason.TCP_BAD_DATA_OFFSET);
        }
    }

    @Test
    void rejectsATcpDataOffsetPastTheEndOfThePacket() {
        byte[] frame = ipv4Frame(ipv4().protocol(IpProtocol.TCP), tcp().dataOffset(15).build(bytes(39, 0)));
        assertThat(parse(frame)).isEqualTo(DropReason.TCP_DATA_OFFSET_PAST_END);
        byte[] exact = ipv4Frame(ipv4().protocol(IpProtocol.TCP), tcp().dataOffset(15).build(bytes(40, 0)));
        assertThat(parse(exact)).isEqualTo(DropReason.NONE);
        assertThat(p.payloadLength()).isZero();
    }

    @Test
    void rejectsAGeneveVersionOtherThan0() {
        for (int version = 1; version < 4; version++) {
            byte[] frame = ipv4Frame(ipv4(), udp(1, Geneve.UDP_PORT, geneve().version(version).build(PAYLOAD)));
            assertThat(parse(frame)).as("version %d", version).isEqualTo(DropReason.GENEVE_BAD_VERSION);
        }
    }

    @Test
    void rejectsGeneveOptionsPastTheEndOfTheDatagram() {
        byte[] allOptions = geneve().optionWords(63).build(new byte[0]);
        assertThat(parse(ipv4Frame(ipv4(), udp(1, Geneve.UDP_PORT, allOptions)))).isEqualTo(DropReason.NONE);
        assertThat(p.geneveOptionsLength()).isEqualTo(Geneve.MAX_OPTIONS_BYTES);

        byte[] oneByteShort = Arrays.copyOf(allOptions, allOptions.length - 1);
        assertThat(parse(ipv4Frame(ipv4(), udp(1, Geneve.UDP_PORT, oneByteShort))))
                .isEqualTo(DropReason.GENEVE_OPTIONS_PAST_END);
    }

    @Test
    void rejectsEthertypesOtherThanIpv4AndIpv6() {
        for (int etherType : new int[] {Ethernet.TYPE_ARP, 0x0000, 0x05DC, Ethernet.TYPE_TEB, 0xFFFF}) {
            assertThat(parse(ethernet(etherType, bytes(46, 0)))).as("ethertype 0x%04x", etherType)
                    .isEqualTo(DropReason.UNSUPPORTED_ETHERTYPE);
        }
    }

    // ---- IPv4 options -----------------------------------------------------------------

    @Test
    void acceptsIpv4OptionsForEveryIhlFrom5To15() {
        for (int words = 0; words <= 10; words++) {
            byte[] frame = ipv4Frame(ipv4().optionWords(words).protocol(IpProtocol.TCP), tcp().ports(7, 9).build(PAYLOAD));
            assertThat(parse(frame)).as("IHL %d", 5 + words).isEqualTo(DropReason.NONE);
            assertThat(p.l4Offset()).as("IHL %d", 5 + words).isEqualTo(14 + 20 + 4 * words);
            assertThat(p.srcPort()).isEqualTo(7);
            assertThat(p.payloadLength()).isEqualTo(PAYLOAD.length);
        }
    }

    // ---- IPv6 extension headers ---------------------------------------------------------

    @Test
    void walksAnIpv6ExtensionHeaderChainToTheTransportHeader() {
        byte[] chain = ipv6Extension(IpProtocol.ROUTING, 8,
                ipv6Extension(IpProtocol.FRAGMENT, 24,
                        ipv6Fragment(IpProtocol.DESTINATION_OPTIONS, 0, false, 99,
                                ipv6Extension(IpProtocol.TCP, 16, tcp().ports(3, 4).build(PAYLOAD)))));
        byte[] frame = ipv6Frame(ipv6().nextHeader(IpProtocol.HOP_BY_HOP), chain);

        assertThat(parse(frame)).isEqualTo(DropReason.NONE);
        assertThat(p.ipv6ExtensionHeaders()).isEqualTo(4);
        assertThat(p.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(p.l4Offset()).isEqualTo(14 + 40 + 8 + 24 + 8 + 16);
        assertThat(p.srcPort()).isEqualTo(3);
        assertThat(p.dstPort()).isEqualTo(4);
        assertThat(p.isFragment()).as("an atomic fragment (offset 0, M clear) is not a fragment").isFalse();
        assertThat(p.payloadLength()).isEqualTo(PAYLOAD.length);
    }

    @Test
    void acceptsEightExtensionHeadersAndRejectsNine() {
        assertThat(parse(ipv6Frame(ipv6().nextHeader(IpProtocol.DESTINATION_OPTIONS), destinationOptions(8))))
                .isEqualTo(DropReason.NONE);
        assertThat(p.ipv6ExtensionHeaders()).isEqualTo(8);
        assertThat(parse(ipv6Frame(ipv6().nextHeader(IpProtocol.DESTINATION_OPTIONS), destinationOptions(9))))
                .isEqualTo(DropReason.IPV6_TOO_MANY_EXTENSION_HEADERS);
    }

    private static byte[] destinationOptions(int count) {
        byte[] chain = udp(1, 2, PAYLOAD);
        for (int i = 0; i < count; i++) {
            chain = ipv6Extension(i == 0 ? IpProtocol.UDP : IpProtocol.DESTINATION_OPTIONS, 8, chain);
        }
        return chain;
    }

    @Test
    void rejectsAHopByHopHeaderThatIsNotFirst() {
        byte[] chain = ipv6Extension(IpProtocol.HOP_BY_HOP, 8, ipv6Extension(IpProtocol.UDP, 8, udp(1, 2, PAYLOAD)));
        assertThat(parse(ipv6Frame(ipv6().nextHeader(IpProtocol.DESTINATION_OPTIONS), chain)))
                .isEqualTo(DropReason.IPV6_HOP_BY_HOP_NOT_FIRST);
    }

    @Test
    void endsTheChainAtAProtocolItDoesNotWalk() {
        byte[] frame = ipv6Frame(ipv6().nextHeader(IpProtocol.NO_NEXT_HEADER), new byte[0]);
        assertThat(parse(frame)).isEqualTo(DropReason.NONE);
        assertThat(p.protocol()).isEqualTo(IpProtocol.NO_NEXT_HEADER);
        assertThat(p.hasTransportHeader()).isFalse();
        assertThat(p.payloadLength()).isZero();
        assertThat(p.l4Offset()).isEqualTo(frame.length);

        byte[] esp = ipv6Frame(ipv6().nextHeader(IpProtocol.DESTINATION_OPTIONS), ipv6Extension(IpProtocol.ESP, 8, PAYLOAD));
        assertThat(parse(esp)).isEqualTo(DropReason.NONE);
        assertThat(p.protocol()).isEqualTo(IpProtocol.ESP);
        assertThat(p.payloadLength()).isEqualTo(PAYLOAD.length);
    }

    // ---- fragments ------------------------------------------------------------------------

    @Test
    void parsesTheTransportHeaderOfAFirstIpv4Fragment() {
        // The UDP length covers the whole 3,000-byte datagram; this fragment carries 1,000 bytes of it.
        byte[] frame = ipv4Frame(ipv4().fragment(0, true), udpWithLength(1111, 2222, 3000, bytes(992, 7)));
        assertThat(parse(frame)).isEqualTo(DropReason.NONE);
        assertThat(p.isFragment()).isTrue();
        assertThat(p.isFirstFragment()).isTrue();
        assertThat(p.moreFragments()).isTrue();
        assertThat(p.fragmentOffset()).isZero();
        assertThat(p.hasTransportHeader()).isTrue();
        assertThat(p.srcPort()).isEqualTo(1111);
        assertThat(p.dstPort()).isEqualTo(2222);
        assertThat(p.payloadLength()).isEqualTo(992);
    }

    @Test
    void acceptsALaterIpv4FragmentWithoutATransportHeaderAndFlagsIt() {
        byte[] data = bytes(500, 0xFF); // looks like nothing in particular, and is not read as TCP
        byte[] frame = ipv4Frame(ipv4().protocol(IpProtocol.TCP).fragment(125, true), data);
        assertThat(parse(frame)).isEqualTo(DropReason.NONE);
        assertThat(p.isFragment()).isTrue();
        assertThat(p.isFirstFragment()).isFalse();
        assertThat(p.moreFragments()).isTrue();
        assertThat(p.fragmentOffset()).isEqualTo(1000);
        assertThat(p.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(p.hasTransportHeader()).isFalse();
        assertThat(p.srcPort()).isZero();
        assertThat(p.dstPort()).isZero();
        assertThat(p.tcpFlags()).isZero();
        assertThat(p.l4Offset()).isEqualTo(34);
        assertThat(p.payloadOffset()).isEqualTo(34);
        assertThat(p.payloadLength()).isEqualTo(500);

        byte[] last = ipv4Frame(ipv4().fragment(250, false), bytes(8, 1));
        assertThat(parse(last)).isEqualTo(DropReason.NONE);
        assertThat(p.isFragment()).isTrue();
        assertThat(p.moreFragments()).isFalse();
        assertThat(p.fragmentOffset()).isEqualTo(2000);
    }

    @Test
    void rejectsATinyFirstFragmentThatCutsTheTcpHeader() {
        byte[] frame = ipv4Frame(ipv4().protocol(IpProtocol.TCP).fragment(0, true), Arrays.copyOf(tcp().build(PAYLOAD), 8));
        assertThat(parse(frame)).isEqualTo(DropReason.TRUNCATED_TCP);
    }

    @Test
    void rejectsAFragmentEndingPastTheLargestDatagram() {
        byte[] pingOfDeath = ipv4Frame(ipv4().protocol(IpProtocol.ICMP).fragment(8189, false), bytes(100, 0));
        assertThat(parse(pingOfDeath)).isEqualTo(DropReason.FRAGMENT_PAST_MAX_DATAGRAM);
        byte[] fits = ipv4Frame(ipv4().protocol(IpProtocol.ICMP).fragment(8189, false), bytes(3, 0));
        assertThat(parse(fits)).as("65,512 + 20 + 3 = 65,535").isEqualTo(DropReason.NONE);

        byte[] ipv6 = ipv6Frame(ipv6().nextHeader(IpProtocol.FRAGMENT),
                ipv6Fragment(IpProtocol.UDP, 65528, false, 1, bytes(8, 0)));
        assertThat(parse(ipv6)).isEqualTo(DropReason.FRAGMENT_PAST_MAX_DATAGRAM);
    }

    @Test
    void parsesTheTransportHeaderOfAFirstIpv6FragmentAndNotOfALaterOne() {
        byte[] first = ipv6Frame(ipv6().nextHeader(IpProtocol.FRAGMENT),
                ipv6Fragment(IpProtocol.UDP, 0, true, 0xABCD, udpWithLength(5, 6, 2000, bytes(100, 0))));
        assertThat(parse(first)).isEqualTo(DropReason.NONE);
        assertThat(p.isFragment()).isTrue();
        assertThat(p.isFirstFragment()).isTrue();
        assertThat(p.srcPort()).isEqualTo(5);
        assertThat(p.l4Offset()).isEqualTo(14 + 40 + 8);

        byte[] later = ipv6Frame(ipv6().nextHeader(IpProtocol.HOP_BY_HOP),
                ipv6Extension(IpProtocol.FRAGMENT, 8, ipv6Fragment(IpProtocol.UDP, 104, true, 0xABCD, bytes(64, 0x11))));
        assertThat(parse(later)).isEqualTo(DropReason.NONE);
        assertThat(p.isFragment()).isTrue();
        assertThat(p.isFirstFragment()).isFalse();
        assertThat(p.fragmentOffset()).isEqualTo(104);
        assertThat(p.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(p.hasTransportHeader()).isFalse();
        assertThat(p.srcPort()).isZero();
        assertThat(p.ipv6ExtensionHeaders()).isEqualTo(2);
        assertThat(p.l4Offset()).isEqualTo(14 + 40 + 8 + 8);
        assertThat(p.payloadLength()).isEqualTo(64);
    }

    // ---- zero-length payloads and padding --------------------------------------------------

    @Test
    void acceptsZeroLengthPayloadsForEveryTransport() {
        List<byte[]> frames = List.of(
                ipv4Frame(ipv4(), udp(1, 2, new byte[0])),
                ipv4Frame(ipv4().protocol(IpProtocol.TCP), tcp().build(new byte[0])),
                ipv4Frame(ipv4().protocol(IpProtocol.ICMP), icmp(0, 0, new byte[0])),
                ipv4Frame(ipv4().protocol(47), new byte[0]),
                ipv6Frame(ipv6(), udp(1, 2, new byte[0])),
                ipv6Frame(ipv6().nextHeader(IpProtocol.ICMPV6), icmp(129, 0, new byte[0])));
        for (byte[] frame : frames) {
            assertThat(parse(frame)).isEqualTo(DropReason.NONE);
            assertThat(p.payloadLength()).as(p.toString()).isZero();
            assertThat(p.payloadOffset()).as(p.toString()).isEqualTo(frame.length);
        }
    }

    @Test
    void leavesEthernetPaddingOutOfThePayload() {
        byte[] frame = Arrays.copyOf(ipv4Frame(ipv4(), udp(1, 2, bytes(2, 9))), 60);
        assertThat(parse(frame)).isEqualTo(DropReason.NONE);
        assertThat(p.ipPacketLength()).isEqualTo(30);
        assertThat(p.payloadLength()).isEqualTo(2);

        byte[] tcpFrame = Arrays.copyOf(ipv6Frame(ipv6().nextHeader(IpProtocol.TCP), tcp().build(new byte[0])), 90);
        assertThat(parse(tcpFrame)).isEqualTo(DropReason.NONE);
        assertThat(p.payloadLength()).isZero();
    }

    // ---- VLAN ---------------------------------------------------------------------------

    @Test
    void readsTheVlanIdOfASingleTag() {
        byte[] frame = ethernet(Ethernet.TYPE_VLAN, vlanTag(0xE000 | 4095, IPV6, ipv6().build(udp(1, 2, PAYLOAD))));
        assertThat(parse(frame)).isEqualTo(DropReason.NONE);
        assertThat(p.vlanId()).as("PCP bits are not part of the VID").isEqualTo(4095);
        assertThat(p.innerVlanId()).isEqualTo(-1);
        assertThat(p.etherType()).isEqualTo(IPV6);
        assertThat(p.l3Offset()).isEqualTo(18);
        assertThat(p.l4Offset()).isEqualTo(58);
    }

    @Test
    void readsBothVlanIdsOfAQinQFrameAndRejectsAThirdTag() {
        byte[] qinq = ethernet(Ethernet.TYPE_QINQ,
                vlanTag(100, Ethernet.TYPE_VLAN, vlanTag(200, IPV4, ipv4().build(udp(1, 2, PAYLOAD)))));
        assertThat(parse(qinq)).isEqualTo(DropReason.NONE);
        assertThat(p.vlanId()).isEqualTo(100);
        assertThat(p.innerVlanId()).isEqualTo(200);
        assertThat(p.l3Offset()).isEqualTo(22);

        byte[] threeTags = ethernet(Ethernet.TYPE_QINQ, vlanTag(100, Ethernet.TYPE_VLAN,
                vlanTag(200, Ethernet.TYPE_VLAN, vlanTag(300, IPV4, ipv4().build(udp(1, 2, PAYLOAD))))));
        assertThat(parse(threeTags)).isEqualTo(DropReason.TOO_MANY_VLAN_TAGS);
    }

    // ---- ICMP -----------------------------------------------------------------------------

    @Test
    void recordsIcmpTypeAndCodeApartFromThePorts() {
        assertThat(parse(ipv4Frame(ipv4().protocol(IpProtocol.ICMP), icmp(3, 4, PAYLOAD)))).isEqualTo(DropReason.NONE);
        assertThat(p.icmpType()).isEqualTo(3);
        assertThat(p.icmpCode()).isEqualTo(4);
        assertThat(p.srcPort()).isZero();
        assertThat(p.dstPort()).isZero();
        assertThat(p.payloadOffset()).isEqualTo(42);

        assertThat(parse(ipv6Frame(ipv6().nextHeader(IpProtocol.ICMPV6), icmp(2, 0, PAYLOAD)))).isEqualTo(DropReason.NONE);
        assertThat(p.icmpType()).isEqualTo(Icmp.V6_PACKET_TOO_BIG);
        assertThat(p.icmpCode()).isZero();
    }

    @Test
    void treatsIcmpOfTheOtherIpVersionAsAnOpaqueProtocol() {
        assertThat(parse(ipv6Frame(ipv6().nextHeader(IpProtocol.ICMP), bytes(3, 0)))).isEqualTo(DropReason.NONE);
        assertThat(p.hasTransportHeader()).isFalse();
        assertThat(p.icmpType()).isEqualTo(-1);
        assertThat(parse(ipv4Frame(ipv4().protocol(IpProtocol.ICMPV6), bytes(3, 0)))).isEqualTo(DropReason.NONE);
        assertThat(p.hasTransportHeader()).isFalse();
    }

    // ---- GENEVE -----------------------------------------------------------------------------

    @Test
    void recordsTheGeneveHeaderAndTheInnerFrameWithoutParsingIt() {
        byte[] inner = ipv6Frame(ipv6().nextHeader(IpProtocol.TCP), tcp().build(PAYLOAD));
        byte[] frame = ipv4Frame(ipv4(), udp(50000, Geneve.UDP_PORT,
                geneve().vni(0xFEDCBA).optionWords(5).oam(true).critical(true).build(inner)));

        assertThat(parse(frame)).isEqualTo(DropReason.NONE);
        assertThat(p.isGeneve()).isTrue();
        assertThat(p.vni()).isEqualTo(0xFEDCBA);
        assertThat(p.geneveProtocolType()).isEqualTo(Ethernet.TYPE_TEB);
        assertThat(p.geneveOptionsLength()).isEqualTo(20);
        assertThat(p.geneveOam()).isTrue();
        assertThat(p.geneveCritical()).isTrue();
        assertThat(p.innerOffset()).isEqualTo(14 + 20 + 8 + 8 + 20);
        assertThat(p.innerLength()).isEqualTo(inner.length);
        assertThat(p.payloadLength()).isEqualTo(8 + 20 + inner.length);

        ParsedPacket innerParse = new ParsedPacket();
        assertThat(PacketParser.parse(Frames.exactly(frame), p.innerOffset(), p.innerLength(), innerParse))
                .isEqualTo(DropReason.NONE);
        assertThat(innerParse.protocol()).isEqualTo(IpProtocol.TCP);
        assertThat(innerParse.payloadLength()).isEqualTo(PAYLOAD.length);
    }

    @Test
    void recognisesGeneveOnlyByDestinationPortAndOnlyUnfragmented() {
        byte[] geneveBytes = geneve().build(PAYLOAD);
        assertThat(parse(ipv4Frame(ipv4(), udp(Geneve.UDP_PORT, 9, geneveBytes)))).isEqualTo(DropReason.NONE);
        assertThat(p.isGeneve()).isFalse();

        byte[] firstFragment = ipv4Frame(ipv4().fragment(0, true), udpWithLength(1, Geneve.UDP_PORT, 4000, geneveBytes));
        assertThat(parse(firstFragment)).isEqualTo(DropReason.NONE);
        assertThat(p.isGeneve()).isFalse();
        assertThat(p.dstPort()).isEqualTo(Geneve.UDP_PORT);
    }

    // ---- cost ---------------------------------------------------------------------------------

    @Test
    void parsesWithoutAllocatingOnceWarm() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<byte[]> frames = wellFormedFrames();
        MemorySegment[] segments = frames.stream().map(Frames::exactly).toArray(MemorySegment[]::new);
        Runnable parseAll = () -> {
            for (int i = 0; i < 20_000; i++) {
                MemorySegment m = segments[i % segments.length];
                PacketParser.parse(m, 0, (int) m.byteSize(), p);
            }
        };
        for (int warm = 0; warm < 10; warm++) {
            parseAll.run();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        parseAll.run();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 20,000 parses").isLessThan(20_000);
    }

    @Test
    void keepsEveryFieldConsistentOnTheSampleFramesPaddedOrNot() {
        for (byte[] frame : wellFormedFrames()) {
            for (byte[] candidate : List.of(frame, concat(frame, bytes(17, 0)))) {
                assertThat(parse(candidate)).isEqualTo(DropReason.NONE);
                ParsedPacketInvariants.assertConsistent(p, 0, candidate.length, p.toString());
            }
        }
    }
}
