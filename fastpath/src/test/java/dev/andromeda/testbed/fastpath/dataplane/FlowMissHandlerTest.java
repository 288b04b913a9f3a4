package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.packet.ParsedPacket;
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
        int src = 0x0A000001;
        try (HostWithHoverboard net = new HostWithHoverboard(VNI, src)) {
            Recorder heard = new Recorder();
            net.a.onFlowMiss(heard);
            List<Integer> sent = List.of(0x0B000001, 0x0B000002, 0x0B000003);
            for (int dst : sent) {
                assertThat(net.vm.send(TwoHosts.guestFrame(r, src, dst, false, 64))).isTrue();
            }
            net.a.doWork();
            assertThat(heard.forwarded).as("seed %d", seed).containsExactlyElementsOf(sent);
            assertThat(heard.dropped).isEmpty();
            assertThat(net.a.counters().drops(Drop.FLOW_MISS)).isZero();

            // No default route: the same kind of miss is dropped and told through onMiss.
            net.a.flows().publish(HostWithHoverboard.table(false));
            List<Integer> dropped = List.of(0x0C000001, 0x0C000002);
            for (int dst : dropped) {
                assertThat(net.vm.send(TwoHosts.guestFrame(r, src, dst, false, 64))).isTrue();
            }
            net.a.doWork();
            assertThat(heard.dropped).as("seed %d", seed).containsExactlyElementsOf(dropped);
            assertThat(heard.forwarded).hasSize(sent.size());
            assertThat(net.a.counters().drops(Drop.FLOW_MISS)).isEqualTo(dropped.size());
        }
    }
}
