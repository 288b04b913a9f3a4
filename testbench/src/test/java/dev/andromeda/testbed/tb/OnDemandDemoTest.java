package dev.andromeda.testbed.tb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 point 10: a scenario chooses the {@code on-demand} programming model, as {@code tb
 * control-scale --model on-demand} can. Hosts start with no flow between hosts; a flow's first
 * packets go through the hoverboard while the host reports the miss to the controller over its
 * programming stream, and the controller programs that flow. The scoreboard must be clean --
 * every packet delivered once, none dropped for a miss -- and the misses shown.
 */
@Timeout(300)
class OnDemandDemoTest {

    @Test
    void anOnDemandScenarioLosesNoFirstPacketAndShowsItsMisses(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("on-demand.yaml");
        Files.writeString(scenario, DemoCommandTest.SCENARIO.replace("model: hoverboard", "model: on-demand")
                + "mixes: [checksum=sw]\n");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Tb.commandLine().execute("demo", "--scenario", scenario.toString(), "--no-warmup", "--json",
                    dir.resolve("demo.json").toString(), "--report", dir.resolve("report").toString(),
                    "--work-dir", dir.resolve("work").toString());
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(exit).as(out).isZero();
        JsonNode run = new ObjectMapper().readTree(dir.resolve("demo.json").toFile()).get("runs").get(0);
        assertThat(run.get("sent").asLong()).isEqualTo(300);
        assertThat(run.get("delivered").asLong()).as(out).isEqualTo(300);
        assertThat(run.get("lost").asLong()).isZero();
        assertThat(run.get("duplicates").asLong()).isZero();
        assertThat(run.get("drops").size()).as("drops " + run.get("drops")).isZero();

        JsonNode misses = run.get("flowMisses");
        assertThat(misses).as("flowMisses in the JSON").isNotNull();
        assertThat(misses.get("reported").asLong()).isPositive();
        assertThat(misses.get("programmed").asLong()).isPositive()
                .isLessThanOrEqualTo(misses.get("reported").asLong());
        // The first interval's inter-host packets all miss and go through the hoverboard; once
        // their flows are programmed, the last interval's go direct.
        JsonNode intervals = run.get("intervals");
        assertThat(intervals.get(0).get("viaHoverboard").asLong()).isPositive();
        assertThat(intervals.get(intervals.size() - 1).get("hoverboardShare").asDouble())
                .isLessThan(intervals.get(0).get("hoverboardShare").asDouble());
        assertThat(out).contains("On-demand flow misses", "reported", "programmed", "rate-limited");
    }
}
