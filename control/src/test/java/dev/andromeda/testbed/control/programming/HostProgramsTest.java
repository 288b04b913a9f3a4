package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.agent.ApplyResult;
import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.model.Hoverboard;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.VirtualNetwork;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.MemorySwitch;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.flow.FirewallRule;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole programming path on real dataplanes: desired state → programming
 * model → one FlowProgram per host → host agents → fast paths, then traffic.
 * Hoverboard model: the sender holds only the default route and the hoverboard
 * forwards; pre-programmed: the sender encapsulates straight to the receiver.
 */
class HostProgramsTest {
    static final int VNI = 100;
    static final int NET = 0x0A000000;

    @ParameterizedTest
    @ValueSource(strings = {"hoverboard", "preprogrammed"})
    void programsHostsThroughTheirAgentsAndTrafficFlows(String modelName, @TempDir Path dir) throws Exception {
        ProgrammingModel model = modelName.equals("hoverboard") ? new HoverboardModel() : new PreProgrammedModel();
        List<FirewallRule> allowNetwork = List.of(new FirewallRule(FirewallRule.ANY, NET, 24, 0, 65535, false));
        NetworkState state = NetworkState.builder()
                .host(new dev.andromeda.testbed.control.model.Host(1, 0xC0A80001, 0x0201L))
                .host(new dev.andromeda.testbed.control.model.Host(2, 0xC0A80002, 0x0202L))
                .host(new dev.andromeda.testbed.control.model.Host(3, 0xC0A80003, 0x0203L))
                .hoverboard(new Hoverboard(3))
                .network(new VirtualNetwork(VNI, new VirtualNetwork.Prefix(NET, 24)))
                .vm(new Vm(10, VNI, NET + 1, 0x0A01L, 1), allowNetwork)
                .vm(new Vm(20, VNI, NET + 2, 0x0A02L, 2), allowNetwork)
                .build();
        Map<Integer, FlowProgram> programs = HostPrograms.of(state, model, 1, 1);
        assertThat(programs).containsOnlyKeys(1, 2, 3);

        try (MemorySwitch sw = new MemorySwitch(1024, 16384);
             Host h1 = new Host("h1", 0xC0A80001, 0x0201L, 512, 4096, StageMix.software(), OffloadOptions.defaults());
             Host h2 = new Host("h2", 0xC0A80002, 0x0202L, 512, 4096, StageMix.software(), OffloadOptions.defaults());
             Host h3 = new Host("h3", 0xC0A80003, 0x0203L, 512, 4096, StageMix.software(), OffloadOptions.defaults())) {
            Host[] hosts = {h1, h2, h3};
            for (int i = 0; i < 3; i++) {
                hosts[i].connect(sw.attach(hosts[i].ip()));
                HostAgent agent = new HostAgent(hosts[i], dir.resolve("h" + (i + 1)));
                assertThat(agent.apply(programs.get(i + 1))).isInstanceOf(ApplyResult.Ack.class);
            }
            VirtioNic v1 = h1.addVm(new VmPort(state.port(10), VNI, NET + 1, 0x0A01L));
            VirtioNic v2 = h2.addVm(new VmPort(state.port(20), VNI, NET + 2, 0x0A02L));
            Random r = new Random(7);
            int sent = 50;
            for (int i = 0; i < sent; i++) {
                v1.send(TwoHosts.guestFrame(r, NET + 1, NET + 2, i % 2 == 0, 200));
            }
            for (int k = 0; k < 10; k++) {
                h1.doWork();
                h3.doWork();
                h2.doWork();
            }
            assertThat(TwoHosts.drain(v2)).as("%s / %s / %s", h1, h3, h2).hasSize(sent);
            assertThat(h3.counters().hairpinned()).as("through the hoverboard")
                    .isEqualTo(modelName.equals("hoverboard") ? sent : 0);
        }
    }
}
