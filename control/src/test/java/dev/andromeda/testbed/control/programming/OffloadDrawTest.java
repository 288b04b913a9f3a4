package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hoverboard model with drawn offload flows (the scale run's): every offload drawn is a
 * direct flow in its sender's program and nowhere else, each program is the plain model's plus
 * its host's offloads, and the share drawn above the threshold is the Pareto tail's,
 * (min / threshold)^shape, computed here by hand.
 */
class OffloadDrawTest {
    static final long SEED = 77;

    @Test
    void everyDrawnOffloadIsADirectFlowOnItsSenderOnly() {
        int[] protocols = ProgrammingModel.DEFAULT_PROTOCOLS;
        NetworkState state = ScaleRun.network(1_200, 60, NetworkSizes.fixed(40), SEED, protocols);
        OffloadDraw draw = new OffloadDraw(30, 1.1, 1_000, 20_000, SEED);
        Map<Integer, FlowProgram> with = HostPrograms.of(state, new HoverboardModel(protocols, draw), 1, 1);
        Map<Integer, FlowProgram> without = HostPrograms.of(state, new HoverboardModel(), 1, 1);
        Map<Integer, List<OffloadFlow>> drawn = draw.bySender(state);
        assertThat(draw.offloads()).as("seed %d", SEED).isPositive();
        long offloadFlows = 0;
        for (Map.Entry<Integer, FlowProgram> e : with.entrySet()) {
            int host = e.getKey();
            List<OffloadFlow> mine = drawn.getOrDefault(host, List.of());
            long distinct = mine.stream().distinct().count();
            offloadFlows += distinct;
            assertThat(e.getValue().flows()).as("host %d", host)
                    .hasSize(without.get(host).flows().size() + (int) distinct);
            FlowTable t = e.getValue().toFlowTable();
            for (OffloadFlow o : mine) {
                Vm d = state.vm(o.vni(), o.dst());
                int i = t.lookup(o.vni(), o.proto(), o.src(), o.dst());
                assertThat(i).as("%s on host %d", o, host).isNotEqualTo(FlowTable.MISS);
                assertThat(FlowAction.kind(t.action(i))).isEqualTo(FlowAction.ENCAP_HOST);
                assertThat(d.hostId()).isNotEqualTo(host);
            }
        }
        assertThat(offloadFlows).isPositive();
        double expected = Math.pow(1_000.0 / 20_000, 1.1);
        double share = (double) draw.offloads() / draw.drawnFlows();
        // about 35,000 draws: the binomial's standard deviation is ~0.001 of the ~0.037 expected
        assertThat(share).as("seed %d: %d of %d", SEED, draw.offloads(), draw.drawnFlows())
                .isBetween(expected * 0.8, expected * 1.2);
    }
}
