package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.control.programming.OffloadPlanner;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.vmc.VmcNode;
import dev.andromeda.testbed.tb.scenario.ControllerModel;
import dev.andromeda.testbed.tb.scenario.Scenario;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tb vmc}: a VM controller process. It stands in the election of every partition (one
 * {@link VmcNode} each), follows the desired state in ZooKeeper, and as a partition's master
 * programs that partition's hosts over gRPC. One line per state change on standard error.
 */
@Command(name = "vmc", mixinStandardHelpOptions = true,
        description = {"Run a VM controller: candidate for the mastership of every partition, programming",
                "the hosts of the partitions it masters from the desired state in ZooKeeper (tb netctl apply).",
                "",
                "  tb vmc --zk 127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183 --name vmc-1 \\",
                "         --listen 0.0.0.0:7100 --advertise 10.0.0.5 --http 127.0.0.1:9100",
                "",
                "Partition p serves on the --listen port + p (port 0: free ports). Logs one line per",
                "state change (elected, deposed, desired state taken, a host's program version).",
                "Health and counters: GET /health and /metrics (Prometheus text) on --http.",
                "Stops on SIGTERM: leaves every election (ZooKeeper session closed), closes its sockets."})
public final class VmcCommand implements Callable<Integer> {
    @Option(names = "--zk", required = true, description = "ZooKeeper connect string (an ensemble: a,b,c).")
    String zk;

    @Option(names = "--name", required = true, description = "This controller's name (in logs and ZooKeeper).")
    String name;

    @Option(names = "--partitions", defaultValue = "1",
            description = "Partitions of the hosts, by consistent hashing (default: ${DEFAULT-VALUE}); the same for every process.")
    int partitions;

    @Option(names = "--listen", defaultValue = "127.0.0.1:0",
            description = "gRPC address HOST:PORT for partition 0; partition p at PORT+p (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--advertise", description = "Host name or address hosts reach this controller by (default: --listen's host).")
    String advertise;

    @Option(names = "--http", defaultValue = "127.0.0.1:0", description = "Health and metrics HOST:PORT (default: ${DEFAULT-VALUE}).")
    String http;

    @Option(names = "--session-timeout", defaultValue = "3s",
            description = "ZooKeeper session timeout: how long a silent master keeps its partitions (default: ${DEFAULT-VALUE}).")
    String sessionTimeout;

    @Option(names = "--connection-timeout", defaultValue = "3s", description = "ZooKeeper connection timeout (default: ${DEFAULT-VALUE}).")
    String connectionTimeout;

