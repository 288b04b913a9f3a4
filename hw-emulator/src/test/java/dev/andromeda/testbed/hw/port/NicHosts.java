package dev.andromeda.testbed.hw.port;

import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.hw.blocks.nic.NicModule;
import dev.andromeda.testbed.hw.kit.KitModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hosts ({@link TwoHosts}), each on an emulated NIC (the Java model), and the traffic the
 * NIC port tests send: per round a guest frame on the plain network (a1 to b1) and one of the
 * same size on the PSP one (a2 to b2), each with a virtio checksum request; {@value #ROUNDS}
 * rounds of seeded sizes (one in six 1,400..8,399 bytes of payload, else 0..599), the
 * receiving VMs drained every 16.
 */
final class NicHosts implements AutoCloseable {
    static final int ROUNDS = 48;

    final TwoHosts net;
    final NicPort a;
    final NicPort b;

    /** A frame as its guest sent it, with the checksum request (csum_start, csum_offset). */
    record Sent(byte[] frame, int[] csum, boolean tcp) {
    }

    /** What the receiving VMs got, in order. */
    record Delivered(List<VirtioNic.Received> plain, List<VirtioNic.Received> psp) {
    }

    NicHosts(String senderMix, String receiverMix) {
        net = new TwoHosts(StageMix.parse(senderMix), OffloadOptions.defaults());
        if (!receiverMix.equals(senderMix)) {
            net.b.useStages(StageMix.parse(receiverMix));
        }
        a = new NicPort(new KitModel(new NicModule()), net.link.a(), net.a.pool());
        b = new NicPort(new KitModel(new NicModule()), net.link.b(), net.b.pool());
        net.a.connect(a);
        net.b.connect(b);
    }

    /** Sends the rounds, adding each frame sent to {@code plainSent} or {@code pspSent}. */
    Delivered send(long seed, List<Sent> plainSent, List<Sent> pspSent) {
        Random r = new Random(seed);
        List<VirtioNic.Received> plain = new ArrayList<>();
        List<VirtioNic.Received> psp = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            boolean tcp = r.nextBoolean();
            int payload = r.nextInt(6) == 0 ? 1400 + r.nextInt(7000) : r.nextInt(600);
            int[] c = TwoHosts.csumRequest(tcp);
            byte[] f = TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, tcp, payload);
            assertThat(net.a1.send(f, c[0], c[1])).isTrue();
            byte[] g = TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, tcp, payload);
            assertThat(net.a2.send(g, c[0], c[1])).isTrue();
            plainSent.add(new Sent(f, c, tcp));
            pspSent.add(new Sent(g, c, tcp));
            if (i % 16 == 15) {
                net.settle();
                plain.addAll(TwoHosts.drain(net.b1));
                psp.addAll(TwoHosts.drain(net.b2));
            }
        }
        net.settle();
        plain.addAll(TwoHosts.drain(net.b1));
        psp.addAll(TwoHosts.drain(net.b2));
        return new Delivered(plain, psp);
    }

    /** Nothing dropped by either host, no error completion at either NIC. */
    void assertClean(String run) {
        String state = run + ": " + net.a + " / " + net.b;
        assertThat(net.a.counters().droppedTotal() + net.b.counters().droppedTotal()).as(state).isZero();
        assertThat(a.errors() + b.errors()).as(state).isZero();
    }

    @Override
    public void close() {
        net.close();
    }
}
