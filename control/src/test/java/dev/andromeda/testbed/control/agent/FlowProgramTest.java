package dev.andromeda.testbed.control.agent;

import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FlowProgramTest {

    @Test
    void aProgramSurvivesItsBinaryEncodingUnchanged() throws IOException {
        FlowProgram p = Programs.rich(7, 3);
        FlowProgram back = FlowProgram.decode(p.encode());
        assertThat(back).isEqualTo(p).hasSameHashCodeAs(p);
        assertThat(back.version()).isEqualTo(7);
        assertThat(back.epoch()).isEqualTo(3);
        assertThat(FlowProgram.decode(FlowProgram.EMPTY.encode())).isEqualTo(FlowProgram.EMPTY);
    }

    @Test
    void programsDifferingInVersionEpochFlowsOrRangesAreNotEqual() {
        FlowProgram p = Programs.rich(7, 3);
        assertThat(p.withVersion(8, 3)).isNotEqualTo(p);
        assertThat(p.withVersion(7, 4)).isNotEqualTo(p);
        assertThat(p.withVersion(7, 3)).isEqualTo(p);
        assertThat(Programs.forA(7, 3)).isNotEqualTo(p);
        FlowProgram.Flow f = p.flows().get(2);
        int[] r = f.ranges();
        r[0] = 54 << 16 | 54;
        assertThat(new FlowProgram.Flow(f.vni(), f.proto(), f.src(), f.dst(), f.action(), f.policyKind(), r))
                .isNotEqualTo(f);
        assertThat(f.ranges()).as("a caller's array cannot change the program").containsExactly(53 << 16 | 53,
                8000 << 16 | 8080);
    }

    @Test
    void theFlowTableBuiltFromAProgramHoldsItsFlowsHostsAndHoverboards() {
        FlowTable t = Programs.rich(1, 1).toFlowTable();
        assertThat(t.size()).isEqualTo(5);
        assertThat(t.hosts()).isEqualTo(2);
        assertThat(t.hostIp(1)).isEqualTo(TwoHosts.B_IP);
        assertThat(t.hostMac(0)).isEqualTo(TwoHosts.A_MAC);
        assertThat(t.hoverboardFor(12345)).isEqualTo(1);
        int i = t.lookup(TwoHosts.PLAIN_VNI, 17, Programs.VM_B, Programs.VM_A);
        assertThat(i).isNotEqualTo(FlowTable.MISS);
        assertThat(t.action(i)).isEqualTo(FlowAction.deliver(1));
        assertThat(t.allows(i, 53)).isTrue();
        assertThat(t.allows(i, 8080)).isTrue();
        assertThat(t.allows(i, 54)).isFalse();
        int d = t.lookup(0xFFFFFF, 1, Programs.VM_A, -1);
        assertThat(t.policyKind(d)).isEqualTo(FirewallPolicy.Kind.DENY);
    }

    @Test
    void aProgramWithAFlowKeyGivenTwiceIsInvalid() {
        FlowProgram p = Programs.toPeer(1, 1, Programs.VM_A, Programs.VM_B, 1)
                .flow(TwoHosts.PLAIN_VNI, 6, Programs.VM_A, Programs.VM_B, FlowAction.drop(), FirewallPolicy.DENY)
                .build();
        assertThatIllegalArgumentException().isThrownBy(p::toFlowTable).withMessageContaining("twice");
    }

    @Test
    void decodingRejectsShortLongAndAbsurdInputs() {
        byte[] good = Programs.rich(1, 1).encode();
        assertThatIOException().isThrownBy(() -> FlowProgram.decode(Arrays.copyOf(good, good.length - 1)));
        assertThatIOException().isThrownBy(() -> FlowProgram.decode(Arrays.copyOf(good, good.length + 1)));
        assertThatIOException().isThrownBy(() -> FlowProgram.decode(new byte[0]));
        byte[] hugeCount = good.clone();
        hugeCount[16] = 0x7F; // the host count's top byte
        assertThatIOException().isThrownBy(() -> FlowProgram.decode(hugeCount)).withMessageContaining("count");
    }
}
