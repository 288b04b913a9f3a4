package dev.andromeda.testbed.control.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionElectionTest {

    private static final Duration ELECTION_BOUND = Duration.ofSeconds(5);
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private EmbeddedZooKeeper zk;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startZooKeeper() {
        zk = EmbeddedZooKeeper.start(dir.resolve("zk"));
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        zk.close();
    }

    /** Records listener callbacks as "master:<epoch>" / "deposed:<epoch>". */
    static final class Recorder implements PartitionElection.Listener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onMaster(int partition, long epoch) {
            events.add("master:" + epoch);
        }

        @Override
        public void onDeposed(int partition, long epoch) {
            events.add("deposed:" + epoch);
        }
    }

    private PartitionElection candidate(int partition, String id, PartitionElection.Listener l) {
        PartitionElection e = PartitionElection.join(zk.connectString(), partition, id,
                PartitionElection.Timeouts.FAST, l);
        toClose.add(e);
        return e;
    }

    private static List<PartitionElection> masters(List<PartitionElection> cs) {
        return cs.stream().filter(PartitionElection::isMaster).toList();
    }

    /**
     * How many candidates stand in partition {@code p}'s election: its latch's nodes, read with a
     * client of the test's own. Once every candidate has its node, who leads is settled by their
     * order in ZooKeeper and no candidate changes its mind without a ZooKeeper event: what the test
     * waits for (bounded) before checking that a single master stays, instead of sleeping.
     */
    private int standing(int p) {
        CuratorFramework c = observer;
        if (c == null) {
            c = observer = PartitionElection.newClient(zk.connectString(), PartitionElection.Timeouts.FAST);
            toClose.add(c);
        }
        try {
            return c.checkExists().forPath(PartitionElection.partitionPath(p) + "/leader") == null ? 0
                    : c.getChildren().forPath(PartitionElection.partitionPath(p) + "/leader").size();
        } catch (Exception e) {
            return -1;
        }
    }

    private CuratorFramework observer;

    private static PartitionElection awaitSingleMaster(List<PartitionElection> cs, Duration bound) {
        return Await.value(bound, "exactly one master among " + cs, () -> {
            List<PartitionElection> m = masters(cs);
            return m.size() == 1 ? m.getFirst() : null;
        });
    }

    @Test
    void threeCandidatesForOnePartitionElectExactlyOneMasterAndTwoStandbys() throws Exception {
        Recorder[] rec = {new Recorder(), new Recorder(), new Recorder()};
        List<PartitionElection> cs = List.of(candidate(7, "vmc-a", rec[0]), candidate(7, "vmc-b", rec[1]),
                candidate(7, "vmc-c", rec[2]));

        PartitionElection master = awaitSingleMaster(cs, ELECTION_BOUND);
        // ... and it stays that way once all three stand in the election.
        Await.until(ELECTION_BOUND, "all three candidates in partition 7's election", () -> standing(7) == 3);
        assertThat(masters(cs)).containsExactly(master);
        assertThat(master.epoch()).isEqualTo(1);
        assertThat(cs).filteredOn(c -> c != master).allSatisfy(c -> {
            assertThat(c.isMaster()).isFalse();
            assertThat(c.epoch()).isZero();
        });
        int i = cs.indexOf(master);
        assertThat(rec[i].events).containsExactly("master:1");
        assertThat(rec[(i + 1) % 3].events).isEmpty();
        assertThat(rec[(i + 2) % 3].events).isEmpty();
    }

    @Test
    void closingTheMasterLetsAStandbyBecomeMasterWithALargerEpochQuickly() {
        Recorder[] rec = {new Recorder(), new Recorder(), new Recorder()};
        List<PartitionElection> cs = new ArrayList<>(List.of(candidate(3, "vmc-a", rec[0]),
                candidate(3, "vmc-b", rec[1]), candidate(3, "vmc-c", rec[2])));
        PartitionElection old = awaitSingleMaster(cs, ELECTION_BOUND);
        long oldEpoch = old.epoch();
        Recorder oldRec = rec[cs.indexOf(old)];

        long t0 = System.nanoTime();
        old.close();
        cs.remove(old);
        PartitionElection successor = awaitSingleMaster(cs, FAILOVER_BOUND);
        long failoverMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("failover after close: %d ms (epoch %d -> %d)%n", failoverMs, oldEpoch, successor.epoch());

        assertThat(successor.epoch()).isGreaterThan(oldEpoch);
        assertThat(old.isMaster()).isFalse();
        assertThat(oldRec.events).containsExactly("master:" + oldEpoch, "deposed:" + oldEpoch);

        // and once more: the last standby takes over from the successor
        long e2 = successor.epoch();
        successor.close();
        cs.remove(successor);
        PartitionElection last = awaitSingleMaster(cs, FAILOVER_BOUND);
        assertThat(last.epoch()).isGreaterThan(e2);
    }

    @Test
    void aDeposedMastersLateWriteIsRejectedByTheFenceWhileTheNewMastersIsAccepted() {
        FencedLog hosts = new FencedLog();
        List<PartitionElection> cs = new ArrayList<>(List.of(candidate(1, "vmc-a", PartitionElection.Listener.NONE),
                candidate(1, "vmc-b", PartitionElection.Listener.NONE)));
        PartitionElection old = awaitSingleMaster(cs, ELECTION_BOUND);
        long oldEpoch = old.epoch();
        assertThat(hosts.append(1, oldEpoch, "route v1 from old master").accepted()).isTrue();

        old.close();
        cs.remove(old);
        PartitionElection successor = awaitSingleMaster(cs, FAILOVER_BOUND);
        assertThat(hosts.append(1, successor.epoch(), "route v2 from new master").accepted()).isTrue();

        FencedLog.Result late = hosts.append(1, oldEpoch, "route v1' late from deposed master");
        assertThat(late).isInstanceOfSatisfying(FencedLog.Rejected.class,
                r -> assertThat(r.reason()).contains("stale epoch " + oldEpoch));
        assertThat(hosts.entries(1)).extracting(FencedLog.Entry::payload)
                .containsExactly("route v1 from old master", "route v2 from new master");
        assertThat(hosts.append(1, successor.epoch(), "route v3 from new master").accepted()).isTrue();
    }

    @Test
    void severalPartitionsElectTheirMastersIndependently() {
        int partitions = 4;
        // three VMCs, each one ZooKeeper session shared by its candidacies in every partition
        List<CuratorFramework> vmcs = new ArrayList<>();
        for (int v = 0; v < 3; v++) {
            CuratorFramework c = PartitionElection.newClient(zk.connectString(), PartitionElection.Timeouts.FAST);
            vmcs.add(c);
            toClose.add(c);
        }
        List<List<PartitionElection>> byPartition = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            List<PartitionElection> cs = new ArrayList<>();
            for (int v = 0; v < 3; v++) {
                PartitionElection e = PartitionElection.join(vmcs.get(v), p, "vmc-" + v, PartitionElection.Listener.NONE);
                toClose.add(e);
                cs.add(e);
            }
            byPartition.add(cs);
        }
        List<PartitionElection> masters = new ArrayList<>();
        for (List<PartitionElection> cs : byPartition) {
            PartitionElection m = awaitSingleMaster(cs, ELECTION_BOUND);
            assertThat(m.epoch()).as("each partition has its own epoch counter").isEqualTo(1);
            masters.add(m);
        }

        // deposing partition 1's master leaves the others untouched
        PartitionElection m1 = masters.get(1);
        m1.close();
        List<PartitionElection> rest1 = new ArrayList<>(byPartition.get(1));
        rest1.remove(m1);
        assertThat(awaitSingleMaster(rest1, FAILOVER_BOUND).epoch()).isEqualTo(2);
        for (int p : new int[] {0, 2, 3}) {
            assertThat(masters(byPartition.get(p))).containsExactly(masters.get(p));
            assertThat(masters.get(p).epoch()).isEqualTo(1);
        }
    }

    @Test
    void aMasterWhoseZooKeeperSessionExpiresIsDeposedAndAStandbyTakesOverWithinTheSessionTimeout()
            throws Exception {
        Recorder[] rec = {new Recorder(), new Recorder()};
        // own clients so that one session can be expired without touching the other
        CuratorFramework ca = PartitionElection.newClient(zk.connectString(), PartitionElection.Timeouts.FAST);
        CuratorFramework cb = PartitionElection.newClient(zk.connectString(), PartitionElection.Timeouts.FAST);
        toClose.add(ca);
        toClose.add(cb);
        List<PartitionElection> cs = List.of(PartitionElection.join(ca, 9, "vmc-a", rec[0]),
                PartitionElection.join(cb, 9, "vmc-b", rec[1]));
        toClose.addAll(cs);
        PartitionElection old = awaitSingleMaster(cs, ELECTION_BOUND);
        long oldEpoch = old.epoch();
        CuratorFramework oldClient = old == cs.get(0) ? ca : cb;

        long t0 = System.nanoTime();
        oldClient.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
        Await.until(Duration.ofSeconds(2), "the old master to step down", () -> !old.isMaster());
        PartitionElection successor = Await.value(Duration.ofSeconds(10), "a new master",
                () -> cs.stream().filter(c -> c.isMaster() && c.epoch() > oldEpoch).findFirst().orElse(null));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("failover after session expiry: %d ms (epoch %d -> %d, old master %s, new master %s)%n",
                ms, oldEpoch, successor.epoch(), old.candidateId(), successor.candidateId());
        assertThat(successor.epoch()).isGreaterThan(oldEpoch);
        // The old master stands again (a new session, a new latch node) and was told it was deposed.
        Await.until(Duration.ofSeconds(10), "the old master back in the election, told it was deposed",
                () -> standing(9) == 2 && rec[cs.indexOf(old)].events.contains("deposed:" + oldEpoch));
        assertThat(masters(cs)).containsExactly(successor);
        assertThat(rec[cs.indexOf(old)].events).startsWith("master:" + oldEpoch, "deposed:" + oldEpoch);
    }

    /** Records when callbacks happen, in {@link System#nanoTime()}. */
    static final class Timed implements PartitionElection.Listener {
        volatile long masterAt;
        volatile long deposedAt;

        @Override
        public void onMaster(int partition, long epoch) {
            masterAt = System.nanoTime();
        }

        @Override
        public void onDeposed(int partition, long epoch) {
            deposedAt = System.nanoTime();
        }
    }

    @Test
    void aSilentlyPartitionedMasterStepsDownBeforeAStandbyTakesOverAndItsLateWritesAreFenced()
            throws Exception {
        FencedLog hosts = new FencedLog();
        FreezableTcpProxy link = new FreezableTcpProxy(zk.port());
        toClose.add(link);
        Timed a = new Timed();
        Timed b = new Timed();
        PartitionElection old = PartitionElection.join(link.connectString(), 5, "vmc-a",
                PartitionElection.Timeouts.FAST, a);
        toClose.add(old);
        Await.until(ELECTION_BOUND, "vmc-a (behind the proxy) to become master", old::isMaster);
        PartitionElection standby = candidate(5, "vmc-b", b);
        long oldEpoch = old.epoch();
        assertThat(hosts.append(5, oldEpoch, "from vmc-a").accepted()).isTrue();

        long t0 = System.nanoTime();
        link.freeze(); // no reset, no close: vmc-a just stops hearing from ZooKeeper
        Await.until(Duration.ofSeconds(4), "vmc-a to notice and step down", () -> !old.isMaster());
        Await.until(Duration.ofSeconds(10), "vmc-b to take over after vmc-a's session expires", standby::isMaster);
        long stepDownMs = (a.deposedAt - t0) / 1_000_000;
        long takeOverMs = (b.masterAt - t0) / 1_000_000;
        System.out.printf("silent partition: old master stepped down after %d ms, standby master after %d ms%n",
                stepDownMs, takeOverMs);

        assertThat(a.deposedAt).as("old master stepped down before the new one took over").isLessThan(b.masterAt);
        assertThat(standby.epoch()).isGreaterThan(oldEpoch);
        assertThat(hosts.append(5, standby.epoch(), "from vmc-b").accepted()).isTrue();
        assertThat(hosts.append(5, oldEpoch, "late from vmc-a").accepted()).isFalse();
    }
}
