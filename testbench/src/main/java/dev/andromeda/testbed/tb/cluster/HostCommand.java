package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.host.UsageReporter;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.control.vmc.MasterFollower;
import dev.andromeda.testbed.control.vmc.VmcNode;
import dev.andromeda.testbed.coprocessor.PoolConfig;
import dev.andromeda.testbed.coprocessor.host.HostCoprocessors;
import dev.andromeda.testbed.coprocessor.sched.CpuClock;
import dev.andromeda.testbed.fastpath.agent.BackoffIdleStrategy;
import dev.andromeda.testbed.fastpath.dataplane.Drop;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.transport.netty.NettyUdpPort;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareGcm;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.tb.demo.DemoTopology;
import dev.andromeda.testbed.tb.demo.PspKeys;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tb host} (and {@code tb hoverboard}): one host's dataplane as a process -- its VMs (from
 * the desired state), its coprocessors, its physical port on a real UDP socket that reaches every
 * other host at the endpoint it published in ZooKeeper, and its agent, programmed over gRPC by
 * whichever controller masters its partition and checkpointing into {@code --data-dir}. Restarted,
 * it forwards on its last checkpoint before any controller speaks (fail static).
 *
 * <p>Two threads per host: the dataplane's busy loop (packets, traffic, usage reports) and a
 * control thread that alone talks to ZooKeeper and hands the dataplane what changed, so a slow
 * ZooKeeper never holds a packet up.
 */
@Command(name = "host", mixinStandardHelpOptions = true,
        description = {"Run a host (or with --hoverboard a hoverboard gateway): its dataplane on a UDP port,",
                "its VMs as the desired state places them, its agent programmed by its partition's master.",
                "",
                "  tb host --zk 127.0.0.1:2181 --name host-1 --data-dir h1 --udp 127.0.0.1:7001 --http 127.0.0.1:9101",
                "",
                "The name is host-N, N the host's id in the desired state (VM hosts 1..H, hoverboards after).",
                "Logs one line per state change (restored, programmed v, fenced, fail static, peers).",
                "Health and counters: GET /health, /metrics (Prometheus text) on --http; tb cluster drives",
                "traffic through POST /traffic and reads GET /received there.",
                "Stops on SIGTERM: ZooKeeper session closed, sockets closed (every accepted program is",
                "already checkpointed)."})
public final class HostCommand implements Callable<Integer> {
    @Option(names = "--zk", required = true, description = "ZooKeeper connect string (an ensemble: a,b,c).")
    String zk;

    @Option(names = "--name", required = true, description = "host-N: the host's id in the desired state.")
    String name;

    @Option(names = "--data-dir", required = true, description = "Where the agent keeps its checkpoints (created).")
    Path dataDir;

    @Option(names = "--udp", required = true, description = "The physical port's UDP address HOST:PORT.")
    String udp;

    @Option(names = "--advertise", description = "Address other hosts send to (default: --udp's host).")
    String advertise;

    @Option(names = "--http", defaultValue = "127.0.0.1:0", description = "Health, metrics and traffic HOST:PORT (default: ${DEFAULT-VALUE}).")
    String http;

    @Option(names = "--partitions", defaultValue = "1", description = "Partitions, as given to every tb vmc (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--hoverboard", description = "This host is a hoverboard gateway (checked against the desired state).")
    boolean hoverboard;

    @Option(names = "--session-timeout", defaultValue = "3s", description = "ZooKeeper session timeout (default: ${DEFAULT-VALUE}).")
    String sessionTimeout;

    @Option(names = "--connection-timeout", defaultValue = "3s", description = "ZooKeeper connection timeout (default: ${DEFAULT-VALUE}).")
    String connectionTimeout;

