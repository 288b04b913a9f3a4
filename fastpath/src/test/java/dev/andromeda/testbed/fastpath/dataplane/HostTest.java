package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HostTest {

    @ParameterizedTest(name = "VNI {0}")
    @ValueSource(ints = {TwoHosts.PLAIN_VNI, TwoHosts.PSP_VNI})
    void deliversEveryFrameOnceWithItsChecksumCompleted(int vni) {
        long seed = 42L + vni;
        Random r = new Random(seed);
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            VirtioNic from = vni == TwoHosts.PLAIN_VNI ? net.a1 : net.a2;
            VirtioNic to = vni == TwoHosts.PLAIN_VNI ? net.b1 : net.b2;
            List<byte[]> expected = new ArrayList<>();
            List<VirtioNic.Received> got = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                boolean tcp = r.nextBoolean();
                int payload = r.nextInt(10) == 0 ? 8000 + r.nextInt(1000) : r.nextInt(1400);
                byte[] f = TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, tcp, payload);
                int[] c = TwoHosts.csumRequest(tcp);
                assertThat(from.send(f, c[0], c[1])).isTrue();
                expected.add(TwoHosts.completed(f, tcp));
                if (i % 50 == 49) {
                    net.settle();
                    got.addAll(TwoHosts.drain(to)); // the guest reads its ring as it fills
                }
            }
            net.settle();
            got.addAll(TwoHosts.drain(to));
            assertThat(got).as("seed %d: %s / %s", seed, net.a, net.b).hasSize(expected.size());
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).frame()).as("seed %d frame %d", seed, i).isEqualTo(expected.get(i));
                assertThat(got.get(i).dataValid()).as("frame %d DATA_VALID", i).isTrue();
            }
            assertThat(net.a.counters().droppedTotal()).isZero();
            assertThat(net.b.counters().droppedTotal()).isZero();
            assertThat(net.a.pool().available() + net.b.pool().available()).as("no buffer leaked")
                    .isEqualTo(net.a.pool().capacity() + net.b.pool().capacity());
        }
    }

    @Test
    void dropsAndCountsASpoofedSourceAddress() {
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            Random r = new Random(1);
            net.a1.send(TwoHosts.guestFrame(r, 0x0A000009, 0x0A000002, false, 10));
            net.settle();
            assertThat(net.a.counters().drops(Drop.SPOOFED_SOURCE)).isEqualTo(1);
            assertThat(TwoHosts.drain(net.b1)).isEmpty();
        }
    }

    @Test
    void keepsTenantsApartOnRandomNetworks() {
        // Property: whatever addresses the VMs use, a packet sent in one virtual network is never
        // delivered in another. VM a1 (VNI 100) sends to every address; only b1 (VNI 100) may receive.
        long seed = 7;
        Random r = new Random(seed);
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            for (int i = 0; i < 200; i++) {
                int dst = r.nextBoolean() ? 0x0A000002 : r.nextInt();
                net.a1.send(TwoHosts.guestFrame(r, 0x0A000001, dst, r.nextBoolean(), r.nextInt(200)));
                net.settle();
            }
            assertThat(TwoHosts.drain(net.b2)).as("seed %d: nothing crosses into VNI 200", seed).isEmpty();
            long delivered = TwoHosts.drain(net.b1).size();
            assertThat(delivered + net.a.counters().drops(Drop.FLOW_MISS)).isEqualTo(200);
        }
    }

    @Test
    void dropsWhatTheFirewallRefusesAndCountsFlowMisses() {
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            FlowTableBuilder f = FlowTableBuilder.from(net.a.flowTable());
            f.flow(TwoHosts.PLAIN_VNI, 17, 0x0A000001, 0x0A000002, FlowAction.encapToHost(1),
                    FirewallPolicy.ports(FirewallPolicy.Kind.PORT_RANGES, new int[] {53, 53}));
            net.a.flows().publish(f.build());
            Random r = new Random(3);
            byte[] frame = TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, false, 20);
            TwoHosts.put16(frame, 36, 53);
            net.a1.send(frame);
            byte[] refused = frame.clone();
            TwoHosts.put16(refused, 36, 54);
            net.a1.send(refused);
            net.a1.send(TwoHosts.guestFrame(r, 0x0A000001, 0x0A000003, false, 20)); // no flow, no hoverboard
            net.settle();
            assertThat(TwoHosts.drain(net.b1)).hasSize(1);
            assertThat(net.a.counters().drops(Drop.FIREWALL)).isEqualTo(1);
            assertThat(net.a.counters().drops(Drop.FLOW_MISS)).isEqualTo(1);
        }
    }

    @Test
    void sendsMissesToAHoverboardWhenThereIsADefaultRoute() {
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            FlowTableBuilder f = FlowTableBuilder.from(net.a.flowTable()).hoverboards(1);
            f.remove(TwoHosts.PLAIN_VNI, 17, 0x0A000001, 0x0A000002);
            net.a.flows().publish(f.build());
            Random r = new Random(4);
            byte[] frame = TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, false, 30);
            net.a1.send(frame);
            net.settle();
            // Host b plays the hoverboard here: it receives the packet and delivers it to its VM.
            assertThat(TwoHosts.drain(net.b1)).hasSize(1);
            assertThat(net.a.counters().drops(Drop.FLOW_MISS)).isZero();
        }
    }

    @Test
    void aChecksumRequestTheStageRefusesDropsThatPacketOnly() {
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            Random r = new Random(12);
            byte[] good = TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, false, 40);
            byte[] bad = TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, false, 40);
            net.a1.send(bad, bad.length + 10, 6);   // csum_start beyond the frame: refused by the stage
            net.a1.send(good, 34, 6);
            net.settle();
            assertThat(net.a.counters().drops(Drop.CHECKSUM_REJECTED)).isEqualTo(1);
            assertThat(TwoHosts.drain(net.b1)).singleElement()
                    .satisfies(x -> assertThat(x.frame()).isEqualTo(TwoHosts.completed(good, false)));
        }
    }

    @Test
    void aDefaultRouteFlowWithNoHoverboardIsDroppedNotSentRaw() {
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            dev.andromeda.testbed.fastpath.flow.FlowTableBuilder f = new dev.andromeda.testbed.fastpath.flow.FlowTableBuilder();
            f.host(TwoHosts.A_IP, TwoHosts.A_MAC);
            f.flow(TwoHosts.PLAIN_VNI, 17, 0x0A000001, 0x0A000002,
                    dev.andromeda.testbed.fastpath.flow.FlowAction.encapDefault(),
                    dev.andromeda.testbed.fastpath.flow.FirewallPolicy.ALLOW_ALL);
            net.a.flows().publish(f.build());
            net.a1.send(TwoHosts.guestFrame(new Random(6), 0x0A000001, 0x0A000002, false, 40), 34, 6);
            net.settle();
            assertThat(net.a.counters().drops(Drop.NO_ROUTE)).isEqualTo(1);
            assertThat(net.a.counters().toWire()).as("nothing left raw for the wire").isZero();
            assertThat(net.b.counters().fromWire()).isZero();
        }
    }

    @Test
    void refusesCleartextOnAnEncryptedNetwork() {
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            // Host a forgets PSP (as a misconfigured or hostile sender would): its VNI-200 traffic leaves in clear.
            net.a.configurePsp(new byte[32], new byte[32], dev.andromeda.testbed.fastpath.psp.PspVersion.AES_GCM_128,
                    new int[0], new int[] {TwoHosts.A_IP, TwoHosts.B_IP}, new int[] {1, 2});
            net.a2.send(TwoHosts.guestFrame(new Random(5), 0x0A000001, 0x0A000002, false, 100), 34, 6);
            net.settle();
            assertThat(TwoHosts.drain(net.b2)).isEmpty();
            assertThat(net.b.counters().drops(Drop.PSP_REQUIRED)).isEqualTo(1);
        }
    }

    @Test
    void dropsAndCountsTamperedPspPacketsOnTheWire() {
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            // A third party on the wire: replace b's end of the link with one that flips a ciphertext bit.
            PhysicalPort honest = net.link.b();
            net.b.connect(new PhysicalPort() {
                @Override
                public int transmit(HostBatch batch, dev.andromeda.testbed.fastpath.packet.PacketPool pool) {
                    return honest.transmit(batch, pool);
                }

                @Override
                public int receive(HostBatch into, dev.andromeda.testbed.fastpath.packet.PacketPool pool) {
                    int n = honest.receive(into, pool);
                    for (int i = 0; i < n; i++) {
                        long at = into.packets.offset[i] + into.packets.length[i] - 20; // inside the ciphertext
                        pool.memory().set(java.lang.foreign.ValueLayout.JAVA_BYTE, at,
                                (byte) (pool.memory().get(java.lang.foreign.ValueLayout.JAVA_BYTE, at) ^ 1));
                    }
                    return n;
                }
            });
            Random r = new Random(5);
            for (int i = 0; i < 10; i++) {
                net.a2.send(TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, false, 100));
            }
            net.settle();
            assertThat(TwoHosts.drain(net.b2)).isEmpty();
            assertThat(net.b.counters().drops(Drop.PSP_OPEN_FAILED)).isEqualTo(10);
        }
    }

    @Test
    void swapsStageImplementationsBetweenBatchesWithoutLosingPackets() {
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            Random r = new Random(6);
            net.a1.send(TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, false, 64));
            net.settle();
            net.a.useStages(StageMix.parse("copy=sw@256,checksum=sw"));
            net.a1.send(TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, false, 64));
            net.settle();
            assertThat(net.a.stages().toString()).isEqualTo("checksum=sw,copy=sw@256,crypto=sw");
            assertThat(TwoHosts.drain(net.b1)).hasSize(2);
            assertThat(net.a.egress().accounts()).extracting(a -> a.name())
                    .containsExactly("copy", "parse", "spoof", "flow", "checksum", "internet", "encap", "psp", "tx");
            assertThat(net.a.egress().accounts().get(1).packets()).isEqualTo(2);
        }
    }
}
