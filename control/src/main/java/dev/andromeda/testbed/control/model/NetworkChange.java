package dev.andromeda.testbed.control.model;

import dev.andromeda.testbed.fastpath.flow.FirewallRule;
import java.util.List;

/** A change to the desired state, as cluster management sends it after the full state. */
public sealed interface NetworkChange {
    /** A new VM, with its ingress firewall rules. */
    record AddVm(Vm vm, List<FirewallRule> rules) implements NetworkChange {
        public AddVm {
            rules = List.copyOf(rules);
        }
    }

    record RemoveVm(int vmId) implements NetworkChange {
    }

    /** The VM now runs on another host (after a live migration). */
    record MoveVm(int vmId, int toHostId) implements NetworkChange {
    }
}
