package dev.andromeda.testbed.tb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.andromeda.testbed.hw.HardwareBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tb demo} at small size: every implementation runs and agrees with sw. */
class DemoCommandTest {

    @Test
    void everyImplementationAgreesWithSoftwareAndEveryChecksumVerifies(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo.json");
        int code = Tb.commandLine().execute("demo", "--packets", "300", "--seed", "99", "--json", out.toString());
        assertThat(code).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertThat(root.get("packets").asInt()).isEqualTo(300);
        int ran = 0;
        for (JsonNode run : root.get("runs")) {
            String impl = run.get("impl").asText();
            if (run.has("unavailable")) {
                assertThat(HardwareBackends.rtlRequired()).as(impl + ": " + run.get("unavailable")).isFalse();
                continue;
            }
            ran++;
            assertThat(run.get("agree").asInt()).as(impl).isEqualTo(300);
            assertThat(run.get("checksumsValid").asInt()).as(impl).isEqualTo(300);
            if (!impl.equals("sw")) {
                assertThat(run.get("hwCyclesPerPacket").asDouble()).as(impl).isGreaterThan(8);
            }
        }
        assertThat(ran).isGreaterThanOrEqualTo(2);
        if (HardwareBackends.rtlRequired()) {
            assertThat(ran).isEqualTo(4);
        }
    }

    @Test
    void helpListsTheCommands() {
        java.io.StringWriter s = new java.io.StringWriter();
        picocli.CommandLine cl = Tb.commandLine();
        cl.setOut(new java.io.PrintWriter(s));
        assertThat(cl.execute("--help")).isZero();
        assertThat(s.toString()).contains("demo", "offload", "bench", "impls", "test");
    }
}
