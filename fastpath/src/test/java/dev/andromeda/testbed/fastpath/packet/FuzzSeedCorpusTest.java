package dev.andromeda.testbed.fastpath.packet;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzz seeds are only worth having while they are well-formed frames of
 * the kinds they are named after; this keeps them so when the parser changes.
 */
class FuzzSeedCorpusTest {
    private static final String DIRECTORY = "PacketParserFuzzTestInputs/fuzz/";

    private static byte[] seed(String name) throws IOException {
        try (InputStream in = FuzzSeedCorpusTest.class.getResourceAsStream(DIRECTORY + name)) {
            assertThat(in).as("seed %s on the test class path", name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void everySeedIsAWellFormedFrameOfItsKind() throws IOException {
        record Kind(int ipVersion, int protocol, boolean geneve, boolean laterFragment, int vlanId) {
        }
        Map<String, Kind> seeds = Map.of(
                "ipv4-udp", new Kind(4, IpProtocol.UDP, false, false, -1),
                "ipv4-options-tcp", new Kind(4, IpProtocol.TCP, false, false, -1),
                "ipv6-extension-headers-tcp", new Kind(6, IpProtocol.TCP, false, false, -1),
                "ipv6-icmpv6-echo", new Kind(6, IpProtocol.ICMPV6, false, false, -1),
                "vlan-ipv4-udp", new Kind(4, IpProtocol.UDP, false, false, 100),
                "qinq-ipv6-udp", new Kind(6, IpProtocol.UDP, false, false, 10),
                "geneve-ipv4-udp", new Kind(4, IpProtocol.UDP, true, false, -1),
                "ipv4-first-fragment-udp", new Kind(4, IpProtocol.UDP, false, false, -1),
                "ipv4-later-fragment", new Kind(4, IpProtocol.TCP, false, true, -1),
                "ipv6-later-fragment", new Kind(6, IpProtocol.UDP, false, true, -1));
        ParsedPacket p = new ParsedPacket();
        for (var entry : seeds.entrySet()) {
            byte[] frame = seed(entry.getKey());
            Kind kind = entry.getValue();
            assertThat(PacketParser.parse(MemorySegment.ofArray(frame), 0, frame.length, p)).as(entry.getKey())
                    .isEqualTo(DropReason.NONE);
            assertThat(p.ipVersion()).as(entry.getKey()).isEqualTo(kind.ipVersion());
            assertThat(p.protocol()).as(entry.getKey()).isEqualTo(kind.protocol());
            assertThat(p.isGeneve()).as(entry.getKey()).isEqualTo(kind.geneve());
            assertThat(p.isFragment() && !p.isFirstFragment()).as(entry.getKey()).isEqualTo(kind.laterFragment());
            assertThat(p.vlanId()).as(entry.getKey()).isEqualTo(kind.vlanId());
        }
    }
}
