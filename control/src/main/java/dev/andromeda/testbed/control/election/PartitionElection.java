package dev.andromeda.testbed.control.election;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VM controller's candidacy for the mastership of one partition (the paper: a master and two
 * standbys per partition). Candidates join a Curator {@link LeaderLatch} at
 * {@code /andromeda/partitions/<p>/leader}; the latch's leader becomes master only after it has
 * taken a new <em>epoch</em> from the counter {@code /andromeda/partitions/<p>/epoch} (decimal
 * text). The increment is one ZooKeeper transaction: "our latch node still exists" + versioned
 * {@code setData}, so epochs are strictly increasing across masters and a candidate whose latch
 * node is gone (session lost, closed) cannot take one.
 *
 * <p>Mastership is lost when the latch says so: on close, when this candidate's latch node goes,
 * and (Curator's default error policy) as soon as the connection is SUSPENDED. A master that does
 * not yet know it was deposed keeps its old epoch; {@link EpochFence} refuses its late writes.
 *
 * <p>Listener callbacks run on one thread per election, in order.
 */
public final class PartitionElection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionElection.class);

    /** Root of all partition state in ZooKeeper. */
    public static final String ROOT = "/andromeda/partitions";

    /** Called on gain and loss of mastership, on the election's own thread. */
    public interface Listener {
        /** This candidate is now master of {@code partition} with {@code epoch}. */
        void onMaster(int partition, long epoch);

        /** This candidate was master of {@code partition} (with {@code epoch}) and no longer is. */
        void onDeposed(int partition, long epoch);

        /** A listener that does nothing. */
        Listener NONE = new Listener() {
            @Override
            public void onMaster(int partition, long epoch) {}

            @Override
            public void onDeposed(int partition, long epoch) {}
        };
    }

    /** Curator session and connection timeouts. */
    public record Timeouts(Duration session, Duration connection) {
        /** Production-ish: 10 s session, 5 s connection. */
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(5));

        /** For tests: 3 s session, 3 s connection; a crashed master is replaced within ~3-4 s. */
        public static final Timeouts FAST = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(3));

        public Timeouts {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(connection, "connection");
        }
    }

    private final CuratorFramework client;
    private final boolean ownsClient;
    private final int partition;
    private final String candidateId;
    private final Listener listener;
    private final String latchPath;
    private final String epochPath;
    private final ExecutorService events;

    private final Object lock = new Object();
    private LeaderLatch latch; // guarded by lock
    private boolean closed; // guarded by lock
    private volatile boolean master;
    private volatile long epoch; // epoch of the current (or last) mastership, 0 if never master

    private PartitionElection(CuratorFramework client, boolean ownsClient, int partition,
            String candidateId, Listener listener) {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0: " + partition);
        }
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.partition = partition;
        this.candidateId = Objects.requireNonNull(candidateId, "candidateId");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.latchPath = partitionPath(partition) + "/leader";
        this.epochPath = partitionPath(partition) + "/epoch";
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "election-p" + partition + "-" + candidateId);
            t.setDaemon(true);
            return t;
        });
    }

    /** {@code /andromeda/partitions/<p>}. */
    public static String partitionPath(int partition) {
        return ROOT + "/" + partition;
    }

    /**
     * Joins the election with its own Curator client (its own ZooKeeper session, as a separate VMC
     * process would have); closing the election closes the client.
     *
     * @throws IllegalStateException if ZooKeeper cannot be reached within the connection timeout
     */
    public static PartitionElection join(String connectString, int partition, String candidateId,
            Timeouts timeouts, Listener listener) {
        CuratorFramework c = newClient(connectString, timeouts);
        try {
            return start(c, true, partition, candidateId, listener);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Joins the election over a client (a session) the caller owns, e.g. one per VMC shared by all
     * of its partitions; closing the election leaves the client open.
     */
    public static PartitionElection join(CuratorFramework client, int partition, String candidateId,
            Listener listener) {
        return start(client, false, partition, candidateId, listener);
    }

    /** A started Curator client with the given timeouts, connected (or throws). */
    public static CuratorFramework newClient(String connectString, Timeouts timeouts) {
        CuratorFramework c = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) timeouts.session().toMillis())
                .connectionTimeoutMs((int) timeouts.connection().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(100, 5, 1_000))
                .build();
        c.start();
        try {
            if (!c.blockUntilConnected((int) timeouts.connection().toMillis(), TimeUnit.MILLISECONDS)) {
                c.close();
                throw new IllegalStateException("ZooKeeper at " + connectString + " not reachable within "
                        + timeouts.connection());
            }
        } catch (InterruptedException e) {
            c.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + connectString, e);
        }
        return c;
    }

    private static PartitionElection start(CuratorFramework client, boolean owns, int partition,
            String candidateId, Listener listener) {
        PartitionElection e = new PartitionElection(client, owns, partition, candidateId, listener);
        e.startLatch();
        return e;
    }

    private void startLatch() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            LeaderLatch l = new LeaderLatch(client, latchPath, candidateId, LeaderLatch.CloseMode.NOTIFY_LEADER);
            l.addListener(new LatchListener(l), events);
            latch = l;
            try {
                l.start();
            } catch (Exception ex) {
                throw new IllegalStateException("cannot start leader latch " + latchPath, ex);
            }
        }
    }

    /** Per-latch listener: events of a replaced latch are ignored. */
    private final class LatchListener implements LeaderLatchListener {
        private final LeaderLatch mine;

        LatchListener(LeaderLatch mine) {
            this.mine = mine;
        }

        @Override
        public void isLeader() {
            if (!isCurrent(mine) || master) {
                return;
            }
            long e;
            try {
                e = takeEpoch(mine);
            } catch (Exception ex) {
                LOG.warn("p{} {}: won the latch but could not take an epoch; rejoining", partition,
                        candidateId, ex);
                rejoin(mine);
                return;
            }
            if (e < 0) { // our latch node vanished: not leader any more
                LOG.info("p{} {}: latch node gone before epoch was taken; rejoining", partition, candidateId);
                rejoin(mine);
                return;
            }
            if (!isCurrent(mine) || !mine.hasLeadership()) {
                return; // lost it meanwhile; notLeader follows or already ran
            }
            epoch = e;
            master = true;
            LOG.info("p{} {}: master with epoch {}", partition, candidateId, e);
            safely(() -> listener.onMaster(partition, e));
        }

        @Override
        public void notLeader() {
            if (!master || !isCurrent(mine) && !isClosed()) {
                return;
            }
            master = false;
            long e = epoch;
            LOG.info("p{} {}: deposed (epoch {})", partition, candidateId, e);
            safely(() -> listener.onDeposed(partition, e));
        }
    }

    private boolean isCurrent(LeaderLatch l) {
        synchronized (lock) {
            return latch == l && !closed;
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private void rejoin(LeaderLatch old) {
        synchronized (lock) {
            if (latch != old || closed) {
                return;
            }
            try {
                old.close(LeaderLatch.CloseMode.SILENT);
            } catch (Exception ex) {
                LOG.debug("closing old latch", ex);
            }
            latch = null;
        }
        startLatch();
    }

    /**
     * Increments the epoch counter in a transaction that also checks our latch node exists.
     * Returns the new epoch, or -1 if our latch node is gone.
     */
    private long takeEpoch(LeaderLatch l) throws Exception {
        return takeEpoch(l, 0);
    }

    /**
     * Takes a new epoch above {@code floor} while still master: hosts report an epoch floor at or
     * above ours that another master set (or this controller held {@code floor} itself before), so
     * the counter in ZooKeeper went back (its data was lost or restored from an old snapshot) or a
     * newer master exists. In the first case this master continues above every host's
     * floor; in the second our latch node is gone, the transaction fails and we are not master.
     *
     * @return the new epoch, or -1 when this candidate is not master (its latch node is gone)
     */
    public long takeEpochAbove(long floor) {
        LeaderLatch l;
        synchronized (lock) {
            l = latch;
        }
        if (l == null || !master) {
            return -1;
        }
        if (floor < epoch) {
            return epoch; // already above it
        }
        long e;
        try {
            e = takeEpoch(l, floor);
        } catch (Exception ex) {
            LOG.warn("p{} {}: could not take an epoch above {}", partition, candidateId, floor, ex);
            return -1;
        }
        if (e < 0 || !l.hasLeadership()) {
            return -1;
        }
        LOG.error("p{} {}: epoch {} was already held (a host's floor, or this controller's own) but ZooKeeper's "
                + "counter gave this master {}: the counter went back (ZooKeeper's data lost or restored?); "
                + "continuing at epoch {}", partition, candidateId, floor, epoch, e);
        epoch = e;
        return e;
    }

    /** The epoch counter's next value, above both its current value and {@code floor}; -1 if our latch node is gone. */
    private long takeEpoch(LeaderLatch l, long floor) throws Exception {
        try {
            client.create().creatingParentsIfNeeded().forPath(epochPath, bytes(0));
        } catch (KeeperException.NodeExistsException ignored) {
            // someone created it first
        }
        while (true) {
            String ours = l.getOurPath();
            if (ours == null) {
                return -1;
            }
            Stat stat = new Stat();
            long current = parse(client.getData().storingStatIn(stat).forPath(epochPath));
            long next = Math.max(current, floor) + 1;
            try {
                client.transaction().forOperations(
                        client.transactionOp().check().forPath(ours),
                        client.transactionOp().setData().withVersion(stat.getVersion()).forPath(epochPath, bytes(next)));
                return next;
            } catch (KeeperException.BadVersionException raced) {
                // another writer bumped it; read again
            } catch (KeeperException.NoNodeException gone) {
                return -1;
            }
        }
    }

    private static byte[] bytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.UTF_8);
    }

    private static long parse(byte[] b) {
        return b == null || b.length == 0 ? 0 : Long.parseLong(new String(b, StandardCharsets.UTF_8).strip());
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ex) {
            LOG.warn("p{} {}: listener threw", partition, candidateId, ex);
        }
    }

    /** {@code true} while this candidate is master (holds the latch and has taken an epoch). */
    public boolean isMaster() {
        return master;
    }

    /** The epoch of the current mastership, or of the last one if deposed; 0 if never master. */
    public long epoch() {
        return epoch;
    }

    public int partition() {
        return partition;
    }

    public String candidateId() {
        return candidateId;
    }

    /** Leaves the election (a master's successor is chosen at once); closes the client if owned. */
    @Override
    public void close() {
        LeaderLatch l;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            l = latch;
            latch = null;
        }
        if (l != null) {
            try {
                l.close(); // NOTIFY_LEADER: notLeader runs on events
            } catch (Exception ex) {
                LOG.debug("p{} {}: latch close", partition, candidateId, ex);
            }
        }
        events.shutdown();
        try {
            if (!events.awaitTermination(2, TimeUnit.SECONDS)) {
                events.shutdownNow();
            }
        } catch (InterruptedException ex) {
            events.shutdownNow();
            Thread.currentThread().interrupt();
        }
        master = false;
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "PartitionElection[p" + partition + " " + candidateId + (master ? " master epoch " + epoch : " standby") + "]";
    }
}
