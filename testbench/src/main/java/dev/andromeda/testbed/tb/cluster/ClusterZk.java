package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.control.election.PartitionElection;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Where the processes of a cluster meet in ZooKeeper, besides the partitions' elections
 * ({@link PartitionElection#ROOT}):
 * <ul>
 *   <li>{@value #DESIRED}: the {@link DesiredState}, written by {@code tb netctl} with a
 *       compare-and-set on the node's version, read by every controller and host;</li>
 *   <li>{@value #HOSTS}{@code /host-N}: each running host's endpoints (ephemeral, gone with its
 *       session): {@code ip udp-host:port http-host:port}, so hosts find each other's UDP ports.</li>
 * </ul>
 */
public final class ClusterZk {
    public static final String DESIRED = "/andromeda/desired";
    public static final String HOSTS = "/andromeda/hosts";
    /**
     * The VMs each host has plugged in ("ID ID ..." under {@code /andromeda/plugged/host-N}, for as
     * long as its session lives). A live migration waits on it: the source hands a VM over, and
     * the controllers program the move, only once the destination lists it.
     */
    public static final String PLUGGED = "/andromeda/plugged";

    private ClusterZk() {
    }

    /** A host's published endpoints. */
    public record HostEndpoint(String name, int ip, InetSocketAddress udp, InetSocketAddress http) {
        String encode() {
            return Integer.toUnsignedString(ip) + " " + hostPort(udp) + " " + hostPort(http);
        }

        static HostEndpoint decode(String name, String text) {
            String[] f = text.strip().split(" ");
            return new HostEndpoint(name, Integer.parseUnsignedInt(f[0]), Addresses.parse(f[1]), Addresses.parse(f[2]));
        }
    }

    static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    /**
     * A connected Curator client. While ZooKeeper cannot be reached, says so on one line through
     * {@code say} and tries again every two seconds (an operator may start the processes in any
     * order); gives up only when the thread is interrupted.
     */
    public static CuratorFramework connect(String connect, PartitionElection.Timeouts timeouts, Consumer<String> say)
            throws InterruptedException {
        long attempts = 0;
        while (true) {
            try {
                return PartitionElection.newClient(connect, timeouts);
            } catch (IllegalStateException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                if (attempts++ % 15 == 0) { // once, then every half minute
                    say.accept("ZooKeeper at " + connect + " not reachable within " + timeouts.connection().toSeconds()
                            + " s; retrying every 2 s");
                }
                Thread.sleep(2_000);
            }
        }
    }

    /** The desired state and the version of its node, or null when none was ever applied. */
    public record Stored(DesiredState state, int nodeVersion) {
    }

    public static Stored readDesired(CuratorFramework zk) throws Exception {
        Stat stat = new Stat();
        try {
            byte[] b = zk.getData().storingStatIn(stat).forPath(DESIRED);
            return new Stored(DesiredState.decode(b), stat.getVersion());
        } catch (KeeperException.NoNodeException none) {
            return null;
        }
    }

    /** The node version of the desired state, or -1 when there is none (cheap: no data read). */
    public static int desiredNodeVersion(CuratorFramework zk) throws Exception {
        Stat s = zk.checkExists().forPath(DESIRED);
        return s == null ? -1 : s.getVersion();
    }

    /**
     * Writes {@code next} if the stored state is still {@code expected} (null: none stored yet).
     *
     * @return false when someone else wrote in between (nothing changed)
     */
    public static boolean compareAndSet(CuratorFramework zk, Stored expected, DesiredState next) throws Exception {
        try {
            if (expected == null) {
                zk.create().creatingParentsIfNeeded().forPath(DESIRED, next.encode());
            } else {
                zk.setData().withVersion(expected.nodeVersion()).forPath(DESIRED, next.encode());
            }
            return true;
        } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException raced) {
            return false;
        }
    }

    /** Publishes a host's endpoints for as long as its session lives (replacing a node of an earlier session). */
    public static void register(CuratorFramework zk, HostEndpoint e) throws Exception {
        String path = HOSTS + "/" + e.name();
        byte[] data = e.encode().getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
                return;
            } catch (KeeperException.NodeExistsException stale) { // our previous life's session, not yet expired
                try {
                    zk.delete().forPath(path);
                } catch (KeeperException.NoNodeException gone) {
                    // expired meanwhile
                }
            }
        }
        throw new IllegalStateException("cannot register " + path);
    }

    /** Publishes the VMs {@code host} has plugged in, when they differ from what is published. */
    public static void publishPlugged(CuratorFramework zk, String host, Collection<Integer> vms)
            throws Exception {
        String path = PLUGGED + "/" + host;
        byte[] data = String.join(" ", new TreeSet<>(vms).stream().map(String::valueOf).toList())
                .getBytes(StandardCharsets.UTF_8);
        try {
            if (!Arrays.equals(zk.getData().forPath(path), data)) {
                zk.setData().forPath(path, data);
            }
        } catch (KeeperException.NoNodeException none) { // first time, or our earlier session expired
            try {
                zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
            } catch (KeeperException.NodeExistsException raced) {
                zk.setData().forPath(path, data);
            }
        }
    }

    /** The VMs {@code host} has published as plugged in; empty when it published nothing. */
    public static Set<Integer> plugged(CuratorFramework zk, String host) throws Exception {
        try {
            String text = new String(zk.getData().forPath(PLUGGED + "/" + host), StandardCharsets.UTF_8).strip();
            Set<Integer> s = new TreeSet<>();
            for (String f : text.isEmpty() ? new String[0] : text.split(" +")) {
                s.add(Integer.parseInt(f));
            }
            return s;
        } catch (KeeperException.NoNodeException none) {
            return Set.of();
        }
    }

    /** Every registered host, by name. */
    public static Map<String, HostEndpoint> hosts(CuratorFramework zk) throws Exception {
        Map<String, HostEndpoint> m = new TreeMap<>();
        if (zk.checkExists().forPath(HOSTS) == null) {
            return m;
        }
        for (String name : zk.getChildren().forPath(HOSTS)) {
            try {
                m.put(name, HostEndpoint.decode(name, new String(zk.getData().forPath(HOSTS + "/" + name),
                        StandardCharsets.UTF_8)));
            } catch (KeeperException.NoNodeException gone) {
                // left between the two reads
            }
        }
        return m;
    }
}
