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
    private final Map<Integer, Map<Integer, Integer>> hostIndex = new HashMap<>();

    private HostPrograms(NetworkState state, long version, long epoch) {
        this.state = state;
        this.version = version;
        this.epoch = epoch;
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

    private FlowProgram.Builder builder(int hostId) {
        return programs.computeIfAbsent(hostId, h -> FlowProgram.builder(version, epoch));
    }

    /** Host {@code hostId}'s index in {@code onHost}'s program, adding it the first time. */
    private int index(int onHost, int hostId) {
        Map<Integer, Integer> m = hostIndex.computeIfAbsent(onHost, h -> new HashMap<>());
        Integer i = m.get(hostId);
        if (i == null) {
            Host h = state.host(hostId);
            if (h == null) {
                throw new IllegalArgumentException("no host " + hostId);
            }
            i = m.size();
            builder(onHost).host(h.ipv4(), h.mac());
            m.put(hostId, i);
        }
        return i;
    }

    @Override
    public void flow(int hostId, int vni, int proto, int src, int dst, int actionKind, int argument,
                     FirewallPolicy policy) {
        int action = switch (actionKind) {
            case FlowAction.DELIVER -> FlowAction.deliver(argument);
            case FlowAction.ENCAP_HOST -> FlowAction.encapToHost(index(hostId, argument));
            case FlowAction.ENCAP_DEFAULT -> FlowAction.encapDefault();
            case FlowAction.DROP -> FlowAction.drop();
            default -> throw new IllegalArgumentException("action kind " + actionKind);
        };
        builder(hostId).flow(vni, proto, src, dst, action, policy);
    }

    @Override
    public void defaultRoute(int hostId, int[] hoverboardHostIds) {
        int[] idx = new int[hoverboardHostIds.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = index(hostId, hoverboardHostIds[i]);
        }
        builder(hostId).hoverboards(idx);
    }

    @Override
    public void hoverboardRoute(int vni, int dst, int dstHostId) {
        List<Hoverboard> hoverboards = state.hoverboards();
        for (Hoverboard hb : hoverboards) {
            builder(hb.hostId()).flow(vni, 0, 0, dst, FlowAction.encapToHost(index(hb.hostId(), dstHostId)),
                    FirewallPolicy.ALLOW_ALL);
        }
    }
}
