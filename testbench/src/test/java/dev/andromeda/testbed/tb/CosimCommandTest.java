package dev.andromeda.testbed.tb;

import dev.andromeda.testbed.hw.HardwareBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tb cosim} as CI runs it, and against broken hardware. */
class CosimCommandTest {

    private String runCapturing(int[] code, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            code[0] = Tb.commandLine().execute(args);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyBlockWithHardwarePassesOnEveryImplementation(@TempDir Path waves) {
        int[] code = {-1};
        String out = runCapturing(code, "cosim", "--seeds", "3", "--jobs", "24", "--wave-dir", waves.toString());
        assertThat(code[0]).as(out).isZero();
        assertThat(out).contains("csum_offload", "emu", "0  ");
        if (HardwareBackends.rtlRequired()) {
            assertThat(out).doesNotContain("unavailable").contains("rtl-jni", "rtl-ffm");
        }
    }

    @Test
    void catchesBrokenHardwareAndWritesTheFailingSeedsWaveform(@TempDir Path waves) throws Exception {
        int[] code = {-1};
        String out = runCapturing(code, "cosim", "--block", "csum_offload", "--impl", "mutant", "--seeds", "2",
                "--jobs", "16", "--wave-dir", waves.toString());
        assertThat(code[0]).as(out).isEqualTo(Tb.EXIT_MISMATCH);
        assertThat(out).contains("MISMATCH").contains("csum 0x");
        Path wave = waves.resolve("csum_offload-mutant-seed1.vcd");
        assertThat(wave).exists();
        assertThat(Files.readString(wave)).contains("$enddefinitions", "m_res_csum");
    }

    @Test
    void rejectsTheOracleAndUnknownNamesAsImplementations() {
        int[] code = {-1};
        runCapturing(code, "cosim", "--impl", "sw");
        assertThat(code[0]).isEqualTo(1);
        runCapturing(code, "cosim", "--block", "nope");
        assertThat(code[0]).isEqualTo(1);
    }
}
