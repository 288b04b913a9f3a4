package dev.andromeda.testbed.tb.cli;

import dev.andromeda.testbed.tb.Unwrap;
import dev.andromeda.testbed.bridge.ModelBuilder;
import dev.andromeda.testbed.bridge.ModelDescription;
import dev.andromeda.testbed.bridge.NativeModels;
import dev.andromeda.testbed.bridge.ffm.FfmModel;
import dev.andromeda.testbed.bridge.jni.JniModel;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.PortDirection;
import dev.andromeda.testbed.hw.PortInfo;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.testkit.RtlModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tb rtl build} on Verilog written here, outside rtl/: built by the command, opened by
 * path under rtl-jni and rtl-ffm, driven against oracles written in this test; and its refusals.
 */
class RtlBuildCommandTest {
    private static Path resources;

    @TempDir
    Path out;

    @BeforeAll
    static void needsTheToolchain() throws URISyntaxException {
        resources = Path.of(RtlBuildCommandTest.class.getResource("/rtl-build").toURI());
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

    private Path res(String p) {
        return resources.resolve(p);
    }

    private static final int WIDTH = 12;

    private Path buildAcc() {
        Run r = tb("rtl", "build", "--top", "acc", "--src", res("acc").toString(), "-G", "WIDTH=" + WIDTH,
                "--clock", "aclk", "--reset", "aresetn", "--reset-active-low", "--out", out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("[rtl build] acc:").contains("lint clean");
        return out;
    }

    @Test
    void describesTheBuiltModel() {
        ModelDescription d = ModelDescription.read(buildAcc());
        assertThat(d.top()).isEqualTo("acc");
        assertThat(d.library()).isEqualTo(out.resolve("libtbmodel_acc.so")).isRegularFile();
        assertThat(d.clock()).isEqualTo("aclk");
        assertThat(d.reset()).isEqualTo("aresetn");
        assertThat(d.resetActiveLow()).isTrue();
        assertThat(d.parameters()).containsExactlyEntriesOf(java.util.Map.of("WIDTH", "12"));
        assertThat(d.hash()).matches("[0-9a-f]{16}");
        assertThat(d.lintWarnings()).isZero();
        // Widths as the Verilog declares them, with WIDTH as set by -G.
        assertThat(d.ports()).extracting(PortInfo::name, PortInfo::width, PortInfo::direction).contains(
                org.assertj.core.groups.Tuple.tuple("din", WIDTH, PortDirection.IN),
                org.assertj.core.groups.Tuple.tuple("sum", WIDTH, PortDirection.OUT),
                org.assertj.core.groups.Tuple.tuple("wide_in", 96, PortDirection.IN),
                org.assertj.core.groups.Tuple.tuple("wide_out", 96, PortDirection.OUT),
                org.assertj.core.groups.Tuple.tuple("aclk", 1, PortDirection.IN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtl-jni", "rtl-ffm"})
    void accumulatorMatchesItsOracleOverSeededRandomCycles(String backend) {
        Path built = buildAcc();
        long seed = 0x5EED_0000L + backend.hashCode();
        Random rnd = new Random(seed);
        BigInteger mask96 = BigInteger.ONE.shiftLeft(96).subtract(BigInteger.ONE);
        try (HardwareModel m = open(backend, built)) {
            assertThat(m.block()).isEqualTo("acc");
            assertThat(m.backend()).isEqualTo(backend);
            int en = m.port("en"), din = m.port("din"), wideIn = m.port("wide_in"), aresetn = m.port("aresetn");
            int sum = m.port("sum"), wideOut = m.port("wide_out"), count = m.port("count");
            // The oracle: the accumulator as its Verilog says, in plain Java.
            long oSum = 0, oCount = 0;
            BigInteger oWide = BigInteger.ZERO;
            m.reset(2);
            long[] words = new long[2];
            for (int cycle = 0; cycle < 600; cycle++) {
                String at = backend + " cycle " + cycle + " seed " + seed;
                // A reset through the bridge now and then: the glue asserts aresetn at 0 for it.
                if (cycle % 150 == 149) {
                    m.reset(1);
                    oSum = 0;
                    oCount = 0;
                    oWide = BigInteger.ZERO;
                }
                boolean e = rnd.nextInt(4) != 0;
                boolean held = rnd.nextInt(40) == 0;    // aresetn driven low by hand, active low
                long d = rnd.nextLong() & ((1L << WIDTH) - 1);
                long lo = rnd.nextLong(), hi = rnd.nextLong() & 0xFFFF_FFFFL;
                m.set(en, e ? 1 : 0);
                m.set(din, d | (1L << WIDTH));          // a bit above the port's width is masked off
                m.setWide(wideIn, new long[] {lo, hi});
                m.set(aresetn, held ? 0 : 1);
                m.step();
                BigInteger in = BigInteger.valueOf(hi).shiftLeft(64).or(new BigInteger(Long.toUnsignedString(lo)));
                if (held) {
                    oSum = 0;
                    oCount = 0;
                    oWide = BigInteger.ZERO;
                } else if (e) {
                    oSum = (oSum + d) & ((1L << WIDTH) - 1);
                    oCount = (oCount + 1) & 0xFFFF_FFFFL;
                    BigInteger rot = in.shiftLeft(1).or(in.shiftRight(95)).and(mask96);
                    oWide = oWide.xor(rot);
                }
                assertThat(m.get(sum)).as("sum, " + at).isEqualTo(oSum);
                assertThat(m.get(count)).as("count, " + at).isEqualTo(oCount);
                m.getWide(wideOut, words);
                BigInteger got = BigInteger.valueOf(words[1] & 0xFFFF_FFFFL).shiftLeft(64)
                        .or(new BigInteger(Long.toUnsignedString(words[0])));
                assertThat(got).as("wide_out, " + at).isEqualTo(oWide);
                assertThat(words[1] >>> 32).as("bits above 96 of wide_out, " + at).isZero();
            }
            assertThat(m.cycle()).isEqualTo(2 + 600 + 4);
        }
    }

    private static HardwareModel open(String backend, Path built) {
        Function<Path, HardwareModel> opener = backend.equals("rtl-jni") ? JniModel::open : FfmModel::open;
        return opener.apply(built);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtl-jni", "rtl-ffm"})
    void systemVerilogFromAManifestWithAnIncludeFolderAndADefine(String backend) {
        Run r = tb("rtl", "build", "--manifest", res("incdef/model.yaml").toString(), "--out", out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        ModelDescription d = ModelDescription.read(out.resolve("incdef.model.properties"));
        assertThat(d.clock()).isEqualTo("clk");
        assertThat(d.resetActiveLow()).isFalse();
        Random rnd = new Random(42);
        try (HardwareModel m = open(backend, out.resolve("libtbmodel_incdef.so"))) {
            m.reset(2);
            assertThat(m.get(m.port("y"))).as("y after reset").isZero();
            for (int i = 0; i < 200; i++) {
                int a = rnd.nextInt(256);
                m.set(m.port("a"), a);
                m.step();
                // MAGIC from inc/consts.svh (8'h5A), INVERT from the manifest's defines.
                assertThat(m.get(m.port("y"))).as("y for a=" + a + " (seed 42, step " + i + ")")
                        .isEqualTo((~a ^ 0x5A) & 0xFF);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtl-jni", "rtl-ffm"})
    void aDesignWithoutAResetInput(String backend) {
        Run r = tb("rtl", "build", "--top", "norst", "--src", res("norst").toString(), "--reset", "none",
                "--out", out.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(ModelDescription.read(out).reset()).isEqualTo("none");
        Random rnd = new Random(7);
        try (HardwareModel m = open(backend, out)) {
            int d = m.port("d"), q = m.port("q");
            m.set(d, 1);
            long before = m.get(q);
            m.reset(3);   // no reset port: three plain cycles, each adding d
            assertThat(m.get(q)).isEqualTo((before + 3) & 0xFF);
            for (int i = 0; i < 100; i++) {
                int v = rnd.nextInt(256);
                long was = m.get(q);
                m.set(d, v);
                m.step();
                assertThat(m.get(q)).as("q after adding " + v + " (seed 7, step " + i + ")").isEqualTo((was + v) & 0xFF);
            }
        }
    }

    @Test
    void aLintWarningIsPrintedAndCountedAndTheModelStillBuilds() {
        for (int run = 0; run < 2; run++) {  // the second from the cache: the warning again, not silence
            Run r = tb("rtl", "build", "--top", "lintw", "--src", res("lint/lintw.v").toString(), "--out", out.toString());
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.err()).as("run " + run).contains("%Warning-UNUSED").contains("spare");
            assertThat(r.out()).as("run " + run).contains("lintw: 1 lint warning(s) from verilator -Wall");
            if (run == 1) {
                assertThat(r.out()).contains("cached");
            }
        }
        assertThat(ModelDescription.read(out).lintWarnings()).isEqualTo(1);
        assertThat(out.resolve("libtbmodel_lintw.so")).isRegularFile();
    }

    @Test
    void aSyntaxErrorExitsOneWithVerilatorsMessage() {
        Run r = tb("rtl", "build", "--top", "broken", "--src", res("syntax").toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("%Error: " + res("syntax/broken.v") + ":2:").contains("syntax error");
        assertThat(r.err() + r.out()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out.resolve("libtbmodel_broken.so")).doesNotExist();
    }

    @Test
    void aClockThatIsNotAPortIsOneLine() {
        Run r = tb("rtl", "build", "--top", "acc", "--src", res("acc/acc.v").toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(lines(Unwrap.of(r.err()))).containsExactly("tb rtl build: acc has no 1-bit input 'clk' for the clock"
                + " (--clock NAME); its ports: aclk, aresetn, en, din, sum, wide_in, wide_out, count");
    }

    @Test
    void badInputIsRefusedUpFrontInOneLine() {
        String acc = res("acc").toString();
        String o = out.toString();
        assertRefused(tb("rtl", "build", "--top", "acc", "--src", res("nope.v").toString(), "--out", o),
                "tb rtl build: no such file or folder: " + res("nope.v"));
        assertRefused(tb("rtl", "build", "--top", "accu", "--src", acc, "--out", o),
                "tb rtl build: no module 'accu' in the sources (acc.v)");
        assertRefused(tb("rtl", "build", "--top", "acc", "--src", acc, "-G", "WIDTH", "--clock", "aclk", "--out", o),
                "tb rtl build: bad parameter 'WIDTH' (expected NAME=VALUE, e.g. -G WIDTH=16)");
        assertRefused(tb("rtl", "build", "--src", acc),
                "tb: give --top TOP --src FILE|DIR... or --manifest FILE");
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void aParameterTheDesignRefusesIsOneLineBeforeAnyLoad() throws Exception {
        // The design's own check ($error in an initial block) aborts the process that first
        // evaluates the model: the build runs it in a child process and refuses in one line.
        String src = res("paramcheck").toString();
        String refusal = "pchk refuses its parameters (-G DEPTH=3) at pchk.v:10:"
                + " pchk: DEPTH must be a power of two, at least 2";
        for (int run = 0; run < 2; run++) {   // the second refused from the cache, at once
            Run r = tb("rtl", "build", "--top", "pchk", "--src", src, "-G", "DEPTH=3", "--out", out.toString());
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
            assertThat(lines(Unwrap.of(r.err()))).as("run " + run).containsExactly("tb rtl build: " + refusal);
            assertThat(r.err().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
            assertThat(out.resolve("libtbmodel_pchk.so")).doesNotExist();
        }
        // tb sim builds the same way: refused before it loads anything (a load would abort this JVM).
        Path in = Files.writeString(out.resolve("f.jsonl"), "{\"data\":\"00\"}\n");
        Run sim = tb("sim", "--top", "pchk", "--src", src, "-G", "DEPTH=3", "--impl", "rtl-ffm",
                "--in", in.toString());
        assertThat(sim.code()).as(sim.err()).isEqualTo(1);
        assertThat(lines(Unwrap.of(sim.err()))).containsExactly("tb sim: " + refusal);
        // The script's own status for it is bad input (2), as for a malformed -G.
        List<String> args = List.of("--top", "pchk", "--src", src, "-G", "DEPTH=3", "--out", out.toString());
        assertThat(ModelBuilder.run(args, l -> { }, l -> { })).isEqualTo(ModelBuilder.BAD_INPUT);
        // A value it accepts builds and loads.
        Run good = tb("rtl", "build", "--top", "pchk", "--src", src, "-G", "DEPTH=8", "--out", out.toString());
        assertThat(good.code()).as(good.out() + good.err()).isZero();
        try (HardwareModel m = FfmModel.open(out)) {
            m.reset(1);
            m.step();
            assertThat(m.get(m.port("q"))).isEqualTo(8);
        }
    }

    private static void assertRefused(Run r, String line) {
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(lines(Unwrap.of(r.err()))).first().isEqualTo(line);
        assertThat(r.out()).doesNotContain("verilating");
    }

    private static List<String> lines(String s) {
        List<String> l = new ArrayList<>();
        for (String x : s.split("\n")) {
            if (!x.isBlank()) {
                l.add(x);
            }
        }
        return l;
    }
}
