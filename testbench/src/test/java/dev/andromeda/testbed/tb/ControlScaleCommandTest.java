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
        int code = Tb.commandLine().execute("control-scale", "--mode", "counted", "--model", model, "--vms", "" + vms,
                "--hosts", "" + hosts,
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
    void countedModeSaysSo(@TempDir Path dir) throws Exception {
        assertThat(run(dir, "hoverboard", 400, 100).get("mode").asText()).isEqualTo("counted");
    }

    @Test
    void programmedModeIsTheDefaultAndReportsTablesBytesHeapAndNewVmLatency(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("programmed.json");
        int code = Tb.commandLine().execute("control-scale", "--vms", "600", "--hosts", "120", "--partitions", "6",
                "--network-size", "pareto:1.0,2,100", "--program-latency", "10", "--json", out.toString());
        assertThat(code).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toFile());
        assertThat(r.get("mode").asText()).isEqualTo("programmed");
        assertThat(r.get("extrapolated").asBoolean()).isFalse();
        assertThat(r.get("flows").asLong()).isPositive().isEqualTo(r.get("programmedFlows").asLong());
        assertThat(r.get("bytesSent").asLong()).isPositive();
        assertThat(r.get("perPartitionSeconds")).hasSize(6);
        assertThat(r.get("networkSizes").asText()).isEqualTo("pareto:1.0,2,100");
        assertThat(r.get("newVm").get("vms").asInt()).isEqualTo(10);
        assertThat(r.get("newVm").get("p99Ms").asDouble()).isGreaterThanOrEqualTo(r.get("newVm").get("medianMs").asDouble());
        // The same network counted gives the same flows.
        Path counted = dir.resolve("counted.json");
        assertThat(Tb.commandLine().execute("control-scale", "--mode", "counted", "--vms", "600", "--hosts", "120",
                "--partitions", "6", "--network-size", "pareto:1.0,2,100", "--program-latency", "0", "--json",
                counted.toString())).isZero();
        assertThat(new ObjectMapper().readTree(counted.toFile()).get("flows").asLong())
                .isEqualTo(r.get("flows").asLong());
    }

    @Test
    void refusesABadModeOrNetworkSize() {
        assertThat(Tb.commandLine().execute("control-scale", "--mode", "magic")).isEqualTo(1);
        assertThat(Tb.commandLine().execute("control-scale", "--network-size", "pareto:0,2")).isEqualTo(1);
        assertThat(Tb.commandLine().execute("control-scale", "--network-size", "fixed:70000")).isEqualTo(1);
    }

    @Test
    void refusesAnUnknownModel() {
        assertThat(Tb.commandLine().execute("control-scale", "--model", "magic")).isEqualTo(1);
    }
}
