package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.model.Host;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.Vm;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Hoverboard (Andromeda §3.3): hosts hold flows only between their own VMs
 * (local delivery) and a default route to the hoverboards; the hoverboards
 * hold every route. Flows whose usage passes a threshold get a direct
 * host-to-host offload flow on the sender ({@link OffloadPlanner}).
 */
public final class HoverboardModel implements ProgrammingModel {
    private final int[] protocols;
    private final Supplier<? extends Collection<OffloadFlow>> offloads;
    /** Offload flows drawn for a network at scale, by sending host (null: {@link #offloads} only). */
    private final OffloadDraw draw;

    public HoverboardModel() {
        this(DEFAULT_PROTOCOLS, List::of);
    }

    /** @param offloads the offload flows in force now, e.g. {@code planner::active} */
    public HoverboardModel(int[] protocols, Supplier<? extends Collection<OffloadFlow>> offloads) {
        Flows.requireProtocols(protocols);
        this.protocols = protocols.clone();
        this.offloads = offloads;
        this.draw = null;
    }

    /**
     * The model with the offload flows of a {@link OffloadDraw}: what a network at scale carries
     * once the planner has offloaded its high-bandwidth flows (the scale run's hoverboard network).
     */
    public HoverboardModel(int[] protocols, OffloadDraw draw) {
        Flows.requireProtocols(protocols);
        this.protocols = protocols.clone();
        this.offloads = List::of;
        this.draw = java.util.Objects.requireNonNull(draw, "draw");
    }

    /** The draw of offload flows, or null. */
    public OffloadDraw draw() {
        return draw;
    }

    @Override
    public String name() {
        return "hoverboard";
    }

    @Override
    public int[] protocols() {
        return protocols.clone();
    }

    @Override
    public void program(NetworkState state, FlowSink sink) {
        Collection<OffloadFlow> off = offloads.get();
        for (Host h : state.hosts()) {
            programHost(state, h.id(), sink, off);
        }
        programHoverboards(state, sink);
    }

    @Override
    public void programHoverboards(NetworkState state, FlowSink sink) {
        Flows.hoverboardRoutes(state, sink);
    }

    @Override
    public void programHost(NetworkState state, int hostId, FlowSink sink) {
        programHost(state, hostId, sink, offloads.get());
    }

    /** The offload flows to consider for this host: the draw's for it (indexed), or every one in force. */
    private Collection<OffloadFlow> forHost(NetworkState state, int hostId, Collection<OffloadFlow> off) {
        return draw == null ? off : draw.bySender(state).getOrDefault(hostId, List.of());
    }

    private void programHost(NetworkState state, int hostId, FlowSink sink, Collection<OffloadFlow> off) {
        sink.defaultRoute(hostId, Flows.hoverboardIds(state));
        Flows.localDelivery(state, hostId, protocols, sink);
        for (OffloadFlow o : forHost(state, hostId, off)) {
            if (o.senderHostId() != hostId) {
                continue;
            }
            Vm s = state.vm(o.vni(), o.src());
            Vm d = state.vm(o.vni(), o.dst());
            // Skip offloads the state no longer supports (VM gone or moved, or now local).
            if (s == null || d == null || s.hostId() != hostId || d.hostId() == hostId) {
                continue;
            }
            Flows.direct(state, s, d, new int[] {o.proto()}, sink);
        }
    }
}
