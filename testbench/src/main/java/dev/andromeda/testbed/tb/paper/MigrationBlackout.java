package dev.andromeda.testbed.tb.paper;

import java.lang.foreign.MemorySegment;
import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.election.EmbeddedZooKeeper;
import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.migration.LiveMigration;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.VirtualNetwork;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.control.programming.PreProgrammedModel;
import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.control.vmc.VmcNode;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.MemorySwitch;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.flow.FirewallRule;
import dev.andromeda.testbed.fastpath.offload.InternetChecksum;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.apache.curator.framework.CuratorFramework;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.andromeda.testbed.tb.frame.FrameFields.put16;
import static dev.andromeda.testbed.tb.frame.FrameFields.put32;

/**
 * Live migration blackout under traffic, repeated (issue 13 point 3): three hosts on an in-memory
 * switch, a VM controller elected on an embedded ZooKeeper programming them over gRPC through
 * real {@link HostAgent}s, a VM on host A sending a UDP stream to a VM that
 * {@link LiveMigration} moves between hosts B and C, back and forth. Every packet carries its
 * sequence number; each one must arrive exactly once.
 *
 * <p>Blackout here is the gap in delivery the receiving VM sees: from the last packet delivered
 * on the old host to the first delivered on the new one. The testbed copies no guest memory (the
 * VM is plugged in at the destination at once), so this is the network's share of a blackout
 * only; the paper's 65 ms includes pausing the VM for its last memory pages.
 */
public final class MigrationBlackout {
    static final int VNI = 100;
    static final int NET = 0x0A000000;
    static final List<FirewallRule> ALLOW = List.of(new FirewallRule(FirewallRule.ANY, NET, 24, 0, 65535, false));
    static final int[] IP = {0xC0A80001, 0xC0A80002, 0xC0A80003};
    static final long[] MAC = {0x02_00_00_00_00_0AL, 0x02_00_00_00_00_0BL, 0x02_00_00_00_00_0CL};

    /** Blackouts in ms, one per migration; packets sent, delivered once, lost, delivered twice. */
    public record Result(int migrations, double[] blackoutMs, double medianMs, double p99Ms, double[] hairpinMs,
                         long sent, long delivered, long lost, long duplicated, long hairpinned) {
    }

    private MigrationBlackout() {
    }

