package dev.andromeda.testbed.coprocessor.host;

import dev.andromeda.testbed.coprocessor.PoolConfig;
import dev.andromeda.testbed.coprocessor.VmConfig;
import dev.andromeda.testbed.fastpath.dataplane.Drop;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.HostBatch;
import dev.andromeda.testbed.fastpath.dataplane.MemoryLink;
import dev.andromeda.testbed.fastpath.dataplane.PhysicalPort;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.sw.SoftwareGcm;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The steady state of every {@link Host} pipeline allocates nothing per packet
 * (DESIGN: "the steady state allocates nothing per packet"): egress, ingress,
 * the Internet path through the coprocessor threads, and the flow-miss path, each run
 * as a user runs it -- guests sending on their virtio NICs, {@code doWork()}
 * turns of two hosts on an in-memory link, coprocessor worker threads started.
 *
 * <p>Not here: PSP with the software crypto stage, inline or on the coprocessors. The JDK's
 * AES-GCM needs a {@code Cipher.init} per packet (a new IV), which allocates about 950 bytes
 * a seal or an open inside {@code javax.crypto}; that path waits for a crypto engine that
 * does not go through {@code Cipher.init} (issue 11, point 4).
 *
 * <p>Allocation is read from {@code com.sun.management.ThreadMXBean}: on the
 * hosts' thread around each {@code doWork()} only (the guests' side of the NIC is
 * the test's, not the dataplane), and
 * for the coprocessor worker threads over the whole measured stretch, idle
 * loops included. Not timed: the figure is bytes, and it must be 0 (below 0.01 B/packet: see {@link Figures#zero}).
 *
 * <p>Run without escape analysis ({@code -XX:-DoEscapeAnalysis}, this module's pom): compiled
 * code then allocates what the bytecode does, so an object that only the JIT took away -- an
 * {@code Iterator}, a {@code MemorySegment} slice -- fails the test on every run instead of on
 * some. The JVM itself may still put a few bytes on a thread now and then while the JIT is at
 * work (seen here: 50-350 bytes in a window of 100,000 packets, on a path that allocates
 * nothing under {@code -Xint}); a steady allocation -- even one 16-byte object a batch, 50 KB
 * a window -- shows in every window. So after the warm-up up to three windows of 100,000
 * packets are measured, and the first that is 0 on every thread ends the
 * test; it fails when none is, with every window's figures in its message. Each run
 * first checks that the traffic really flowed (every packet received, or every
 * miss dropped and answered), so a path that silently did nothing cannot pass. The test's
 * own side of each round allocates nothing either (no assertion objects in the loop); seen
 * here: while it did, the hosts' brackets read a few bytes now and then as well.
 */
@Timeout(600)
class HostAllocationTest {
    static final long SEED = 11_2026;
    /** Packets before measuring: enough turns for the JIT to compile the loop. */
    // Both can be lowered (-Dalloc.warmUp, -Dalloc.packets) to run the test under -Xint, where nothing
    // hides an allocation: that is how the ones this test found were located.
    static final int WARM_UP = Integer.getInteger("alloc.warmUp", 60_000);
    static final int MEASURED = Integer.getInteger("alloc.packets", 100_000);
    /** Frames a guest sends per round: one egress batch. */
    static final int ROUND = 32;
    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes allocated on this thread inside {@code doWork()} turns, per host. */
    static final class Meter {
        long a;
        long b;
        boolean on;

        int turnA(Host h) {
            long t0 = THREADS.getCurrentThreadAllocatedBytes();
            int w = h.doWork();
            if (on) {
                a += THREADS.getCurrentThreadAllocatedBytes() - t0;
            }
            return w;
        }

        int turnB(Host h) {
            long t0 = THREADS.getCurrentThreadAllocatedBytes();
            int w = h.doWork();
            if (on) {
                b += THREADS.getCurrentThreadAllocatedBytes() - t0;
            }
            return w;
        }
    }

    /** One window's bytes per packet: host a's thread, host b's thread, the coprocessor workers. */
    record Figures(double a, double b, double coprocessors) {
        /**
         * Nothing the dataplane allocates: below {@link #NOISE} bytes a packet on every thread. The
         * smallest steady allocation, one 16-byte object per batch of 32, is 0.5 B/packet, fifty
         * times above it; what stays below it is the JVM's own sporadic bookkeeping on the thread
         * (measured here: up to ~300 bytes in a window of 100,000 packets, on paths that allocate
         * nothing under -Xint), which otherwise failed the suite now and then.
         */
        boolean zero() {
            return a < NOISE && b < NOISE && coprocessors < NOISE;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "a %.4f, b %.4f, coprocessors %.4f B/packet", a, b,
                    coprocessors);
        }
    }

    /** One round of traffic: {@link #ROUND} packets from packet {@code k} on, until they all arrived. */
    interface Round {
        void run(int k, Meter m);
    }

    static final int WINDOWS = 3;
    /** Bytes per packet below which a window counts as allocation-free (see {@link Figures#zero}). */
    static final double NOISE = 0.01;
    static final int[] UDP_CSUM = TwoHosts.csumRequest(false);
    static final int[] TCP_CSUM = TwoHosts.csumRequest(true);

    /**
     * Warms up, then measures up to {@link #WINDOWS} windows of {@link #MEASURED} packets
     * (each round moving {@code packetsPerRound}, both directions counted); returns the
     * first all-zero window, or every window's figures as the failure.
     */
    static Figures measure(Round round, List<Thread> workers, int packetsPerRound) {
        Meter m = new Meter();
        int k = 0;
        for (; k < WARM_UP; k += ROUND) {
            round.run(k, m);
        }
        List<Figures> windows = new java.util.ArrayList<>();
        for (int w = 0; w < WINDOWS; w++) {
            m.a = 0;
            m.b = 0;
            m.on = true;
            long[] co0 = allocated(workers);
            for (int end = k + MEASURED; k < end; k += ROUND) {
                round.run(k, m);
            }
            m.on = false;
            double packets = (double) MEASURED * packetsPerRound / ROUND;
            Figures f = new Figures(m.a / packets, m.b / packets, sum(allocated(workers), co0) / packets);
            if (f.zero()) {
                return f;
            }
            windows.add(f);
        }
        throw new AssertionError("allocated in every window of " + MEASURED + " packets (seed " + SEED + "): "
                + windows);
    }

    @Test
    void theMeterSeesAnAllocationOnTheHostThread() {
        // The oracle for "0": the same bracket reads a known allocation as at least its size.
        Meter m = new Meter();
        m.on = true;
        Host h = new Host("meter", TwoHosts.A_IP, TwoHosts.A_MAC, 16, 2048, StageMix.software(),
                OffloadOptions.defaults());
        try (h) {
            m.turnA(h);
            m.turnA(h);
            long idle = m.a;
            h.onFlowMiss((vm, p) -> { });
            h.egress().replace("copy", b -> sink = new byte[4096]);
            h.addVm(new VmPort(1, 1, 1, 1)).send(new byte[60]);
            m.turnA(h);
            assertThat(m.a - idle).as("a 4 KiB array allocated inside doWork()").isGreaterThanOrEqualTo(4096);
        }
    }

    static volatile byte[] sink;

    @Test
    void egressAndIngressOfAPlainNetworkAllocateNothingPerPacket() {
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            Figures f = measure(deliver(net, net.a1, net.b1, 0x0A000001, 0x0A000002), List.of(), ROUND);
            assertThat(f.zero()).as("egress on host a, ingress on host b: %s", f).isTrue();
        }
    }

    /**
     * PSP seal on host a and open on host b, inline (no coprocessor attached), with the sw crypto
     * stage's OpenSSL engine: one context per key, the IV reset per packet. (The JDK engine
     * allocates ~944 B a packet in Cipher.init and is the fallback where libcrypto is missing.)
     */
    @Test
    void pspSealAndOpenWithTheOpensslEngineAllocateNothingPerPacket() {
        String cause = SoftwareGcm.opensslUnavailabilityCause();
        if ("true".equalsIgnoreCase(System.getenv("CI")) && cause != null) {
            throw new AssertionError("libcrypto must load under CI: " + cause);
        }
        assumeTrue(cause == null, () -> "libcrypto unavailable: " + cause);
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults())) {
            Figures f = measure(deliver(net, net.a2, net.b2, 0x0A000001, 0x0A000002), List.of(), ROUND);
            assertThat(f.zero()).as("PSP egress (seal) on host a, ingress (open) on host b: %s", f).isTrue();
        }
    }

    @Test
    void theInternetPathThroughTheCoprocessorThreadsAllocatesNothingPerPacket() {
        int web = 0x5DB8D822; // 93.184.216.34
        int vmIp = 0x0A000001;
        Host host = new Host("h", TwoHosts.A_IP, TwoHosts.A_MAC, 1024, 4096, StageMix.software(),
                OffloadOptions.defaults());
        try (host; MemoryLink internet = new MemoryLink(256, 16384);
             PacketPool worldPool = new PacketPool(512, 4096)) {
            host.connectInternet(internet.a());
            PhysicalPort world = internet.b();
            VirtioNic vm = host.addVm(new VmPort(1, TwoHosts.PLAIN_VNI, vmIp, 0x02_AA_00_00_00_01L));
            host.exposeToInternet(1);
            FlowTableBuilder f = new FlowTableBuilder();
            f.host(TwoHosts.A_IP, TwoHosts.A_MAC);
            f.flow(TwoHosts.PLAIN_VNI, 17, vmIp, web, FlowAction.internet(), FirewallPolicy.ALLOW_ALL);
            f.flow(TwoHosts.PLAIN_VNI, 6, vmIp, web, FlowAction.internet(), FirewallPolicy.ALLOW_ALL);
            host.flows().publish(f.build());
            // Out through the VM's ACL and WAN shaper, in through the DoS guard and ACL; limits far above
            // this run's rate, so every packet passes and the figure is the path's, not a drop's.
            try (HostCoprocessors co = HostCoprocessors.attach(host, PoolConfig.defaults().withWorkers(1),
                    port -> VmConfig.defaults(port).withWan(1_000_000_000_000L, 1L << 30, 128)
                            .withDos(1_000_000_000L, 1_000_000, 4096, 8), true)) {
                List<Thread> workers = co.pool().threads();
                Random r = new Random(SEED);
                byte[][] out = new byte[64][];
                byte[][] outExpected = new byte[64][];
                byte[][] in = new byte[64][];
                for (int i = 0; i < out.length; i++) {
                    boolean tcp = (i & 1) == 1;
                    out[i] = TwoHosts.guestFrame(r, vmIp, web, tcp, 18 + r.nextInt(1400));
                    outExpected[i] = TwoHosts.completed(out[i], tcp);
                    in[i] = TwoHosts.completed(TwoHosts.guestFrame(r, web, vmIp, tcp, 18 + r.nextInt(1400)), tcp);
                }
                MemorySegment worldMem = worldPool.memory();
                HostBatch fromHost = new HostBatch(128);
                HostBatch toHost = new HostBatch(ROUND);
                byte[] got = new byte[16384];
                long[] rounds = new long[1];
                Round round = (k, m) -> {
                    rounds[0]++;
                    toHost.clear();
                    for (int i = 0; i < ROUND; i++) {
                        byte[] o = out[(k + i) % out.length];
                        if (!vm.send(o, 34, ((k + i) & 1) == 1 ? 16 : 6)) {
                            throw new AssertionError("the guest's transmit ring is full, seed " + SEED);
                        }
                        byte[] x = in[(k + i) % in.length];
                        int buf = worldPool.allocate();
                        long at = worldPool.frameOffset(buf);
                        MemorySegment.copy(x, 0, worldMem, ValueLayout.JAVA_BYTE, at, x.length);
                        toHost.add(buf, at, x.length, HostBatch.NO_CSUM, 0);
                    }
                    if (world.transmit(toHost, worldPool) != ROUND) {
                        throw new AssertionError("the Internet link refused frames, seed " + SEED);
                    }
                    int leftHost = 0;
                    int reachedVm = 0;
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (leftHost < ROUND || reachedVm < ROUND) {
                        m.turnA(host);
                        fromHost.clear();
                        world.receive(fromHost, worldPool);
                        for (int i = 0; i < fromHost.size(); i++, leftHost++) {
                            byte[] want = outExpected[(k + leftHost) % out.length];
                            if (!sameBytes(worldMem, fromHost.packets.offset[i], fromHost.packets.length[i], want)) {
                                throw new AssertionError("Internet egress packet " + (k + leftHost)
                                        + " left changed, seed " + SEED + "; " + host);
                            }
                            worldPool.free(fromHost.packets.buffer[i]);
                        }
                        for (int n; (n = vm.receive(got)) >= 0; reachedVm++) {
                            byte[] want = in[(k + reachedVm) % in.length];
                            if (n != want.length || !java.util.Arrays.equals(got, 0, n, want, 0, n)) {
                                throw new AssertionError("Internet ingress packet " + (k + reachedVm)
                                        + " arrived changed, seed " + SEED + "; " + host);
                            }
                        }
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("out " + leftHost + ", in " + reachedVm + " of " + ROUND
                                    + " in round " + k / ROUND + " within 10 s, seed " + SEED + "; " + host);
                        }
                    }
                    if (host.counters().droppedTotal() != 0) {
                        throw new AssertionError("drops: " + host);
                    }
                };
                // Each round moves 32 packets out and 32 in through the VM's coprocessor.
                Figures found = measure(round, workers, 2 * ROUND);
                assertThat(co.pool().vm(1).counters().passed()).as("through the VM's coprocessor")
                        .isEqualTo(2L * ROUND * rounds[0]);
                assertThat(found.zero()).as("host thread and coprocessor workers: %s", found).isTrue();
            }
        }
    }

    private static boolean sameBytes(MemorySegment mem, long offset, int length, byte[] want) {
        if (length != want.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (mem.get(ValueLayout.JAVA_BYTE, offset + i) != want[i]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aFlowMissResolvedOnACoprocessorAllocatesNothingPerPacket() {
        long[] answered = new long[1];
        try (TwoHosts net = new TwoHosts(StageMix.software(), OffloadOptions.defaults());
             HostCoprocessors ca = HostCoprocessors.attach(net.a, PoolConfig.defaults().withWorkers(1)
                             .withFlowResolver((vm, vni, src, dst, sport, dport, proto) -> 0x0200_0001L),
                     port -> VmConfig.defaults(port).withFlowMissLimit(1_000_000_000L, 1_000_000), true)) {
            ca.onResolvedMiss((vmPort, vni, proto, src, dst, action) -> answered[0]++);
            List<Thread> workers = ca.pool().threads();
            Random r = new Random(SEED);
            // Nobody programmed 10.0.1.0/26: every packet misses, is dropped and counted, and its
            // flow goes to the coprocessor's resolver, whose answer comes back on the host's turn.
            byte[][] frames = new byte[64][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = TwoHosts.guestFrame(r, 0x0A000001, 0x0A000100 + i, false, 22);
            }
            long[] sent = new long[1];
            Round round = (k, m) -> {
                for (int i = 0; i < ROUND; i++) {
                    if (!net.a1.send(frames[(k + i) % frames.length], 34, 6)) {
                        throw new AssertionError("the guest's transmit ring is full, seed " + SEED);
                    }
                }
                sent[0] += ROUND;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (answered[0] < sent[0]) {
                    m.turnA(net.a);
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("misses answered " + answered[0] + " of " + sent[0] + " within 10 s,"
                                + " seed " + SEED);
                    }
                }
            };
            Figures f = measure(round, workers, ROUND);
            assertThat(net.a.counters().drops(Drop.FLOW_MISS)).isEqualTo(sent[0]);
            assertThat(f.zero()).as("host thread and coprocessor workers on the miss path: %s", f).isTrue();
        }
    }

    /**
     * Guest {@code from} sends rounds of 32 frames (UDP and TCP, NEEDS_CSUM) to guest
     * {@code to}; each round runs both hosts until all 32 arrived intact (bounded wait).
     */
    private static Round deliver(TwoHosts net, VirtioNic from, VirtioNic to, int src, int dst) {
        Random r = new Random(SEED);
        byte[][] frames = new byte[64][];
        byte[][] expected = new byte[64][];
        for (int i = 0; i < frames.length; i++) {
            boolean tcp = (i & 1) == 1;
            frames[i] = TwoHosts.guestFrame(r, src, dst, tcp, 18 + r.nextInt(1400));
            expected[i] = TwoHosts.completed(frames[i], tcp);
        }
        byte[] got = new byte[16384];
        return (k, m) -> {
            for (int i = 0; i < ROUND; i++) {
                int[] cs = ((k + i) & 1) == 1 ? TCP_CSUM : UDP_CSUM;
                if (!from.send(frames[(k + i) % frames.length], cs[0], cs[1])) {
                    throw new AssertionError("the guest's transmit ring is full, seed " + SEED);
                }
            }
            int received = 0;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received < ROUND) {
                m.turnA(net.a);
                m.turnB(net.b);
                for (int n; (n = to.receive(got)) >= 0; received++) {
                    byte[] want = expected[(k + received) % frames.length];
                    if (n != want.length || !java.util.Arrays.equals(got, 0, n, want, 0, n)) {
                        throw new AssertionError("packet " + (k + received) + " arrived changed, seed " + SEED
                                + "; " + net.a + " / " + net.b);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("received " + received + " of " + ROUND + " in round " + k / ROUND
                            + " within 10 s, seed " + SEED + "; " + net.a + " / " + net.b);
                }
            }
            if (net.a.counters().droppedTotal() + net.b.counters().droppedTotal() != 0) {
                throw new AssertionError("drops: " + net.a + " / " + net.b);
            }
        };
    }

    private static long[] allocated(List<Thread> threads) {
        long[] bytes = new long[threads.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = THREADS.getThreadAllocatedBytes(threads.get(i).threadId());
        }
        return bytes;
    }

    private static long sum(long[] end, long[] start) {
        long s = 0;
        for (int i = 0; i < end.length; i++) {
            s += end[i] - start[i];
        }
        return s;
    }
}
