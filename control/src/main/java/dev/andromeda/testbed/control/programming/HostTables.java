package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.model.Host;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.fastpath.flow.FlowAction;

import java.util.HashMap;
import java.util.Map;

/**
 * Each host's own host table, as the sinks that build real programs fill it:
 * a host is added to the table of the host whose flows (or default route)
 * name it the first time it is named, and actions name it by that index.
 * So every host's table holds just the hosts it sends to, in its own order.
 */
final class HostTables {
    /** Adds a host to {@code onHost}'s table; returns its index there. */
    @FunctionalInterface
    interface Register {
        int add(int onHost, Host host);
    }

    private final NetworkState state;
    private final Register register;
    private final Map<Integer, Map<Integer, Integer>> index = new HashMap<>();

    HostTables(NetworkState state, Register register) {
        this.state = state;
        this.register = register;
    }

    /** Host {@code hostId}'s index in {@code onHost}'s table, adding it the first time. */
    int index(int onHost, int hostId) {
        Map<Integer, Integer> m = index.computeIfAbsent(onHost, h -> new HashMap<>());
        Integer i = m.get(hostId);
        if (i == null) {
            Host h = state.host(hostId);
            if (h == null) {
                throw new IllegalArgumentException("no host " + hostId);
            }
            i = register.add(onHost, h);
            m.put(hostId, i);
        }
        return i;
    }

    /** The hoverboards' indices in {@code onHost}'s table. */
    int[] indices(int onHost, int[] hostIds) {
        int[] idx = new int[hostIds.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = index(onHost, hostIds[i]);
        }
        return idx;
    }

    /** The packed action of a flow on {@code onHost}: a destination host id becomes its index there. */
    int action(int onHost, int actionKind, int argument) {
        return switch (actionKind) {
            case FlowAction.DELIVER -> FlowAction.deliver(argument);
            case FlowAction.ENCAP_HOST -> FlowAction.encapToHost(index(onHost, argument));
            case FlowAction.ENCAP_DEFAULT -> FlowAction.encapDefault();
            case FlowAction.DROP -> FlowAction.drop();
            default -> throw new IllegalArgumentException("action kind " + actionKind);
        };
    }
}
