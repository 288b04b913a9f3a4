package dev.andromeda.testbed.tb.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.andromeda.testbed.bridge.NativeModels;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.tools.ExternalTool;
import dev.andromeda.testbed.testkit.RtlModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tb coverage} over what {@code tb sim --coverage} (the example block's coverage build)
 * and {@code tb cosim --coverage} (cover groups) wrote: per-run files merged, the summary
 * checked against the merged file read as text, the cover groups' sample counts against the
 * jobs the runs were asked for; and the refusals, in one line, when there is nothing to report.
 */
class CoverageCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run tb(String... args) {
        StringWriter err = new StringWriter();
        int[] code = new int[1];
        String stdout = InProcessTb.run(err, code, args);
        return new Run(code[0], stdout, err.toString());
    }

    private static void needsTheToolchain() {
        String cause = RtlModels.missingTools();
        if (cause == null) {
            cause = ExternalTool.unavailabilityCause("verilator", "verilator_coverage");
        }
        if (cause == null) {
            cause = NativeModels.get().unavailabilityCause();
        }
        Backends.requireTool("the coverage model build", cause);
    }

    @Test
    void refusesAMissingOrEmptyFolderInOneLine() throws Exception {
        Run missing = tb("coverage", "--dir", dir.resolve("none").toString());
        assertThat(missing.code()).isEqualTo(1);
        // Errors wrap at the terminal's width, continuation lines indented: joined, the reason is one line.
        String joined = missing.err().replace("\n  ", " ");
        assertThat(joined).startsWith("tb: no coverage folder ").contains("tb cosim --coverage");
        assertThat(joined.lines().count()).isEqualTo(2);   // the reason, then "Run ... --help"
        assertThat(missing.err().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        Files.createDirectories(dir.resolve("empty"));
        Run empty = tb("coverage", "--dir", dir.resolve("empty").toString());
        assertThat(empty.code()).isEqualTo(1);
        assertThat(empty.err()).startsWith("tb: no coverage data in ");
    }

    @Test
    void mergesTheRunsOfTbSimAndSummarizesTheBlockAsTheMergedFileSays() throws Exception {
        needsTheToolchain();
        Path example = Path.of("..", "examples", "axis_filter").toAbsolutePath().normalize();
        Path cov = dir.resolve("cov");
        int runs = 0;
        for (String impl : List.of("rtl-ffm", "rtl-jni")) {
            Path in = frames(dir.resolve(impl + ".jsonl"), impl.length());
            Run sim = tb("sim", "--manifest", example.resolve("model.yaml").toString(), "--impl", impl,
                    "--in", in.toString(), "--out", dir.resolve(impl + ".out").toString(), "--backpressure", "0.3",
                    "--coverage", cov.toString());
            assertThat(sim.code()).as(sim.err()).isZero();
            runs++;
        }
        try (Stream<Path> s = Files.list(cov)) {
            assertThat(s.filter(p -> p.toString().endsWith(".dat")).count()).as("one file per run").isEqualTo(runs);
        }
        Path json = dir.resolve("cov.json");
        Run report = tb("coverage", "--dir", cov.toString(), "--json", json.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(report.out()).contains("axis_filter").contains("verilator_coverage total");
        report.out().lines().forEach(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));

        // The oracle: the merged file itself, its points told apart by their page as text.
        List<String> merged = Files.readAllLines(cov.resolve("merged.dat"), StandardCharsets.ISO_8859_1);
        long lineTotal = merged.stream().filter(CoverageCommandTest::linePoint).count();
        long lineHit = merged.stream().filter(l -> linePoint(l) && !l.endsWith("' 0")).count();
        long toggleTotal = merged.stream().filter(l -> l.contains("v_toggle/")).count();
        long toggleHit = merged.stream().filter(l -> l.contains("v_toggle/") && !l.endsWith("' 0")).count();
        JsonNode block = new ObjectMapper().readTree(json.toFile()).get("blocks").get(0);
        assertThat(block.get("block").asText()).isEqualTo("axis_filter");
        assertThat(block.get("runs").asInt()).isEqualTo(runs);
        assertThat(block.at("/line/total").asLong()).isEqualTo(lineTotal).isPositive();
        assertThat(block.at("/line/covered").asLong()).isEqualTo(lineHit).isPositive();
        assertThat(block.at("/toggle/total").asLong()).isEqualTo(toggleTotal);
        assertThat(block.at("/toggle/covered").asLong()).isEqualTo(toggleHit).isPositive().isLessThan(toggleTotal);
        assertThat(cov.resolve("annotated").resolve("axis_filter.v")).exists();
    }

    private static boolean linePoint(String l) {
        return l.contains("v_line/") || l.contains("v_branch/");
    }

    /** Frames for the example filter, a quarter of them starting with its DROP_BYTE. */
    private static Path frames(Path file, long seed) throws Exception {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] data = new byte[1 + r.nextInt(30)];
            r.nextBytes(data);
            data[0] = r.nextInt(4) == 0 ? (byte) 0xFF : (byte) r.nextInt(255);
            lines.add("{\"id\":\"f" + i + "\",\"stream\":\"s_axis\",\"data\":\"" + HexFormat.of().formatHex(data) + "\"}");
        }
        return Files.write(file, lines);
    }

    @Test
    void sumsTheCoverGroupsOfEveryCosimSeed() throws Exception {
        Path cov = dir.resolve("cov");
        int seeds = 3;
        int jobs = 7;
        Run cosim = tb("cosim", "--block", "csum_offload", "--impl", "emu", "--seeds", "" + seeds, "--jobs", "" + jobs,
                "--coverage", cov.toString());
        assertThat(cosim.code()).as(cosim.err()).isZero();
        Path json = dir.resolve("cov.json");
        Run report = tb("coverage", "--dir", cov.toString(), "--json", json.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(report.out()).contains("(only cover groups)").contains("csum_offload jobs");
        JsonNode group = new ObjectMapper().readTree(json.toFile()).get("functional").get(0);
        assertThat(group.get("group").asText()).isEqualTo("csum_offload jobs");
        for (JsonNode p : group.get("points")) {
            long samples = p.get("outside").asLong();
            for (JsonNode b : p.get("bins")) {
                samples += b.get("hits").asLong();
            }
            boolean perSeed = p.get("name").asText().endsWith("%");   // idle %, back-pressure %: a seed's conditions
            assertThat(samples).as(p.get("name").asText()).isEqualTo(perSeed ? seeds : (long) seeds * jobs);
            assertThat(p.get("outside").asLong()).as(p.get("name").asText()).isZero();
        }
    }
}
