package example;

import dev.andromeda.testbed.hw.HardwareBackends;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.driver.AxiStreamSource;
import dev.andromeda.testbed.hw.driver.BusAgent;
import dev.andromeda.testbed.testkit.Dut;
import dev.andromeda.testbed.testkit.Scoreboard;
import dev.andromeda.testbed.testkit.coverage.CoverGroup;
import dev.andromeda.testbed.testkit.coverage.CoverageDat;
import dev.andromeda.testbed.testkit.coverage.Coverpoint;
import dev.andromeda.testbed.testkit.coverage.FunctionalCoverage;
import dev.andromeda.testbed.testkit.coverage.RunLength;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Coverage of the example block, checked with Verilator's own tool and not with the testkit's
 * reader: a first run sends no frame starting with DROP_BYTE, so the line that counts dropped
 * frames must be reported never hit, and the total must be above 0 and below 100 %; a second
 * run (the other bridge, another seed) drops K frames, and the two runs' files merged by
 * {@code verilator_coverage --write} must show that line hit exactly K times -- K counted by
 * the test from the frames it sent; the design's {@code cover property} (a dropped frame's
 * first beat) must count 0 and then K. The cover group the runs fill is checked against counts
 * the test keeps itself.
 */
class AxisFilterCoverageTest {
    private static final Path MANIFEST = Path.of("model.yaml");
    private static final int DROP = 0xFF;
    private static final String DROP_LINE = "dropped <= dropped + 32'd1;";
    private static final Pattern TOTAL = Pattern.compile("Total coverage \\((\\d+)/(\\d+)\\)");

    @BeforeAll
    static void needsVerilator() {
        boolean tools = onPath("verilator") && onPath("verilator_coverage") && onPath("g++") && onPath("make");
        if (!tools && HardwareBackends.rtlRequired()) {
            fail("the RTL is required here (CI=true or -Dtb.rtl.required=true): verilator, verilator_coverage, g++ and"
                    + " make are needed");
        }
        assumeTrue(tools, "verilator, verilator_coverage, g++ and make are needed to build the coverage model");
    }

    /** What a run sent, counted by the test. */
    record Sent(int frames, int dropped, int[] lengthBins) {
    }

    @Test
    void reportsTheUnexercisedDropLineThenCountsItExactlyOnceMerged(@TempDir Path dir) throws Exception {
        Path covDir = dir.resolve("coverage");
        Sent a = run("rtl-ffm", 21, false, covDir);
        List<Path> dats = dats(covDir);
        assertEquals(1, dats.size(), "one run, one coverage file: " + dats);

        // Verilator's tool on the first run alone.
        Path annA = dir.resolve("annotated-a");
        // --annotate-all: every source, also one fully covered (the merged run's is).
        String printed = tool("--annotate", annA.toString(), "--annotate-all", "--annotate-min", "1",
                dats.getFirst().toString());
        Matcher m = TOTAL.matcher(printed);
        assertTrue(m.find(), printed);
        long covered = Long.parseLong(m.group(1));
        long total = Long.parseLong(m.group(2));
        assertTrue(covered > 0 && covered < total, "nonzero and not complete: " + covered + "/" + total);
        assertEquals(0, dropLineCount(annA), "no frame started with DROP_BYTE: the drop line is never hit");
        assertEquals(0, userPointCount(dats.getFirst()), "the design's cover property: no dropped frame");
        assertTrue(countOf(annA, "m_axis_tvalid <= 1'b1;") >= a.frames(), "every passed frame's beats were sent on");

        // A second run, the other bridge and seed, with drops; both files summed by Verilator's tool.
        Sent b = run("rtl-jni", 22, true, covDir);
        assertTrue(b.dropped() > 0, "the second run drops frames");
        dats = dats(covDir);
        assertEquals(2, dats.size(), "a second run adds a file, it does not overwrite: " + dats);
        Path merged = dir.resolve("merged.dat");
        List<String> args = new ArrayList<>(List.of("--write", merged.toString()));
        dats.forEach(d -> args.add(d.toString()));
        tool(args.toArray(String[]::new));
        Path annM = dir.resolve("annotated-merged");
        tool("--annotate", annM.toString(), "--annotate-all", "--annotate-min", "1", merged.toString());
        assertEquals(b.dropped(), dropLineCount(annM), "the drop line, hit once per dropped frame of both runs");
        assertEquals(b.dropped(), userPointCount(merged), "the design's cover property, once per dropped frame");

        // The testkit's reader against the file itself: points by their page, counted as text.
        List<String> lines = Files.readAllLines(merged, StandardCharsets.ISO_8859_1);
        long linePoints = lines.stream().filter(l -> l.contains("v_line/") || l.contains("v_branch/")).count();
        long lineHit = lines.stream().filter(l -> (l.contains("v_line/") || l.contains("v_branch/")) && !l.endsWith("' 0"))
                .count();
        long togglePoints = lines.stream().filter(l -> l.contains("v_toggle/")).count();
        CoverageDat.BlockSummary s = CoverageDat.summarize(CoverageDat.read(merged)).getFirst();
        assertEquals("axis_filter", s.block());
        assertEquals(linePoints, s.lines().total());
        assertEquals(lineHit, s.lines().covered());
        assertEquals(togglePoints, s.toggles().total());
        assertEquals(1, s.user().total(), "one cover property");
        assertEquals(1, s.user().covered());
        assertTrue(s.toggles().covered() > 0 && s.toggles().covered() < s.toggles().total(), "toggles " + s.toggles());

        // The functional bins, written beside the .dat files and summed across the two runs.
        List<CoverGroup> groups = FunctionalCoverage.read(covDir);
        assertEquals(1, groups.size());
        Coverpoint first = groups.getFirst().points().stream().filter(p -> p.name().equals("first byte")).findFirst()
                .orElseThrow();
        assertEquals(b.dropped(), first.bins().get(1).hits(), "frames starting with DROP_BYTE");
        assertEquals(a.frames() + b.frames() - b.dropped(), first.bins().get(0).hits(), "frames passed");
        Coverpoint len = groups.getFirst().points().stream().filter(p -> p.name().equals("frame length")).findFirst()
                .orElseThrow();
        for (int i = 0; i < a.lengthBins().length; i++) {
            assertEquals(a.lengthBins()[i] + b.lengthBins()[i], len.bins().get(i).hits(), "length bin " + i);
        }
        assertEquals(0, len.outside());
    }

