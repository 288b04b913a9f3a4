package dev.andromeda.testbed.fastpath.packet;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FlowHashTest {

    @Test
    void givesEveryPacketOfAFlowTheSameSourcePort() {
        ParsedPacket p = new ParsedPacket();
        byte[] a = Frames.ethernet(Ethernet.TYPE_IPV4, Frames.ipv4().build(Frames.udp(1000, 2000, Frames.bytes(10, 1))));
        byte[] b = Frames.ethernet(Ethernet.TYPE_IPV4, Frames.ipv4().ttl(3).build(Frames.udp(1000, 2000, Frames.bytes(900, 2))));
        PacketParser.parse(Frames.exactly(a), 0, a.length, p);
        int first = FlowHash.of(p);
        PacketParser.parse(Frames.exactly(b), 0, b.length, p);
        assertThat(FlowHash.of(p)).isEqualTo(first);
        assertThat(FlowHash.of(p)).isEqualTo(FlowHash.ipv4(IpProtocol.UDP, 0x0A00_0001, 0x0A00_0002, 1000, 2000));
    }

    @Test
    void mapsEveryHashIntoTheDynamicPortRange() {
        for (int hash : new int[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 12345}) {
            assertThat(FlowHash.sourcePort(hash)).isBetween(49_152, 65_535);
        }
    }

    @Test
    void spreadsDifferentFlowsOverManyPorts() {
        long seed = 7_777L;
        Random random = new Random(seed);
        Set<Integer> ports4 = new HashSet<>();
        Set<Integer> ports6 = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            // Flows from one VM to one server differing only in the client port: the hard case for a weak hash.
            ports4.add(FlowHash.sourcePort(FlowHash.ipv4(IpProtocol.TCP, 0x0A00_0001, 0x0A00_0002, 32_768 + i, 443)));
            ports6.add(FlowHash.sourcePort(FlowHash.ipv6(IpProtocol.UDP, random.nextLong(), random.nextLong(),
                    0x2001_0DB8_0000_0000L, 1, random.nextInt(65_536), 53)));
        }
        // 10,000 flows into 16,384 ports: about 7,500 distinct ones if the hash is uniform.
        assertThat(ports4).as("seed %d", seed).hasSizeGreaterThan(7_000);
        assertThat(ports6).as("seed %d", seed).hasSizeGreaterThan(7_000);
    }

    @Test
    void changesWhenAnyFieldOfTheTupleChanges() {
        int base = FlowHash.ipv4(6, 1, 2, 3, 4);
        assertThat(FlowHash.ipv4(17, 1, 2, 3, 4)).isNotEqualTo(base);
        assertThat(FlowHash.ipv4(6, 9, 2, 3, 4)).isNotEqualTo(base);
        assertThat(FlowHash.ipv4(6, 1, 9, 3, 4)).isNotEqualTo(base);
        assertThat(FlowHash.ipv4(6, 1, 2, 9, 4)).isNotEqualTo(base);
        assertThat(FlowHash.ipv4(6, 1, 2, 3, 9)).isNotEqualTo(base);
        assertThat(FlowHash.ipv4(6, 2, 1, 4, 3)).as("each direction is its own flow").isNotEqualTo(base);
    }
}