    @Override
    public Integer call() throws Exception {
        int id = HostNames.hostId(name);
        InetSocketAddress udpAt = Addresses.parse(udp);
        InetSocketAddress httpAt = Addresses.parse(http);
        if (partitions < 1 || partitions > 64) {
            throw new IllegalArgumentException("--partitions must be 1..64: " + partitions);
        }
        PartitionElection.Timeouts timeouts = new PartitionElection.Timeouts(
                VmcCommand.Durations.parse("--session-timeout", sessionTimeout),
                VmcCommand.Durations.parse("--connection-timeout", connectionTimeout));
        Log log = new Log(name);
        HostProcess p = new HostProcess(log, zk, name, id, dataDir, udpAt,
                advertise != null ? advertise : udpAt.getHostString(), partitions, hoverboard, timeouts);
        Addresses.requireFree(httpAt, "--http");
        p.bind(); // a port in use is refused now, not after ZooKeeper has answered
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.say("SIGTERM: stopping");
            stop.countDown();
            p.close();
        }, "host-shutdown"));
        try (HttpEndpoint h = HttpEndpoint.start(httpAt, p::health, p::metrics, p.routes())) {
            p.http = h.address();
            p.run(stop);
        } finally {
            p.close();
        }
        return 0;
    }

    /** Host names as the agents say hello: host-N, N the host's id. */
    static final class HostNames {
        static int hostId(String name) {
            if (!name.matches("host-[1-9][0-9]{0,5}")) {
                throw new IllegalArgumentException("--name must be host-N (N the host's id): '" + name + "'");
            }
            return Integer.parseInt(name.substring(5));
        }
    }

    /** The host's life: ZooKeeper, the desired state, the dataplane, the agent and its controller. */
    static final class HostProcess implements AutoCloseable {
        static final int BUFFER_BYTES = 10_240 + 256;
        static final int BUFFERS = 4096;
        private static final PoolConfig COPROCESSORS = new PoolConfig(1, 32, System::nanoTime,
                CpuClock.threadCpuTime(), () -> new BackoffIdleStrategy(0, 1, 20_000, 1_000_000),
                SoftwareGcm::new, PoolConfig.NO_RESOLVER);

        private final Log log;
        private final String zkConnect;
        private final String name;
        private final int id;
        private final Path dataDir;
        private final InetSocketAddress udpAt;
        private final String advertise;
        private final int partitions;
        private final boolean hoverboardFlag;
        private final PartitionElection.Timeouts timeouts;
        volatile InetSocketAddress http;

        private volatile CuratorFramework zkClient;
        private volatile Host host;
        private volatile NettyUdpPort port;
        private volatile HostCoprocessors coprocessors;
        private volatile HostAgent agent;
        private volatile HostAgentClient client;
        private volatile MasterFollower follower;
        private volatile Traffic traffic;
        private volatile boolean closed;
        private final Map<Integer, VirtioNic> nics = new LinkedHashMap<>(); // by VM id; dataplane thread
        private volatile String peersSeen = "";
        private ClusterZk.HostEndpoint self;
        /** Every peer ever seen: a peer whose node is gone (its session expired, ZooKeeper lost) keeps its endpoint. */
        private final Map<Integer, InetSocketAddress> knownPeers = new HashMap<>();

        HostProcess(Log log, String zk, String name, int id, Path dataDir, InetSocketAddress udpAt, String advertise,
                    int partitions, boolean hoverboard, PartitionElection.Timeouts timeouts) {
            this.log = log;
            this.zkConnect = zk;
            this.name = name;
            this.id = id;
            this.dataDir = dataDir;
            this.udpAt = udpAt;
            this.advertise = advertise;
            this.partitions = partitions;
            this.hoverboardFlag = hoverboard;
            this.timeouts = timeouts;
        }

        /** Binds the physical port's UDP socket; refuses, on one line, an address in use or not local. */
        void bind() {
            try {
                port = NettyUdpPort.bind(udpAt, null);
            } catch (Exception e) { // Netty throws its native IOException unchecked
                throw new IllegalArgumentException("cannot bind the UDP port " + ClusterZk.hostPort(udpAt) + ": "
                        + e.getMessage());
            }
        }

        void run(CountDownLatch stop) throws Exception {
            java.nio.file.Files.createDirectories(dataDir);
            if (port == null) {
                bind();
            }
            DesiredState cached = CachedState.read(dataDir);
            DesiredState desired;
            ClusterZk.Stored stored = null;
            java.util.concurrent.CompletableFuture<CuratorFramework> connecting = null;
            if (cached != null) {
                // Restarted: forward on the agent's checkpoint, the VMs and the peers last learned,
                // before ZooKeeper or any controller answers (fail static); ZooKeeper is joined meanwhile.
                desired = cached;
                knownPeers.putAll(CachedState.readPeers(dataDir));
                connecting = connectInBackground();
            } else {
                zkClient = ClusterZk.connect(zkConnect, timeouts, log::say);
                while (stored == null && stop.getCount() > 0) {
                    try {
                        stored = ClusterZk.readDesired(zkClient);
                    } catch (Exception zkDown) {
                        stored = null;
                    }
                    if (stored == null) {
                        log.say("waiting for a desired state (tb netctl apply STATE.yaml)");
                        stop.await(1, java.util.concurrent.TimeUnit.SECONDS);
                    }
                }
                if (stop.getCount() == 0) {
                    return;
                }
                desired = stored.state();
                CachedState.write(dataDir, desired);
            }
            DemoTopology topo = desired.topology();
            if (id > topo.hostCount()) {
                throw new IllegalArgumentException("the desired state has hosts 1.." + topo.hostCount() + "; no " + name);
            }
            if (topo.isHoverboard(id) != hoverboardFlag) {
                throw new IllegalArgumentException(name + " is " + (topo.isHoverboard(id) ? "a hoverboard" : "a VM host")
                        + " in the desired state: " + (topo.isHoverboard(id) ? "add --hoverboard" : "drop --hoverboard"));
            }
            start(topo);
            if (cached != null) {
                log.say("forwarding on the cached desired state v" + cached.version() + " and " + knownPeers.size()
                        + " cached peers while ZooKeeper is joined");
            }
            int seenNode = stored != null ? stored.nodeVersion() : -2;
            java.util.concurrent.CompletableFuture<CuratorFramework> joining = connecting;
            control = Thread.ofPlatform().name(name + "-control").daemon().start(() -> control(stop, topo, seenNode,
                    joining));
            long nextUsage = System.nanoTime();
            BackoffIdleStrategy idle = new BackoffIdleStrategy(50, 10, 1_000, 200_000);
            while (stop.getCount() > 0 && !closed) {
                int work = 0;
                for (Runnable r; (r = toDataplane.poll()) != null; ) {
                    r.run();
                    work++;
                }
                work += host.doWork();
                work += traffic.doWork();
                long now = System.nanoTime();
                UsageReporter u = usage;
                if (now >= nextUsage && u != null) {
                    u.report();
                    nextUsage = now + (long) (topo.scenario().control().intervalSeconds() * 1e9 / 2);
                }
                idle.idle(work);
            }
        }

        /**
         * What the control thread hands the dataplane thread: plugging VMs in and out changes the
         * host's NIC list, which only the dataplane touches. A lock-free queue, polled between
         * turns of the loop: the packet path takes no lock and never waits for ZooKeeper.
         */
        private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> toDataplane =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private Thread control;

        /**
         * The host's ZooKeeper side, on a thread of its own so a slow or hung ZooKeeper stalls only
         * this: joins ZooKeeper (after a restart on the cache), polls the desired state and hands
         * each new one to the dataplane, checks every 50 ms whether VMs waiting to move are plugged
         * in at their new host, refreshes the peers and republishes the VMs plugged in here every
         * 500 ms, and follows the partition's master.
         */
        private void control(CountDownLatch stop, DemoTopology topo, int seenNode,
                             java.util.concurrent.CompletableFuture<CuratorFramework> connecting) {
            if (zkClient != null) {
                try {
                    joinZk(topo);
                } catch (Exception e) {
                    log.say("ZooKeeper: registering failed (" + e.getMessage() + "); again in 500 ms");
                }
            }
            long nextPeers = 0;
            long nextDesired = 0;
            boolean zkUp = true;
            Set<Integer> published = null;
            String lastError = null;
            while (stop.getCount() > 0 && !closed) {
                try {
                    stop.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException stopping) {
                    return;
                }
                if (closed) {
                    return;
                }
                try {
                    if (zkClient == null) {
                        if (connecting.isDone() && !connecting.isCompletedExceptionally() && !connecting.isCancelled()) {
                            zkClient = connecting.join();
                            joinZk(topo);
                        }
                        continue;
                    }
                    boolean up = zkClient.getZookeeperClient().isConnected();
                    if (up != zkUp) {
                        log.say(up ? "ZooKeeper back" : "ZooKeeper lost: fail static on program version "
                                + agent.runningVersion());
                        zkUp = up;
                    }
                    if (!up) {
                        continue;
                    }
                    long now = System.nanoTime();
                    int v = seenNode;
                    if (now >= nextDesired) {
                        nextDesired = now + 200_000_000L;
                        v = ClusterZk.desiredNodeVersion(zkClient);
                    }
                    if (v != seenNode && v >= 0) {
                        DesiredState d = ClusterZk.readDesired(zkClient).state();
                        CachedState.write(dataDir, d);
                        seenNode = v;
                        handOver(d.topology());
                    } else if (movesPending) {
                        handOver(placed); // every 50 ms while a VM waits for its new host
                    }
                    Set<Integer> here = plugged;
                    if (here != published || now >= nextPeers) {
                        ClusterZk.publishPlugged(zkClient, name, here); // again every 500 ms: after a lost session
                        published = here;
                    }
                    if (now >= nextPeers) {
                        nextPeers = now + 500_000_000L;
                        refreshPeers();
                    }
                    if (client == null) {
                        followMaster(topo);
                    }
                    lastError = null;
                } catch (org.apache.zookeeper.KeeperException e) {
                    // ZooKeeper went away between the check and the read: next round.
                } catch (Exception e) {
                    // Closing closes the client under us; the same error again is said once.
                    if (!closed && !e.toString().equals(lastError)) {
                        log.say("ERROR following ZooKeeper: " + e);
                        lastError = e.toString();
                    }
                }
            }
        }

        /**
         * Asks ZooKeeper which of the VMs that {@code topo} moves away from here are plugged in at
         * their new host, then hands the topology to the dataplane to replug against. Control thread.
         */
        private void handOver(DemoTopology topo) throws Exception {
            Set<Integer> ready = new HashSet<>();
            Set<Integer> here = plugged;
            for (DemoTopology.DemoVm v : topo.vms()) {
                if (v.vm().hostId() != id && here.contains(v.vm().id())
                        && ClusterZk.plugged(zkClient, "host-" + v.vm().hostId()).contains(v.vm().id())) {
                    ready.add(v.vm().id());
                }
            }
            movesPending = false; // set again by the replug if a VM still waits
            toDataplane.add(() -> {
                try {
                    replug(topo, ready);
                } catch (RuntimeException e) {
                    // A state this host cannot take: said, never swallowed; the host forwards on.
                    log.say("ERROR applying desired state v" + topo.state().version() + ": " + e);
                }
            });
        }

        private Thread connector;

        /** Connects to ZooKeeper on a thread of its own (retrying, as {@link ClusterZk#connect}), the dataplane running. */
        private java.util.concurrent.CompletableFuture<CuratorFramework> connectInBackground() {
            java.util.concurrent.CompletableFuture<CuratorFramework> f = new java.util.concurrent.CompletableFuture<>();
            connector = Thread.ofPlatform().name("zk-connect").daemon().start(() -> {
                try {
                    CuratorFramework c = ClusterZk.connect(zkConnect, timeouts, log::say);
                    if (closed || !f.complete(c)) {
                        c.close();
                    }
                } catch (InterruptedException stopping) {
                    f.cancel(false);
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
            return f;
        }

        private volatile UsageReporter usage; // made by the control thread, used by the dataplane's

        private void start(DemoTopology topo) throws Exception {
            Host h = new Host(name, DemoTopology.hostIp(id), DemoTopology.hostMac(id), BUFFERS, BUFFER_BYTES,
                    StageMix.software(), OffloadOptions.defaults());
            host = h;
            PspKeys.configure(topo.scenario(), topo.hostCount(), h);
            NettyUdpPort p = port;
            h.connect(p);
            if (!knownPeers.isEmpty()) {
                p.peers(knownPeers);
            }
            replug(topo, Set.of()); // nothing handed over before ZooKeeper says the new host has it
            coprocessors = HostCoprocessors.attach(h, COPROCESSORS, 256);
            HostAgent a = new HostAgent(h, dataDir.resolve("agent"));
            var report = a.restoreReport();
            log.say(report.restored() ? "restored program version " + a.runningVersion() + " (epoch " + a.epoch()
                    + ") from " + report.source() + (report.problems().isEmpty() ? "" : "; passed over: "
                    + report.problems()) : "no checkpoint: starting unprogrammed" + (report.problems().isEmpty() ? ""
                    : " (damaged: " + report.problems() + ")"));
            traffic = new Traffic(topo, id, nics, log);
            agent = a; // last: /metrics shows a program version only once the host also takes traffic requests
            log.say("dataplane up: UDP " + udp() + ", " + nics.size() + " VMs, " + (hoverboardFlag ? "hoverboard" : "VM host"));
        }

        /** Publishes this host's endpoints, learns its peers', follows its partition's master. */
        private void joinZk(DemoTopology topo) throws Exception {
            self = new ClusterZk.HostEndpoint(name, DemoTopology.hostIp(id),
                    new InetSocketAddress(advertise, port.localAddress().getPort()), http);
            ClusterZk.register(zkClient, self);
            refreshPeers();
            followMaster(topo);
        }

        private String udp() {
            return ClusterZk.hostPort(port != null ? port.localAddress() : udpAt);
        }

        private void followMaster(DemoTopology topo) {
            int partition = ConsistentHashRing.of(partitions).partitionOf(id);
            VmcNode.Master m = VmcNode.publishedMaster(zkClient, partition);
            if (m == null) {
                return; // no master yet: forwarding on what the agent has; asked again on the next round
            }
            HostAgentClient c = new HostAgentClient(agent, VmcNode.hostName(id), m.address(), Duration.ofMillis(50),
                    Duration.ofSeconds(1)).start();
            usage = new UsageReporter(host, c);
            client = c;
            follower = MasterFollower.follow(zkConnect, partition, List.of(c), 100, timeouts);
            log.say("partition " + partition + ": following master at " + ClusterZk.hostPort(m.address()) + " (epoch "
                    + m.epoch() + ")");
        }

        /** The topology last replugged against, and whether a VM of it still waits to leave. */
        private volatile DemoTopology placed;
        private volatile boolean movesPending;
        /** The VMs plugged in here, as the dataplane last left them (an immutable snapshot, for the control thread). */
        private volatile Set<Integer> plugged = Set.of();
        private final Set<Integer> waitingSaid = new HashSet<>(); // dataplane thread
        /** VMs handed over to another host so far (written by the dataplane thread only). */
        private volatile long handovers;

        /**
         * Plugs in the VMs the state places here, and hands over those moved away -- each only once
         * its new host has it plugged in ({@code ready}: the control thread read that from
         * ZooKeeper) and this host's program no longer delivers to it here ({@link VmMoves}): until
         * then it stays here and its packets are delivered here, so none reaches a host without the
         * VM. Handed over, its packets are hairpinned to the new host until every sender is
         * reprogrammed. Dataplane thread; asks ZooKeeper nothing.
         */
        private void replug(DemoTopology topo, Set<Integer> ready) {
            boolean pending = false;
            for (DemoTopology.DemoVm v : topo.vms()) {
                boolean here = v.vm().hostId() == id;
                if (here && !nics.containsKey(v.vm().id())) {
                    // Back from a move away, perhaps: its old hairpin from here ends (VmMoves says why).
                    nics.put(v.vm().id(), VmMoves.plugIn(host, new VmPort(v.port(), v.vm().vni(), v.vm().ipv4(),
                            v.vm().mac())));
                } else if (!here && nics.containsKey(v.vm().id())) {
                    String to = "host-" + v.vm().hostId();
                    HostAgent a = agent;
                    VirtioNic nic = nics.get(v.vm().id());
                    if (!VmMoves.handOverIfReady(host, a == null ? null : a.program(), nic, ready.contains(v.vm().id()),
                            DemoTopology.hostIp(v.vm().hostId()), DemoTopology.hostMac(v.vm().hostId()))) {
                        pending = true;
                        if (waitingSaid.add(v.vm().id())) {
                            log.say("VM " + v.vm().id() + " moves to " + to + ": kept here until " + to
                                    + " has it and this host's program sends to it there");
                        }
                        continue;
                    }
                    waitingSaid.remove(v.vm().id());
                    nics.remove(v.vm().id()); // the port it had here: the new state gives it another on its new host
                    handovers++;
                    log.say("VM " + v.vm().id() + " moved to " + to + ": hairpinning its packets there");
                }
            }
            plugged = Set.copyOf(nics.keySet());
            placed = topo;
            movesPending = pending; // last: the control thread reads placed once it sees this
            if (traffic != null) {
                traffic.topology(topo);
            }
        }

        private void refreshPeers() throws Exception {
            Map<String, ClusterZk.HostEndpoint> registered = ClusterZk.hosts(zkClient);
            if (self != null && !registered.containsKey(name)) {
                // Our session expired (ZooKeeper lost its quorum for longer than it): publish again.
                ClusterZk.register(zkClient, self);
                log.say("registered again in ZooKeeper (the earlier session expired)");
            }
            boolean changed = false;
            for (ClusterZk.HostEndpoint e : registered.values()) {
                changed |= !e.udp().equals(knownPeers.put(e.ip(), e.udp()));
            }
            if (changed) {
                port.peers(knownPeers);
                CachedState.writePeers(dataDir, knownPeers);
                peersSeen = String.join(" ", registered.keySet());
                log.say("peers: " + peersSeen);
            }
        }

        /** The host's share of the cluster's traffic (null until the dataplane is up). */
        Traffic traffic() {
            return traffic;
        }

        /** The host's agent (null until the dataplane is up). */
        HostAgent agent() {
            return agent;
        }

        /** The registered hosts last seen in ZooKeeper, by name, space-separated. */
        String peersSeen() {
            return peersSeen;
        }

        String health() {
            if (host == null) {
                return "starting";
            }
            return null;
        }

        HttpEndpoint.Metrics metrics() {
            HttpEndpoint.Metrics m = new HttpEndpoint.Metrics();
            HostAgent a = agent;
            if (a != null) {
                m.gauge("andromeda_host_program_version", "", a.runningVersion());
                m.gauge("andromeda_host_epoch_floor", "", a.epoch());
                m.counter("andromeda_host_programs_accepted_total", "", a.acks());
                m.counter("andromeda_host_programs_rejected_total", "", a.rejects());
                m.counter("andromeda_host_deposed_writes_refused_total", "", a.deposedRefused());
                m.counter("andromeda_host_checkpoint_writes_total", "", a.checkpoints().writes());
                m.counter("andromeda_host_checkpoint_failures_total", "", a.checkpointFailures());
                m.counter("andromeda_host_bad_checkpoints_total", "", a.checkpoints().badCheckpoints());
                m.gauge("andromeda_host_restored_version", "", a.restoreReport().restored() ? a.restoreReport()
                        .program().version() : 0);
                // Every accepted (version, epoch), for tb cluster's check that no update is applied twice.
                List<long[]> accepted = a.acceptedHistory();
                StringBuilder hist = new StringBuilder();
                for (long[] ve : accepted) {
                    hist.append(ve[0]).append('@').append(ve[1]).append(' ');
                }
                m.gauge("andromeda_host_accepted_count", "history=\"" + hist.toString().strip() + "\"",
                        accepted.size());
            }
            Host h = host;
            if (h != null) {
                var c = h.counters();
                m.counter("andromeda_host_from_vms_total", "", c.fromVms());
                m.counter("andromeda_host_to_wire_total", "", c.toWire());
                m.counter("andromeda_host_hairpinned_total", "", c.hairpinned());
                m.counter("andromeda_host_handovers_total", "", handovers);
                m.counter("andromeda_host_default_route_untracked_total", "", c.defaultRouteUntracked());
                for (Drop d : Drop.values()) {
                    long n = c.drops(d);
                    if (n > 0) {
                        m.counter("andromeda_host_drops_total", "reason=\"" + d.name() + "\"", n);
                    }
                }
            }
            NettyUdpPort p = port;
            if (p != null) {
                var u = p.counters();
                m.counter("andromeda_udp_sent_total", "", u.sent());
                m.counter("andromeda_udp_received_total", "", u.received());
                m.counter("andromeda_udp_dropped_total", "", u.dropped());
                m.counter("andromeda_udp_no_peer_total", "", u.noPeer());
            }
            Traffic t = traffic;
            if (t != null) {
                t.metrics(m);
            }
            return m;
        }

        Map<String, java.util.function.Function<HttpEndpoint.Request, HttpEndpoint.Reply>> routes() {
            return Map.of(
                    "/traffic", q -> {
                        Traffic t = traffic;
                        if (t == null) {
                            return new HttpEndpoint.Reply(503, "not started\n");
                        }
                        return HttpEndpoint.Reply.ok(t.schedule(Integer.parseInt(q.param("round", "0")),
                                Integer.parseInt(q.param("interval", "-1")),
                                Integer.parseInt(q.param("except", "-1"))) + "\n");
                    },
                    "/received", q -> {
                        Traffic t = traffic;
                        return t == null ? new HttpEndpoint.Reply(503, "not started\n")
                                : HttpEndpoint.Reply.ok(t.received(Integer.parseInt(q.param("round", "0"))));
                    });
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (connector != null) {
                connector.interrupt();
            }
            if (control != null) {
                control.interrupt(); // out of its 50 ms wait; a ZooKeeper call ends when the client closes below
            }
            if (follower != null) {
                follower.close();
            }
            if (client != null) {
                client.close();
            }
            if (zkClient != null) {
                zkClient.close();
            }
            if (control != null && control != Thread.currentThread()) {
                try {
                    control.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (coprocessors != null) {
                coprocessors.close();
            }
            if (port != null) {
                port.close();
            }
            log.say("stopped" + (agent != null ? " on program version " + agent.runningVersion() + " (checkpointed)" : ""));
        }
    }
}
