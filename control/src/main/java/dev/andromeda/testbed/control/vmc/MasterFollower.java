package dev.andromeda.testbed.control.vmc;

import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.rpc.HostAgentClient;
import org.apache.curator.framework.CuratorFramework;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The host side of failover: watches the partition's published master
 * address (polling ZooKeeper a few times a second) and points the host agents'
 * clients at the new master when it changes. With no master (between one
 * master's death and the next election) the clients keep their target and
 * their reconnect backoff; the hosts keep forwarding on their last good state.
 */
public final class MasterFollower implements AutoCloseable {
    private final CuratorFramework client;
    private final ScheduledExecutorService timer;
    private volatile InetSocketAddress current;
    private volatile long retargets;

    private MasterFollower(String connectString, int partition, List<HostAgentClient> clients, long periodMs,
                           PartitionElection.Timeouts timeouts) {
        this.client = PartitionElection.newClient(connectString, timeouts);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "master-follower-" + partition);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                VmcNode.Master published = VmcNode.publishedMaster(client, partition);
                if (published == null) {
                    return;
                }
                InetSocketAddress m = published.address();
                // The published epoch fences the hosts before the new master reaches them: a deposed
                // master still connected to a host is refused from here on.
                for (HostAgentClient c : clients) {
                    c.agent().raiseEpochFloor(published.epoch(), published.owner());
                }
                if (!m.equals(current)) {
                    current = m;
                    for (HostAgentClient c : clients) {
                        c.retarget(m);
                    }
                    retargets++;
                }
            } catch (RuntimeException e) {
                // ZooKeeper unreachable for now: keep the current target and try again next period.
            }
        }, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Follows partition {@code partition}'s master for these clients, checking every {@code periodMs}. */
    public static MasterFollower follow(String connectString, int partition, List<HostAgentClient> clients,
                                        long periodMs) {
        return new MasterFollower(connectString, partition, List.copyOf(clients), periodMs,
                PartitionElection.Timeouts.FAST);
    }

    /** As {@link #follow(String, int, List, long)}, with the ZooKeeper timeouts of a host process. */
    public static MasterFollower follow(String connectString, int partition, List<HostAgentClient> clients,
                                        long periodMs, PartitionElection.Timeouts timeouts) {
        return new MasterFollower(connectString, partition, List.copyOf(clients), periodMs, timeouts);
    }

    /** The master address the clients were last pointed at, or null before the first one. */
    public InetSocketAddress current() {
        return current;
    }

    /** Times the clients were pointed at a master. */
    public long retargets() {
        return retargets;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
