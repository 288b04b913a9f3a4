package dev.andromeda.testbed.control.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.andromeda.testbed.fastpath.flow.FirewallRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkStateTest {
    static final int NET = 0x0A000000;

    static NetworkState twoHosts() {
        return NetworkState.builder()
                .host(new Host(1, 0xAC100001, 1))
                .host(new Host(2, 0xAC100002, 2))
                .network(new VirtualNetwork(100, new VirtualNetwork.Prefix(NET, 24)))
                .vm(new Vm(10, 100, NET + 1, 0x10, 1), List.of())
                .vm(new Vm(11, 100, NET + 2, 0x11, 1), List.of())
                .build();
    }

    @Test
    void theFullStateStartsAtVersionOneAndEachChangeAddsOne() {
        NetworkState s = twoHosts();
        assertThat(s.version()).isEqualTo(1);
        NetworkState s2 = s.apply(new NetworkChange.AddVm(new Vm(12, 100, NET + 3, 0x12, 2), List.of()));
        NetworkState s3 = s2.apply(List.of(new NetworkChange.MoveVm(10, 2), new NetworkChange.RemoveVm(11)));
        assertThat(s2.version()).isEqualTo(2);
        assertThat(s3.version()).isEqualTo(4);
        assertThat(s.vms()).hasSize(2);
        assertThat(s.vm(10).hostId()).as("the old state is unchanged").isEqualTo(1);
        assertThat(s3.vm(10).hostId()).isEqualTo(2);
        assertThat(s3.vm(11)).isNull();
        assertThat(s3.vmsOnHost(2)).extracting(Vm::id).containsExactly(10, 12);
    }

    @Test
    void vmsGetTheLowestFreePortOnTheirHost() {
        NetworkState s = twoHosts();
        assertThat(s.port(10)).isZero();
        assertThat(s.port(11)).isEqualTo(1);
        NetworkState moved = s.apply(new NetworkChange.MoveVm(10, 2));
        assertThat(moved.port(10)).isZero();
        NetworkState back = moved.apply(new NetworkChange.AddVm(new Vm(13, 100, NET + 4, 0x13, 1), List.of()));
        assertThat(back.port(13)).as("port 0 on host 1 is free again").isZero();
    }

    @Test
    void rejectsMalformedDesiredStateWithAClearErrorAndChangesNothing() {
        NetworkState s = twoHosts();
        long version = s.version();
        // A VM in an unknown network, a duplicate address: rejected, the state and its version untouched.
        assertThatThrownBy(() -> s.apply(new NetworkChange.AddVm(new Vm(30, 4242, NET + 30, 0x30, 1), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no network with VNI 4242");
        assertThatThrownBy(() -> s.apply(new NetworkChange.AddVm(new Vm(31, 100, NET + 2, 0x31, 2), List.of())))
                .hasMessageContaining("address already used in network 100");
        assertThat(s.version()).isEqualTo(version);
        assertThat(s.vm(11).hostId()).isEqualTo(1);
        // Overlapping prefixes in one network, duplicate networks and hosts: the full state is refused.
        assertThatThrownBy(() -> new VirtualNetwork(7, new VirtualNetwork.Prefix(NET, 16),
                new VirtualNetwork.Prefix(NET + 256, 24))).hasMessageContaining("overlap");
        assertThatThrownBy(() -> NetworkState.builder()
                .network(new VirtualNetwork(100, new VirtualNetwork.Prefix(NET, 24)))
                .network(new VirtualNetwork(100, new VirtualNetwork.Prefix(NET, 24))).build())
                .hasMessageContaining("VNI 100 exists");
        assertThatThrownBy(() -> NetworkState.builder().host(new Host(1, 0xAC100001, 1))
                .host(new Host(1, 0xAC100009, 9)).build()).hasMessageContaining("host 1 exists");
    }

    @Test
    void invalidVmsAreRejected() {
        NetworkState s = twoHosts();
        assertThatThrownBy(() -> s.apply(new NetworkChange.AddVm(new Vm(20, 999, NET + 9, 1, 1), List.of())))
                .hasMessageContaining("VNI 999");
        assertThatThrownBy(() -> s.apply(new NetworkChange.AddVm(new Vm(20, 100, NET + 1, 1, 1), List.of())))
                .hasMessageContaining("already used");
        assertThatThrownBy(() -> s.apply(new NetworkChange.AddVm(new Vm(20, 100, 0x0B000001, 1, 1), List.of())))
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> s.apply(new NetworkChange.MoveVm(10, 7))).hasMessageContaining("no host 7");
        assertThatThrownBy(() -> s.apply(new NetworkChange.RemoveVm(99))).hasMessageContaining("no VM 99");
    }

    @Test
    void rulesFollowTheVm() {
        FirewallRule ssh = new FirewallRule(6, NET, 24, 22, 22, false);
        NetworkState s = twoHosts().apply(new NetworkChange.AddVm(new Vm(12, 100, NET + 3, 0x12, 2), List.of(ssh)));
        assertThat(s.rules(12)).containsExactly(ssh);
        assertThat(s.apply(new NetworkChange.RemoveVm(12)).rules(12)).isEmpty();
    }
}
