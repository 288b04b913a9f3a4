package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.Vm;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * On-demand: hosts start with no flows and no default route; the first packet
 * of a flow misses and the host asks the controller ({@link #resolveMiss}),
 * which programs that one flow (source to destination, for each protocol) on
 * the host. Misses are rate-limited per tenant (VNI) with a token bucket, so
 * one tenant cannot flood the controller. Resolved flows are remembered and
 * re-emitted by {@link #program} against the current state (a moved VM's
 * flows follow it; a removed VM's flows go). Thread-safe.
 *
 * <p>{@link #viaHoverboards} is the variant a network with hoverboards runs: until its flow is
 * programmed, a flow's packets take a default route to the hoverboards (which hold every route,
 * as in {@link HoverboardModel}) instead of being dropped, and the host reports the miss all the
 * same -- so the first packet of a flow is forwarded, not lost, and the flow goes direct once
 * the controller has answered.
 */
public final class OnDemandModel implements ProgrammingModel {
    /** What the controller did with a miss. */
    public enum MissResult {
        /** The flow is programmed on the host. */
        PROGRAMMED,
        /** It was already programmed. */
        ALREADY_PROGRAMMED,
        /** The tenant is over its rate; the host should retry later (or drop). */
        RATE_LIMITED,
        /** No such source VM on that host or no such destination in that network. */
        NO_ROUTE
    }

    private record Resolved(int hostId, int vni, int src, int dst) {
    }

    private final int[] protocols;
    private final double missesPerSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private final boolean viaHoverboards;
    private final Map<Integer, TokenBucket> buckets = new HashMap<>();
    private final Set<Resolved> resolved = new LinkedHashSet<>();
    private long rateLimited;
    private long programmed;

    /** @param missesPerSecond each tenant's sustained miss rate; {@code burst} the misses it may save */
    public OnDemandModel(int[] protocols, double missesPerSecond, double burst, LongSupplier nanoClock) {
        this(protocols, missesPerSecond, burst, nanoClock, false);
    }

    private OnDemandModel(int[] protocols, double missesPerSecond, double burst, LongSupplier nanoClock,
                          boolean viaHoverboards) {
        Flows.requireProtocols(protocols);
        this.viaHoverboards = viaHoverboards;
        this.protocols = protocols.clone();
        this.missesPerSecond = missesPerSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
        new TokenBucket(missesPerSecond, burst, nanoClock); // validates the parameters
    }

    public OnDemandModel(double missesPerSecond, double burst, LongSupplier nanoClock) {
        this(DEFAULT_PROTOCOLS, missesPerSecond, burst, nanoClock);
    }

    /**
     * On-demand with the hoverboards as the way of a flow not yet programmed: every host holds a
     * default route to them and they hold every route, so a miss is forwarded while it is resolved.
     */
    public static OnDemandModel viaHoverboards(double missesPerSecond, double burst, LongSupplier nanoClock) {
        return new OnDemandModel(DEFAULT_PROTOCOLS, missesPerSecond, burst, nanoClock, true);
    }

    @Override
    public String name() {
        return "on-demand";
    }

    @Override
    public int[] protocols() {
        return protocols.clone();
    }

    /**
     * A flow miss on {@code hostId}: a packet of network {@code vni} from
     * {@code src} to {@code dst}. Validates it against {@code state} (the source
     * VM must run on the host, the destination must be in the same network),
     * takes a token from the tenant's bucket, and programs the flow into
     * {@code sink} (the host's table).
     */
    public synchronized MissResult resolveMiss(NetworkState state, int hostId, int vni, int src, int dst,
                                               FlowSink sink) {
        Vm s = state.vm(vni, src);
        Vm d = state.vm(vni, dst);
        if (s == null || d == null || s.hostId() != hostId || s == d) {
            return MissResult.NO_ROUTE;
        }
        Resolved r = new Resolved(hostId, vni, src, dst);
        if (resolved.contains(r)) {
            return MissResult.ALREADY_PROGRAMMED;
        }
        TokenBucket b = buckets.computeIfAbsent(vni, v -> new TokenBucket(missesPerSecond, burst, nanoClock));
        if (!b.tryAcquire()) {
            rateLimited++;
            return MissResult.RATE_LIMITED;
        }
        resolved.add(r);
        programmed++;
        Flows.direct(state, s, d, protocols, sink);
        return MissResult.PROGRAMMED;
    }

    /** Misses refused by the rate limit so far. */
    public synchronized long rateLimited() {
        return rateLimited;
    }

    /** Misses that programmed a flow so far. */
    public synchronized long programmed() {
        return programmed;
    }

    @Override
    public void programHoverboards(NetworkState state, FlowSink sink) {
        if (viaHoverboards) {
            Flows.hoverboardRoutes(state, sink);
        }
    }

    @Override
    public synchronized void program(NetworkState state, FlowSink sink) {
        ProgrammingModel.super.program(state, sink); // under the lock: one snapshot of the resolved flows
        programHoverboards(state, sink);
    }

    @Override
    public synchronized void programHost(NetworkState state, int hostId, FlowSink sink) {
        if (viaHoverboards) {
            sink.defaultRoute(hostId, Flows.hoverboardIds(state));
        }
        for (Resolved r : resolved) {
            if (r.hostId() != hostId) {
                continue;
            }
            Vm s = state.vm(r.vni(), r.src());
            Vm d = state.vm(r.vni(), r.dst());
            if (s != null && d != null && s.hostId() == hostId) {
                Flows.direct(state, s, d, protocols, sink);
            }
        }
    }
}
