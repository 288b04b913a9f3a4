package dev.andromeda.testbed.tb.demo;

import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.election.EmbeddedZooKeeper;
import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.host.MissReporter;
import dev.andromeda.testbed.control.host.UsageReporter;
import dev.andromeda.testbed.control.programming.OnDemandModel;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.control.vmc.MasterFollower;
import dev.andromeda.testbed.control.vmc.VmcNode;
import dev.andromeda.testbed.coprocessor.PoolConfig;
import dev.andromeda.testbed.coprocessor.sched.CpuClock;
import dev.andromeda.testbed.fastpath.agent.BackoffIdleStrategy;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareGcm;
import dev.andromeda.testbed.coprocessor.host.HostCoprocessors;
import dev.andromeda.testbed.fastpath.dataplane.FrameTap;
import dev.andromeda.testbed.fastpath.dataplane.GuestNic;
import dev.andromeda.testbed.fastpath.dataplane.KernelUdpPath;
import dev.andromeda.testbed.fastpath.dataplane.LadderRung;
import dev.andromeda.testbed.fastpath.dataplane.VmmHop;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.MemorySwitch;
import dev.andromeda.testbed.fastpath.dataplane.PhysicalPort;
import dev.andromeda.testbed.hw.port.NicPort;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.packet.Ethernet;
import dev.andromeda.testbed.fastpath.packet.Ipv4;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.tb.demo.DemoTopology.DemoVm;
import dev.andromeda.testbed.tb.scenario.ControllerModel;
import dev.andromeda.testbed.tb.scenario.Scenario;
import org.apache.curator.framework.CuratorFramework;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One run's network, assembled from real parts: the hosts' dataplanes on an
 * in-memory switch, each with its coprocessors (one worker thread; PSP's
 * crypto runs there when the crypto stage is software), a VM controller elected on the (embedded) ZooKeeper that
 * programs them over gRPC through each host's agent (checkpointing under
 * {@code stateDir}), PSP keys for the encrypted networks, and the VMs plugged
 * in. Nothing is programmed by hand: the flows the hosts run are what the
 * controller derived from the desired state with the scenario's model.
 */
final class DemoNetwork implements AutoCloseable {
    /** Receive-ring and buffer sizing: frames up to 9,000 bytes plus GENEVE, PSP and the ICV. */
    static final int BUFFER_BYTES = 10_240 + 256;
    static final int BUFFERS = 4096;

    /**
     * One worker per host, quick to park when idle: three hosts' workers share this machine's two
     * cores with the thread that runs the hosts, whose stage timings are wall-clock -- a worker
     * spinning for work would show up as the dataplane's cost.
     */
    private static final PoolConfig COPROCESSOR_POOL = new PoolConfig(1, 32, System::nanoTime,
            CpuClock.threadCpuTime(), () -> new BackoffIdleStrategy(0, 1, 20_000, 1_000_000),
            SoftwareGcm::new, PoolConfig.NO_RESOLVER);

    /**
     * A flow is reported again at most this often while its packets still miss (the controller
     * answers in about a millisecond here; a rate-limited miss is asked again after this).
     */
    private static final long MISS_HOLD_OFF_NS = 20_000_000;

    final DemoTopology topology;
    final MemorySwitch wire = new MemorySwitch(512, 16_384);
    final Map<Integer, Host> hosts = new LinkedHashMap<>();
    final Map<Long, VirtioNic> nics = new LinkedHashMap<>();
    final VmcNode vmc;
    /** Each host's coprocessors: PSP's AES-GCM runs there while the crypto stage is software. */
    final List<HostCoprocessors> coprocessors = new ArrayList<>();
    private final List<HostAgent> agents = new ArrayList<>();
    private final List<HostAgentClient> clients = new ArrayList<>();
    /** Each host's usage reports to the controller, over its programming stream (by host id). */
    final Map<Integer, UsageReporter> usage = new LinkedHashMap<>();
    /** Under the on-demand model: each VM host's flow-miss reports to the controller (none otherwise). */
    final List<MissReporter> misses = new ArrayList<>();
    /** The hosts' emulated NICs, when the mix puts them on one ({@code port=...}). */
    final List<NicPort> nicPorts = new ArrayList<>();
    /** The controller's model when it is on-demand, else null. */
    final OnDemandModel onDemand;
    private final MasterFollower follower;

