package dev.andromeda.testbed.tb.demo;

import dev.andromeda.testbed.tb.scenario.Scenario;
import dev.andromeda.testbed.tb.scenario.ScenarioLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running host keeps the NICs it has: when VMs move, no VM that stays on its host may change
 * port, and no two VMs of a host may share one. Seen across processes: a destination host that
 * already had a VM on the moved VM's old port refused to plug it in. Random sequences of moves,
 * seeded; each step checked against the step before, by rule, not against DemoTopology's own
 * arithmetic.
 */
class DemoTopologyMoveTest {

    static Scenario cluster() throws IOException {
        try (InputStream in = DemoTopologyMoveTest.class.getResourceAsStream("/scenarios/cluster.yaml")) {
            return ScenarioLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "cluster.yaml");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void portsStayPutAndStayUniqueThroughAnySequenceOfMoves(long seed) throws IOException {
        Scenario s = cluster();
        Random r = new Random(seed);
        Map<Integer, Integer> moves = new TreeMap<>();
        DemoTopology before = new DemoTopology(s, 1, moves);
        for (int step = 0; step < 40; step++) {
            var vms = before.vms();
            var v = vms.get(r.nextInt(vms.size())).vm();
            moves.put(v.id(), 1 + r.nextInt(s.hosts()));
            DemoTopology after = new DemoTopology(s, step + 2, moves);
            Map<Integer, DemoTopology.DemoVm> was = new HashMap<>();
            before.vms().forEach(x -> was.put(x.vm().id(), x));
            Map<Integer, Set<Integer>> used = new HashMap<>();
            for (DemoTopology.DemoVm x : after.vms()) {
                DemoTopology.DemoVm old = was.get(x.vm().id());
                if (old.vm().hostId() == x.vm().hostId()) {
                    assertThat(x.port()).as("seed %d step %d: VM %d stayed on host %d", seed, step, x.vm().id(),
                            x.vm().hostId()).isEqualTo(old.port());
                }
                assertThat(used.computeIfAbsent(x.vm().hostId(), h -> new HashSet<>()).add(x.port()))
                        .as("seed %d step %d: port %d twice on host %d", seed, step, x.port(), x.vm().hostId()).isTrue();
                assertThat(x.port()).isEqualTo(after.state().port(x.vm().id()));
            }
            before = after;
        }
    }
}
