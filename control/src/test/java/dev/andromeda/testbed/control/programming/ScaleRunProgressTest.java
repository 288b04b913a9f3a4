package dev.andromeda.testbed.control.programming;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A scale run says where it is, phase by phase, and refuses a network its memory budget cannot hold. */
class ScaleRunProgressTest {

    record Update(String phase, long done, long total) {
    }

    @Test
    void reportsEveryPhaseInOrderWithinItsTotal() {
        int vms = 140_000;
        int hosts = 600;
        List<Update> updates = new ArrayList<>();
        ScaleRun.Result r = ScaleRun.run(vms, hosts, new HoverboardModel(), 4, 50, 7, 1L << 30,
                (phase, done, total) -> updates.add(new Update(phase, done, total)));
        assertThat(r.completed()).isTrue();

        Map<String, List<Update>> byPhase = new LinkedHashMap<>();
        for (Update u : updates) {
            byPhase.computeIfAbsent(u.phase(), k -> new ArrayList<>()).add(u);
        }
        assertThat(byPhase.keySet()).containsExactly("building the network: hosts", "building the network: VMs",
                "building the network: indexes", "programming hosts", "programming hoverboard routes");
        Map<String, Long> totals = Map.of("building the network: hosts", (long) hosts,
                "building the network: VMs", (long) vms, "building the network: indexes", 1L,
                "programming hosts", (long) hosts, "programming hoverboard routes", (long) vms);
        for (var e : byPhase.entrySet()) {
            long last = -1;
            for (Update u : e.getValue()) {
                assertThat(u.total()).as(u.toString()).isEqualTo(totals.get(e.getKey()));
                assertThat(u.done()).as(u.toString()).isBetween(Math.max(last, 0), u.total());
                last = u.done();
            }
        }
        // More than one report in a phase that takes long: the VMs, every 65,536.
        assertThat(byPhase.get("building the network: VMs")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(byPhase.get("building the network: indexes")).last().isEqualTo(
                new Update("building the network: indexes", 1, 1));
    }

    @Test
    void refusesANetworkOverTheBudgetBeforeBuildingIt() {
        assertThatThrownBy(() -> ScaleRun.run(2_000_000_000, 10_000, new HoverboardModel(), 4, 50, 7, 1L << 30,
                (phase, done, total) -> {
                    throw new AssertionError("built: " + phase);
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2,000,000,000 VMs over 10,000 hosts need about")
                .hasMessageContaining("over the budget of 1,024 MB");
    }
}
