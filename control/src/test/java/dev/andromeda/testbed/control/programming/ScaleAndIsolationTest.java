package dev.andromeda.testbed.control.programming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.andromeda.testbed.control.model.Host;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScaleAndIsolationTest {
    static final long SEED = 1234;

    static List<ProgrammingModel> models() {
        AtomicLong clock = new AtomicLong();
        OnDemandModel onDemand = new OnDemandModel(1000, 1000, clock::get);
        return List.of(new PreProgrammedModel(), new HoverboardModel(), new GatewayModel(), onDemand);
    }

    @Test
    void noFlowCrossesNetworksInAnyModel() {
        NetworkState s = ScaleRun.network(600, 40, 50, SEED, ProgrammingModel.DEFAULT_PROTOCOLS);
        for (ProgrammingModel m : models()) {
            TableSink t = new TableSink(s);
            if (m instanceof OnDemandModel od) {
                for (Vm src : s.vmsInNetwork(3)) {
                    for (Vm dst : s.vmsInNetwork(3)) {
                        od.resolveMiss(s, src.hostId(), 3, src.ipv4(), dst.ipv4(), t);
                    }
                    // Same addresses, other network: only valid if that VM is on this host.
                    od.resolveMiss(s, src.hostId(), 4, src.ipv4(), src.ipv4() + 1, t);
                }
            }
            m.program(s, t);
            long checked = 0;
            for (Host h : s.hosts()) {
                for (TableSink.Entry e : t.flows(h.id())) {
                    Vm src = s.vm(e.vni(), e.src());
                    Vm dst = s.vm(e.vni(), e.dst());
                    assertThat(src).as("%s on host %d (%s, seed %d)", e.describe(), h.id(), m.name(), SEED).isNotNull();
                    assertThat(dst).as("%s (%s, seed %d)", e.describe(), m.name(), SEED).isNotNull();
                    assertThat(src.hostId()).as("%s (%s)", e.describe(), m.name()).isEqualTo(h.id());
                    if (e.actionKind() == FlowAction.ENCAP_HOST) {
                        assertThat(e.argument()).as("%s (%s)", e.describe(), m.name()).isEqualTo(dst.hostId());
                    } else {
                        assertThat(e.actionKind()).isEqualTo(FlowAction.DELIVER);
                        assertThat(e.argument()).isEqualTo(s.port(dst.id()));
                        assertThat(dst.hostId()).isEqualTo(h.id());
                    }
                    checked++;
                }
            }
            for (TableSink.Route r : t.hoverboardRoutes()) {
                assertThat(s.vm(r.vni(), r.dst()).hostId()).isEqualTo(r.dstHostId());
            }
            System.out.printf("isolation: %s checked %d flows, %d hoverboard routes (seed %d)%n", m.name(), checked,
                    t.hoverboardRoutes().size(), SEED);
        }
    }

    @Test
    void countingAHostEqualsBuildingItsRealTable() {
        NetworkState s = ScaleRun.network(2000, 200, 50, SEED, ProgrammingModel.DEFAULT_PROTOCOLS);
        for (ProgrammingModel m : List.of(new PreProgrammedModel(), new HoverboardModel())) {
            CountingSink count = new CountingSink(199);
            m.program(s, count);
            long total = 0;
            for (Host h : s.hosts()) {
                TableSink t = new TableSink(s);
                m.programHost(s, h.id(), t);
                FlowTable table = t.table(h.id());
                assertThat(table.size()).as("host %d, %s, seed %d", h.id(), m.name(), SEED)
                        .isEqualTo(count.hostFlows(h.id())).isEqualTo(t.flows(h.id()).size());
                total += table.size();
            }
            assertThat(total).isEqualTo(count.hostFlows());
        }
    }

    @Test
    void hoverboardsNeedAtLeastTenTimesFewerFlowsThanPreProgrammedAt10000VmsOn2500Hosts() {
        ScaleRun.Result pre = ScaleRun.run(10_000, 2_500, new PreProgrammedModel(), 4);
        ScaleRun.Result hov = ScaleRun.run(10_000, 2_500, new HoverboardModel(), 4);
        System.out.println(pre.statement());
        System.out.println(hov.statement());
        assertThat(pre.completed()).isTrue();
        assertThat(hov.completed()).isTrue();
        assertThat(pre.flows()).as("pre-programmed: exactly its estimate (seed %d)", pre.seed())
                .isEqualTo(pre.estimatedFlows());
        assertThat(hov.flows() * 10).as("hoverboard %d vs pre-programmed %d flows", hov.flows(), pre.flows())
                .isLessThanOrEqualTo(pre.flows());
    }

    @Test
    void a40000VmHoverboardRunOn10000HostsCompletesWithConsistentCounts() {
        ScaleRun.Result r = ScaleRun.run(40_000, 10_000, new HoverboardModel(), 8);
        System.out.println(r.statement() + String.format(" (build %.3f s, baseline heap %,d MB)", r.buildSeconds(),
                r.baselineHeapBytes() >> 20));
        System.out.println("per partition: " + r.perPartition());
        assertThat(r.completed()).isTrue();
        assertThat(r.flows()).isPositive();
        assertThat(r.hoverboards()).isEqualTo(ScaleRun.HOVERBOARDS);
        assertThat(r.networks()).isEqualTo(800);
        assertThat(r.hoverboardRoutes()).isEqualTo(40_000);
        assertThat(r.hoverboardEntries()).isEqualTo(40_000L * ScaleRun.HOVERBOARDS);
        assertThat(r.perPartition()).hasSize(8);
        assertThat(r.perPartition().stream().mapToLong(Long::longValue).sum()).isEqualTo(r.hostFlows());
        assertThat(r.hostFlows() + r.hoverboardEntries()).as("every entry on every hoverboard counts")
                .isEqualTo(r.flows());
        assertThat(r.peakHeapBytes()).isGreaterThanOrEqualTo(r.baselineHeapBytes()).isPositive();
    }

    @Test
    void preProgrammedAt40000VmsStopsWithWhatItWouldNeedWhenOverBudget() {
        ScaleRun.Result r = ScaleRun.run(40_000, 10_000, new PreProgrammedModel(), 8);
        System.out.println(r.statement());
        assertThat(r.completed()).isFalse();
        assertThat(r.estimatedFlows()).isEqualTo(40_000L * 49 * 3);
        assertThat(r.statement()).contains("would need").contains("5,880,000 flows").contains("budget");
    }
}
