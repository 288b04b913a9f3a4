package dev.andromeda.testbed.coprocessor.host;

import dev.andromeda.testbed.coprocessor.PoolConfig;
import dev.andromeda.testbed.coprocessor.VmConfig;
import dev.andromeda.testbed.fastpath.dataplane.Coprocessors;
import dev.andromeda.testbed.fastpath.dataplane.Drop;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hosts whose PSP crypto runs on their coprocessors' worker threads (the
 * crypto stage is software): every packet of the encrypted network arrives
 * once and intact, the plain network never touches a coprocessor, the sealing
 * CPU is billed to the sending VM and the opening to the receiving host's own
 * service; a full coprocessor ring is a counted drop, never a wait.
 */
@Timeout(60)
class HostCoprocessorsTest {
    static final long SEED = 4018;

    @Test
    void pspTrafficIsSealedAndOpenedOnCoprocessorThreadsWithNothingLost() throws Exception {
        Random r = new Random(SEED);
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults());
             HostCoprocessors ca = HostCoprocessors.attach(net.a, PoolConfig.defaults().withWorkers(1), 256);
             HostCoprocessors cb = HostCoprocessors.attach(net.b, PoolConfig.defaults().withWorkers(1), 256)) {
            Map<String, Integer> expected = new HashMap<>();
            List<VirtioNic> sinks = List.of(net.b2, net.a2, net.b1);
            int sent = 0;
            for (int k = 0; k < 600; k++) {
                boolean tcp = r.nextBoolean();
                int kind = k % 3; // a2 -> b2 (PSP), b2 -> a2 (PSP), a1 -> b1 (plain)
                VirtioNic from = kind == 0 ? net.a2 : kind == 1 ? net.b2 : net.a1;
                int src = kind == 1 ? 0x0A000002 : 0x0A000001;
                int dst = kind == 1 ? 0x0A000001 : 0x0A000002;
                byte[] f = TwoHosts.guestFrame(r, src, dst, tcp, r.nextInt(1400));
                int[] cs = TwoHosts.csumRequest(tcp);
                assertThat(from.send(f, cs[0], cs[1])).isTrue();
                expected.merge(kind + ":" + java.util.HexFormat.of().formatHex(TwoHosts.completed(f, tcp)), 1,
                        Integer::sum);
                sent++;
                if (k % 30 == 29) {
                    net.a.doWork();
                    net.b.doWork();
                }
            }
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (got.size() < sent && System.nanoTime() < deadline) {
                net.a.doWork();
                net.b.doWork();
                for (int s = 0; s < sinks.size(); s++) {
                    for (VirtioNic.Received x : TwoHosts.drain(sinks.get(s))) {
                        got.add(s + ":" + java.util.HexFormat.of().formatHex(x.frame()));
                    }
                }
            }
            Map<String, Integer> received = new HashMap<>();
            got.forEach(g -> received.merge(g, 1, Integer::sum));
            assertThat(received).as("seed %d; %s / %s", SEED, net.a, net.b).isEqualTo(expected);
            assertThat(net.a.atCoprocessors() + net.b.atCoprocessors()).isZero();
            assertThat(net.a.counters().droppedTotal() + net.b.counters().droppedTotal()).isZero();
            // Sealing billed to the sending VM (port 2, the PSP network's), opening to the host's own service;
            // the plain network's VM (port 1) never used its coprocessor.
            assertThat(ca.pool().vm(2).counters().passed()).isPositive();
            assertThat(ca.pool().vm(2).counters().cpuNs()).isPositive();
            assertThat(cb.pool().vm(Coprocessors.HOST).counters().passed()).isPositive();
            assertThat(ca.pool().vm(1).counters().items()).isZero();
            assertThat(ca.cpuNs()).isEqualTo(ca.pool().vms().stream().mapToLong(v -> v.counters().cpuNs()).sum());
        }
    }

    @Test
    void aFullCoprocessorRingIsACountedDropAndTheLoopNeverWaits() {
        Random r = new Random(SEED + 1);
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults());
             HostCoprocessors ca = HostCoprocessors.attach(net.a, PoolConfig.defaults().withWorkers(1),
                     port -> VmConfig.defaults(port).withRingCapacity(4), false)) {
            // Workers not started: four batches take the ring's four slots (its smallest size), the fifth finds
            // it full and its packet is dropped and counted at once.
            for (int k = 0; k < 5; k++) {
                net.a2.send(TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, false, 100), 34, 6);
                net.a.doWork();
            }
            assertThat(net.a.counters().drops(Drop.COPROCESSOR_FULL)).isEqualTo(1);
            assertThat(ca.pool().vm(2).egress().ringFullDrops()).as("counted by the ring too").isEqualTo(1);
            assertThat(net.a.atCoprocessors()).isEqualTo(4);
            ca.pool().worker(0).doWork();   // the coprocessor serves the four batches ...
            net.a.doWork();                 // ... the host takes them back and sends them
            net.b.doWork();
            assertThat(TwoHosts.drain(net.b2)).hasSize(4);
            assertThat(net.a.atCoprocessors()).isZero();
        }
    }

    @Test
    void aFlowMissIsResolvedOnACoprocessorAndTheAnswerComesBackOnTheHostsThread() {
        Random r = new Random(SEED + 2);
        List<String> answers = new ArrayList<>();
        Thread hostThread = Thread.currentThread();
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults());
             HostCoprocessors ca = HostCoprocessors.attach(net.a, PoolConfig.defaults().withWorkers(1)
                             .withFlowResolver((vm, vni, src, dst, sport, dport, proto) -> 0x0200_0001L),
                     VmConfig::defaults, false)) {
            ca.onResolvedMiss((vmPort, vni, proto, src, dst, action) -> {
                assertThat(Thread.currentThread()).isSameAs(hostThread);
                answers.add(vmPort + " " + vni + " " + proto + " " + Integer.toHexString(dst) + " " + action);
            });
            net.a1.send(TwoHosts.guestFrame(r, 0x0A000001, 0x0A000077, false, 10)); // nobody programmed 10.0.0.119
            net.a.doWork();
            assertThat(net.a.counters().drops(Drop.FLOW_MISS)).isEqualTo(1);
            ca.pool().worker(0).doWork();
            net.a.doWork();
            assertThat(answers).containsExactly("1 100 17 a000077 " + 0x0200_0001L);
            assertThat(ca.missesAnswered()).isEqualTo(1);
        }
    }
}