    public static Result run(int migrations, Path dir) throws Exception {
        NetworkState.Builder sb = NetworkState.builder();
        for (int h = 0; h < 3; h++) {
            sb.host(new dev.andromeda.testbed.control.model.Host(h + 1, IP[h], MAC[h]));
        }
        NetworkState s = sb.network(new VirtualNetwork(VNI, new VirtualNetwork.Prefix(NET, 24)))
                .vm(new Vm(1, VNI, NET + 1, 0x0A01L, 1), ALLOW)
                .vm(new Vm(2, VNI, NET + 2, 0x0A02L, 2), ALLOW)
                .vm(new Vm(3, VNI, NET + 3, 0x0A03L, 3), ALLOW)
                .build();
        ConsistentHashRing ring = ConsistentHashRing.of(1);
        int partition = ring.partitions().first();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"));
             CuratorFramework observer = PartitionElection.newClient(zk.connectString(), PartitionElection.Timeouts.FAST);
             MemorySwitch wire = new MemorySwitch(1024, 16384);
             Host a = new Host("a", IP[0], MAC[0], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             Host b = new Host("b", IP[1], MAC[1], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             Host c = new Host("c", IP[2], MAC[2], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             VmcNode vmc = VmcNode.start("vmc", zk.connectString(), partition, ring, new PreProgrammedModel())) {
            List<Host> hosts = List.of(a, b, c);
            for (int h = 0; h < 3; h++) {
                hosts.get(h).connect(wire.attach(IP[h]));
            }
            vmc.setState(s);
            await("a master", () -> VmcNode.masterOf(observer, partition) != null);
            List<HostAgent> agents = new ArrayList<>();
            List<HostAgentClient> clients = new ArrayList<>();
            try {
                for (int h = 0; h < 3; h++) {
                    HostAgent g = new HostAgent(hosts.get(h), dir.resolve("h" + h));
                    agents.add(g);
                    clients.add(new HostAgentClient(g, VmcNode.hostName(h + 1), VmcNode.masterOf(observer, partition),
                            Duration.ofMillis(20), Duration.ofMillis(200)).start());
                }
                NetworkState first = s;
                await("hosts programmed", () -> agents.stream().allMatch(g -> g.runningVersion() == first.version()));
                VirtioNic sender = a.addVm(new VmPort(s.port(1), VNI, NET + 1, 0x0A01L));
                VirtioNic[] at = {b.addVm(new VmPort(s.port(2), VNI, NET + 2, 0x0A02L))};
                c.addVm(new VmPort(s.port(3), VNI, NET + 3, 0x0A03L));
                Traffic t = new Traffic(sender, hosts);
                for (int i = 0; i < 100; i++) {
                    t.turn(at[0], null);
                }
                double[] blackout = new double[migrations];
                double[] hairpin = new double[migrations];
                long hairpinned = 0;
                int on = 2; // VM 2's host id
                for (int k = 0; k < migrations; k++) {
                    Host from = on == 2 ? b : c;
                    Host to = on == 2 ? c : b;
                    int toId = on == 2 ? 3 : 2;
                    VirtioNic old = at[0];
                    t.firstNew = 0; // lastOld: the last packet on the old host, before the move
                    VirtioNic[] fresh = {null};
                    LiveMigration.Result m = LiveMigration.migrate(vmc, s, 2, from, to, toId, agents, () -> {
                        if (fresh[0] == null) {
                            fresh[0] = to.vms().stream().filter(n -> n.port().ip() == NET + 2).findFirst().orElse(null);
                        }
                        t.turn(old, fresh[0]);
                    }, 20_000_000_000L);
                    s = m.state();
                    at[0] = m.nic();
                    for (int i = 0; i < 100 && t.firstNew == 0; i++) {
                        t.turn(old, at[0]);
                    }
                    blackout[k] = t.firstNew == 0 || t.lastOld == 0 ? Double.NaN : (t.firstNew - t.lastOld) / 1e6;
                    for (int i = 0; i < 50; i++) {
                        t.turn(at[0], null); // the VM's host now: its packets are the "old" side of the next move
                    }
                    hairpin[k] = m.hairpinNs() / 1e6;
                    hairpinned += m.hairpinned();
                    on = toId;
                }
                for (int i = 0; i < 5; i++) { // the last frames arrive; nothing more is sent
                    for (Host h : hosts) {
                        h.doWork();
                    }
                    t.drain(at[0], false);
                }
                double[] sorted = Arrays.stream(blackout).filter(x -> !Double.isNaN(x)).sorted().toArray();
                double median = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
                double p99 = sorted.length == 0 ? Double.NaN
                        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
                long delivered = t.seen.cardinality();
                return new Result(migrations, blackout, median, p99, hairpin, t.sent, delivered, t.sent - delivered,
                        t.duplicates, hairpinned);
            } finally {
                clients.forEach(HostAgentClient::close);
            }
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after 30 s waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** A UDP stream from VM 1 to VM 2, one packet a turn, numbered. */
    private static final class Traffic {
        final VirtioNic sender;
        final List<Host> hosts;
        final java.util.BitSet seen = new java.util.BitSet();
        long sent;
        long duplicates;
        long lastOld;
        long firstNew;

        Traffic(VirtioNic sender, List<Host> hosts) {
            this.sender = sender;
            this.hosts = hosts;
        }

        void turn(VirtioNic old, VirtioNic fresh) {
            if (sender.send(frame(sent), 34, 6)) {
                sent++;
            }
            for (Host h : hosts) {
                h.doWork();
            }
            drain(old, false);
            if (fresh != null && fresh != old && drain(fresh, true) && firstNew == 0) {
                firstNew = System.nanoTime();
            }
        }

        /** Takes what the NIC received; true when something was. */
        boolean drain(VirtioNic nic, boolean isNew) {
            boolean any = false;
            for (VirtioNic.Received x; (x = nic.receive()) != null; ) {
                long seq = ByteBuffer.wrap(x.frame(), 42, 8).getLong();
                if (seen.get((int) seq)) {
                    duplicates++;
                } else {
                    seen.set((int) seq);
                }
                any = true;
                if (!isNew) {
                    lastOld = System.nanoTime();
                }
            }
            return any;
        }

        /** Ethernet, IPv4 (checksummed, RFC 1071), UDP with the pseudo-header sum for the NIC to complete. */
        static byte[] frame(long seq) {
            int payload = 64;
            byte[] f = new byte[14 + 20 + 8 + payload];
            f[0] = 0x02;
            f[6] = 0x02;
            f[12] = 0x08;
            f[14] = 0x45;
            put16(f, 16, 20 + 8 + payload);
            f[22] = 64;
            f[23] = 17;
            put32(f, 26, NET + 1);
            put32(f, 30, NET + 2);
            put16(f, 24, InternetChecksum.checksum(MemorySegment.ofArray(f), 14, 20, 0));
            put16(f, 34, 4000);
            put16(f, 36, 5000);
            put16(f, 38, 8 + payload);
            ByteBuffer.wrap(f, 42, 8).putLong(seq);
            int src = NET + 1;
            int dst = NET + 2;
            long pseudo = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + 17 + 8 + payload;
            put16(f, 40, InternetChecksum.fold(pseudo));
            return f;
        }
    }
}
