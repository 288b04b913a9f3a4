package dev.andromeda.testbed.control.vmc;

import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.model.Host;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.control.programming.HostPrograms;
import dev.andromeda.testbed.control.programming.HoverboardModel;
import dev.andromeda.testbed.control.programming.FlowSink;
import dev.andromeda.testbed.control.programming.OffloadPlanner;
import dev.andromeda.testbed.control.programming.OnDemandModel;
import dev.andromeda.testbed.control.programming.ProgrammingModel;
import dev.andromeda.testbed.control.rpc.VmController;
import dev.andromeda.testbed.control.rpc.proto.FlowUsage;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A VM controller for one partition: it stands in the partition's election,
 * and while it is master it turns the desired state into each of the
 * partition's hosts' programs (the programming model, through
 * {@link HostPrograms}) and serves them over gRPC, stamped with its epoch. It
 * publishes its address at {@code /andromeda/partitions/<p>/master} as an
 * ephemeral node, so hosts find the master and follow it when it changes; the
 * node disappears with the master's ZooKeeper session.
 */
public final class VmcNode implements AutoCloseable {
    private final String name;
    private final int partition;
    private final ConsistentHashRing ring;
    private final ProgrammingModel model;
    private final VmController controller;
    private final CuratorFramework client;
    private final PartitionElection election;
    private final OffloadPlanner planner; // null unless the hoverboard model's offloads are planned here
    private volatile NetworkState state;
    /**
     * The version of the programs served: the state's version, or one more than the last when only
     * the offload flows changed -- never lower than before, so hosts accept every reprogramming.
     */
    private long programVersion;

    /**
     * Where a VMC serves and how it talks to ZooKeeper.
     *
     * @param listen    the gRPC address hosts connect to (port 0: a free one)
     * @param advertise the host name or address published for hosts to reach {@code listen} by
     * @param timeouts  its ZooKeeper session and connection timeouts
     */
    public record Endpoint(InetSocketAddress listen, String advertise, PartitionElection.Timeouts timeouts) {
        /** 127.0.0.1, a free port, the fast test timeouts: one machine, in one process or several. */
        public static final Endpoint LOOPBACK = new Endpoint(new InetSocketAddress("127.0.0.1", 0), "127.0.0.1",
                PartitionElection.Timeouts.FAST);
    }

    private final String advertise;

    private VmcNode(String name, String connectString, int partition, ConsistentHashRing ring, ProgrammingModel model,
                    OffloadPlanner planner, Endpoint endpoint) throws IOException {
        this.name = name;
        this.partition = partition;
        this.ring = ring;
        this.model = model;
        this.planner = planner;
        this.advertise = endpoint.advertise();
        this.controller = new VmController(name, endpoint.listen());
        controller.onReports(new Reports());
        PartitionElection.Timeouts timeouts = endpoint.timeouts();
        CuratorFramework c;
        try {
            c = PartitionElection.newClient(connectString, timeouts);
        } catch (RuntimeException e) {
            controller.close();
            throw e;
        }
        this.client = c;
        this.election = PartitionElection.join(client, partition, name, new PartitionElection.Listener() {
            @Override
            public void onMaster(int p, long epoch) {
                synchronized (VmcNode.this) {
                    long e = epoch;
                    if (e <= controller.epoch()) {
                        // Elected again with an epoch this controller already held or passed: the counter
                        // went back (ZooKeeper lost its data). Writing at it would sit beside our own older
                        // fences and programs, so take one above it (logged as an error by the election).
                        e = election.takeEpochAbove(controller.epoch());
                        if (e < 0) {
                            return; // lost the mastership meanwhile
                        }
                    }
                    controller.becomeMaster(e);
                    publishAddress();
                    reprogram();
                }
            }

            @Override
            public void onDeposed(int p, long epoch) {
                controller.stepDown();
            }
        });
    }

    /** Starts a VMC for {@code partition} on the ZooKeeper at {@code connectString}. */
    public static VmcNode start(String name, String connectString, int partition, ConsistentHashRing ring,
                                ProgrammingModel model) throws IOException {
        return new VmcNode(name, connectString, partition, ring, model, null, Endpoint.LOOPBACK);
    }

    /** Starts a VMC for {@code partition} serving on {@code endpoint} (a VMC process). */
    public static VmcNode start(String name, String connectString, int partition, ConsistentHashRing ring,
                                ProgrammingModel model, OffloadPlanner planner, Endpoint endpoint) throws IOException {
        return new VmcNode(name, connectString, partition, ring, model, planner, endpoint);
    }

