package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.packet.ParsedPacket;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Which misses a host tells its handler of, and through which method. */
class FlowMissHandlerTest {
    private static final int VNI = 100;

    /** Records the destinations of the misses it hears, apart by kind. */
    private static final class Recorder implements FlowMissHandler {
        final List<Integer> dropped = new ArrayList<>();
        final List<Integer> forwarded = new ArrayList<>();

        @Override
        public void onMiss(VmPort vm, ParsedPacket p) {
            dropped.add(p.ipv4Dst());
        }

        @Override
        public void onForwardedMiss(VmPort vm, ParsedPacket p) {
            forwarded.add(p.ipv4Dst());
        }
    }

    @Test
    void forwardedMissesGoToTheirOwnMethodAndDroppedOnesToOnMiss() {
        long seed = 0x5EED_31L;
        Random r = new Random(seed);
        int[] ip = {0xC0A80001, 0xC0A80002};
        long[] mac = {0x02_00_00_00_00_0AL, 0x02_00_00_00_00_0BL};
        int src = 0x0A000001;
        try (MemorySwitch sw = new MemorySwitch(1024, 16384);
             Host a = new Host("a", ip[0], mac[0], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             Host h = new Host("hoverboard", ip[1], mac[1], 1024, 4096, StageMix.software(),
                     OffloadOptions.defaults())) {
            a.connect(sw.attach(ip[0]));
            h.connect(sw.attach(ip[1]));
            VirtioNic vm = a.addVm(new VmPort(1, VNI, src, 0x02_AA_01L));
            Recorder heard = new Recorder();
            a.onFlowMiss(heard);
            FlowTableBuilder withDefault = new FlowTableBuilder();
            withDefault.host(ip[0], mac[0]);
            withDefault.host(ip[1], mac[1]);
            a.flows().publish(withDefault.hoverboards(1).build());
            List<Integer> sent = List.of(0x0B000001, 0x0B000002, 0x0B000003);
            for (int dst : sent) {
                assertThat(vm.send(TwoHosts.guestFrame(r, src, dst, false, 64))).isTrue();
            }
            a.doWork();
            assertThat(heard.forwarded).as("seed %d", seed).containsExactlyElementsOf(sent);
            assertThat(heard.dropped).isEmpty();
            assertThat(a.counters().drops(Drop.FLOW_MISS)).isZero();

            // No default route: the same kind of miss is dropped and told through onMiss.
            FlowTableBuilder without = new FlowTableBuilder();
            without.host(ip[0], mac[0]);
            a.flows().publish(without.build());
            List<Integer> dropped = List.of(0x0C000001, 0x0C000002);
            for (int dst : dropped) {
                assertThat(vm.send(TwoHosts.guestFrame(r, src, dst, false, 64))).isTrue();
            }
            a.doWork();
            assertThat(heard.dropped).as("seed %d", seed).containsExactlyElementsOf(dropped);
            assertThat(heard.forwarded).hasSize(sent.size());
            assertThat(a.counters().drops(Drop.FLOW_MISS)).isEqualTo(dropped.size());
        }
    }
}
