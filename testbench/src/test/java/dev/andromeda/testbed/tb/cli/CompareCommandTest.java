package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.tb.Unwrap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.hw.BlockClocks;
import dev.andromeda.testbed.hw.HardwareBackends;
import dev.andromeda.testbed.tb.Tb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tb compare} as a user runs it, in-process, small. */
class CompareCommandTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final StringWriter err = new StringWriter();

    /** Runs tb with the arguments; returns what it printed on stdout, the exit code in code[0]. */
    private String tb(int[] code, String... args) {
        return InProcessTb.run(err, code, args);
    }

    @Test
    void clockMhzModelsEveryBlockAtOneClockWhenAsked(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("c.json");
        int[] code = {-1};
        String out = tb(code, "compare", "--stage", "crypto", "--quick", "--jobs", "50", "--sizes", "64",
                "--impls", "sw,emu", "--clock-mhz", "250", "--json", json.toString(), "--chart",
                dir.resolve("c.png").toString());
        assertThat(code[0]).as(out + err).isZero();
        assertThat(out).contains("hw ns @250MHz (modelled, --clock-mhz)");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("clockMHz").asDouble()).isEqualTo(250.0);
        assertThat(root.get("stages").get(0).get("clockMHz").asDouble()).isEqualTo(250.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"checksum", "copy", "crypto"})
    void measuresEveryImplementationCorrectlyAndWritesJsonAndChart(String stage, @TempDir Path dir) throws Exception {
        Path json = dir.resolve("compare.json");
        Path chart = dir.resolve("compare.png");
        int[] code = {-1};
        String out = tb(code, "compare", "--stage", stage, "--quick", "--jobs", "50", "--sizes", "64,1500",
                "--impls", "sw,emu,rtl-ffm", "--json", json.toString(), "--chart", chart.toString());
        assertThat(code[0]).as(out + err).isZero();
        // Each block's hardware time at its own clock (from its synthesis), as tb demo models it.
        double mhz = BlockClocks.mhz(Stage.valueOf(stage.toUpperCase(java.util.Locale.ROOT)).block());
        assertThat(out).contains(stage + " stage", "CPU ns",
                String.format(java.util.Locale.ROOT, "hw ns @%.0fMHz (modelled, the block's own clock)", mhz),
                "break-even emu:", "chart (" + stage + "): " + chart.toAbsolutePath());
        // Fits 80 columns, as the other tables (it was ~107); the chart's path may not (a word is never split).
        for (String line : out.lines().toList()) {
            if (!line.startsWith("chart (") && !line.startsWith("JSON written")) {
                assertThat(line.length()).as("COLUMNS or 80: '%s'", line)
                        .isLessThanOrEqualTo(dev.andromeda.testbed.tb.report.TerminalWidth.get());
            }
        }

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("jobsPerSize").asInt()).isEqualTo(50);
        assertThat(root.has("clockMHz")).as("no one clock for all unless --clock-mhz asks").isFalse();
        assertThat(root.get("latencyWeight").asDouble()).isEqualTo(1.0);
        assertThat(root.get("stages")).hasSize(1);
        JsonNode s = root.get("stages").get(0);
        assertThat(s.get("stage").asText()).isEqualTo(stage);
        assertThat(s.get("clockMHz").asDouble()).isEqualTo(mhz);
        assertThat(s.get("chart").asText()).isEqualTo(chart.toAbsolutePath().toString());

        Set<String> ran = new HashSet<>();
        List<Integer> swSizes = new ArrayList<>();
        for (JsonNode c : s.get("costs")) {
            String impl = c.get("impl").asText();
            if (c.has("unavailable")) {
                assertThat(HardwareBackends.rtlRequired()).as(impl + ": " + c.get("unavailable")).isFalse();
                continue;
            }
            ran.add(impl);
            assertThat(c.get("jobs").asInt()).as(impl).isEqualTo(50);
            assertThat(c.get("correct").asBoolean()).as(impl + " " + c).isTrue();
            assertThat(c.get("wrong").asInt()).as(impl).isZero();
            assertThat(c.get("warmupJobs").asInt()).as(impl).isGreaterThanOrEqualTo(32);
            assertThat(c.get("cpuNsPerJob").asDouble()).as(impl).isPositive();
            if (impl.equals("sw")) {
                swSizes.add(c.get("size").asInt());
                assertThat(c.get("hwCyclesPerJob").asDouble()).isZero();
                assertThat(c.has("offloadGainNsPerJob")).isFalse();
            } else {
                double cycles = c.get("hwCyclesPerJob").asDouble();
                assertThat(cycles).as(impl).isGreaterThan(1);
                assertThat(c.get("hwNsPerJob").asDouble()).as(impl).isCloseTo(cycles * 1000 / mhz, org.assertj.core.data.Offset.offset(1e-6));
                assertThat(c.get("simWallNsPerJob").asDouble()).as(impl).isPositive();
                assertThat(c.has("offloadGainNsPerJob")).as(impl).isTrue();
            }
        }
        assertThat(swSizes).containsExactly(64, 1500);
        assertThat(ran).contains("sw", "emu");
        if (HardwareBackends.rtlRequired()) {
            assertThat(ran).contains("rtl-ffm");
        }
        Set<String> judged = new HashSet<>();
        for (JsonNode v : s.get("breakEven")) {
            judged.add(v.get("impl").asText());
            assertThat(v.get("verdict").asText()).isIn("always", "never", "at");
            assertThat(v.get("text").asText()).isNotBlank();
        }
        ran.remove("sw");
        assertThat(judged).isEqualTo(ran);

        assertThat(chart).exists();
        try (InputStream in = Files.newInputStream(chart)) {
            assertThat(in.readNBytes(PNG_SIGNATURE.length)).isEqualTo(PNG_SIGNATURE);
        }
        assertThat(Files.size(chart)).isGreaterThan(5_000);
    }

    @Test
    void aWrongResultIsCaughtAndExitsWithMismatch(@TempDir Path dir) {
        // "mutant" (test class path only): csum_offload's cycle model behind a faulty output bit.
        int[] code = {-1};
        String out = tb(code, "compare", "--stage", "checksum", "--impls", "mutant", "--jobs", "64", "--sizes", "64",
                "--warmup", "0", "--chart", dir.resolve("m.png").toString());
        assertThat(code[0]).as(out + err).isEqualTo(Tb.EXIT_MISMATCH);
        assertThat(out).contains("MISMATCH", "mutant at 64 B:", "RFC 1071 says");
        assertThat(out).containsPattern("64  sw .* 64/64");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--stage|nope|--stage: no stage 'nope'; stages: checksum, copy, crypto",
            "--impls|sw,bogus|--impls: no checksum implementation named 'bogus'",
            "--sizes|64,0|--sizes: 0 is outside 1..9000 bytes",
            "--sizes|9001|--sizes: 9001 is outside 1..9000 bytes",
            "--sizes|big|Invalid value for option '--sizes'",
            "--jobs|0|--jobs must be at least 1, was 0",
            "--latency-weight|-1|--latency-weight must be a finite number at least 0",
            "--clock-mhz|0|--clock-mhz must be a positive number",
            "--warmup|-1|--warmup must be at least 0"})
    void badInputIsAUsageErrorWithAClearMessage(String option, String value, String message) {
        int[] code = {-1};
        String out = tb(code, "compare", "--stage", "checksum", option, value);
        assertThat(code[0]).as(out + err).isEqualTo(Tb.EXIT_USAGE);
        assertThat(Unwrap.of(err)).contains(message).contains("tb compare --help");
        assertThat(out).doesNotContain("stage (");
    }

    @Test
    void measuresTheChecksumInlineOnTheNicAgainstRfc1071(@TempDir Path dir) {
        int[] code = {-1};
        String out = tb(code, "compare", "--stage", "checksum", "--quick", "--jobs", "40", "--sizes", "64,1500",
                "--impls", "nic-emu", "--chart", dir.resolve("c.png").toString());
        assertThat(code[0]).as(out + err).isZero();
        assertThat(out).contains("nic-emu").contains("40/40");
        // What the inline checksum adds to the NIC's send: measured with and without CSUM_INSERT,
        // the cycles are the same (the NIC's checksum block is store-and-forward in the path anyway).
        assertThat(out).contains("What the inline NIC buys").contains("break-even inline nic-emu:");
        assertThat(out.lines().filter(l -> l.matches("\\s+(64|1,500)\\s+inline\\s+nic-emu\\s+\\S+\\s+0\\.0\\s.*")))
                .as(out).hasSize(2);
        assertThat(out.lines().filter(l -> l.length() > 80)).as(out).isEmpty();
    }

    @Test
    void measuresThePspSealInlineOnTheNicAgainstTheJdk(@TempDir Path dir) {
        int[] code = {-1};
        String out = tb(code, "compare", "--stage", "crypto", "--quick", "--jobs", "40", "--sizes", "64,1500",
                "--impls", "nic-emu", "--chart", dir.resolve("c.png").toString());
        assertThat(code[0]).as(out + err).isZero();
        // 40/40: every frame on the wire is the JDK's seal of the same header and text.
        assertThat(out).contains("nic-emu").contains("40/40").contains("break-even inline nic-emu:");
        assertThat(out.lines().filter(l -> l.length() > 80)).as(out).isEmpty();
    }

    @Test
    void theNicDoesNoCopy() {
        int[] code = {-1};
        String out = tb(code, "compare", "--stage", "copy", "--impls", "nic-emu");
        assertThat(code[0]).as(out + err).isEqualTo(Tb.EXIT_USAGE);
        assertThat(err.toString()).contains("'nic-emu' does the checksum and crypto stages only");
    }

    @Test
    void isListedInTheHelp() {
        StringWriter s = new StringWriter();
        picocli.CommandLine cl = Tb.commandLine();
        cl.setOut(new PrintWriter(s));
        assertThat(cl.execute("--help")).isZero();
        assertThat(s.toString()).contains("compare");
    }
}
