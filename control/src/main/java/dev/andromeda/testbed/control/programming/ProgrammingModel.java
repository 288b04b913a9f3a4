package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.model.Host;
import dev.andromeda.testbed.control.model.NetworkState;

/**
 * Turns the desired state into each host's flows (and what the hoverboards
 * hold). Flows are egress flows on the sending host, keyed (VNI, protocol,
 * source, destination); one per protocol in {@link #protocols()}; each carries
 * the policy {@link dev.andromeda.testbed.fastpath.flow.FirewallCompiler}
 * computes from the destination VM's rules. Flows never cross networks.
 */
public interface ProgrammingModel {
    /** ICMP, TCP, UDP: the protocols a flow is programmed for by default. */
    int[] DEFAULT_PROTOCOLS = {1, 6, 17};

    String name();

    int[] protocols();

    /**
     * Emits every flow, default route and hoverboard route of {@code state} into {@code sink}:
     * by default every host's, in turn (models whose hoverboards hold routes add those).
     */
    default void program(NetworkState state, FlowSink sink) {
        for (Host h : state.hosts()) {
            programHost(state, h.id(), sink);
        }
    }

    /** Emits only host {@code hostId}'s flows and default route (no hoverboard routes). */
    void programHost(NetworkState state, int hostId, FlowSink sink);

    /**
     * Emits only the routes every hoverboard holds (none by default): with {@link #programHost} for
     * each host, what {@link #program} emits, so a controller can recompute a few hosts' programs.
     */
    default void programHoverboards(NetworkState state, FlowSink sink) {
    }
}
