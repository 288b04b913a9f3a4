package dev.andromeda.testbed.tb.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The system as separate JVMs on 127.0.0.1: a 3-server ZooKeeper ensemble, 2 controllers, 2 hosts
 * and a hoverboard (the built-in demo scenario), real UDP between the hosts. The master is killed
 * with SIGKILL, the next one paused past its session and resumed, the ensemble loses its quorum
 * and regains it, a host restarts while the quorum is gone, a VM moves to the other host while
 * traffic flows: nothing is lost on programmed flows, no update is lost or applied twice, no
 * deposed master's write is accepted. Every process is stopped by its pid at the end.
 */
@Timeout(240)
class MultiProcessClusterTest {

    @Test
    void survivesMasterDeathAPausedMasterAndALostQuorumWithNothingLost(@TempDir Path dir) throws Exception {
        String yaml;
        try (InputStream in = getClass().getResourceAsStream("/scenarios/default.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
        ClusterRun c = null;
        try {
            c = ClusterRun.up(dir, new ClusterRun.Shape(3, 2, 27_000, yaml, "default"), said::add);
            assertThat(c.procs()).hasSize(3 + 2 + 3);
            ClusterRun.Score first = c.traffic(Duration.ofSeconds(30));
            assertThat(first.clean()).as("first round: %s; log: %s", first, said).isTrue();
            assertThat(first.expected()).isEqualTo(3000);

            FaultPlan plan = new FaultPlan(c, said::add);
            List<FaultPlan.Result> results = new ArrayList<>();
            for (String f : List.of("kill-master", "pause-master", "zk-quorum-lost", "host-restart-no-quorum",
                    "migrate-vm")) {
                results.add(plan.run(f));
            }
            String table = FaultPlan.table(results) + "\nlogs in " + c.dir().resolve("logs");
            for (FaultPlan.Result r : results) {
                // The fault's own note and score name each host's drops by reason: what a failure needs.
                String why = r.fault() + ": " + r.note() + "\ntraffic: " + r.traffic() + "\n" + table;
                assertThat(r.traffic().clean()).as(why).isTrue();
                assertThat(r.lostOnProgrammedFlows()).as(why).isZero();
                assertThat(r.updatesLost()).as(why).isZero();
                assertThat(r.updatesDoubled()).as(why).isZero();
                assertThat(r.deposedWritesAccepted()).as(why).isZero();
                assertThat(r.convergedSeconds()).as(why).isGreaterThan(0);
            }
            assertThat(results.get(0).newMasterSeconds()).as(table).isGreaterThan(0);
        } finally {
            if (c != null) {
                List<ClusterRun.Proc> started = List.copyOf(c.procs().values());
                c.down();
                for (ClusterRun.Proc p : started) {
                    assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false))
                            .as("%s (pid %d) stopped", p.name(), p.pid()).isFalse();
                }
            }
        }
    }
}
