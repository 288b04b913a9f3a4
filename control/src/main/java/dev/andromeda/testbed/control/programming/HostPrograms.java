package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.model.Host;
import dev.andromeda.testbed.control.model.Hoverboard;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge from a programming model to the hosts: what the model computes for
 * the desired state becomes one {@link FlowProgram} per host -- the unit a
 * {@link dev.andromeda.testbed.control.agent.HostAgent} applies and a
 * controller sends. Each host's program lists, in its own order, the hosts its
 * flows name; a hoverboard's (VNI, destination) routes become flows with
 * protocol 0 and source 0, which the dataplane reads as "any source, any
 * protocol" when it forwards as a hoverboard.
 */
public final class HostPrograms implements FlowSink {
    private final NetworkState state;
    private final long version;
    private final long epoch;
    private final Map<Integer, FlowProgram.Builder> programs = new LinkedHashMap<>();
    private final HostTables tables;
    private final Map<Integer, Integer> tableSizes = new HashMap<>();

    private HostPrograms(NetworkState state, long version, long epoch) {
        this.state = state;
        this.version = version;
        this.epoch = epoch;
        this.tables = new HostTables(state, (onHost, h) -> {
            builder(onHost).host(h.ipv4(), h.mac());
            return tableSizes.merge(onHost, 1, Integer::sum) - 1; // appended last: its index
        });
    }

    /** Every host's program (hoverboards included), by host id, stamped with version and epoch. */
    public static Map<Integer, FlowProgram> of(NetworkState state, ProgrammingModel model, long version, long epoch) {
        HostPrograms p = new HostPrograms(state, version, epoch);
        for (Host h : state.hosts()) {
            p.builder(h.id());
        }
        model.program(state, p);
        Map<Integer, FlowProgram> out = new LinkedHashMap<>();
        p.programs.forEach((host, b) -> out.put(host, b.build()));
        return out;
    }

    /**
     * The programs of only {@code hostIds} (hoverboards among them get every route), as
     * {@link #of(NetworkState, ProgrammingModel, long, long)} would compute them for those hosts:
     * what a controller recomputes when a change touches a few hosts, or one partition's share.
     */
    public static Map<Integer, FlowProgram> of(NetworkState state, ProgrammingModel model,
                                               java.util.Collection<Integer> hostIds, long version, long epoch) {
        HostPrograms p = new HostPrograms(state, version, epoch);
        p.only = new java.util.HashSet<>(hostIds);
        boolean anyHoverboard = false;
        for (int h : hostIds) {
            p.builder(h);
            anyHoverboard |= state.isHoverboard(h);
        }
        for (int h : hostIds) {
            model.programHost(state, h, p);
        }
        if (anyHoverboard) {
            model.programHoverboards(state, p);
        }
        Map<Integer, FlowProgram> out = new LinkedHashMap<>();
        p.programs.forEach((host, b) -> out.put(host, b.build()));
        return out;
    }

    /** The hosts whose programs are wanted; null for all. */
    private java.util.Set<Integer> only;

    private FlowProgram.Builder builder(int hostId) {
        return programs.computeIfAbsent(hostId, h -> FlowProgram.builder(version, epoch));
    }

    @Override
    public void flow(int hostId, int vni, int proto, int src, int dst, int actionKind, int argument,
                     FirewallPolicy policy) {
        builder(hostId).flow(vni, proto, src, dst, tables.action(hostId, actionKind, argument), policy);
    }

    @Override
    public void defaultRoute(int hostId, int[] hoverboardHostIds) {
        builder(hostId).hoverboards(tables.indices(hostId, hoverboardHostIds));
    }

    @Override
    public void hoverboardRoute(int vni, int dst, int dstHostId) {
        List<Hoverboard> hoverboards = state.hoverboards();
        for (Hoverboard hb : hoverboards) {
            if (only != null && !only.contains(hb.hostId())) {
                continue;
            }
            builder(hb.hostId()).flow(vni, 0, 0, dst, FlowAction.encapToHost(tables.index(hb.hostId(), dstHostId)),
                    FirewallPolicy.ALLOW_ALL);
        }
    }
}
