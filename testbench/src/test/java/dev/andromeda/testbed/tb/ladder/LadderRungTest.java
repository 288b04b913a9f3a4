package dev.andromeda.testbed.tb.ladder;

import dev.andromeda.testbed.fastpath.agent.Agent;
import dev.andromeda.testbed.fastpath.dataplane.LadderRung;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageAccount;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rung of the version ladder carries frames of every size both ways byte for byte
 * (the receiver's frames against the sender's with the UDP checksum completed by hand,
 * RFC 1071 here), and its configuration is really what it says: sockets opened and
 * receive threads running on the kernel rungs, a VMM thread copying frames on the hop
 * rungs, the dataplane woken by doorbells when it blocks, the dma_copy block doing the
 * copies on 2.2. No timing is asserted.
 */
class LadderRungTest {
    private static final long SEED = 1813;
    private static final int A_TO_B = 300;
    private static final int B_TO_A = 60;

    @ParameterizedTest
    @EnumSource(LadderRung.class)
    void deliversEveryFrameByteForByteThroughItsOwnConfiguration(LadderRung rung) throws Exception {
        Random r = new Random(SEED + rung.ordinal());
        List<byte[]> toB = new ArrayList<>();
        List<byte[]> toA = new ArrayList<>();
        for (int i = 0; i < A_TO_B; i++) {
            toB.add(LadderFrames.withSeq(LadderFrames.udp(LadderNetwork.VM_A_MAC, LadderNetwork.VM_B_MAC,
                    LadderNetwork.VM_A, LadderNetwork.VM_B, size(r), r), i));
        }
        for (int i = 0; i < B_TO_A; i++) {
            toA.add(LadderFrames.withSeq(LadderFrames.udp(LadderNetwork.VM_B_MAC, LadderNetwork.VM_A_MAC,
                    LadderNetwork.VM_B, LadderNetwork.VM_A, size(r), r), i));
        }
        Map<Long, byte[]> atB = new ConcurrentHashMap<>();
        Map<Long, byte[]> atA = new ConcurrentHashMap<>();
        try (LadderNetwork net = new LadderNetwork(rung, OffloadOptions.defaults())) {
            GuestStack stackA = new GuestStack(rung.guestChecksums());
            GuestStack stackB = new GuestStack(rung.guestChecksums());
            int[] sent = new int[2];
            Agent guests = () -> {
                int w = 0;
                // a window of 64, so no receive ring overflows whatever the threads' speeds
                while (sent[0] < A_TO_B && sent[0] - atB.size() < 64 && stackA.send(net.guestA,
                        toB.get(sent[0]).clone())) {
                    sent[0]++;
                    w++;
                }
                while (sent[1] < B_TO_A && sent[1] - atA.size() < 64 && stackB.send(net.guestB,
                        toA.get(sent[1]).clone())) {
                    sent[1]++;
                    w++;
                }
                for (byte[] f; (f = stackB.receive(net.guestB)) != null; w++) {
                    assertThat(atB.put(LadderFrames.seq(f), f)).as("a duplicate at B").isNull();
                }
                for (byte[] f; (f = stackA.receive(net.guestA)) != null; w++) {
                    assertThat(atA.put(LadderFrames.seq(f), f)).as("a duplicate at A").isNull();
                }
                return w;
            };
            net.start(guests);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while ((atB.size() < A_TO_B || atA.size() < B_TO_A) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            List<Thread> threads = net.threads();
            net.stop();
            assertThat(atB).as(rung + ": frames at B (seed " + SEED + "); hosts " + net.a.counters() + " / "
                    + net.b.counters()).hasSize(A_TO_B);
            assertThat(atA).as(rung + ": frames at A").hasSize(B_TO_A);
            for (int i = 0; i < A_TO_B; i++) {
                assertThat(atB.get((long) i)).as(rung + " frame " + i + " at B").isEqualTo(completed(toB.get(i)));
            }
            for (int i = 0; i < B_TO_A; i++) {
                assertThat(atA.get((long) i)).as(rung + " frame " + i + " at A").isEqualTo(completed(toA.get(i)));
            }
            assertThat(stackA.badChecksums() + stackB.badChecksums()).isZero();

            // The configuration is real, not a label.
            List<String> names = threads.stream().map(Thread::getName).toList();
            if (rung.kernelPath() != null) {
                assertThat(net.openSockets()).as("loopback sockets").isEqualTo(2);
                assertThat(names).contains("kernel-rx-ladder-a", "kernel-rx-ladder-b");
            } else {
                assertThat(net.openSockets()).isZero();
                assertThat(names).noneMatch(n -> n.startsWith("kernel-rx"));
            }
            if (rung.vmmHop() != null) {
                assertThat(net.hasVmmHop()).isTrue();
                assertThat(names).contains("vmm-hop-ladder", "ladder-vcpu");
                assertThat(net.vmmCopies()).as("frames the VMM copied").isEqualTo(2L * (A_TO_B + B_TO_A));
            } else {
                assertThat(net.hasVmmHop()).isFalse();
                assertThat(names).containsExactly("ladder-dataplane");
            }
            if (!rung.busyPoll()) {
                assertThat(net.dataplaneWakes()).as("doorbells to a blocking dataplane").isPositive();
            }
            long hwCopies = 0;
            for (var h : List.of(net.a, net.b)) {
                for (var p : List.of(h.egress(), h.ingress())) {
                    for (StageAccount s : p.accounts()) {
                        hwCopies += s.hardwareCycles();
                    }
                }
            }
            if (rung == LadderRung.V2_2) {
                assertThat(hwCopies).as("dma_copy cycles on 2.2").isPositive();
            } else {
                assertThat(hwCopies).as("no hardware below 2.2").isZero();
            }
        }
    }

    private static int size(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> 64;
            case 1 -> 9_000;
            default -> 64 + r.nextInt(9_000 - 64 + 1);
        };
    }

    /** The frame with its UDP checksum completed: RFC 1071 over the pseudo-header sum in the field and the rest. */
    static byte[] completed(byte[] sent) {
        byte[] f = sent.clone();
        long s = 0;
        for (int i = 34; i + 1 < f.length; i += 2) {
            s += (f[i] & 0xFF) << 8 | (f[i + 1] & 0xFF);
        }
        if ((f.length - 34) % 2 == 1) {
            s += (f[f.length - 1] & 0xFF) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        int c = ~(int) s & 0xFFFF;
        if (c == 0) {
            c = 0xFFFF; // RFC 768: a computed 0 is sent as all ones
        }
        f[40] = (byte) (c >>> 8);
        f[41] = (byte) c;
        return f;
    }
}