    /**
     * Starts a VMC running the hoverboard model whose offload flows it plans itself
     * (Andromeda §3.3): sending hosts report their usage ({@link #reportUsage}); at
     * the end of each interval ({@link #endUsageInterval}) the planner's decisions
     * reprogram the partition's hosts.
     */
    public static VmcNode startHoverboard(String name, String connectString, int partition, ConsistentHashRing ring,
                                          int[] protocols, OffloadPlanner planner) throws IOException {
        return new VmcNode(name, connectString, partition, ring, new HoverboardModel(protocols, planner::active),
                planner, Endpoint.LOOPBACK);
    }

    /**
     * The desired state from cluster management; the master programs its partition's hosts at once.
     * A state not newer than the one held is refused (a late or replayed update must not undo a
     * newer one, nor raise the program version for nothing).
     *
     * @return whether the state was taken
     */
    public synchronized boolean setState(NetworkState desired) {
        NetworkState held = state;
        if (held != null && desired.version() <= held.version()) {
            System.getLogger(VmcNode.class.getName()).log(System.Logger.Level.WARNING,
                    "{0}: refused desired state version {1}: version {2} is held", name, desired.version(),
                    held.version());
            return false;
        }
        this.state = desired;
        programVersion = Math.max(programVersion + 1, desired.version());
        reprogram();
        return true;
    }

    /** The desired state held, or null before the first. */
    public NetworkState state() {
        return state;
    }

    /** A sending host's bytes on a flow (default-routed or offloaded) since its last report. */
    public void reportUsage(int senderHostId, int vni, int proto, int src, int dst, long bytes) {
        requirePlanner().report(senderHostId, vni, proto, src, dst, bytes);
    }

    /**
     * Ends a usage interval: offload flows above the threshold are added, idle ones removed,
     * and when anything changed the master reprograms its hosts with a newer program version.
     */
    public synchronized OffloadPlanner.Decisions endUsageInterval() {
        OffloadPlanner.Decisions d = requirePlanner().endInterval();
        if (!d.added().isEmpty() || !d.removed().isEmpty()) {
            programVersion++;
            reprogram();
        }
        return d;
    }

    /** The offload flows in force (none unless this VMC plans them). */
    public java.util.Set<dev.andromeda.testbed.control.programming.OffloadFlow> offloadFlows() {
        return planner == null ? java.util.Set.of() : planner.active();
    }

    /** The version the master serves now (what converged hosts run). */
    public synchronized long programVersion() {
        return programVersion;
    }

    /** What the partition's hosts report over their programming streams. */
    private final class Reports implements VmController.HostReports {
        @Override
        public void usage(String hostId, long sequence, List<FlowUsage> flows) {
            int id = hostNumber(hostId);
            if (planner == null || id < 0) {
                return;
            }
            for (FlowUsage f : flows) {
                planner.report(id, f.getVni(), f.getProtocol(), f.getSrc(), f.getDst(), f.getBytes());
            }
        }

        @Override
        public void miss(String hostId, int vni, int protocol, int src, int dst) {
            int id = hostNumber(hostId);
            NetworkState s = state;
            if (!(model instanceof OnDemandModel onDemand) || s == null || id < 0 || !election.isMaster()) {
                return;
            }
            // The model keeps the resolved flow; the host's program is derived again below.
            if (onDemand.resolveMiss(s, id, vni, src, dst, NO_SINK) == OnDemandModel.MissResult.PROGRAMMED) {
                synchronized (VmcNode.this) {
                    programVersion++;
                    reprogram();
                }
            }
        }

        @Override
        public void hostEpochAhead(String hostId, long hostEpoch) {
            synchronized (VmcNode.this) {
                if (!election.isMaster() || hostEpoch < controller.epoch()) {
                    return; // not master, or already above it (a later report raced an earlier one)
                }
                long e = election.takeEpochAbove(hostEpoch);
                if (e < 0) {
                    System.getLogger(VmcNode.class.getName()).log(System.Logger.Level.WARNING,
                            "{0}: host {1} holds epoch {2} above ours ({3}) and we are no longer master: stepping down",
                            name, hostId, hostEpoch, controller.epoch());
                    controller.stepDown();
                    return;
                }
                controller.becomeMaster(e); // fences every connected host at e, then converges them
                publishAddress();
                reprogram();
            }
        }

