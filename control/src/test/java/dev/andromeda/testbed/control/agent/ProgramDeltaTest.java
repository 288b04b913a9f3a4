package dev.andromeda.testbed.control.agent;

import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A delta between two random programs, applied to the first, gives the second; to anything else, a refusal. */
class ProgramDeltaTest {

    static FlowProgram random(Random r, long version) {
        List<FlowProgram.HostEntry> hosts = new ArrayList<>();
        for (int h = 0; h < 1 + r.nextInt(4); h++) {
            hosts.add(new FlowProgram.HostEntry(0xC0A80000 + h, 0x0200_0000_0000L + h));
        }
        FlowProgram.Builder b = FlowProgram.builder(version, 1 + r.nextInt(3));
        hosts.forEach(h -> b.host(h.ip(), h.mac()));
        int n = r.nextInt(60);
        java.util.Set<List<Integer>> keys = new java.util.HashSet<>(); // a valid program names each key once
        for (int i = 0; i < n; i++) {
            int vni = 100 + r.nextInt(2);
            int proto = r.nextBoolean() ? 6 : 17;
            int src = 0x0A000000 + r.nextInt(8);
            int dst = 0x0A000000 + r.nextInt(40);
            if (!keys.add(List.of(vni, proto, src, dst))) {
                continue;
            }
            int action = switch (r.nextInt(3)) {
                case 0 -> FlowAction.encapToHost(r.nextInt(hosts.size()));
                case 1 -> FlowAction.deliver(r.nextInt(8));
                default -> FlowAction.drop();
            };
            FirewallPolicy p = r.nextBoolean() ? FirewallPolicy.ALLOW_ALL
                    : FirewallPolicy.ports(FirewallPolicy.Kind.PORT_RANGES, new int[] {r.nextInt(1000), 1000 + r.nextInt(1000)});
            b.flow(vni, proto, src, dst, action, p);
        }
        return b.build();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void applyingTheDeltaToTheBaseGivesTheTarget(long seed) {
        Random r = new Random(seed);
        FlowProgram base = random(r, 5);
        FlowProgram target = random(r, 6);
        ProgramDelta d = ProgramDelta.between(base, target);
        ProgramDelta wire = new ProgramDelta(d.baseVersion(), d.upserts(), ProgramDelta.decodeRemoved(d.encodeRemoved()));
        FlowProgram got = wire.applyTo(base);
        assertThat(got.version()).as("seed %d", seed).isEqualTo(6);
        assertThat(got.hosts()).isEqualTo(target.hosts());
        assertThat(got.flows()).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(target.flows());
        assertThat(ProgramDelta.between(target, target).flowsCarried()).isZero();
        assertThatThrownBy(() -> d.applyTo(target)).as("another base").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("applies to version 5");
    }

    /**
     * A host that built its program from deltas must look converged to a controller holding the
     * whole program: the digest reads content, not the order the flows were added in.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23, 24, 25, 26, 27, 28})
    void aDeltaBuiltProgramDigestsAsTheWholeOne(long seed) {
        Random r = new Random(seed);
        FlowProgram base = random(r, 5);
        FlowProgram target = random(r, 6);
        FlowProgram built = ProgramDelta.between(base, target).applyTo(base);
        assertThat(built.contentDigest()).as("seed %d", seed).isEqualTo(target.contentDigest());
        List<FlowProgram.Flow> reversed = new ArrayList<>(target.flows());
        java.util.Collections.reverse(reversed);
        FlowProgram shuffled = new FlowProgram(9, 4, target.hosts(), target.hoverboards(), reversed);
        assertThat(shuffled.contentDigest()).as("seed %d: order, version and epoch are not content", seed)
                .isEqualTo(target.contentDigest());
        if (!target.flows().isEmpty()) { // and the digest still tells content apart
            List<FlowProgram.Flow> changed = new ArrayList<>(target.flows());
            FlowProgram.Flow f = changed.get(0);
            changed.set(0, new FlowProgram.Flow(f.vni(), f.proto(), f.src(), f.dst(), FlowAction.drop() == f.action()
                    ? FlowAction.deliver(1) : FlowAction.drop(), f.policy()));
            assertThat(new FlowProgram(6, 1, target.hosts(), target.hoverboards(), changed).contentDigest())
                    .as("seed %d", seed).isNotEqualTo(target.contentDigest());
        }
    }
}
