package dev.andromeda.testbed.tb.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.andromeda.testbed.tb.Tb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tb demo --ladder RUNG}: the demo's own traffic (every network, PSP included, the
 * controller programming the hosts over gRPC) through a version-ladder rung's wiring, the
 * scoreboard clean; the oldest rung (kernel sockets, a VMM thread, guest checksums, one
 * frame a batch) and the newest (dma_copy's model for the copies) by name.
 */
class DemoLadderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"pre-andromeda", "ladder-2.2"})
    void theDemoTrafficRunsCleanThroughTheRung(String rung) throws Exception {
        Path json = dir.resolve("demo.json");
        StringWriter out = new StringWriter();
        CommandLine cl = Tb.commandLine();
        cl.setOut(new PrintWriter(out));
        int exit = cl.execute("demo", "--quick", "--packets", "300", "--no-warmup", "--ladder", rung, "--json",
                json.toString(), "--work-dir", dir.resolve("work").toString(), "--report",
                dir.resolve("report").toString());
        assertThat(exit).as(out.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("clean").asBoolean()).as(root.toString()).isTrue();
        assertThat(root.get("runs")).hasSize(1);
        JsonNode run = root.get("runs").get(0);
        assertThat(run.get("sent").asLong()).isEqualTo(300);
        assertThat(run.get("delivered").asLong()).isEqualTo(300);
    }

    /** The scenario's {@code dataplane:} key reaches the rung too (the built-in scenario, the key added). */
    @Test
    void aScenarioNamesItsRungWithTheDataplaneKey() throws Exception {
        String builtIn = new String(DemoLadderTest.class.getResourceAsStream("/scenarios/default.yaml")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Path scenario = dir.resolve("ladder.yaml");
        java.nio.file.Files.writeString(scenario, "dataplane: ladder-1.0\n" + builtIn);
        Path json = dir.resolve("demo.json");
        StringWriter out = new StringWriter();
        CommandLine cl = Tb.commandLine();
        cl.setOut(new PrintWriter(out));
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        java.io.PrintStream was = System.out;
        int exit;
        try {
            System.setOut(new java.io.PrintStream(stdout, true, java.nio.charset.StandardCharsets.UTF_8));
            exit = cl.execute("demo", "--quick", "--packets", "200", "--no-warmup", "--scenario", scenario.toString(),
                    "--json", json.toString(), "--work-dir", dir.resolve("work").toString(), "--report",
                    dir.resolve("report").toString());
        } finally {
            System.setOut(was);
        }
        String printed = stdout.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(exit).as(printed + out).isZero();
        assertThat(printed).contains("dataplane: ladder-1.0 (");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("clean").asBoolean()).as(root.toString()).isTrue();
        assertThat(root.get("runs")).hasSize(1);
        assertThat(root.get("runs").get(0).get("delivered").asLong()).isEqualTo(200);
    }

    @Test
    void anUnknownRungIsRefusedNamingTheRungs() {
        StringWriter err = new StringWriter();
        CommandLine cl = Tb.commandLine();
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("demo", "--ladder", "3.0", "--work-dir", dir.resolve("work").toString());
        assertThat(exit).isEqualTo(Tb.EXIT_USAGE);
        assertThat(err.toString()).contains("no ladder rung '3.0'", "pre-andromeda", "2.2");
    }
}
