package dev.andromeda.testbed.tb;

import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.CopyOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.CryptoOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.hw.contract.Backends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hosts exchanging GENEVE and PSP traffic under every stage mix -- all
 * software, all on each hardware backend, and each stage offloaded alone: the
 * receiving VMs get every frame exactly once, byte-identical to what the
 * sender's checksum completion must produce, with DATA_VALID, and nothing is
 * dropped anywhere.
 */
class StageMixDataplaneTest {

    private static void require(StageMix mix) {
        Backends.require(Offloads.provider(ChecksumOffloadProvider.class,
                mix.implementation(dev.andromeda.testbed.fastpath.offload.Stage.CHECKSUM)));
        Backends.require(Offloads.provider(CopyOffloadProvider.class,
                mix.implementation(dev.andromeda.testbed.fastpath.offload.Stage.COPY)));
        Backends.require(Offloads.provider(CryptoOffloadProvider.class,
                mix.implementation(dev.andromeda.testbed.fastpath.offload.Stage.CRYPTO)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"checksum=sw,copy=sw,crypto=sw", "checksum=emu,copy=emu,crypto=emu",
            "checksum=rtl-jni,copy=rtl-jni,crypto=rtl-jni", "checksum=rtl-ffm,copy=rtl-ffm,crypto=rtl-ffm",
            "checksum=rtl-ffm", "copy=rtl-ffm", "crypto=rtl-ffm", "copy=emu@512,checksum=rtl-jni@128"})
    void everyFrameArrivesOnceAndByteIdenticalUnderEveryMix(String text) {
        StageMix mix = StageMix.parse(text);
        require(mix);
        long seed = text.hashCode();
        Random r = new Random(seed);
        try (TwoHosts net = new TwoHosts(mix, OffloadOptions.defaults().withTraffic(seed, 0.1, 0.1))) {
            List<byte[]> plain = new ArrayList<>();
            List<byte[]> psp = new ArrayList<>();
            List<VirtioNic.Received> gotPlain = new ArrayList<>();
            List<VirtioNic.Received> gotPsp = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                boolean tcp = r.nextBoolean();
                int payload = r.nextInt(8) == 0 ? 1400 + r.nextInt(7600) : r.nextInt(600);
                int[] c = TwoHosts.csumRequest(tcp);
                byte[] f = TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, tcp, payload);
                assertThat(net.a1.send(f, c[0], c[1])).isTrue();
                plain.add(TwoHosts.completed(f, tcp));
                byte[] g = TwoHosts.guestFrame(r, 0x0A000001, 0x0A000002, tcp, payload);
                assertThat(net.a2.send(g, c[0], c[1])).isTrue();
                psp.add(TwoHosts.completed(g, tcp));
                if (i % 20 == 19) {
                    net.settle();
                    gotPlain.addAll(TwoHosts.drain(net.b1));
                    gotPsp.addAll(TwoHosts.drain(net.b2));
                }
            }
            net.settle();
            gotPlain.addAll(TwoHosts.drain(net.b1));
            gotPsp.addAll(TwoHosts.drain(net.b2));
            String state = "mix " + mix + ", seed " + seed + ": " + net.a + " / " + net.b;
            assertThat(gotPlain).as(state).hasSize(plain.size());
            assertThat(gotPsp).as(state).hasSize(psp.size());
            for (int i = 0; i < plain.size(); i++) {
                assertThat(gotPlain.get(i).frame()).as("%s: GENEVE frame %d", state, i).isEqualTo(plain.get(i));
                assertThat(gotPsp.get(i).frame()).as("%s: PSP frame %d", state, i).isEqualTo(psp.get(i));
                assertThat(gotPlain.get(i).dataValid()).isTrue();
                assertThat(gotPsp.get(i).dataValid()).isTrue();
            }
            assertThat(net.a.counters().droppedTotal() + net.b.counters().droppedTotal()).as(state).isZero();
            // The hardware really ran: its stages counted clock cycles.
            assertThat(net.a.egress().get("checksum").hardwareCycles() > 0).as(state)
                    .isEqualTo(!mix.implementation(dev.andromeda.testbed.fastpath.offload.Stage.CHECKSUM).equals("sw"));
            assertThat(net.a.egress().get("copy").hardwareCycles() > 0).as(state)
                    .isEqualTo(!mix.implementation(dev.andromeda.testbed.fastpath.offload.Stage.COPY).equals("sw"));
            assertThat(net.b.ingress().get("psp").hardwareCycles() > 0).as(state)
                    .isEqualTo(!mix.implementation(dev.andromeda.testbed.fastpath.offload.Stage.CRYPTO).equals("sw"));
            // ... and the pipeline booked those cycles, and the simulator's time, to the stage.
            var checksum = net.a.egress().accounts().get(net.a.egress().names().indexOf("checksum"));
            assertThat(checksum.hardwareCycles()).isEqualTo(net.a.egress().get("checksum").hardwareCycles());
            assertThat(checksum.simulationNs() > 0).isEqualTo(checksum.hardwareCycles() > 0);
        }
    }
}
