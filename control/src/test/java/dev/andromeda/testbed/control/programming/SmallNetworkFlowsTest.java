package dev.andromeda.testbed.control.programming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.andromeda.testbed.control.model.Host;
import dev.andromeda.testbed.control.model.Hoverboard;
import dev.andromeda.testbed.control.model.NetworkChange;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.VirtualNetwork;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FirewallRule;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Three VM hosts (1, 2, 3) and a hoverboard host (9); networks 100 (a1, a2 on
 * host 1; a3 on host 2) and 200 (b1 on host 2; b2, b3 on host 3). Both use
 * 10.0.0.0/24, so addresses repeat across networks. TCP only.
 */
class SmallNetworkFlowsTest {
    static final int NET = 0x0A000000;
    static final int[] TCP = {6};
    static final FirewallRule ALL = new FirewallRule(FirewallRule.ANY, NET, 24, 0, 0xFFFF, false);
    static final FirewallRule HTTP = new FirewallRule(6, NET, 24, 80, 80, false);

    static NetworkState state() {
        NetworkState.Builder b = NetworkState.builder();
        for (int h : new int[] {1, 2, 3, 9}) {
            b.host(new Host(h, 0xAC100000 + h, 0x040000000000L + h));
        }
        b.hoverboard(new Hoverboard(9));
        b.network(new VirtualNetwork(100, new VirtualNetwork.Prefix(NET, 24)));
        b.network(new VirtualNetwork(200, new VirtualNetwork.Prefix(NET, 24)));
        b.vm(new Vm(1, 100, NET + 1, 0xA1, 1), List.of(ALL));
        b.vm(new Vm(2, 100, NET + 2, 0xA2, 1), List.of(ALL));
        b.vm(new Vm(3, 100, NET + 3, 0xA3, 2), List.of(ALL));
        b.vm(new Vm(4, 200, NET + 1, 0xB1, 2), List.of(ALL));
        b.vm(new Vm(5, 200, NET + 2, 0xB2, 3), List.of(ALL));
        b.vm(new Vm(6, 200, NET + 3, 0xB3, 3), List.of(HTTP));
        return b.build();
    }

    static TableSink program(ProgrammingModel m, NetworkState s) {
        TableSink sink = new TableSink(s);
        m.program(s, sink);
        return sink;
    }

    static String f(int vni, int src, int dst, String action) {
        return "vni " + vni + " proto 6 10.0.0." + src + " -> 10.0.0." + dst + " " + action;
    }

    static final List<TableSink.Route> ALL_ROUTES = List.of(
            new TableSink.Route(100, NET + 1, 1), new TableSink.Route(100, NET + 2, 1),
            new TableSink.Route(100, NET + 3, 2), new TableSink.Route(200, NET + 1, 2),
            new TableSink.Route(200, NET + 2, 3), new TableSink.Route(200, NET + 3, 3));

    @Test
    void preProgrammedHostsHoldAFlowFromEachOfTheirVmsToEveryVmOfItsNetwork() {
        TableSink t = program(new PreProgrammedModel(TCP), state());
        assertThat(t.described(1)).containsExactlyInAnyOrder(
                f(100, 1, 2, "deliver(port 1)"), f(100, 1, 3, "encap(host 2)"),
                f(100, 2, 1, "deliver(port 0)"), f(100, 2, 3, "encap(host 2)"));
        assertThat(t.described(2)).containsExactlyInAnyOrder(
                f(100, 3, 1, "encap(host 1)"), f(100, 3, 2, "encap(host 1)"),
                f(200, 1, 2, "encap(host 3)"), f(200, 1, 3, "encap(host 3)"));
        assertThat(t.described(3)).containsExactlyInAnyOrder(
                f(200, 2, 1, "encap(host 2)"), f(200, 2, 3, "deliver(port 1)"),
                f(200, 3, 1, "encap(host 2)"), f(200, 3, 2, "deliver(port 0)"));
        assertThat(t.described(9)).isEmpty();
        assertThat(t.hoverboardRoutes()).isEmpty();
        assertThat(t.defaultRoute(1)).isEmpty();
    }

    @Test
    void flowPoliciesComeFromTheDestinationVmsRules() {
        TableSink t = program(new PreProgrammedModel(TCP), state());
        TableSink.Entry toB3 = t.flows(3).stream().filter(e -> e.dst() == NET + 3).findFirst().orElseThrow();
        assertThat(toB3.policy().kind()).isEqualTo(FirewallPolicy.Kind.PORT_RANGES);
        assertThat(toB3.policy().ranges()).containsExactly(80 << 16 | 80);
        assertThat(t.flows(1)).allSatisfy(e -> assertThat(e.policy()).isSameAs(FirewallPolicy.ALLOW_ALL));
    }

