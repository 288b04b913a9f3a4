package dev.andromeda.testbed.tb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tb control-scale} as a user runs it. */
class ControlScaleCommandTest {

    private JsonNode run(Path dir, String model, int vms, int hosts) throws Exception {
        Path out = dir.resolve(model + ".json");
        int code = Tb.commandLine().execute("control-scale", "--model", model, "--vms", "" + vms, "--hosts", "" + hosts,
                "--partitions", "8", "--program-latency", "20", "--json", out.toString());
        assertThat(code).isZero();
        return new ObjectMapper().readTree(out.toFile());
    }

    @Test
    void reportsFlowsSecondsAndPeakHeapAndHowFlowsAreCounted(@TempDir Path dir) throws Exception {
        JsonNode r = run(dir, "hoverboard", 4000, 1000);
        assertThat(r.get("flows").asLong()).isPositive();
        assertThat(r.get("seconds").asDouble()).isNotNegative();
        assertThat(r.get("peakHeapBytes").asLong()).isPositive();
        assertThat(r.get("perPartition")).hasSize(8);
        assertThat(r.get("counting").asText()).contains("hoverboard entries");
        JsonNode latency = r.get("programLatency");
        assertThat(latency.get("vms").asInt()).isEqualTo(20);
        assertThat(latency.get("medianMs").asDouble()).isPositive();
        assertThat(latency.get("p99Ms").asDouble()).isGreaterThanOrEqualTo(latency.get("medianMs").asDouble());
        assertThat(latency.get("finalFlows").asInt()).as("every VM's flows programmed").isPositive();
    }

    @Test
    void preProgrammingProgramsAtLeastTenTimesTheFlowsOfHoverboards(@TempDir Path dir) throws Exception {
        long pre = run(dir, "preprogrammed", 10_000, 2_500).get("flows").asLong();
        long hov = run(dir, "hoverboard", 10_000, 2_500).get("flows").asLong();
        assertThat(pre).as("pre-programmed %d vs hoverboard %d", pre, hov).isGreaterThanOrEqualTo(10 * hov);
    }

    @Test
    void refusesAnUnknownModel() {
        assertThat(Tb.commandLine().execute("control-scale", "--model", "magic")).isEqualTo(1);
    }
}