    /** The rung this network is wired as (null: the demo's own wiring: memory switch, no VMM hop). */
    final LadderRung rung;
    /** The kernel path between the hosts on the kernel rungs, else null (the memory switch carries them). */
    private final KernelUdpPath kernel;
    /** The VMM's thread in front of every VM on the hop rungs, else null. */
    private final VmmHop hop;
    /** Each VM's device as its guest drives it: its NIC, or the VMM's in front of it. */
    final Map<Long, GuestNic> guests = new LinkedHashMap<>();

    DemoNetwork(DemoTopology topology, StageMix mix, OffloadOptions options, EmbeddedZooKeeper zk, Path stateDir,
                LongSupplier simulatedClock, FrameTap tap, LadderRung rung) throws IOException, InterruptedException {
        this.topology = topology;
        this.rung = rung;
        this.kernel = rung != null && rung.kernelPath() != null ? new KernelUdpPath(rung.kernelPath()) : null;
        this.hop = rung != null && rung.vmmHop() != null ? new VmmHop(rung.vmmHop(), "demo") : null;
        Scenario s = topology.scenario();
        VmcNode started = null;
        MasterFollower f = null;
        ControllerModel model = ControllerModel.of(s.control(), simulatedClock);
        this.onDemand = model.model() instanceof OnDemandModel m ? m : null;
        try {
            for (int id = 1; id <= topology.hostCount(); id++) {
                String name = (topology.isHoverboard(id) ? "hoverboard-" : "host-") + id;
                Host h = new Host(name, DemoTopology.hostIp(id), DemoTopology.hostMac(id), BUFFERS, BUFFER_BYTES, mix,
                        options);
                hosts.put(id, h);
                if (rung != null) {
                    h.egressBatchLimit(rung.egressBatch());
                }
                // The runner's thread drives the hosts and never sleeps: no doorbell to ring.
                h.connect(kernel != null ? kernel.attach(name, DemoTopology.hostIp(id), () -> { })
                        : port(mix, wire.attach(DemoTopology.hostIp(id)), h, nicPorts));
            }
            wire.tap(tap == null ? null : uplinks(tap));
            for (Host h : hosts.values()) {
                PspKeys.configure(s, topology.hostCount(), h);
            }
            for (DemoVm v : topology.vms()) {
                VirtioNic nic = hosts.get(v.vm().hostId()).addVm(new VmPort(v.port(), v.vm().vni(), v.vm().ipv4(),
                        v.vm().mac()));
                nics.put(v.key(), nic);
                guests.put(v.key(), hop != null ? hop.attach(nic, () -> { }) : nic);
            }
            if (hop != null) {
                hop.start(() -> { });
            }
            for (Host h : hosts.values()) {
                coprocessors.add(HostCoprocessors.attach(h, COPROCESSOR_POOL, 256));
            }
            int partition = ConsistentHashRing.of(1).partitions().first();
            started = VmcNode.start("vmc", zk.connectString(), partition, ConsistentHashRing.of(1), model.model(),
                    model.planner(), VmcNode.Endpoint.LOOPBACK);
            started.setState(topology.state());
            VmcNode v = started;
            await("the VM controller to be elected", v::isMaster);
            InetSocketAddress master;
            try (CuratorFramework observer = PartitionElection.newClient(zk.connectString(),
                    PartitionElection.Timeouts.FAST)) {
                await("the master's address in ZooKeeper", () -> VmcNode.masterOf(observer, partition) != null);
                master = VmcNode.masterOf(observer, partition);
            }
            for (Map.Entry<Integer, Host> e : hosts.entrySet()) {
                HostAgent agent = new HostAgent(e.getValue(), stateDir.resolve(e.getValue().name()));
                agents.add(agent);
                HostAgentClient client = new HostAgentClient(agent, VmcNode.hostName(e.getKey()), master,
                        Duration.ofMillis(20), Duration.ofMillis(200)).start();
                clients.add(client);
                usage.put(e.getKey(), new UsageReporter(e.getValue(), client));
                if (onDemand != null && !topology.isHoverboard(e.getKey())) {
                    // Replaces the coprocessors' flow-miss hand-off: the controller resolves misses.
                    MissReporter r = new MissReporter(client, System::nanoTime, MISS_HOLD_OFF_NS);
                    misses.add(r);
                    e.getValue().onFlowMiss(r);
                }
            }
            f = MasterFollower.follow(zk.connectString(), partition, clients, 50);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (started != null) {
                started.close();
            }
            closeAll();
            throw e;
        }
        this.vmc = started;
        this.follower = f;
        awaitConverged();
    }

