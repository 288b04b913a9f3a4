package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.Vm;

/**
 * Pre-programmed full mesh: every host holds a flow from each of its VMs to
 * every other VM of that VM's network -- deliver when the destination is on
 * the same host, encapsulate to its host otherwise. No default route; no
 * hoverboards needed. Flows grow with (VMs per network)^2.
 */
public final class PreProgrammedModel implements ProgrammingModel {
    private final int[] protocols;

    public PreProgrammedModel() {
        this(DEFAULT_PROTOCOLS);
    }

    public PreProgrammedModel(int[] protocols) {
        Flows.requireProtocols(protocols);
        this.protocols = protocols.clone();
    }

    @Override
    public String name() {
        return "pre-programmed";
    }

    @Override
    public int[] protocols() {
        return protocols.clone();
    }

    @Override
    public void programHost(NetworkState state, int hostId, FlowSink sink) {
        for (Vm s : state.vmsOnHost(hostId)) {
            for (Vm d : state.vmsInNetwork(s.vni())) {
                if (d != s) {
                    Flows.direct(state, s, d, protocols, sink);
                }
            }
        }
    }
}
