package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.control.model.Hoverboard;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.fastpath.flow.FirewallCompiler;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import java.util.List;

/** Pieces the models share. */
final class Flows {
    private Flows() {
    }

    /** The flows from {@code s} to {@code d} on {@code s}'s host, one per protocol; direct (deliver or encap). */
    static void direct(NetworkState state, Vm s, Vm d, int[] protocols, FlowSink sink) {
        if (s.vni() != d.vni()) {
            throw new IllegalStateException("flow across networks: " + s + " -> " + d);
        }
        List<dev.andromeda.testbed.fastpath.flow.FirewallRule> rules = state.rules(d.id());
        boolean local = d.hostId() == s.hostId();
        int kind = local ? FlowAction.DELIVER : FlowAction.ENCAP_HOST;
        int arg = local ? state.port(d.id()) : d.hostId();
        for (int proto : protocols) {
            sink.flow(s.hostId(), s.vni(), proto, s.ipv4(), d.ipv4(), kind, arg,
                    FirewallCompiler.compile(rules, s.ipv4(), proto));
        }
    }

    /** Flows between VMs of the same network on the same host (local delivery). */
    static void localDelivery(NetworkState state, int hostId, int[] protocols, FlowSink sink) {
        List<Vm> local = state.vmsOnHost(hostId);
        for (Vm s : local) {
            for (Vm d : local) {
                if (s != d && s.vni() == d.vni()) {
                    direct(state, s, d, protocols, sink);
                }
            }
        }
    }

    static int[] hoverboardIds(NetworkState state) {
        List<Hoverboard> hb = state.hoverboards();
        int[] ids = new int[hb.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = hb.get(i).hostId();
        }
        return ids;
    }

    /** Every route, once, for the hoverboards: (VNI, VM address) to the VM's host. */
    static void hoverboardRoutes(NetworkState state, FlowSink sink) {
        if (state.hoverboards().isEmpty()) {
            return;
        }
        for (Vm d : state.vms()) {
            sink.hoverboardRoute(d.vni(), d.ipv4(), d.hostId());
        }
    }

    static void requireProtocols(int[] protocols) {
        if (protocols.length == 0) {
            throw new IllegalArgumentException("at least one protocol");
        }
        for (int p : protocols) {
            if (p < 0 || p > 255) {
                throw new IllegalArgumentException("protocol is 8 bits: " + p);
            }
        }
    }
}