    @Test
    void theBuiltFlowTableMatchesWhatWasProgrammed() {
        NetworkState s = state();
        TableSink t = program(new PreProgrammedModel(TCP), s);
        FlowTable table = t.table(1);
        assertThat(table.size()).isEqualTo(4);
        int i = table.lookup(100, 6, NET + 1, NET + 3);
        assertThat(FlowAction.kind(table.action(i))).isEqualTo(FlowAction.ENCAP_HOST);
        assertThat(table.hostIp(FlowAction.argument(table.action(i)))).isEqualTo(s.host(2).ipv4());
        assertThat(table.lookup(200, 6, NET + 1, NET + 3)).as("network 200 is not on host 1").isEqualTo(FlowTable.MISS);
        assertThat(table.lookup(100, 17, NET + 1, NET + 3)).as("UDP was not programmed").isEqualTo(FlowTable.MISS);
    }

    @Test
    void hoverboardHostsHoldOnlyLocalDeliveryAndTheDefaultRoute() {
        TableSink t = program(new HoverboardModel(TCP, List::of), state());
        assertThat(t.described(1)).containsExactlyInAnyOrder(
                f(100, 1, 2, "deliver(port 1)"), f(100, 2, 1, "deliver(port 0)"));
        assertThat(t.described(2)).isEmpty();
        assertThat(t.described(3)).containsExactlyInAnyOrder(
                f(200, 2, 3, "deliver(port 1)"), f(200, 3, 2, "deliver(port 0)"));
        for (int h : new int[] {1, 2, 3}) {
            assertThat(t.defaultRoute(h)).containsExactly(9);
            FlowTable table = t.table(h);
            assertThat(table.hostIp(table.hoverboardFor(12345))).isEqualTo(0xAC100009);
        }
        assertThat(t.hoverboardRoutes()).containsExactlyInAnyOrderElementsOf(ALL_ROUTES);
    }

    @Test
    void gatewayHostsHoldNoFlowsAndTheGatewaysHoldEveryRoute() {
        TableSink t = program(new GatewayModel(TCP), state());
        assertThat(t.flowCount()).isZero();
        assertThat(t.defaultRoute(1)).containsExactly(9);
        assertThat(t.defaultRoute(3)).containsExactly(9);
        assertThat(t.hoverboardRoutes()).containsExactlyInAnyOrderElementsOf(ALL_ROUTES);
    }

    @Test
    void onDemandHostsStartEmptyAndAMissProgramsExactlyThatFlow() {
        NetworkState s = state();
        AtomicLong clock = new AtomicLong();
        OnDemandModel m = new OnDemandModel(TCP, 100, 10, clock::get);
        assertThat(program(m, s).flowCount()).isZero();
        TableSink t = new TableSink(s);
        assertThat(m.resolveMiss(s, 1, 100, NET + 1, NET + 3, t)).isEqualTo(OnDemandModel.MissResult.PROGRAMMED);
        assertThat(t.described(1)).containsExactly(f(100, 1, 3, "encap(host 2)"));
        assertThat(m.resolveMiss(s, 1, 100, NET + 1, NET + 3, t))
                .isEqualTo(OnDemandModel.MissResult.ALREADY_PROGRAMMED);
        assertThat(m.resolveMiss(s, 1, 200, NET + 1, NET + 3, t))
                .as("10.0.0.1 of network 200 runs on host 2, not 1").isEqualTo(OnDemandModel.MissResult.NO_ROUTE);
        assertThat(m.resolveMiss(s, 1, 100, NET + 1, NET + 9, t)).isEqualTo(OnDemandModel.MissResult.NO_ROUTE);
        assertThat(program(m, s).described(1)).containsExactly(f(100, 1, 3, "encap(host 2)"));
        NetworkState moved = s.apply(new NetworkChange.MoveVm(3, 3));
        assertThat(program(m, moved).described(1)).as("the resolved flow follows the moved VM")
                .containsExactly(f(100, 1, 3, "encap(host 3)"));
    }

    @Test
    void aMovedVmsFlowsFollowIt() {
        NetworkState s = state().apply(new NetworkChange.MoveVm(3, 1));
        TableSink t = program(new PreProgrammedModel(TCP), s);
        assertThat(t.described(1)).contains(f(100, 1, 3, "deliver(port 2)"), f(100, 3, 1, "deliver(port 0)"));
        assertThat(t.described(2)).containsExactlyInAnyOrder(
                f(200, 1, 2, "encap(host 3)"), f(200, 1, 3, "encap(host 3)"));
        assertThat(s.version()).isEqualTo(2);
    }
}
