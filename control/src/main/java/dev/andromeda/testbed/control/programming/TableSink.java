package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fills a real {@link FlowTableBuilder} per host (registering in each host's
 * table the hosts its flows and default route name), and keeps a readable copy
 * of every flow and hoverboard route for checks. Memory grows with the flows:
 * for tests and single hosts, not for scale runs (use {@link CountingSink}).
 */
public final class TableSink implements FlowSink {
    /** A flow as programmed; {@code argument} is the VM port (DELIVER) or the destination host id (ENCAP_HOST). */
    public record Entry(int vni, int proto, int src, int dst, int actionKind, int argument, FirewallPolicy policy) {
        /** E.g. {@code "vni 1 proto 6 10.0.0.1 -> 10.0.0.2 encap(host 2)"}: the action names host ids, not indices. */
        public String describe() {
            String action = switch (actionKind) {
                case FlowAction.DELIVER -> "deliver(port " + argument + ")";
                case FlowAction.ENCAP_HOST -> "encap(host " + argument + ")";
                case FlowAction.ENCAP_DEFAULT -> "encap(default)";
                default -> "drop";
            };
            return "vni " + vni + " proto " + proto + " " + ip(src) + " -> " + ip(dst) + " " + action;
        }
    }

    /** A route every hoverboard holds. */
    public record Route(int vni, int dst, int dstHostId) {
    }

    private record Key(int vni, int proto, int src, int dst) {
    }

    private final Map<Integer, FlowTableBuilder> builders = new TreeMap<>();
    private final HostTables tables;
    private final Map<Integer, Map<Key, Entry>> entries = new TreeMap<>();
    private final Map<Integer, int[]> defaultRoutes = new TreeMap<>();
    private final List<Route> routes = new ArrayList<>();

    public TableSink(NetworkState state) {
        this.tables = new HostTables(state, (onHost, h) -> builder(onHost).host(h.ipv4(), h.mac()));
    }

    public static String ip(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }

    private FlowTableBuilder builder(int hostId) {
        return builders.computeIfAbsent(hostId, h -> new FlowTableBuilder());
    }

    @Override
    public void flow(int hostId, int vni, int proto, int src, int dst, int actionKind, int argument,
                     FirewallPolicy policy) {
        builder(hostId).flow(vni, proto, src, dst, tables.action(hostId, actionKind, argument), policy);
        entries.computeIfAbsent(hostId, h -> new LinkedHashMap<>())
                .put(new Key(vni, proto, src, dst), new Entry(vni, proto, src, dst, actionKind, argument, policy));
    }

    @Override
    public void defaultRoute(int hostId, int[] hoverboardHostIds) {
        builder(hostId).hoverboards(tables.indices(hostId, hoverboardHostIds));
        defaultRoutes.put(hostId, hoverboardHostIds.clone());
    }

    @Override
    public void hoverboardRoute(int vni, int dst, int dstHostId) {
        routes.add(new Route(vni, dst, dstHostId));
    }

    /** The host's builder (empty if nothing was programmed on it). */
    public FlowTableBuilder builderFor(int hostId) {
        return builder(hostId);
    }

    /** The host's table as the fast path would get it. */
    public FlowTable table(int hostId) {
        return builder(hostId).build();
    }

    /** The host's flows, in programming order. */
    public List<Entry> flows(int hostId) {
        Map<Key, Entry> m = entries.get(hostId);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    /** The host's flows, described. */
    public List<String> described(int hostId) {
        return flows(hostId).stream().map(Entry::describe).toList();
    }

    /** Hoverboard host ids of the host's default route (empty when it has none). */
    public int[] defaultRoute(int hostId) {
        int[] r = defaultRoutes.get(hostId);
        return r == null ? new int[0] : r.clone();
    }

    public List<Route> hoverboardRoutes() {
        return Collections.unmodifiableList(routes);
    }

    /** Total flows over all hosts. */
    public long flowCount() {
        long n = 0;
        for (Map<Key, Entry> m : entries.values()) {
            n += m.size();
        }
        return n;
    }
}
