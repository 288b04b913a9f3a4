package dev.andromeda.testbed.control.model;

import dev.andromeda.testbed.fastpath.flow.FirewallRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The desired state of the virtual network, as cluster management declares it:
 * networks, hosts, hoverboards, VMs and each VM's ingress firewall rules.
 * Immutable: built once from a {@link Builder} (the full state) and then
 * changed by {@link #apply(NetworkChange)}, which returns a new state whose
 * {@link #version()} is one higher. Each VM also has a port on its host (the
 * lowest free one when it arrives there), which {@code deliver} actions name.
 */
public final class NetworkState {
    private final long version;
    private final Map<Integer, VirtualNetwork> networks;
    private final Map<Integer, Host> hosts;
    private final List<Hoverboard> hoverboards;
    private final Map<Integer, Vm> vms;
    private final Map<Integer, List<FirewallRule>> rules;
    private final Map<Integer, Integer> ports;
    // Derived indexes.
    private final Map<Integer, List<Vm>> byVni = new TreeMap<>();
    private final Map<Integer, List<Vm>> byHost = new HashMap<>();
    private final Map<Long, Vm> byVniIp = new HashMap<>();

    private NetworkState(long version, Map<Integer, VirtualNetwork> networks, Map<Integer, Host> hosts,
                         List<Hoverboard> hoverboards, Map<Integer, Vm> vms, Map<Integer, List<FirewallRule>> rules,
                         Map<Integer, Integer> ports) {
        this.version = version;
        this.networks = networks;
        this.hosts = hosts;
        this.hoverboards = List.copyOf(hoverboards);
        this.vms = vms;
        this.rules = rules;
        this.ports = ports;
        for (Vm vm : vms.values()) {
            byVni.computeIfAbsent(vm.vni(), k -> new ArrayList<>()).add(vm);
            byHost.computeIfAbsent(vm.hostId(), k -> new ArrayList<>()).add(vm);
            byVniIp.put(key(vm.vni(), vm.ipv4()), vm);
        }
    }

    private static long key(int vni, int ip) {
        return (long) vni << 32 | (ip & 0xFFFFFFFFL);
    }

    public static Builder builder() {
        return new Builder();
    }

    public long version() {
        return version;
    }

    public Collection<VirtualNetwork> networks() {
        return Collections.unmodifiableCollection(networks.values());
    }

    public VirtualNetwork network(int vni) {
        return networks.get(vni);
    }

    public Collection<Host> hosts() {
        return Collections.unmodifiableCollection(hosts.values());
    }

    public Host host(int id) {
        return hosts.get(id);
    }

    public List<Hoverboard> hoverboards() {
        return hoverboards;
    }

    public boolean isHoverboard(int hostId) {
        for (Hoverboard h : hoverboards) {
            if (h.hostId() == hostId) {
                return true;
            }
        }
        return false;
    }

    public Collection<Vm> vms() {
        return Collections.unmodifiableCollection(vms.values());
    }

    public Vm vm(int id) {
        return vms.get(id);
    }

    /** The VM with this address in this network, or null. */
    public Vm vm(int vni, int ipv4) {
        return byVniIp.get(key(vni, ipv4));
    }

    /** VMs of a network, in id order. */
    public List<Vm> vmsInNetwork(int vni) {
        return Collections.unmodifiableList(byVni.getOrDefault(vni, List.of()));
    }

    /** VMs on a host, in id order. */
    public List<Vm> vmsOnHost(int hostId) {
        return Collections.unmodifiableList(byHost.getOrDefault(hostId, List.of()));
    }

    /** The VM's ingress firewall rules (empty: nothing may reach it). */
    public List<FirewallRule> rules(int vmId) {
        return rules.getOrDefault(vmId, List.of());
    }

    /** The VM's port on its host. */
    public int port(int vmId) {
        Integer p = ports.get(vmId);
        if (p == null) {
            throw new IllegalArgumentException("no VM " + vmId);
        }
        return p;
    }

    /** A new state with the change applied, one version higher; this state is unchanged. */
    public NetworkState apply(NetworkChange change) {
        Map<Integer, Vm> v = new TreeMap<>(vms);
        Map<Integer, List<FirewallRule>> r = new HashMap<>(rules);
        Map<Integer, Integer> p = new HashMap<>(ports);
        switch (change) {
            case NetworkChange.AddVm add -> {
                Vm vm = add.vm();
                if (v.containsKey(vm.id())) {
                    throw new IllegalArgumentException("VM " + vm.id() + " exists");
                }
                check(vm, networks, hosts, byVniIp);
                v.put(vm.id(), vm);
                r.put(vm.id(), add.rules());
                p.put(vm.id(), freePort(vm.hostId(), v, p));
            }
            case NetworkChange.RemoveVm rm -> {
                if (v.remove(rm.vmId()) == null) {
                    throw new IllegalArgumentException("no VM " + rm.vmId());
                }
                r.remove(rm.vmId());
                p.remove(rm.vmId());
            }
            case NetworkChange.MoveVm mv -> {
                Vm vm = v.get(mv.vmId());
                if (vm == null) {
                    throw new IllegalArgumentException("no VM " + mv.vmId());
                }
                if (!hosts.containsKey(mv.toHostId())) {
                    throw new IllegalArgumentException("no host " + mv.toHostId());
                }
                if (vm.hostId() != mv.toHostId()) {
                    v.put(vm.id(), vm.onHost(mv.toHostId()));
                    p.remove(vm.id());
                    p.put(vm.id(), freePort(mv.toHostId(), v, p));
                }
            }
        }
        return new NetworkState(version + 1, networks, hosts, hoverboards, v, r, p);
    }

    /** Applies changes in order. */
    public NetworkState apply(List<? extends NetworkChange> changes) {
        NetworkState s = this;
        for (NetworkChange c : changes) {
            s = s.apply(c);
        }
        return s;
    }

    private static int freePort(int hostId, Map<Integer, Vm> vms, Map<Integer, Integer> ports) {
        java.util.BitSet used = new java.util.BitSet();
        for (Map.Entry<Integer, Integer> e : ports.entrySet()) {
            Vm o = vms.get(e.getKey());
            if (o != null && o.hostId() == hostId) {
                used.set(e.getValue());
            }
        }
        return used.nextClearBit(0);
    }

    private static void check(Vm vm, Map<Integer, VirtualNetwork> networks, Map<Integer, Host> hosts,
                              Map<Long, Vm> byVniIp) {
        VirtualNetwork n = networks.get(vm.vni());
        if (n == null) {
            throw new IllegalArgumentException("VM " + vm.id() + ": no network with VNI " + vm.vni());
        }
        if (!n.contains(vm.ipv4())) {
            throw new IllegalArgumentException("VM " + vm.id() + ": address outside network " + vm.vni());
        }
        if (!hosts.containsKey(vm.hostId())) {
            throw new IllegalArgumentException("VM " + vm.id() + ": no host " + vm.hostId());
        }
        if (byVniIp.containsKey(key(vm.vni(), vm.ipv4()))) {
            throw new IllegalArgumentException("VM " + vm.id() + ": address already used in network " + vm.vni());
        }
    }

    @Override
    public String toString() {
        return "NetworkState[version=" + version + ", networks=" + networks.size() + ", hosts=" + hosts.size()
                + ", hoverboards=" + hoverboards.size() + ", vms=" + vms.size() + "]";
    }

    /** The full desired state, before any change. */
    public static final class Builder {
        private long version = 1;
        private final Map<Integer, VirtualNetwork> networks = new LinkedHashMap<>();
        private final Map<Integer, Host> hosts = new TreeMap<>();
        private final List<Hoverboard> hoverboards = new ArrayList<>();
        private final Map<Integer, Vm> vms = new TreeMap<>();
        private final Map<Integer, List<FirewallRule>> rules = new HashMap<>();
        private final Map<Integer, Integer> ports = new HashMap<>();
        private final Map<Integer, Integer> nextPort = new HashMap<>();
        private final Map<Long, Vm> byVniIp = new HashMap<>();

        private Builder() {
        }

        /** The version of the full state (default 1). */
        public Builder version(long v) {
            this.version = v;
            return this;
        }

        public Builder network(VirtualNetwork n) {
            if (networks.putIfAbsent(n.vni(), n) != null) {
                throw new IllegalArgumentException("VNI " + n.vni() + " exists");
            }
            return this;
        }

        public Builder host(Host h) {
            if (hosts.putIfAbsent(h.id(), h) != null) {
                throw new IllegalArgumentException("host " + h.id() + " exists");
            }
            return this;
        }

        public Builder hoverboard(Hoverboard h) {
            if (!hosts.containsKey(h.hostId())) {
                throw new IllegalArgumentException("hoverboard on unknown host " + h.hostId());
            }
            if (hoverboards.contains(h)) {
                throw new IllegalArgumentException("host " + h.hostId() + " is a hoverboard already");
            }
            hoverboards.add(h);
            return this;
        }

        /** Adds a VM with its ingress rules (copied; an immutable list is shared, not copied). */
        public Builder vm(Vm vm, List<FirewallRule> vmRules) {
            if (vms.containsKey(vm.id())) {
                throw new IllegalArgumentException("VM " + vm.id() + " exists");
            }
            check(vm, networks, hosts, byVniIp);
            vms.put(vm.id(), vm);
            byVniIp.put(key(vm.vni(), vm.ipv4()), vm);
            rules.put(vm.id(), List.copyOf(Objects.requireNonNull(vmRules)));
            ports.put(vm.id(), nextPort.merge(vm.hostId(), 1, Integer::sum) - 1);
            return this;
        }

        /**
         * Adds a VM on a port of the caller's choosing: one that must not change when other VMs
         * move (a VM plugged into a running host keeps its port for as long as it stays there).
         *
         * @throws IllegalArgumentException when another VM of that host has the port
         */
        public Builder vm(Vm vm, List<FirewallRule> vmRules, int port) {
            for (Map.Entry<Integer, Integer> e : ports.entrySet()) {
                if (e.getValue() == port && vms.get(e.getKey()).hostId() == vm.hostId()) {
                    throw new IllegalArgumentException("VM " + e.getKey() + " has port " + port + " on host "
                            + vm.hostId() + " already");
                }
            }
            vm(vm, vmRules);
            ports.put(vm.id(), port);
            return this;
        }

        public NetworkState build() {
            return new NetworkState(version, new LinkedHashMap<>(networks), new TreeMap<>(hosts), hoverboards,
                    new TreeMap<>(vms), new HashMap<>(rules), new HashMap<>(ports));
        }
    }
}
