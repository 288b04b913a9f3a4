package dev.andromeda.testbed.control.scale;

import dev.andromeda.testbed.control.model.Host;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.control.programming.HoverboardModel;
import dev.andromeda.testbed.control.programming.NetworkSizes;
import dev.andromeda.testbed.control.programming.PreProgrammedModel;
import dev.andromeda.testbed.control.programming.ProgrammingModel;
import dev.andromeda.testbed.control.programming.ScaleRun;
import dev.andromeda.testbed.fastpath.flow.FirewallRule;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scale run on real programming, checked against a brute-force account of who may talk to
 * whom, written apart from the models: for every ordered pair of VMs and every protocol, whether
 * the pair's network, hosts and the destination's rules say a flow must be on the sender's host
 * (pre-programmed: every pair of a network; hoverboard: pairs on one host, and a route per VM on
 * every hoverboard), where it must send, and for which destination ports its firewall must pass.
 */
class ProgrammedScaleRunTest {
    static final long SEED = 77;
    static final int[] PORTS = {0, 21, 22, 23, 80, 442, 443, 444, 8080, 65535};

    private static ProgrammedScaleRun.Config config(ProgrammingModel model, int newVms, long maxFlows) {
        return new ProgrammedScaleRun.Config(400, 60, model, 4, NetworkSizes.parse("pareto:1.0,2,80"), SEED,
                512L << 20, maxFlows, newVms, 2);
    }

    @Test
    void preProgrammedTablesOnEveryHostAreExactlyWhoMayTalkToWhom() throws Exception {
        AtomicInteger checked = new AtomicInteger();
        ProgrammedScaleRun.Result r = ProgrammedScaleRun.run(config(new PreProgrammedModel(), 5, Long.MAX_VALUE),
                ScaleRun.Progress.NONE, (state, agents) -> checked.set(check(state, agents, false)));
        assertThat(r.mode()).isEqualTo("programmed");
        assertThat(r.extrapolated()).isFalse();
        assertThat(checked.get()).as("seed %d", SEED).isPositive();
        assertThat(r.newVm().vms()).isEqualTo(5);
        assertThat(r.bytesSent()).isPositive();
    }

    @Test
    void hoverboardTablesHoldLocalPairsAndEveryRouteOnEveryHoverboard() throws Exception {
        AtomicInteger checked = new AtomicInteger();
        ProgrammedScaleRun.Result r = ProgrammedScaleRun.run(config(new HoverboardModel(), 5, Long.MAX_VALUE),
                ScaleRun.Progress.NONE, (state, agents) -> checked.set(check(state, agents, true)));
        assertThat(checked.get()).as("seed %d", SEED).isPositive();
        assertThat(r.newVm().hostsPerVm()).as("a new VM reprograms at least the hoverboards").isGreaterThanOrEqualTo(4);
    }

    @Test
    void countedAndProgrammedModesAgreeOnFlows() throws Exception {
        for (ProgrammingModel m : List.of(new PreProgrammedModel(), new HoverboardModel())) {
            ProgrammedScaleRun.Result programmed = ProgrammedScaleRun.run(config(m, 0, Long.MAX_VALUE));
            ScaleRun.Result counted = ScaleRun.run(400, 60, m, 4, NetworkSizes.parse("pareto:1.0,2,80"), SEED,
                    512L << 20, ScaleRun.Progress.NONE);
            assertThat(programmed.flows()).as("%s, seed %d", m.name(), SEED).isEqualTo(counted.flows());
            assertThat(programmed.programmedFlows()).isEqualTo(counted.flows());
        }
    }

    @Test
    void aNetworkOverTheAllowanceIsSampledAndSaysSoWithTheCountedFlows() throws Exception {
        ProgrammedScaleRun.Result r = ProgrammedScaleRun.run(config(new PreProgrammedModel(), 0, 2_000));
        ScaleRun.Result counted = ScaleRun.run(400, 60, new PreProgrammedModel(), 4,
                NetworkSizes.parse("pareto:1.0,2,80"), SEED, 512L << 20, ScaleRun.Progress.NONE);
        assertThat(r.extrapolated()).isTrue();
        assertThat(r.flows()).as("the network's flows, by definition, equal the counted ones").isEqualTo(counted.flows());
        assertThat(r.programmedFlows()).isPositive().isLessThan(r.flows());
        assertThat(r.statement()).contains("EXTRAPOLATED");
        assertThat(r.seconds()).isGreaterThan(r.measuredSeconds());
    }

