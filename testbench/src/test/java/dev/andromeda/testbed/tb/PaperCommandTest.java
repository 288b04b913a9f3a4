package dev.andromeda.testbed.tb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tb paper} as a user runs it, on a small network so it takes seconds. */
class PaperCommandTest {
    static final List<String> IDS = List.of("scale-preprogrammed-seconds", "scale-hoverboard-seconds",
            "scale-hoverboard-mb-per-partition", "scale-hoverboard-flows", "new-vm-latency-median-ms",
            "new-vm-latency-p99-ms", "hoverboard-share-after-offload", "migration-blackout-median-ms",
            "migration-lost-packets", "ladder-throughput-ratio", "ladder-latency-ratio", "ladder-cycles-per-byte-ratio");

    @Test
    void everyFigureIsMeasuredOrSaysItIsNotReproducedWithNoNumber(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("paper.json");
        int code = Tb.commandLine().execute("paper", "--quick", "--vms", "3000", "--hosts", "300", "--json",
                json.toString(), "--report", dir.resolve("report").toString());
        assertThat(code).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        Map<String, JsonNode> byId = new HashMap<>();
        root.get("figures").forEach(f -> byId.put(f.get("id").asText(), f));
        assertThat(byId.keySet()).containsAll(IDS);
        for (JsonNode f : byId.values()) {
            assertThat(f.get("note").asText()).as(f.toString()).isNotBlank();
            if (f.get("ours").isNull()) {
                assertThat(f.get("note").asText()).as(f.toString()).contains("not reproduced");
                assertThat(f.get("ratio").isNull()).isTrue();
            }
        }
        for (String measured : List.of("scale-hoverboard-seconds", "scale-hoverboard-flows",
                "scale-preprogrammed-seconds", "new-vm-latency-median-ms", "ladder-throughput-ratio",
                "ladder-latency-ratio", "ladder-cycles-per-byte-ratio")) {
            assertThat(byId.get(measured).get("ours").asDouble()).as(measured).isPositive();
        }
        // The flows are the runs' own: the hoverboard run's programmed tables, the pre-programmed run's count.
        JsonNode hov = root.get("runs").get(0);
        assertThat(byId.get("scale-hoverboard-flows").get("ours").asLong()).isEqualTo(hov.get("programmedFlows").asLong());
        assertThat(hov.get("mode").asText()).isEqualTo("programmed");
        // The ladder: every rung measured, by name, from pre-Andromeda to 2.2.
        JsonNode ladder = root.get("ladder").get("points");
        assertThat(ladder).hasSize(6);
        assertThat(ladder.get(0).get("rung").asText()).isEqualTo("pre-andromeda");
        assertThat(ladder.get(5).get("rung").asText()).isEqualTo("2.2");
        for (JsonNode p : ladder) {
            assertThat(p.get("gbps").asDouble()).as(p.toString()).isPositive();
            assertThat(p.get("rttMedianUs").asDouble()).as(p.toString()).isPositive();
            assertThat(p.get("badChecksums").asLong()).as(p.toString()).isZero();
        }
        // Live migration: every numbered packet delivered exactly once, over every migration.
        JsonNode mig = root.get("migration");
        assertThat(byId.get("migration-lost-packets").get("ours").asDouble()).as(mig.toString()).isZero();
        assertThat(mig.get("duplicated").asLong()).as(mig.toString()).isZero();
        assertThat(mig.get("delivered").asLong()).isEqualTo(mig.get("sent").asLong()).isPositive();
        assertThat(byId.get("migration-blackout-median-ms").get("ours").asDouble()).as(mig.toString()).isPositive();
        // The hoverboards' share falls as offload flows grow, from all of it with none offloaded.
        JsonNode curve = root.get("hoverboardShare").get("curve");
        assertThat(curve.get(0).get("offloadFlows").asInt()).isZero();
        assertThat(curve.get(0).get("hoverboardShare").asDouble()).isEqualTo(1.0);
        for (int i = 1; i < curve.size(); i++) {
            assertThat(curve.get(i).get("offloadFlows").asInt()).isGreaterThanOrEqualTo(curve.get(i - 1).get("offloadFlows").asInt());
            assertThat(curve.get(i).get("hoverboardShare").asDouble())
                    .isLessThanOrEqualTo(curve.get(i - 1).get("hoverboardShare").asDouble());
        }
        assertThat(dir.resolve("report/paper.html")).content().contains("scale-hoverboard-seconds");
    }
}
