package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;

/**
 * Where a {@link ProgrammingModel} puts what it computes. One implementation
 * fills a {@link dev.andromeda.testbed.fastpath.flow.FlowTableBuilder} per host
 * ({@link TableSink}); another only counts entries ({@link CountingSink}), so the
 * same model code serves both a host's real table and a scale run.
 */
public interface FlowSink {
    /**
     * A flow on a host's table.
     *
     * @param actionKind a {@link dev.andromeda.testbed.fastpath.flow.FlowAction} kind
     * @param argument   the VM port for DELIVER, the destination <em>host id</em> for ENCAP_HOST
     *                   (the sink maps it to the host's index in that table), 0 otherwise
     */
    void flow(int hostId, int vni, int proto, int src, int dst, int actionKind, int argument, FirewallPolicy policy);

    /** The host's default route: the hoverboards (host ids) that take what no flow matches. */
    void defaultRoute(int hostId, int[] hoverboardHostIds);

    /**
     * A route every hoverboard holds: packets of network {@code vni} to {@code dst} go to
     * {@code dstHostId}. Computed once; each hoverboard holds the same table.
     */
    void hoverboardRoute(int vni, int dst, int dstHostId);
}
