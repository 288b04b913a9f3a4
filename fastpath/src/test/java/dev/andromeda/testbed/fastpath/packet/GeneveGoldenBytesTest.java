package dev.andromeda.testbed.fastpath.packet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * GENEVE encapsulation against bytes written apart from the code under test,
 * and against tshark's GENEVE dissector (an independent decoder).
 *
 * <p>The golden outer headers were laid out by hand from RFC 8926 §3 (and RFC
 * 791, 768) and their IPv4 checksum computed by RFC 1071 in a separate script,
 * not by this project's code: outer Ethernet 02:bb:00:00:00:02 &lt;-
 * 02:aa:00:00:00:01 type 0x0800; IPv4 version 4, IHL 5, TOS 0, total length
 * 36 + 66 = 102, identification 0, DF, TTL 61, protocol 17, checksum 0xe563,
 * 172.16.0.1 -&gt; 172.16.0.2; UDP 51000 -&gt; 6081, length 82, checksum 0 (RFC
 * 8926 §3.3); GENEVE version 0, option length 0, O and C clear, protocol type
 * 0x6558 (Transparent Ethernet Bridging), VNI 0x00beef, reserved 0.
 */
class GeneveGoldenBytesTest {
    /** A 66-byte inner frame: Ethernet, IPv4 10.0.0.1 -> 10.0.0.2, UDP 40000 -> 5000, 24 bytes of text. */
    private static final String INNER = "020000000102020000000101080045000034000140004011"
            + "26b60a0000010a0000029c4013880020761f676f6c64656e2062797465732c2072666320383932362121";
    private static final String OUTER = "02bb0000000202aa00000001080045000066000040003d11e563ac100001ac100002"
            + "c73817c1005200000000655800beef00";

    private static GeneveEncap.OuterHeaders tunnel() {
        return new GeneveEncap.OuterHeaders()
                .srcMac(0x02_AA_00_00_00_01L).dstMac(0x02_BB_00_00_00_02L)
                .srcIp(0xAC10_0001).dstIp(0xAC10_0002)
                .ttl(61).udpSourcePort(51_000).vni(0x00BEEF);
    }

    private static byte[] encapsulated() {
        byte[] inner = HexFormat.of().parseHex(INNER);
        try (PacketPool pool = new PacketPool(1, 2048)) {
            int buffer = pool.allocate();
            long at = pool.frameOffset(buffer);
            MemorySegment m = pool.memory();
            MemorySegment.copy(inner, 0, m, ValueLayout.JAVA_BYTE, at, inner.length);
            long frame = GeneveEncap.encapsulate(m, at, inner.length, tunnel());
            return m.asSlice(frame, inner.length + GeneveEncap.ENCAP_OVERHEAD).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Test
    void theOuterHeadersAreTheRfc8926BytesWrittenByHand() {
        assertThat(HexFormat.of().formatHex(encapsulated())).isEqualTo(OUTER + INNER);
    }

    @Test
    void tsharkDecodesTheFrameAsGeneveCarryingTheInnerFrame(@TempDir Path dir) throws Exception {
        boolean tshark = new ProcessBuilder("sh", "-c", "command -v tshark").start().waitFor() == 0;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(tshark).as("tshark must be installed in CI (.ci/run installs it)").isTrue();
        }
        assumeTrue(tshark, "tshark is not installed (sudo apt-get install -y tshark)");
        byte[] frame = encapsulated();
        Path pcap = dir.resolve("geneve.pcap");
        // A classic pcap written here by hand (24-byte file header, 16-byte record header, Ethernet link type).
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + frame.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65_535).putInt(1);
        b.putInt(1_764_720_000).putInt(0).putInt(frame.length).putInt(frame.length).put(frame);
        Files.write(pcap, b.array());

        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-o", "ip.check_checksum:TRUE",
                "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=;", "-e", "frame.protocols",
                "-e", "geneve.version", "-e", "geneve.vni", "-e", "geneve.proto_type", "-e", "geneve.flags",
                "-e", "ip.checksum.status", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "_ws.expert.severity")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String> f = List.of(out.split(";", -1));
        assertThat(f).as(out).hasSize(9);
        assertThat(f.get(0)).as("protocols").isEqualTo("eth:ethertype:ip:udp:geneve:eth:ethertype:ip:udp:data");
        assertThat(f.get(1)).as("GENEVE version").isEqualTo("0");
        assertThat(f.get(2)).as("VNI").isEqualTo("0x00beef");
        assertThat(f.get(3)).as("protocol type").isEqualTo("0x6558");
        assertThat(f.get(4)).as("flags: O and C clear").isEqualTo("0x00");
        assertThat(f.get(5)).as("outer and inner IPv4 checksum status (1 = good)").isEqualTo("1,1");
        assertThat(f.get(6)).as("UDP source ports, outer then inner").isEqualTo("51000,40000");
        assertThat(f.get(7)).as("UDP destination ports, outer then inner").isEqualTo("6081,5000");
        assertThat(f.get(8)).as("tshark's expert findings").isEmpty();
    }
}