        @Override
        public void hostAhead(String hostId, long runningVersion) {
            synchronized (VmcNode.this) {
                if (runningVersion >= programVersion) {
                    // A previous master programmed the host past our version (offloads, misses):
                    // continue above it, so the host accepts what this master derives.
                    programVersion = runningVersion + 1;
                    reprogram();
                }
            }
        }
    }

    /** Discards flows: on-demand resolution records them in the model, which programs the host. */
    private static final FlowSink NO_SINK = new FlowSink() {
        @Override
        public void flow(int hostId, int vni, int proto, int src, int dst, int actionKind, int argument,
                         dev.andromeda.testbed.fastpath.flow.FirewallPolicy policy) {
        }

        @Override
        public void defaultRoute(int hostId, int[] hoverboardHostIds) {
        }

        @Override
        public void hoverboardRoute(int vni, int dst, int dstHostId) {
        }
    };

    /** The id in {@link #hostName}, or -1. */
    static int hostNumber(String hostName) {
        if (!hostName.startsWith("host-")) {
            return -1;
        }
        try {
            return Integer.parseInt(hostName.substring(5));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private OffloadPlanner requirePlanner() {
        if (planner == null) {
            throw new IllegalStateException(name + " does not plan offload flows (start it with startHoverboard)");
        }
        return planner;
    }

    public boolean isMaster() {
        return election.isMaster();
    }

    public long epoch() {
        return election.epoch();
    }

    public VmController controller() {
        return controller;
    }

    private synchronized void reprogram() {
        NetworkState s = state;
        if (s == null || !election.isMaster()) {
            return;
        }
        Map<Integer, FlowProgram> programs = HostPrograms.of(s, model, programVersion, election.epoch());
        for (Host h : s.hosts()) {
            if (ring.partitionOf(h.id()) == partition) {
                controller.setProgram(hostName(h.id()), programs.get(h.id()));
            }
        }
    }

    /** The host id a host agent uses when it says hello. */
    public static String hostName(int hostId) {
        return "host-" + hostId;
    }

    static String masterPath(int partition) {
        return PartitionElection.partitionPath(partition) + "/master";
    }

    private void publishAddress() {
        // "host:port epoch incarnation": hosts follow the address and raise their epoch floor to the
        // epoch at once, in this master's name (a host fenced at the same epoch by another keeps that one).
        byte[] address = (advertise + ":" + controller.address().getPort() + " " + controller.epoch() + " "
                + controller.incarnation()).getBytes(StandardCharsets.UTF_8);
        String path = masterPath(partition);
        // The previous master's node may still be there (its session not yet closed): remove it and
        // create ours, as often as the two race.
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, address);
                return;
            } catch (KeeperException.NodeExistsException stale) {
                try {
                    client.delete().forPath(path);
                } catch (KeeperException.NoNodeException gone) {
                    // Its session ended meanwhile: try to create again.
                } catch (Exception e) {
                    throw new IllegalStateException(name + ": cannot replace the master address of partition "
                            + partition, e);
                }
            } catch (Exception e) {
                throw new IllegalStateException(name + ": cannot publish the master address of partition "
                        + partition, e);
            }
        }
        throw new IllegalStateException(name + ": could not publish the master address of partition " + partition);
    }

    /** A partition's master as published: where hosts reach it, its epoch, and its incarnation ("" not given). */
    public record Master(InetSocketAddress address, long epoch, String owner) {
    }

    /** The current master's address for a partition, or null while there is none. */
    public static InetSocketAddress masterOf(CuratorFramework client, int partition) {
        Master m = publishedMaster(client, partition);
        return m == null ? null : m.address();
    }

    /** The current master of a partition as published, or null while there is none. */
    public static Master publishedMaster(CuratorFramework client, int partition) {
        try {
            String[] f = new String(client.getData().forPath(masterPath(partition)), StandardCharsets.UTF_8).strip()
                    .split(" +");
            String hostPort = f[0];
            long epoch = f.length > 1 ? Long.parseLong(f[1]) : 0;
            int colon = hostPort.lastIndexOf(':');
            return new Master(new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1))), epoch, f.length > 2 ? f[2] : "");
        } catch (KeeperException.NoNodeException none) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the master of partition " + partition, e);
        }
    }

    @Override
    public void close() {
        try {
            election.close();
        } finally {
            try {
                client.close();
            } finally {
                controller.close();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (partition " + partition + (isMaster() ? ", master, epoch " + epoch() : ", standby") + ")";
    }
}
