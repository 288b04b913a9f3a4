package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.tb.Unwrap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.andromeda.testbed.bridge.NativeModels;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.tools.ExternalTool;
import dev.andromeda.testbed.testkit.RtlModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tb sim} on the example block (examples/axis_filter) and on a block that stalls:
 * frames out as an oracle written here says, under rtl-jni and rtl-ffm with idle cycles and
 * back-pressure; refusals in one line before the run; a timeout naming the cycle and stream.
 */
class SimCommandTest {
    private static Path example;
    private static Path resources;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheToolchain() throws URISyntaxException {
        resources = Path.of(SimCommandTest.class.getResource("/rtl-build").toURI());
        example = Path.of("..", "examples", "axis_filter").toAbsolutePath().normalize();
        String cause = RtlModels.missingTools();
        if (cause == null) {
            cause = NativeModels.get().unavailabilityCause();
        }
        Backends.requireTool("the model build", cause);
    }

    private record Run(int code, String out, String err) {
    }

    private Run tb(String... args) {
        StringWriter err = new StringWriter();
        int[] code = new int[1];
        String stdout = InProcessTb.run(err, code, args);
        return new Run(code[0], stdout, err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtl-jni", "rtl-ffm"})
    void framesLeaveAsTheOracleSaysUnderIdleAndBackPressure(String impl) throws Exception {
        long seed = 0x51_0000L + impl.length();
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            byte[] data = new byte[1 + random.nextInt(40)];
            random.nextBytes(data);
            data[0] = random.nextInt(3) == 0 ? (byte) 0xFF : (byte) random.nextInt(255);
            String hex = HexFormat.of().formatHex(data);
            lines.add("{\"id\":\"f" + i + "\",\"stream\":\"s_axis\",\"data\":\"" + hex + "\"}");
            if ((data[0] & 0xFF) != 0xFF) {   // the filter's rule, from its datasheet comment
                expected.add(hex);
            }
        }
        Path in = Files.write(dir.resolve("frames.jsonl"), lines);
        Path out = dir.resolve("out.jsonl");
        Run r = tb("sim", "--manifest", example.resolve("model.yaml").toString(), "--impl", impl, "--in", in.toString(),
                "--out", out.toString(), "--backpressure", "0.4", "--idle", "0.3", "--seed", Long.toString(seed));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(Unwrap.of(r.err())).contains("60 frame(s) in (s_axis), " + expected.size() + " out (m_axis)");
        ObjectMapper json = new ObjectMapper();
        List<String> got = new ArrayList<>();
        long previousLast = -1;
        for (String line : Files.readAllLines(out)) {
            JsonNode n = json.readTree(line);
            assertThat(n.get("stream").asText()).isEqualTo("m_axis");
            long first = n.get("first_cycle").asLong();
            long last = n.get("last_cycle").asLong();
            assertThat(first).isLessThanOrEqualTo(last).isGreaterThan(previousLast);
            // A frame of n bytes is ceil(n/4) beats, at least that many cycles apart.
            int beats = (n.get("data").asText().length() / 2 + 3) / 4;
            assertThat(last - first + 1).isGreaterThanOrEqualTo(beats);
            previousLast = last;
            got.add(n.get("data").asText());
        }
        assertThat(got).as("seed %d", seed).containsExactlyElementsOf(expected);
    }

    @Test
    void writesAnFstWaveformWithTheResetOnTheModelledClock() throws Exception {
        Backends.requireTool("fst2vcd", ExternalTool.unavailabilityCause("gtkwave", "fst2vcd"));
        Path in = Files.writeString(dir.resolve("f.jsonl"), "{\"data\":\"0102030405\"}\n");
        Path wave = dir.resolve("run.fst");
        Run r = tb("sim", "--manifest", example.resolve("model.yaml").toString(), "--impl", "rtl-ffm", "--in",
                in.toString(), "--out", dir.resolve("o.jsonl").toString(), "--wave", wave.toString(), "--drain-cycles", "10");
        assertThat(r.code()).as(r.err()).isZero();
        ExternalTool.Run vcd = ExternalTool.run(List.of("fst2vcd", wave.toString()), dir, 60);
        assertThat(vcd.exitCode()).isZero();
        String text = vcd.output();
        assertThat(text).contains("1ps").contains("aresetn").contains("#0\n").contains("#2000\n").contains("#4000\n");
        assertThat(text).doesNotContain("#1\n");
        assertThat(dir.resolve("run.fst.vcd.tmp")).doesNotExist();
    }

    @Test
    void refusesAnUnknownStreamAndBadHexInOneLineBeforeTheRun() throws Exception {
        Path unknown = Files.writeString(dir.resolve("u.jsonl"), "{\"id\":\"a\",\"stream\":\"s_axis\",\"data\":\"00\"}\n"
                + "{\"id\":\"b\",\"stream\":\"x_axis\",\"data\":\"00\"}\n");
        Run r = tb("sim", "--manifest", example.resolve("model.yaml").toString(), "--impl", "rtl-ffm", "--in",
                unknown.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(Unwrap.of(r.err())).contains("line 2 (b): unknown stream 'x_axis'; input streams of axis_filter: s_axis")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();

        Path badHex = Files.writeString(dir.resolve("h.jsonl"), "{\"stream\":\"s_axis\",\"data\":\"0g\"}\n");
        r = tb("sim", "--manifest", example.resolve("model.yaml").toString(), "--impl", "rtl-ffm", "--in",
                badHex.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(Unwrap.of(r.err())).contains("h.jsonl:1: 'data' has a non-hex character 'g' at position 1")
                .doesNotContain("[rtl build]");

        r = tb("sim", "--manifest", example.resolve("model.yaml").toString(), "--impl", "emu", "--in", badHex.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(Unwrap.of(r.err())).contains("--impl must be rtl-jni or rtl-ffm");
    }

    @Test
    void aBlockThatNeverAnswersTimesOutNamingTheCycleAndTheStream() throws Exception {
        Path in = Files.writeString(dir.resolve("s.jsonl"), "{\"id\":\"one\",\"data\":\"11\"}\n{\"id\":\"two\",\"data\":\"22\"}\n");
        Run r = tb("sim", "--top", "stall", "--src", resources.resolve("stall").toString(), "--impl", "rtl-ffm",
                "--in", in.toString(), "--cycles-limit", "500", "--out", dir.resolve("o.jsonl").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(Unwrap.of(r.err())).contains("timeout: no end after 500 cycles (--cycles-limit), at cycle ")
                .contains("s_axis stalled: frame 'two' offered since cycle ")
                .contains("(s_axis_tready low)");
    }

    /**
     * A 128-bit stream whose outputs are its inputs, combinationally, both ways: wide tdata and
     * tkeep through several words, tuser/tdest carried, and no beat lost or doubled although the
     * ready a source sees is the sink's of the same cycle (the loop settles before sampling).
     */
    @Test
    void aWideCombinationalWireGivesBackEveryFrameWithItsSidebands() throws Exception {
        long seed = 128;
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] data = new byte[1 + random.nextInt(70)];
            random.nextBytes(data);
            String hex = HexFormat.of().formatHex(data);
            int user = random.nextInt(8);
            int dest = random.nextInt(16);
            lines.add("{\"id\":\"w" + i + "\",\"data\":\"" + hex + "\",\"user\":" + user + ",\"dest\":\"0x"
                    + Integer.toHexString(dest) + "\"}");
            expected.add(hex + "/" + user + "/" + dest);
        }
        Path in = Files.write(dir.resolve("wide.jsonl"), lines);
        Path out = dir.resolve("wide-out.jsonl");
        Run r = tb("sim", "--top", "wire128", "--src", resources.resolve("wire").toString(), "--reset", "none",
                "--impl", "rtl-ffm", "--in", in.toString(), "--out", out.toString(), "--backpressure", "0.5",
                "--idle", "0.3", "--seed", Long.toString(seed), "--drain-cycles", "20");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<String> got = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            JsonNode n = json.readTree(line);
            assertThat(n.has("id_field")).isFalse();   // no m_axis_tid port, no field
            got.add(n.get("data").asText() + "/" + n.get("user").asLong() + "/" + n.get("dest").asLong());
        }
        assertThat(got).as("seed %d", seed).containsExactlyElementsOf(expected);
    }
}
