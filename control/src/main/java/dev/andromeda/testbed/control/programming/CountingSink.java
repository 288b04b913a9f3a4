package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import java.util.Arrays;

/**
 * Counts what a model programs without keeping it: one {@code long} per host
 * (host ids index an array) and one counter of hoverboard routes, so a scale
 * run's memory does not grow with its flows. Counts assume a model emits each
 * (host, key) once, which the models here do ({@link TableSink} checks it in tests).
 */
public final class CountingSink implements FlowSink {
    private long[] perHost;
    private long hoverboardRoutes;
    private long flows;
    private final long[] byKind = new long[4];
    private final long[] byPolicy = new long[FirewallPolicy.Kind.values().length];

    public CountingSink(int maxHostId) {
        perHost = new long[maxHostId + 1];
    }

    @Override
    public void flow(int hostId, int vni, int proto, int src, int dst, int actionKind, int argument,
                     FirewallPolicy policy) {
        if (hostId >= perHost.length) {
            perHost = Arrays.copyOf(perHost, Math.max(hostId + 1, perHost.length * 2));
        }
        perHost[hostId]++;
        flows++;
        byKind[actionKind & 3]++;
        byPolicy[policy.kind().ordinal()]++;
    }

    @Override
    public void defaultRoute(int hostId, int[] hoverboardHostIds) {
        // Not a flow: the table's default route.
    }

    @Override
    public void hoverboardRoute(int vni, int dst, int dstHostId) {
        hoverboardRoutes++;
    }

    public long hostFlows() {
        return flows;
    }

    public long hostFlows(int hostId) {
        return hostId < perHost.length ? perHost[hostId] : 0;
    }

    public long hoverboardRoutes() {
        return hoverboardRoutes;
    }

    /** Flows by {@link dev.andromeda.testbed.fastpath.flow.FlowAction} kind. */
    public long flowsOfKind(int actionKind) {
        return byKind[actionKind & 3];
    }

    public long flowsWithPolicy(FirewallPolicy.Kind kind) {
        return byPolicy[kind.ordinal()];
    }
}
