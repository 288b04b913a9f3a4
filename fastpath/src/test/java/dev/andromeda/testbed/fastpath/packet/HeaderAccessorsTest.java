package dev.andromeda.testbed.fastpath.packet;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The flyweights write what the RFC diagrams say, byte for byte, and read back what they wrote. */
class HeaderAccessorsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static MemorySegment zeros(int length) {
        return MemorySegment.ofArray(new byte[length]);
    }

    private static String hex(MemorySegment m) {
        return HEX.formatHex(m.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    @Test
    void writesAndReadsEthernetMacsAndEthertypeInNetworkOrder() {
        MemorySegment m = zeros(14);
        Ethernet.dstMac(m, 0, 0x0011_2233_4455L);
        Ethernet.srcMac(m, 0, 0xFFEE_DDCC_BBAAL);
        Ethernet.etherType(m, 0, Ethernet.TYPE_IPV6);
        assertThat(hex(m)).isEqualTo("001122334455" + "ffeeddccbbaa" + "86dd");
        assertThat(Ethernet.dstMac(m, 0)).isEqualTo(0x0011_2233_4455L);
        assertThat(Ethernet.srcMac(m, 0)).isEqualTo(0xFFEE_DDCC_BBAAL);
        assertThat(Ethernet.etherType(m, 0)).isEqualTo(0x86DD);
    }

    @Test
    void keepsPriorityAndDropEligibilityWhenTheVlanIdChanges() {
        MemorySegment m = zeros(4);
        Vlan.tci(m, 0, 0xB000 | 0x123); // PCP 5, DEI 1
        Vlan.vlanId(m, 0, 0xFFF);
        Vlan.innerEtherType(m, 0, Ethernet.TYPE_IPV4);
        assertThat(hex(m)).isEqualTo("bfff0800");
        assertThat(Vlan.priority(m, 0)).isEqualTo(5);
        assertThat(Vlan.dropEligible(m, 0)).isTrue();
        assertThat(Vlan.vlanId(m, 0)).isEqualTo(0xFFF);
    }

    @Test
    void computesTheHeaderChecksumOfAKnownIpv4Header() {
        // A header whose checksum is commonly worked by hand: 4500 0073 0000 4000 4011 [b861] c0a8 0001 c0a8 00c7
        MemorySegment m = MemorySegment.ofArray(HEX.parseHex("450000730000400040110000c0a80001c0a800c7"));
        assertThat(Ipv4.computeHeaderChecksum(m, 0)).isEqualTo(0xB861);
        assertThat(Ipv4.isHeaderChecksumValid(m, 0)).isFalse();
        Ipv4.updateHeaderChecksum(m, 0);
        assertThat(Ipv4.headerChecksum(m, 0)).isEqualTo(0xB861);
        assertThat(Ipv4.isHeaderChecksumValid(m, 0)).isTrue();
    }

    @Test
    void agreesWithAReferenceChecksumOnRandomHeadersOfEveryIhl() {
        long seed = 20260101L;
        Random random = new Random(seed);
        for (int i = 0; i < 2_000; i++) {
            int ihl = 5 + random.nextInt(11);
            byte[] header = new byte[ihl * 4];
            random.nextBytes(header);
            header[0] = (byte) (0x40 | ihl);
            header[10] = 0;
            header[11] = 0;
            int expected = Frames.rfc1071(header, 0, header.length);
            // Garbage in the checksum field must not change what is computed.
            header[10] = (byte) random.nextInt();
            header[11] = (byte) random.nextInt();
            MemorySegment m = MemorySegment.ofArray(header);
            assertThat(Ipv4.computeHeaderChecksum(m, 0)).as("seed %d, header %s", seed, HEX.formatHex(header))
                    .isEqualTo(expected);
            Ipv4.updateHeaderChecksum(m, 0);
            assertThat(Ipv4.isHeaderChecksumValid(m, 0)).as("seed %d", seed).isTrue();
            assertThat(Frames.rfc1071(header, 0, header.length)).as("seed %d: the reference verifies it too", seed).isZero();
        }
    }

    @Test
    void writesAndReadsEveryIpv4Field() {
        MemorySegment m = zeros(24);
        Ipv4.versionAndIhl(m, 0, 6);
        Ipv4.tos(m, 0, (46 << 2) | 1);
        Ipv4.totalLength(m, 0, 1500);
        Ipv4.identification(m, 0, 0xBEEF);
        Ipv4.flagsAndFragmentOffset(m, 0, Ipv4.FLAG_MF | 185);
        Ipv4.ttl(m, 0, 255);
        Ipv4.protocol(m, 0, IpProtocol.TCP);
        Ipv4.src(m, 0, 0x0A00_0001);
        Ipv4.dst(m, 0, 0xC0A8_0101);
        assertThat(Ipv4.version(m, 0)).isEqualTo(4);
        assertThat(Ipv4.ihl(m, 0)).isEqualTo(6);
        assertThat(Ipv4.headerLength(m, 0)).isEqualTo(24);
        assertThat(Ipv4.optionsLength(m, 0)).isEqualTo(4);
        assertThat(Ipv4.dscp(m, 0)).isEqualTo(46);
        assertThat(Ipv4.ecn(m, 0)).isEqualTo(1);
        assertThat(Ipv4.totalLength(m, 0)).isEqualTo(1500);
        assertThat(Ipv4.identification(m, 0)).isEqualTo(0xBEEF);
        assertThat(Ipv4.moreFragments(m, 0)).isTrue();
        assertThat(Ipv4.dontFragment(m, 0)).isFalse();
        assertThat(Ipv4.fragmentOffsetBytes(m, 0)).isEqualTo(1480);
        assertThat(Ipv4.ttl(m, 0)).isEqualTo(255);
        assertThat(Ipv4.protocol(m, 0)).isEqualTo(6);
        assertThat(hex(m).substring(24, 40)).isEqualTo("0a000001c0a80101");
    }

    @Test
    void writesAndReadsTheIpv6HeaderAndItsExtensions() {
        MemorySegment m = zeros(56);
        Ipv6.versionClassAndFlow(m, 0, 0xAB, 0xCDEF1);
        Ipv6.payloadLength(m, 0, 16);
        Ipv6.nextHeader(m, 0, IpProtocol.FRAGMENT);
        Ipv6.hopLimit(m, 0, 1);
        Ipv6.src(m, 0, 0x2001_0DB8_0000_0000L, 1);
        Ipv6.dst(m, 0, -1L, 0x8000_0000_0000_0000L);
        assertThat(hex(m).substring(0, 16)).isEqualTo("6abcdef100102c01");
        assertThat(Ipv6.version(m, 0)).isEqualTo(6);
        assertThat(Ipv6.trafficClass(m, 0)).isEqualTo(0xAB);
        assertThat(Ipv6.flowLabel(m, 0)).isEqualTo(0xCDEF1);
        assertThat(Ipv6.srcHi(m, 0)).isEqualTo(0x2001_0DB8_0000_0000L);
        assertThat(Ipv6.srcLo(m, 0)).isEqualTo(1);
        assertThat(Ipv6.dstHi(m, 0)).isEqualTo(-1L);
        assertThat(Ipv6.dstLo(m, 0)).isEqualTo(0x8000_0000_0000_0000L);

        Ipv6Extension.nextHeader(m, 40, IpProtocol.UDP);
        Ipv6Extension.fragment(m, 40, 1232, true);
        Ipv6Extension.fragmentIdentification(m, 40, 0xCAFEF00D);
        assertThat(hex(m).substring(80, 96)).isEqualTo("110004d1cafef00d");
        assertThat(Ipv6Extension.fragmentOffsetBytes(m, 40)).isEqualTo(1232);
        assertThat(Ipv6Extension.moreFragments(m, 40)).isTrue();
        assertThat(Ipv6Extension.fragmentIdentification(m, 40)).isEqualTo(0xCAFEF00D);

        Ipv6Extension.length(m, 48, 8);
        assertThat(Ipv6Extension.length(m, 48)).isEqualTo(8);
        Ipv6Extension.length(m, 48, 2048);
        assertThat(Ipv6Extension.length(m, 48)).isEqualTo(2048);
    }

    @Test
    void writesAndReadsUdpTcpAndIcmp() {
        MemorySegment udp = zeros(8);
        Udp.srcPort(udp, 0, 65535);
        Udp.dstPort(udp, 0, Geneve.UDP_PORT);
        Udp.length(udp, 0, 1000);
        Udp.checksum(udp, 0, 0xABCD);
        assertThat(hex(udp)).isEqualTo("ffff17c103e8abcd");
        assertThat(Udp.srcPort(udp, 0)).isEqualTo(65535);
        assertThat(Udp.length(udp, 0)).isEqualTo(1000);

        MemorySegment tcp = zeros(20);
        Tcp.srcPort(tcp, 0, 80);
        Tcp.dstPort(tcp, 0, 50000);
        Tcp.sequence(tcp, 0, 0xFFFF_FFFF);
        Tcp.acknowledgment(tcp, 0, 1);
        Tcp.dataOffset(tcp, 0, 15);
        Tcp.flags(tcp, 0, Tcp.SYN | Tcp.ECE | Tcp.CWR);
        Tcp.window(tcp, 0, 1024);
        Tcp.checksum(tcp, 0, 0x1234);
        Tcp.urgentPointer(tcp, 0, 7);
        assertThat(hex(tcp)).isEqualTo("0050c350" + "ffffffff" + "00000001" + "f0c20400" + "12340007");
        assertThat(Tcp.headerLength(tcp, 0)).isEqualTo(60);
        assertThat(Tcp.flags(tcp, 0)).isEqualTo(0xC2);
        assertThat(Tcp.sequence(tcp, 0)).isEqualTo(-1);

        MemorySegment icmp = zeros(8);
        Icmp.type(icmp, 0, Icmp.V4_ECHO_REQUEST);
        Icmp.code(icmp, 0, 0);
        Icmp.checksum(icmp, 0, 0xF7FF);
        Icmp.echoIdentifier(icmp, 0, 0x1234);
        Icmp.echoSequence(icmp, 0, 2);
        assertThat(hex(icmp)).isEqualTo("0800f7ff12340002");
        assertThat(Icmp.echoIdentifier(icmp, 0)).isEqualTo(0x1234);
        assertThat(Icmp.echoSequence(icmp, 0)).isEqualTo(2);
    }

    @Test
    void writesAndReadsTheGeneveHeaderAsRfc8926DrawsIt() {
        MemorySegment m = zeros(8);
        Geneve.versionAndOptionLength(m, 0, 63);
        Geneve.flags(m, 0, true, false);
        Geneve.protocolType(m, 0, Ethernet.TYPE_TEB);
        Geneve.vni(m, 0, 0xABCDEF);
        assertThat(hex(m)).isEqualTo("3f806558abcdef00");
        assertThat(Geneve.version(m, 0)).isZero();
        assertThat(Geneve.optionLengthWords(m, 0)).isEqualTo(63);
        assertThat(Geneve.headerLength(m, 0)).isEqualTo(8 + 252);
        assertThat(Geneve.oam(m, 0)).isTrue();
        assertThat(Geneve.critical(m, 0)).isFalse();
        assertThat(Geneve.vni(m, 0)).isEqualTo(0xABCDEF);
        assertThat(Geneve.protocolType(m, 0)).isEqualTo(0x6558);
    }
}
