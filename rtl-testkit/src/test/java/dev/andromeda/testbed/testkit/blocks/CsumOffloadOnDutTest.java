package dev.andromeda.testbed.testkit.blocks;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.contract.Rfc1071;
import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.driver.AxiStreamSource;
import dev.andromeda.testbed.hw.driver.BeatQueue;
import dev.andromeda.testbed.hw.driver.Channel;
import dev.andromeda.testbed.testkit.Dut;
import dev.andromeda.testbed.testkit.Scoreboard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Random;

/**
 * The built-in checksum block written as a user would test their own RTL: Dut, the AXI-stream
 * agents bound by prefix, a command source and a result sink on plain valid/ready channels,
 * two scoreboards, against RFC 1071's reference sum -- on the Java model and both bridges.
 */
class CsumOffloadOnDutTest {

    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({"emu, 1", "rtl-jni, 2", "rtl-ffm, 3"})
    void insertsAndReportsTheRfc1071ChecksumOfEveryPacket(String impl, long seed) {
        Random random = new Random(seed);
        HardwareModel model = Backends.open(impl, "csum_offload");
        try (Dut dut = Dut.of(model, seed).wavesOnFailure(Path.of("target/waves"))) {
            BeatQueue commands = dut.beats(Channel.of(model, "s_cmd", "s_cmd_valid", "s_cmd_ready",
                    "s_cmd_csum_start", "s_cmd_csum_offset", "s_cmd_csum_enable", "s_cmd_csum_init",
                    "s_cmd_csum_udp"), 0.2);
            AxiStreamSource packets = dut.source("s_axis", 0.2);
            Scoreboard<AxiFrame> out = dut.scoreboard("m_axis", Scoreboard::sameFrame);
            dut.sink("m_axis", 0.3, out::actual);
            Scoreboard<String> results = dut.scoreboard("m_res", Objects::equals);
            dut.take(Channel.of(model, "m_res", "m_res_valid", "m_res_ready", "m_res_csum", "m_res_status"), 0.3,
                    (f, cycle) -> results.actual(result(f[0], f[1])));
            dut.reset(4);
            for (int i = 0; i < 120; i++) {
                byte[] data = new byte[2 + random.nextInt(400)];
                random.nextBytes(data);
                int start = random.nextInt(data.length);
                boolean insert = random.nextBoolean();
                int at = random.nextInt(data.length - 1);
                int init = random.nextInt(0x10000);
                boolean udp = random.nextBoolean();
                // The oracle: RFC 1071 section 4.1 on the bytes, RFC 768's zero rule for UDP.
                int word = Rfc1071.transmitted(Rfc1071.checksum(data, start, init), udp);
                commands.add(start, at, insert ? 1 : 0, init, udp ? 1 : 0);
                packets.send(AxiFrame.of(data));
                out.expect(AxiFrame.of(insert ? Rfc1071.withWord(data, at, word) : data));
                results.expect(result(word, 0));
            }
            dut.runUntil(() -> packets.done() && out.drained() && results.drained(), 400_000);
            out.assertDrained();
            results.assertDrained();
        }
    }

    private static String result(long csum, long status) {
        return "csum 0x" + Long.toHexString(csum) + " status " + status;
    }
}
