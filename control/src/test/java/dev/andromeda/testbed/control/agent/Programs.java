package dev.andromeda.testbed.control.agent;

import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;

/** Programs for tests: the host list [a, b] and flows from one VM address to the other, as TwoHosts programs them. */
final class Programs {
    static final int VM_A = 0x0A000001;
    static final int VM_B = 0x0A000002;

    private Programs() {
    }

    /** Host list [a, b]; flows local -> remote on the plain network, UDP and TCP, encapsulated to the peer. */
    static FlowProgram.Builder toPeer(long version, long epoch, int local, int remote, int peerIndex) {
        FlowProgram.Builder b = FlowProgram.builder(version, epoch)
                .host(TwoHosts.A_IP, TwoHosts.A_MAC)
                .host(TwoHosts.B_IP, TwoHosts.B_MAC);
        for (int proto : new int[] {6, 17}) {
            b.flow(TwoHosts.PLAIN_VNI, proto, local, remote, FlowAction.encapToHost(peerIndex),
                    FirewallPolicy.ALLOW_ALL);
        }
        return b;
    }

    static FlowProgram forA(long version, long epoch) {
        return toPeer(version, epoch, VM_A, VM_B, 1).build();
    }

    static FlowProgram forB(long version, long epoch) {
        return toPeer(version, epoch, VM_B, VM_A, 0).build();
    }

    /** A richer program: every action kind and firewall kind, hoverboards. */
    static FlowProgram rich(long version, long epoch) {
        return toPeer(version, epoch, VM_A, VM_B, 1)
                .hoverboards(1)
                .flow(TwoHosts.PLAIN_VNI, 17, VM_B, VM_A, FlowAction.deliver(1),
                        FirewallPolicy.ports(FirewallPolicy.Kind.PORT_RANGES, new int[] {53, 53},
                                new int[] {8000, 8080}))
                .flow(TwoHosts.PSP_VNI, 6, VM_A, 0x0A000009, FlowAction.encapDefault(),
                        FirewallPolicy.ports(FirewallPolicy.Kind.STATEFUL, new int[] {443, 443}))
                .flow(0xFFFFFF, 1, VM_A, -1, FlowAction.drop(), FirewallPolicy.DENY)
                .build();
    }
}