    /** One seeded run of random frames, idle cycles and back-pressure, with coverage on. */
    private static Sent run(String impl, long seed, boolean withDrops, Path covDir) {
        Random random = new Random(seed);
        int[] lengthBins = new int[3];
        int dropped = 0;
        int frames = 120;
        try (Dut dut = Dut.load(MANIFEST, impl, seed, "--coverage").coverage(covDir)) {
            CoverGroup g = dut.coverGroup("axis_filter frames");
            Coverpoint length = g.point("frame length").range("1-4", 1, 4).range("5-16", 5, 16).range("17-64", 17, 64);
            Coverpoint firstByte = g.point("first byte").bin("passes", 0).bin("DROP_BYTE", 1);
            RunLength stalls = new RunLength(g.point("m_axis stall run").range("1", 1, 1).range("2-3", 2, 3)
                    .range("4+", 4, Long.MAX_VALUE));
            AxiStreamSource in = dut.source("s_axis", 0.2);
            Scoreboard<AxiFrame> out = dut.scoreboard("m_axis", Scoreboard::sameFrame);
            dut.sink("m_axis", 0.4, out::actual);
            dut.add(stallWatch(dut.model(), stalls));
            dut.reset(4);
            for (int i = 0; i < frames; i++) {
                byte[] data = new byte[1 + random.nextInt(64)];
                random.nextBytes(data);
                boolean drop = withDrops && random.nextInt(4) == 0;
                data[0] = drop ? (byte) DROP : (byte) random.nextInt(DROP);
                in.send(AxiFrame.of(data));
                length.sample(data.length);
                firstByte.sample(drop);
                lengthBins[data.length <= 4 ? 0 : data.length <= 16 ? 1 : 2]++;
                if (drop) {
                    dropped++;
                } else {
                    out.expect(AxiFrame.of(data));
                }
            }
            dut.runUntil(() -> in.done() && out.drained(), 50_000);
            dut.cycles(4);
            stalls.end();
            out.assertDrained();
        }
        return new Sent(frames, dropped, lengthBins);
    }

    /** Back-pressure as the design saw it: m_axis_tvalid held while m_axis_tready is low. */
    private static BusAgent stallWatch(HardwareModel m, RunLength stalls) {
        int valid = m.port("m_axis_tvalid");
        int ready = m.port("m_axis_tready");
        return new BusAgent() {
            @Override
            public void beforeEdge(long cycle) {
            }

            @Override
            public void sample(long cycle) {
                stalls.cycle(m.get(valid) == 1 && m.get(ready) == 0);
            }
        };
    }

    private static List<Path> dats(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".dat")).sorted().toList();
        }
    }

    /** The count of the design's one user point ({@code cover property}), read from the file as text. */
    private static long userPointCount(Path dat) throws IOException {
        List<String> user = Files.readAllLines(dat, StandardCharsets.ISO_8859_1).stream()
                .filter(l -> l.contains("v_user/")).toList();
        assertEquals(1, user.size(), "one user cover point in " + dat);
        String l = user.getFirst();
        return Long.parseLong(l.substring(l.lastIndexOf('\'') + 1).trim());
    }

    /** The count verilator_coverage wrote in the margin of the drop line. */
    private static long dropLineCount(Path annotated) throws IOException {
        return countOf(annotated, DROP_LINE);
    }

    /** A margin is " 000012" (hit) or "%000000" (below --annotate-min), a tab, then the source line. */
    private static long countOf(Path annotated, String source) throws IOException {
        for (String l : Files.readAllLines(annotated.resolve("axis_filter.v"))) {
            int tab = l.indexOf('\t');
            if (tab == 7 && l.substring(tab + 1).trim().equals(source)) {
                return Long.parseLong(l.substring(1, 7));
            }
        }
        throw new AssertionError("no annotated line '" + source + "' in " + annotated.resolve("axis_filter.v"));
    }

    private static String tool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("verilator_coverage"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