    @Override
    public Integer call() throws Exception {
        if (partitions < 1 || partitions > 64) {
            throw new IllegalArgumentException("--partitions must be 1..64: " + partitions);
        }
        InetSocketAddress base = Addresses.parse(listen);
        InetSocketAddress httpAt = Addresses.parse(http);
        PartitionElection.Timeouts timeouts = new PartitionElection.Timeouts(Durations.parse("--session-timeout",
                sessionTimeout), Durations.parse("--connection-timeout", connectionTimeout));
        checkFree(base, partitions); // a port in use is refused now, not when the first desired state arrives
        Addresses.requireFree(httpAt, "--http");
        String adv = advertise != null ? advertise : base.getHostString();
        Log log = new Log("vmc " + name);
        try (VmcProcess p = new VmcProcess(log, zk, name, partitions, base, adv, timeouts)) {
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.say("SIGTERM: leaving the elections");
                p.close();
                stop.countDown();
            }, "vmc-shutdown"));
            try (HttpEndpoint h = HttpEndpoint.start(httpAt, p::health, p::metrics, java.util.Map.of())) {
                log.say("health and metrics at http://" + ClusterZk.hostPort(h.address()) + "/metrics");
                p.run(stop);
            }
        }
        return 0;
    }

    /** Refuses, on one line, a --listen port (one per partition, from the given one up) that is in use or not local. */
    static void checkFree(InetSocketAddress base, int partitions) {
        if (base.getPort() == 0) {
            return;
        }
        for (int p = 0; p < partitions; p++) {
            Addresses.requireFree(new InetSocketAddress(base.getHostString(), base.getPort() + p),
                    "--listen, partition " + p);
        }
    }

    /** The controller's life: connect, wait for a desired state, stand in the elections, follow the state. */
    static final class VmcProcess implements AutoCloseable {
        private final Log log;
        private final String zkConnect;
        private final String name;
        private final int partitions;
        private final InetSocketAddress base;
        private final String advertise;
        private final PartitionElection.Timeouts timeouts;
        private final List<VmcNode> nodes = new ArrayList<>();
        private final List<OffloadPlanner> planners = new ArrayList<>();
        private volatile CuratorFramework client;
        private volatile long stateVersion;
        private volatile String model;
        private volatile boolean closed;
        private final java.util.Map<String, Long> reported = new java.util.HashMap<>();
        private final boolean[] wasMaster;
        private final long[] lastEpoch;

        VmcProcess(Log log, String zk, String name, int partitions, InetSocketAddress base, String advertise,
                   PartitionElection.Timeouts timeouts) {
            this.log = log;
            this.zkConnect = zk;
            this.name = name;
            this.partitions = partitions;
            this.base = base;
            this.advertise = advertise;
            this.timeouts = timeouts;
            this.wasMaster = new boolean[partitions];
            this.lastEpoch = new long[partitions];
        }

        void run(CountDownLatch stop) throws Exception {
            client = ClusterZk.connect(zkConnect, timeouts, log::say);
            log.say("connected to ZooKeeper " + zkConnect);
            int seen = -2;
            long nextInterval = Long.MAX_VALUE;
            double intervalSeconds = 1;
            while (!closed && stop.getCount() > 0) {
                try {
                    int v = ClusterZk.desiredNodeVersion(client);
                    if (v != seen) {
                        ClusterZk.Stored s = ClusterZk.readDesired(client);
                        seen = v;
                        if (s == null) {
                            log.say("no desired state yet (tb netctl apply STATE.yaml)");
                        } else {
                            pending = s.state();
                            pendingSince = System.nanoTime();
                            intervalSeconds = s.state().scenario().control().intervalSeconds();
                            if (nextInterval == Long.MAX_VALUE) {
                                nextInterval = System.nanoTime() + (long) (intervalSeconds * 1e9);
                            }
                        }
                    }
                } catch (IllegalArgumentException bad) {
                    log.say("desired state refused: " + bad.getMessage());
                } catch (Exception zkDown) {
                    // ZooKeeper unreachable: Curator reconnects; the elections say what that means for us.
                }
                try {
                    if (pending != null && movesReady(pending)) {
                        DesiredState d = pending;
                        pending = null;
                        take(d);
                    }
                } catch (IllegalArgumentException bad) {
                    pending = null;
                    log.say("desired state refused: " + bad.getMessage());
                } catch (Exception zkDown) {
                    // asked again on the next round
                }
                if (System.nanoTime() >= nextInterval) {
                    endIntervals();
                    nextInterval = System.nanoTime() + (long) (intervalSeconds * 1e9);
                }
                watchTransitions();
                stop.await(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        /** A desired state read but not yet taken: it moves a VM its destination has not plugged in yet. */
        private DesiredState pending;
        private long pendingSince;
        /** The desired state last taken, to tell which VMs a new one moves. */
        private DesiredState held;
        private static final long PLUG_WAIT_NS = 10_000_000_000L;

        /**
         * Whether every VM the state moves is plugged in at its new host (published in ZooKeeper):
         * programming senders to send to a host that does not have the VM yet would lose their
         * packets there. After {@link #PLUG_WAIT_NS} the move is programmed anyway, and said.
         */
        private boolean movesReady(DesiredState d) throws Exception {
            if (held == null) {
                return true;
            }
            Map<Integer, Integer> before = new java.util.HashMap<>();
            held.topology().vms().forEach(v -> before.put(v.vm().id(), v.vm().hostId()));
            List<String> missing = new ArrayList<>();
            for (var v : d.topology().vms()) {
                Integer was = before.get(v.vm().id());
                if (was != null && was != v.vm().hostId()
                        && !ClusterZk.plugged(client, "host-" + v.vm().hostId()).contains(v.vm().id())) {
                    missing.add("VM " + v.vm().id() + " on host-" + v.vm().hostId());
                }
            }
            if (missing.isEmpty()) {
                return true;
            }
            if (System.nanoTime() - pendingSince > PLUG_WAIT_NS) {
                log.say("desired state v" + d.version() + ": not plugged in after " + PLUG_WAIT_NS / 1_000_000_000L
                        + " s: " + String.join(", ", missing) + "; programming the move anyway");
                return true;
            }
            return false;
        }

        private void take(DesiredState d) throws java.io.IOException {
            Scenario sc = d.scenario();
            NetworkState state = d.topology().state();
            if (nodes.isEmpty()) {
                model = sc.control().model();
                ConsistentHashRing ring = ConsistentHashRing.of(partitions);
                for (int p : ring.partitions()) {
                    InetSocketAddress at = new InetSocketAddress(base.getHostString(),
                            base.getPort() == 0 ? 0 : base.getPort() + p);
                    VmcNode.Endpoint ep = new VmcNode.Endpoint(at, advertise, timeouts);
                    ControllerModel cm = ControllerModel.of(sc.control(), System::nanoTime);
                    nodes.add(VmcNode.start(name, zkConnect, p, ring, cm.model(), cm.planner(), ep));
                    planners.add(cm.planner());
                    log.say("p" + p + ": candidate, serving hosts on " + ClusterZk.hostPort(nodes.getLast()
                            .controller().address()) + " (model " + model + ")");
                }
            } else if (!sc.control().model().equals(model)) {
                log.say("desired state v" + d.version() + " asks for model " + sc.control().model()
                        + "; this controller runs " + model + ": restart it to change models");
                return;
            }
            boolean taken = false;
            for (VmcNode n : nodes) {
                taken |= n.setState(state);
            }
            if (taken) {
                held = d;
                stateVersion = d.version();
                log.say("desired state v" + d.version() + " taken (" + state.vms().size() + " VMs, "
                        + state.hosts().size() + " hosts" + (d.moves().isEmpty() ? "" : ", " + d.moves().size() + " moved")
                        + ")");
            }
        }

        private void endIntervals() {
            for (int i = 0; i < nodes.size(); i++) {
                if (planners.get(i) != null && nodes.get(i).isMaster()) {
                    OffloadPlanner.Decisions dd = nodes.get(i).endUsageInterval();
                    if (!dd.added().isEmpty() || !dd.removed().isEmpty()) {
                        log.say("p" + i + ": offload flows +" + dd.added().size() + " -" + dd.removed().size()
                                + " -> program version " + nodes.get(i).programVersion());
                    }
                }
            }
        }

        /** One line per change: mastership, epoch, a host's running version. */
        private void watchTransitions() {
            for (int i = 0; i < nodes.size(); i++) {
                VmcNode n = nodes.get(i);
                boolean m = n.isMaster() && n.controller().master();
                long e = n.controller().epoch();
                if (m != wasMaster[i] || (m && e != lastEpoch[i])) {
                    log.say("p" + i + ": " + (m ? "master, epoch " + e : "standby" + (wasMaster[i] ? " (deposed)" : "")));
                    wasMaster[i] = m;
                    lastEpoch[i] = e;
                }
                if (!m || n.state() == null) {
                    continue;
                }
                for (var h : n.state().hosts()) {
                    String id = VmcNode.hostName(h.id());
                    long v = n.controller().reportedVersion(id);
                    if (v >= 0 && !java.util.Objects.equals(reported.get(id), v)) {
                        reported.put(id, v);
                        if (n.controller().connected(id)) {
                            log.say("p" + i + ": " + id + " runs program version " + v);
                        }
                    }
                }
            }
        }

        /** The program version partition 0's node serves, or -1 before the first desired state. */
        long programVersion() { // read as metrics() reads the nodes: the run thread only adds
            return nodes.isEmpty() ? -1 : nodes.getFirst().programVersion();
        }

        String health() {
            CuratorFramework c = client;
            if (c == null || !c.getZookeeperClient().isConnected()) {
                return "not connected to ZooKeeper";
            }
            return null;
        }

        HttpEndpoint.Metrics metrics() {
            HttpEndpoint.Metrics m = new HttpEndpoint.Metrics();
            m.gauge("andromeda_vmc_desired_state_version", "", stateVersion);
            for (int i = 0; i < nodes.size(); i++) {
                VmcNode n = nodes.get(i);
                String p = "partition=\"" + i + "\"";
                m.gauge("andromeda_vmc_master", p, n.isMaster() && n.controller().master() ? 1 : 0);
                m.gauge("andromeda_vmc_epoch", p, n.controller().epoch());
                m.gauge("andromeda_vmc_program_version", p, n.programVersion());
                if (n.state() != null) {
                    for (var h : n.state().hosts()) {
                        String id = VmcNode.hostName(h.id());
                        String l = p + ",host=\"" + id + "\"";
                        m.gauge("andromeda_vmc_host_running_version", l, n.controller().reportedVersion(id));
                        m.counter("andromeda_vmc_programs_sent_total", l, n.controller().sends(id));
                        m.counter("andromeda_vmc_program_rejects_total", l, n.controller().rejects(id));
                    }
                }
            }
            return m;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (VmcNode n : nodes) {
                try {
                    n.close();
                } catch (RuntimeException e) {
                    log.say("closing " + n + ": " + e.getMessage());
                }
            }
            CuratorFramework c = client;
            if (c != null) {
                c.close();
            }
            log.say("stopped");
        }
    }

    /** Durations as operators write them: 500ms, 3s, 1m. */
    static final class Durations {
        static Duration parse(String option, String text) {
            try {
                if (text.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
                }
                if (text.endsWith("s")) {
                    return Duration.ofMillis((long) (Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
                }
                if (text.endsWith("m")) {
                    return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(option + ": '" + text + "' is not a duration (500ms, 3s, 1m)");
        }
    }
}