    /** The host's physical port: the switch itself, or the emulated NIC in front of it ({@code port=emu}). */
    private static PhysicalPort port(StageMix mix, PhysicalPort wire, Host h, List<NicPort> nicPorts) {
        if (mix.port().equals("sw")) {
            return wire;
        }
        NicPort nic = NicPort.open(mix.port(), wire, h.pool());
        nicPorts.add(nic);
        return nic;
    }

    /**
     * Waits until every host's agent runs the controller's current program version or a later one
     * (under the on-demand model each resolved miss makes a new version, at any time).
     */
    void awaitConverged() throws InterruptedException {
        long want = vmc.programVersion();
        await(() -> "every host to run program version " + want + " (running: " + agents.stream()
                        .map(a -> a.host().name() + " v" + a.runningVersion()).toList() + ")",
                () -> agents.stream().allMatch(a -> a.runningVersion() >= want));
    }

    private static void await(String what, BooleanSupplier ok) throws InterruptedException {
        await(() -> what, ok);
    }

    /** @param what said, as it is when the time is up, if it is */
    private static void await(Supplier<String> what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after 30 s waiting for " + what.get());
            }
            Thread.sleep(2);
        }
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
        for (HostAgentClient c : clients) {
            c.close();   // before the controller goes, so no client sets out to reconnect
        }
        clients.clear();
        if (vmc != null) {
            vmc.close();
        }
        closeAll();
    }

    /** The runner's side of the VMM hop: frames it copied onto the NICs, frames delivered off them. */
    int pumpHop() {
        return hop == null ? 0 : hop.pump();
    }

    /** Frames between the guests and the dataplanes (in the VMM) or between hosts (in the kernel). */
    long inFlight() {
        return (hop == null ? 0 : hop.inFlight()) + (kernel == null ? 0 : kernel.inFlight());
    }

    private void closeAll() {
        for (HostAgentClient c : clients) {
            c.close();
        }
        if (hop != null) {
            hop.close();
        }
        if (kernel != null) {
            kernel.close();
        }
        for (HostCoprocessors c : coprocessors) {
            c.close();   // their threads stop before the hosts' packet memory goes
        }
        for (Host h : hosts.values()) {
            h.close();
        }
        wire.close();
    }

    /**
     * The capture point: the frames the VM hosts put on the wire, not the
     * hoverboards' forwarded copies. A hoverboard's copy carries the same inner
     * segment a host sent to it a moment before, so a capture of both legs shows
     * every hoverboard-routed TCP segment twice, which Wireshark reads as
     * retransmissions and out-of-order segments.
     */
    private FrameTap uplinks(FrameTap tap) {
        Set<Integer> hoverboards = new HashSet<>();
        for (int id = 1; id <= topology.hostCount(); id++) {
            if (topology.isHoverboard(id)) {
                hoverboards.add(DemoTopology.hostIp(id));
            }
        }
        return (memory, offset, length) -> {
            if (length < Ethernet.HEADER_BYTES + Ipv4.MIN_HEADER_BYTES
                    || !hoverboards.contains(Ipv4.src(memory, offset + Ethernet.HEADER_BYTES))) {
                tap.frame(memory, offset, length);
            }
        };
    }
}
