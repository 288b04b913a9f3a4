package example;

import dev.andromeda.testbed.hw.HardwareBackends;
import dev.andromeda.testbed.hw.driver.AxiFrame;
import dev.andromeda.testbed.hw.driver.AxiStreamSource;
import dev.andromeda.testbed.testkit.Dut;
import dev.andromeda.testbed.testkit.Scoreboard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        boolean tools = onPath("verilator") && onPath("g++") && onPath("make");
        if (!tools && HardwareBackends.rtlRequired()) {
            fail("the RTL is required here (CI=true or -Dtb.rtl.required=true): verilator, g++ and make are needed");
        }
        assumeTrue(tools, "verilator, g++ and make are needed to build the model");
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

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
