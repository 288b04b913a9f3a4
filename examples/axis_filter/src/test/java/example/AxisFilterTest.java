package example;

import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.driver.AxiStreamSource;
import dev.andromeda.testbed.testkit.Dut;
import dev.andromeda.testbed.testkit.RtlModels;
import dev.andromeda.testbed.testkit.Scoreboard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example block against an oracle written here: a frame whose first byte is DROP_BYTE
 * vanishes, every other frame comes out unchanged and in order, and {@code dropped} counts
 * the vanished ones. Random frames, idle cycles and back-pressure, all from one seed.
 */
class AxisFilterTest {
    private static final Path MANIFEST = Path.of("model.yaml");
    private static final int DROP = 0xFF;

    @BeforeAll
    static void needsVerilator() {
        RtlModels.requireTools(); // fails under CI=true, skips elsewhere, naming what is missing
    }

    @ParameterizedTest(name = "{0}, DATA_BYTES={1}, seed {2}")
    @CsvSource({"rtl-ffm, 4, 1", "rtl-jni, 4, 2", "rtl-ffm, 8, 3", "rtl-jni, 8, 4"})
    void passesEveryFrameButTheDroppedOnesInOrder(String impl, int dataBytes, long seed) {
        Random random = new Random(seed);
        try (Dut dut = Dut.load(MANIFEST, impl, seed, "-G", "DATA_BYTES=" + dataBytes)
                .wavesOnFailure(Path.of("target/waves"))) {
            AxiStreamSource in = dut.source("s_axis", 0.2);
            Scoreboard<AxiFrame> out = dut.scoreboard("m_axis", Scoreboard::sameFrame);
            dut.sink("m_axis", 0.3, out::actual);
            dut.reset(4);
            int dropped = 0;
            for (int i = 0; i < 200; i++) {
                byte[] data = new byte[1 + random.nextInt(3 * dataBytes + 5)];
                random.nextBytes(data);
                data[0] = random.nextInt(4) == 0 ? (byte) DROP : (byte) random.nextInt(DROP);
                in.send(AxiFrame.of(data));
                // The oracle: the filter as its comment says, nothing of the RTL's.
                if ((data[0] & 0xFF) == DROP) {
                    dropped++;
                } else {
                    out.expect(AxiFrame.of(data));
                }
            }
            dut.runUntil(() -> in.done() && out.drained(), 50_000);
            dut.cycles(4);
            out.assertDrained();
            assertEquals(dropped, dut.model().get(dut.model().port("dropped")), "dropped frames, seed " + seed);
        }
    }

    /**
     * The test API's failure path: a scoreboard difference fails the test and keeps the waveform
     * of the run up to it; a run that passes leaves none.
     */
    @org.junit.jupiter.api.Test
    void aDifferenceKeepsTheWaveformAndAPassLeavesNone(@org.junit.jupiter.api.io.TempDir Path waves) throws Exception {
        long seed = 9;
        Path kept = waves.resolve("axis_filter-rtl-ffm-seed9.vcd");
        try (Dut dut = Dut.load(MANIFEST, "rtl-ffm", seed).wavesOnFailure(waves)) {
            AxiStreamSource in = dut.source("s_axis", 0);
            Scoreboard<AxiFrame> out = dut.scoreboard("m_axis", Scoreboard::sameFrame);
            dut.sink("m_axis", 0, out::actual);
            dut.reset(2);
            in.send(AxiFrame.of(new byte[] {1, 2, 3}));
            out.expect(AxiFrame.of(new byte[] {1, 2, 4}));     // wrong on purpose
            AssertionError e = assertThrows(AssertionError.class, () -> dut.runUntil(out::drained, 100));
            assertTrue(e.getMessage().contains("m_axis: item 0 differs"), e.getMessage());
            assertTrue(dut.failure() != null);
        }
        assertTrue(Files.size(kept) > 0, "the failing run's waveform is kept");
        String vcd = Files.readString(kept);
        assertTrue(vcd.contains("aresetn") && vcd.contains("$timescale 1ps $end"), "a waveform with the reset");
        Files.delete(kept);
        try (Dut dut = Dut.load(MANIFEST, "rtl-ffm", seed).wavesOnFailure(waves)) {
            AxiStreamSource in = dut.source("s_axis", 0);
            Scoreboard<AxiFrame> out = dut.scoreboard("m_axis", Scoreboard::sameFrame);
            dut.sink("m_axis", 0, out::actual);
            dut.reset(2);
            in.send(AxiFrame.of(new byte[] {1, 2, 3}));
            out.expect(AxiFrame.of(new byte[] {1, 2, 3}));
            dut.runUntil(out::drained, 100);
        }
        assertFalse(Files.exists(kept), "a passing run leaves no waveform");
    }

    /**
     * {@code Dut.lockstep}: the FFM and the JNI model of the same build, every output compared
     * every cycle, reset through the top's own active-low {@code aresetn} (the lockstep pair
     * replays a reset through its inputs; it drove a port named {@code rst} and failed on any
     * other top). The filter's oracle as above, and the reset must clear the {@code dropped}
     * count a first run left.
     */
    @org.junit.jupiter.api.Test
    void runsInLockstepAcrossBothBridgesWithItsOwnActiveLowReset(@org.junit.jupiter.api.io.TempDir Path waves) {
        long seed = 11;
        Random random = new Random(seed);
        dev.andromeda.testbed.bridge.ModelDescription d = dev.andromeda.testbed.testkit.RtlModels.build(MANIFEST);
        try (Dut dut = Dut.lockstep(() -> Dut.open(d, "rtl-ffm"), () -> Dut.open(d, "rtl-jni"), waves, seed)) {
            assertEquals("aresetn", dut.model().resetPort(), "the manifest's reset");
            assertTrue(dut.model().resetActiveLow(), "aresetn asserts at 0");
            AxiStreamSource in = dut.source("s_axis", 0.2);
            Scoreboard<AxiFrame> out = dut.scoreboard("m_axis", Scoreboard::sameFrame);
            dut.sink("m_axis", 0.3, out::actual);
            dut.reset(4);
            for (int round = 0; round < 2; round++) {
                int dropped = 0;
                for (int i = 0; i < 60; i++) {
                    byte[] data = new byte[1 + random.nextInt(17)];
                    random.nextBytes(data);
                    data[0] = random.nextInt(3) == 0 ? (byte) DROP : (byte) random.nextInt(DROP);
                    in.send(AxiFrame.of(data));
                    if ((data[0] & 0xFF) == DROP) {
                        dropped++;
                    } else {
                        out.expect(AxiFrame.of(data));
                    }
                }
                dut.runUntil(() -> in.done() && out.drained(), 20_000);
                dut.cycles(4);
                out.assertDrained();
                assertEquals(dropped, dut.model().get(dut.model().port("dropped")),
                        "dropped frames in round " + round + " (each after a reset), seed " + seed);
                dut.reset(4);
                assertEquals(0, dut.model().get(dut.model().port("dropped")), "the reset clears the count");
            }
        }
    }
}
