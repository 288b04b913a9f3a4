package dev.andromeda.testbed.tb.demo;

import dev.andromeda.testbed.control.model.Host;
import dev.andromeda.testbed.control.model.Hoverboard;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.VirtualNetwork;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.fastpath.flow.FirewallRule;
import dev.andromeda.testbed.tb.scenario.Scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * Where everything of a {@link Scenario} lives: host ids, addresses and MACs
 * (VM hosts 1..H, hoverboards after them, at 192.168.0.id), every network's VMs
 * (numbered from the prefix's first address, {@code vmsPerHost} on each VM
 * host), and the desired state cluster management gives the controller.
 * Derived, not random: the same scenario gives the same topology.
 */
public final class DemoTopology {
    /** A VM with its network's scenario entry and its virtio port number on its host. */
    public record DemoVm(Vm vm, Scenario.Network network, int port) {
        public long key() {
            return key(vm.vni(), vm.ipv4());
        }

        static long key(int vni, int ip) {
            return (long) vni << 32 | (ip & 0xFFFFFFFFL);
        }
    }

    private final Scenario scenario;
    private final NetworkState state;
    private final List<DemoVm> vms = new ArrayList<>();

    public DemoTopology(Scenario s) {
        this(s, 1, java.util.Map.of());
    }

    /**
     * The topology at a given desired-state version, with VMs moved off the host the scenario
     * places them on (live migrations: VM id to host id).
     *
     * @throws IllegalArgumentException when a move names no VM of the scenario, or no VM host
     */
    public DemoTopology(Scenario s, long version, java.util.Map<Integer, Integer> moves) {
        this.scenario = s;
        NetworkState.Builder b = NetworkState.builder().version(version);
        for (int id = 1; id <= s.hosts() + s.hoverboards(); id++) {
            b.host(new Host(id, hostIp(id), hostMac(id)));
        }
        for (int id = s.hosts() + 1; id <= s.hosts() + s.hoverboards(); id++) {
            b.hoverboard(new Hoverboard(id));
        }
        List<Vm> all = new ArrayList<>();
        List<Scenario.Network> of = new ArrayList<>();
        for (int n = 0; n < s.networks().size(); n++) {
            Scenario.Network net = s.networks().get(n);
            b.network(new VirtualNetwork(net.vni(), new VirtualNetwork.Prefix(net.prefix(), net.length())));
            List<FirewallRule> rules = rules(net);
            for (int h = 0; h < s.hosts(); h++) {
                for (int k = 0; k < s.vmsPerHost(); k++) {
                    int ordinal = h * s.vmsPerHost() + k;
                    int ip = net.prefix() + 1 + ordinal;
                    int id = (n + 1) * 100_000 + ordinal + 1;
                    int onHost = moves.getOrDefault(id, h + 1);
                    if (onHost < 1 || onHost > s.hosts()) {
                        throw new IllegalArgumentException("VM " + id + " cannot move to host " + onHost
                                + ": the VM hosts are 1.." + s.hosts());
                    }
                    Vm vm = new Vm(id, net.vni(), ip,
                            0x02_00_00_00_00_00L | (long) (n + 1) << 24 | (ordinal + 1), onHost);
                    // Ports never change when another VM moves (a running host keeps its NICs):
                    // at home a VM has the port it would have with no move at all; a VM moved in
                    // has one above every home port, its own, whatever else moved.
                    int homePort = n * s.vmsPerHost() + k;
                    int movedPort = s.networks().size() * s.vmsPerHost() + n * s.hosts() * s.vmsPerHost() + ordinal;
                    b.vm(vm, rules, onHost == h + 1 ? homePort : movedPort);
                    all.add(vm);
                    of.add(net);
                }
            }
        }
        this.state = b.build();
        for (int moved : moves.keySet()) {
            if (all.stream().noneMatch(v -> v.id() == moved)) {
                throw new IllegalArgumentException("no VM " + moved + " in scenario '" + s.name() + "'");
            }
        }
        for (int i = 0; i < all.size(); i++) {
            vms.add(new DemoVm(all.get(i), of.get(i), state.port(all.get(i).id())));
        }
    }

    static List<FirewallRule> rules(Scenario.Network net) {
        List<FirewallRule> r = new ArrayList<>();
        for (Scenario.Rule x : net.firewall()) {
            r.add(new FirewallRule(x.protocol(), x.prefix(), x.length(), x.portLo(), x.portHi(), false));
        }
        return r;
    }

    public static int hostIp(int hostId) {
        return 0xC0A80000 | hostId;          // 192.168.0.id
    }

    public static long hostMac(int hostId) {
        return 0x02_00_00_00_FF_00L | hostId;
    }

    public Scenario scenario() {
        return scenario;
    }

    /** The desired state cluster management hands the VM controller (version 1 unless given). */
    public NetworkState state() {
        return state;
    }

    public List<DemoVm> vms() {
        return List.copyOf(vms);
    }

    /** Host ids 1..hosts+hoverboards; hoverboards last. */
    public int hostCount() {
        return scenario.hosts() + scenario.hoverboards();
    }

    public boolean isHoverboard(int hostId) {
        return hostId > scenario.hosts();
    }
}