    /** Checks every host's table; returns the flows checked. */
    private static int check(NetworkState s, SimulatedAgents agents, boolean hoverboard) {
        int checked = 0;
        List<Vm> vms = new ArrayList<>(s.vms());
        for (Host h : s.hosts()) {
            FlowTable t = agents.agent(ProgrammedScaleRun.hostName(h.id())).table();
            assertThat(t).as("host %d has a table", h.id()).isNotNull();
            int expected = 0;
            if (s.isHoverboard(h.id())) {
                for (Vm d : vms) {
                    int i = t.lookup(d.vni(), 0, 0, d.ipv4());
                    assertThat(i).as("hoverboard %d: route to VM %d (seed %d)", h.id(), d.id(), SEED)
                            .isNotEqualTo(hoverboard ? FlowTable.MISS : -2);
                    if (hoverboard) {
                        assertThat(FlowAction.kind(t.action(i))).isEqualTo(FlowAction.ENCAP_HOST);
                        assertThat(t.hostIp(FlowAction.argument(t.action(i)))).isEqualTo(s.host(d.hostId()).ipv4());
                        expected++;
                    }
                }
                assertThat(t.size()).as("hoverboard %d holds nothing else", h.id()).isEqualTo(expected);
                checked += expected;
                continue;
            }
            for (Vm src : s.vmsOnHost(h.id())) {
                for (Vm d : vms) {
                    for (int proto : ProgrammingModel.DEFAULT_PROTOCOLS) {
                        boolean must = src.vni() == d.vni() && src.id() != d.id()
                                && (!hoverboard || d.hostId() == h.id());
                        int i = t.lookup(src.vni(), proto, src.ipv4(), d.ipv4());
                        if (!must) {
                            // Another network may reuse the address: only a flow of the pair's own VNI counts.
                            assertThat(src.vni() != d.vni() || i == FlowTable.MISS)
                                    .as("host %d: no flow %d -> %d proto %d (seed %d)", h.id(), src.id(), d.id(),
                                            proto, SEED).isTrue();
                            continue;
                        }
                        assertThat(i).as("host %d: flow %d -> %d proto %d (seed %d)", h.id(), src.id(), d.id(),
                                proto, SEED).isNotEqualTo(FlowTable.MISS);
                        expected++;
                        int a = t.action(i);
                        if (d.hostId() == h.id()) {
                            assertThat(FlowAction.kind(a)).isEqualTo(FlowAction.DELIVER);
                            assertThat(FlowAction.argument(a)).isEqualTo(s.port(d.id()));
                        } else {
                            assertThat(FlowAction.kind(a)).isEqualTo(FlowAction.ENCAP_HOST);
                            assertThat(t.hostIp(FlowAction.argument(a))).isEqualTo(s.host(d.hostId()).ipv4());
                        }
                        for (int port : PORTS) {
                            assertThat(t.allows(i, port)).as("host %d: %d -> %d proto %d port %d (seed %d)", h.id(),
                                    src.id(), d.id(), proto, port, SEED)
                                    .isEqualTo(mayReach(s.rules(d.id()), src.ipv4(), proto, port));
                        }
                    }
                }
            }
            assertThat(t.size()).as("host %d holds no other flow (seed %d)", h.id(), SEED).isEqualTo(expected);
            checked += expected;
        }
        return checked;
    }

    /** Brute force: some rule of the destination matches protocol, source prefix and port. */
    private static boolean mayReach(List<FirewallRule> rules, int src, int proto, int port) {
        for (FirewallRule r : rules) {
            boolean protoOk = r.protocol() == FirewallRule.ANY || r.protocol() == proto;
            long mask = r.length() == 0 ? 0 : (0xFFFFFFFFL << (32 - r.length())) & 0xFFFFFFFFL;
            boolean srcOk = ((src & 0xFFFFFFFFL) & mask) == ((r.prefix() & 0xFFFFFFFFL) & mask);
            if (protoOk && srcOk && port >= r.portLo() && port <= r.portHi()) {
                return true;
            }
        }
        return false;
    }
}
