package dev.andromeda.testbed.fastpath.packet;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Encapsulate in place, parse the result, parse the inner frame: the round trip a tunnel makes. */
class GeneveEncapTest {
    private final ParsedPacket outer = new ParsedPacket();
    private final ParsedPacket inner = new ParsedPacket();

    private static GeneveEncap.OuterHeaders tunnel() {
        return new GeneveEncap.OuterHeaders()
                .srcMac(0x02_AA_00_00_00_01L).dstMac(0x02_BB_00_00_00_02L)
                .srcIp(0xAC10_0001).dstIp(0xAC10_0002)
                .ttl(61).udpSourcePort(51_000).vni(0x00BEEF);
    }

    private static long place(PacketPool pool, int buffer, byte[] frame) {
        long at = pool.frameOffset(buffer);
        MemorySegment.copy(frame, 0, pool.memory(), ValueLayout.JAVA_BYTE, at, frame.length);
        return at;
    }

    @Test
    void addsFiftyBytesOfOuterHeaders() {
        assertThat(GeneveEncap.ENCAP_OVERHEAD).isEqualTo(50);
    }

    @Test
    void encapsulatesInPlaceAndParsesBackToTheSameInnerFrame() {
        byte[] innerFrame = Frames.ethernet(Ethernet.TYPE_IPV4,
                Frames.ipv4().protocol(IpProtocol.TCP).build(Frames.tcp().ports(33_000, 443).build(Frames.bytes(300, 5))));
        try (PacketPool pool = new PacketPool(2, 2048)) {
            int buffer = pool.allocate();
            long innerOffset = place(pool, buffer, innerFrame);
            MemorySegment m = pool.memory();

            long frame = GeneveEncap.encapsulate(m, innerOffset, innerFrame.length, tunnel());
            int length = innerFrame.length + GeneveEncap.ENCAP_OVERHEAD;

            assertThat(frame).isEqualTo(innerOffset - 50);
            assertThat(m.asSlice(innerOffset, innerFrame.length).toArray(ValueLayout.JAVA_BYTE))
                    .as("the inner frame is not moved or touched").isEqualTo(innerFrame);
            assertThat(PacketParser.parse(m, frame, length, outer)).isEqualTo(DropReason.NONE);
            assertThat(outer.isGeneve()).isTrue();
            assertThat(outer.vni()).isEqualTo(0x00BEEF);
            assertThat(outer.geneveProtocolType()).isEqualTo(Ethernet.TYPE_TEB);
            assertThat(outer.geneveOptionsLength()).isZero();
            assertThat(outer.geneveOam()).isFalse();
            assertThat(outer.geneveCritical()).isFalse();
            assertThat(outer.innerOffset()).isEqualTo(innerOffset);
            assertThat(outer.innerLength()).isEqualTo(innerFrame.length);
            assertThat(outer.ipv4Src()).isEqualTo(0xAC10_0001);
            assertThat(outer.ipv4Dst()).isEqualTo(0xAC10_0002);
            assertThat(outer.ttl()).isEqualTo(61);
            assertThat(outer.srcPort()).isEqualTo(51_000);
            assertThat(outer.dstPort()).isEqualTo(6081);
            assertThat(Ethernet.dstMac(m, frame)).isEqualTo(0x02_BB_00_00_00_02L);
            assertThat(Ethernet.srcMac(m, frame)).isEqualTo(0x02_AA_00_00_00_01L);

            long ip = frame + 14;
            assertThat(Ipv4.dontFragment(m, ip)).isTrue();
            assertThat(Ipv4.totalLength(m, ip)).isEqualTo(length - 14);
            assertThat(Udp.length(m, ip + 20)).isEqualTo(length - 34);
            assertThat(Udp.checksum(m, ip + 20)).as("zero UDP checksum, RFC 8926 §3.3").isZero();
            byte[] outerIp = m.asSlice(ip, 20).toArray(ValueLayout.JAVA_BYTE);
            assertThat(Frames.rfc1071(outerIp, 0, 20)).as("the outer header verifies with an independent RFC 1071").isZero();
            outerIp[10] = 0;
            outerIp[11] = 0;
            assertThat(Ipv4.headerChecksum(m, ip)).isEqualTo(Frames.rfc1071(outerIp, 0, 20));

            assertThat(PacketParser.parse(m, outer.innerOffset(), outer.innerLength(), inner)).isEqualTo(DropReason.NONE);
            assertThat(inner.srcPort()).isEqualTo(33_000);
            assertThat(inner.dstPort()).isEqualTo(443);
            assertThat(inner.payloadLength()).isEqualTo(300);
        }
    }

    @Test
    void roundTripsRandomInnerFramesUpToJumboSize() {
        long seed = 81_26L;
        Random random = new Random(seed);
        try (PacketPool pool = new PacketPool(4, 10_240)) {
            for (int i = 0; i < 500; i++) {
                RandomPackets.Sample sample = RandomPackets.wellFormed(random, random.nextInt(9000));
                int buffer = pool.allocate();
                long innerOffset = place(pool, buffer, sample.frame());
                int vni = random.nextInt(Geneve.MAX_VNI + 1);
                GeneveEncap.OuterHeaders h = tunnel().vni(vni).srcIp(random.nextInt()).dstIp(random.nextInt())
                        .udpSourcePort(FlowHash.sourcePort(random.nextInt()));

                long frame = GeneveEncap.encapsulate(pool.memory(), innerOffset, sample.frame().length, h);
                String context = "seed " + seed + ", sample " + i + ": " + sample;
                assertThat(PacketParser.parse(pool.memory(), frame, sample.frame().length + 50, outer)).as(context)
                        .isEqualTo(DropReason.NONE);
                assertThat(outer.vni()).as(context).isEqualTo(vni);
                assertThat(outer.innerOffset()).as(context).isEqualTo(innerOffset);
                assertThat(outer.innerLength()).as(context).isEqualTo(sample.frame().length);
                assertThat(Frames.rfc1071(pool.memory().asSlice(frame + 14, 20).toArray(ValueLayout.JAVA_BYTE), 0, 20))
                        .as(context).isZero();
                assertThat(PacketParser.parse(pool.memory(), outer.innerOffset(), outer.innerLength(), inner)).as(context)
                        .isEqualTo(DropReason.NONE);
                sample.assertMatches(inner, innerOffset, context);
                pool.free(buffer);
            }
        }
    }

    @Test
    void refusesToWriteOutsideTheSegment() {
        MemorySegment m = MemorySegment.ofArray(new byte[200]);
        assertThatThrownBy(() -> GeneveEncap.encapsulate(m, 49, 60, tunnel())).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> GeneveEncap.encapsulate(m, 128, 73, tunnel())).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void refusesAnInnerFrameTooLongForTheOuterIpv4TotalLength() {
        MemorySegment m = MemorySegment.ofArray(new byte[70_000]);
        assertThat(GeneveEncap.MAX_INNER_LENGTH).isEqualTo(65_535 - 36);
        assertThatThrownBy(() -> GeneveEncap.encapsulate(m, 128, GeneveEncap.MAX_INNER_LENGTH + 1, tunnel()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outerHeadersRejectValuesTheirFieldsCannotHold() {
        assertThatThrownBy(() -> tunnel().vni(1 << 24)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tunnel().vni(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tunnel().udpSourcePort(65_536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tunnel().ttl(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tunnel().srcMac(1L << 48)).isInstanceOf(IllegalArgumentException.class);
    }
}
