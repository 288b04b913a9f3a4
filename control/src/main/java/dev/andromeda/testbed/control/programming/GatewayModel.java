package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.model.NetworkState;

/**
 * Gateway: every packet goes through the hoverboards (gateways), even between
 * two VMs of one host. Hosts hold no flows, only the default route; they
 * deliver to their VMs what comes back from the gateways. The gateways hold
 * every route. Never offloads.
 */
public final class GatewayModel implements ProgrammingModel {
    private final int[] protocols;

    public GatewayModel() {
        this(DEFAULT_PROTOCOLS);
    }

    public GatewayModel(int[] protocols) {
        Flows.requireProtocols(protocols);
        this.protocols = protocols.clone();
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public int[] protocols() {
        return protocols.clone();
    }

    @Override
    public void program(NetworkState state, FlowSink sink) {
        ProgrammingModel.super.program(state, sink);
        programHoverboards(state, sink);
    }

    @Override
    public void programHoverboards(NetworkState state, FlowSink sink) {
        Flows.hoverboardRoutes(state, sink);
    }

    @Override
    public void programHost(NetworkState state, int hostId, FlowSink sink) {
        sink.defaultRoute(hostId, Flows.hoverboardIds(state));
    }
}
