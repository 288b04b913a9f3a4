package dev.andromeda.testbed.tb.bench;

import dev.andromeda.testbed.fastpath.dataplane.Drop;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.HostBatch;
import dev.andromeda.testbed.fastpath.dataplane.MemoryLink;
import dev.andromeda.testbed.fastpath.dataplane.PhysicalPort;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.InternetChecksum;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
import dev.andromeda.testbed.fastpath.pipeline.Pipeline;
import dev.andromeda.testbed.fastpath.pipeline.StageAccount;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.fastpath.psp.PspVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static dev.andromeda.testbed.tb.frame.FrameFields.put16;

/**
 * The host fast path on one core, as the host's loop runs it: each measured
 * operation is one {@link Host#doWork()} turn, per packet.
 *
 * <ul>
 *   <li>{@code egress}: a guest's 32 frames of 64 bytes (inner UDP, virtio NEEDS_CSUM) on its
 *       vNIC's transmit ring; the turn copies them out of VM memory into NIC buffers (the
 *       vNIC copy-in, software copy stage), parses, checks the source, looks each up in the
 *       flow table, checks the firewall's port ranges, completes the checksum, encapsulates
 *       in GENEVE and transmits into an in-memory link (a copy into its ring).</li>
 *   <li>{@code egressPsp1500}: the same at 1,500 bytes on a PSP network: plus PSP transport
 *       mode sealed inline by the sw crypto stage (OpenSSL's libcrypto, else the JDK; see {@code tb impls}).</li>
 *   <li>{@code ingress}: 128 GENEVE frames (64-byte inner frames) waiting on the link; the turn
 *       copies them off the wire into pool buffers, parses, decapsulates, finds the VM, checks
 *       the inner checksum and copies each into VM memory onto the VM's receive ring.</li>
 * </ul>
 *
 * <p>Honest about the flow table: {@value #FRAMES} frames are written at set-up, their flows
 * drawn over the whole table ({@code flows} entries) uniformly or by Zipf(1.0)
 * ({@code destinations}, seeded with {@value #SEED}); each batch takes the next frames of
 * that set, so a large table's lookups miss the caches as they would. Egress looks its
 * flows up in the table; ingress has no flow lookup on this path, so there {@code flows}
 * is only the number of distinct inner sources.
 *
 * <p>Outside the measured turn ({@code Level.Invocation}, so about 2 clock reads a batch
 * are added): the guest putting its next frames on the vNIC ring, the far end of the link
 * taking what was sent, and the guest taking what it received -- none of them allocates.
 * Each measured iteration checks that every packet went where it should (no drop), and the
 * host's own stage timers ({@link StageAccount}) give the nanoseconds per packet of each
 * stage over the measured iterations; they are written as JSON lines to the file named by
 * {@code -Dtb.bench.stages} when it is set.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FastpathBenchmark {
    public static final int EGRESS = 32;
    public static final int INGRESS = 128;
    /** Frames in each benchmark's set (at least 64K, so a batch rarely sees a frame twice per second of run). */
    public static final int FRAMES = 1 << 16;
    public static final long SEED = 11;
    public static final String STAGES_FILE = "tb.bench.stages";
    static final int VNI = 100;
    static final int PSP_VNI = 200;
    static final int VM_IP = 0x0A000001;
    static final int HOST_IP = 0xC0A80001;
    static final long HOST_MAC = 0x02_00_00_00_00_01L;
    static final int PEER_IP = 0xC0A80002;
    static final long PEER_MAC = 0x02_00_00_00_00_02L;
    /** Flow {@code k}'s remote address: 10.1.0.0 + k. */
    static final int FIRST_REMOTE = 0x0A010000;

    /** What a measured run's state shares: the host, the stage timers, the drop check. */
    @State(Scope.Thread)
    public abstract static class Run {
        @Param({"1000000"})
        public int flows;

        @Param({"zipf"})
        public String destinations;

        Host host;
        MemoryLink link;
        /** The link's far end: the benchmark's side of the wire. */
        PhysicalPort wire;
        PacketPool wirePool;
        HostBatch wireBatch;
        int next;
        private List<StageAccount> accounts;
        private long[] ns0;
        private long packets0;
        private double[] ns;
        private long packets;
        private boolean measuring;

        abstract Pipeline<HostBatch> pipeline();

        abstract String benchmark();

        /** Packets that must have arrived since set-up, and where they are counted. */
        abstract void checkNothingLost();

        Host newHost() {
            return new Host("bench", HOST_IP, HOST_MAC, 4096, 4096, StageMix.software(), OffloadOptions.defaults());
        }

        /** The flows' destinations: frame i belongs to flow {@code flowOf[i]}. */
        int[] flowOfEachFrame() {
            return FlowDraw.of(destinations).draw(flows, FRAMES, SEED);
        }

        /** One flow per remote address, encapsulated to the peer; the firewall checks port ranges. */
        FlowTableBuilder table(int vni) {
            FlowTableBuilder f = new FlowTableBuilder();
            f.host(HOST_IP, HOST_MAC);
            int peer = f.host(PEER_IP, PEER_MAC);
            FirewallPolicy ranges = FirewallPolicy.ports(FirewallPolicy.Kind.PORT_RANGES, new int[] {22, 22},
                    new int[] {80, 80}, new int[] {443, 443}, new int[] {8000, 8999});
            for (int k = 0; k < flows; k++) {
                f.flow(vni, 17, VM_IP, FIRST_REMOTE + k, FlowAction.encapToHost(peer), ranges);
            }
            return f;
        }

        void connect(int maxFrame) {
            link = new MemoryLink(256, maxFrame);
            host.connect(link.a());
            wire = link.b();
            wirePool = new PacketPool(512, 4096);
            wireBatch = new HostBatch(INGRESS);
            accounts = pipeline().accounts();
        }

        /** Takes what the host sent off the wire (not measured): the far end's receive. */
        void drainWire() {
            wireBatch.clear();
            wire.receive(wireBatch, wirePool);
            for (int i = 0; i < wireBatch.size(); i++) {
                wirePool.free(wireBatch.packets.buffer[i]);
            }
        }

        @Setup(Level.Iteration)
        public void startIteration(IterationParams params) {
            measuring = params.getType() == IterationType.MEASUREMENT;
            ns0 = new long[accounts.size()];
            for (int s = 0; s < ns0.length; s++) {
                ns0[s] = accounts.get(s).cpuNs();
            }
            packets0 = accounts.getFirst().packets();
        }

        @TearDown(Level.Iteration)
        public void endIteration() {
            checkNothingLost();
            if (!measuring) {
                return;
            }
            if (ns == null) {
                ns = new double[accounts.size()];
            }
            for (int s = 0; s < ns.length; s++) {
                ns[s] += accounts.get(s).cpuNs() - ns0[s];
            }
            packets += accounts.getFirst().packets() - packets0;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            String file = System.getProperty(STAGES_FILE);
            if (file != null && ns != null && packets > 0) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                        "{\"benchmark\":\"%s\",\"flows\":%d,\"destinations\":\"%s\",\"packets\":%d,\"stageNsPerPacket\":{",
                        benchmark(), flows, destinations.toLowerCase(Locale.ROOT), packets));
                for (int s = 0; s < ns.length; s++) {
                    line.append(s == 0 ? "" : ",").append('"').append(accounts.get(s).name()).append("\":")
                            .append(String.format(Locale.ROOT, "%.2f", ns[s] / packets));
                }
                line.append("}}\n");
                try {
                    Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            host.close();
            link.close();
            wirePool.close();
        }

        static void failIfDropped(Host h, String what) {
            if (h.counters().droppedTotal() != 0) {
                StringBuilder why = new StringBuilder();
                for (Drop d : Drop.values()) {
                    if (h.counters().drops(d) != 0) {
                        why.append(' ').append(d).append('=').append(h.counters().drops(d));
                    }
                }
                throw new IllegalStateException(what + ": the host dropped packets:" + why);
            }
        }
    }

    /** A guest's frames to remote flows, sent on its vNIC; the host encapsulates them onto the link. */
    @State(Scope.Thread)
    public abstract static class Egress extends Run {
        VirtioNic vm;
        byte[][] frames;
        long sent;

        abstract int vni();

        abstract int frameBytes();

        abstract int batch();

        @Setup(Level.Trial)
        public void setUp() {
            host = newHost();
            vm = host.addVm(new VmPort(1, vni(), VM_IP, 0x02_AA_00_00_00_01L));
            host.flows().publish(table(vni()).build());
            if (vni() == PSP_VNI) {
                SplittableRandom keys = new SplittableRandom(SEED);
                byte[] k0 = new byte[32];
                byte[] k1 = new byte[32];
                keys.nextBytes(k0);
                keys.nextBytes(k1);
                host.configurePsp(k0, k1, PspVersion.AES_GCM_128, new int[] {PSP_VNI},
                        new int[] {HOST_IP, PEER_IP}, new int[] {0x1001, 0x1002});
            }
            connect(frameBytes() + 128);
            int[] flowOf = flowOfEachFrame();
            SplittableRandom r = new SplittableRandom(SEED + 1);
            frames = new byte[FRAMES][];
            for (int i = 0; i < FRAMES; i++) {
                frames[i] = guestFrame(r, VM_IP, FIRST_REMOTE + flowOf[i], frameBytes() - 42);
            }
            host.doWork(); // adopts the flow table
        }

        /** The guest's next frames onto its transmit ring; the far end takes the last batch off the wire. */
        @Setup(Level.Invocation)
        public void guestSends() {
            drainWire();
            for (int i = 0; i < batch(); i++) {
                vm.send(frames[next], 34, 6);
                next = (next + 1) & (FRAMES - 1);
            }
            sent += batch();
        }

        @Override
        Pipeline<HostBatch> pipeline() {
            return host.egress();
        }

        @Override
        void checkNothingLost() {
            failIfDropped(host, benchmark());
            if (host.counters().toWire() != sent) {
                throw new IllegalStateException(benchmark() + ": " + sent + " frames sent, "
                        + host.counters().toWire() + " on the wire");
            }
        }
    }

    @State(Scope.Thread)
    public static class EgressRun extends Egress {
        @Override
        int vni() {
            return VNI;
        }

        @Override
        int frameBytes() {
            return 64;
        }

        @Override
        int batch() {
            return EGRESS;
        }

        @Override
        String benchmark() {
            return "egress";
        }
    }

    @State(Scope.Thread)
    public static class PspRun extends Egress {
        @Override
        int vni() {
            return PSP_VNI;
        }

        @Override
        int frameBytes() {
            return 1500;
        }

        @Override
        int batch() {
            return EGRESS;
        }

        @Override
        String benchmark() {
            return "egressPsp1500";
        }
    }

    /** GENEVE frames from the peer host on the wire; the host delivers their inner frames to its VM. */
    @State(Scope.Thread)
    public static class IngressRun extends Run {
        VirtioNic vm;
        byte[][] frames;
        byte[] guestBuffer = new byte[2048];
        long sent;
        long delivered;

        @Setup(Level.Trial)
        public void setUp() {
            host = newHost();
            vm = host.addVm(new VmPort(1, VNI, VM_IP, 0x02_AA_00_00_00_01L));
            FlowTableBuilder f = new FlowTableBuilder();
            f.host(HOST_IP, HOST_MAC);
            f.host(PEER_IP, PEER_MAC);
            host.flows().publish(f.build());
            connect(256);
            int[] flowOf = flowOfEachFrame();
            SplittableRandom r = new SplittableRandom(SEED + 2);
            frames = new byte[FRAMES][];
            for (int i = 0; i < FRAMES; i++) {
                frames[i] = encapsulated(r, FIRST_REMOTE + flowOf[i]);
            }
            host.doWork();
        }

        /** The peer's next frames onto the wire; the guest takes what it received last time. */
        @Setup(Level.Invocation)
        public void peerSends() {
            for (int n; (n = vm.receive(guestBuffer)) >= 0; ) {
                delivered++;
            }
            wireBatch.clear();
            MemorySegment mem = wirePool.memory();
            for (int i = 0; i < INGRESS; i++) {
                byte[] f = frames[next];
                next = (next + 1) & (FRAMES - 1);
                int b = wirePool.allocate();
                long at = wirePool.frameOffset(b);
                MemorySegment.copy(f, 0, mem, ValueLayout.JAVA_BYTE, at, f.length);
                wireBatch.add(b, at, f.length, HostBatch.NO_CSUM, 0);
            }
            if (wire.transmit(wireBatch, wirePool) != INGRESS) {
                throw new IllegalStateException("ingress: the link took fewer than " + INGRESS + " frames");
            }
            sent += INGRESS;
        }

        @Override
        Pipeline<HostBatch> pipeline() {
            return host.ingress();
        }

        @Override
        String benchmark() {
            return "ingress";
        }

        @Override
        void checkNothingLost() {
            failIfDropped(host, benchmark());
            if (host.counters().toVms() != sent - INGRESS && host.counters().toVms() != sent) {
                throw new IllegalStateException("ingress: " + sent + " frames sent, " + host.counters().toVms()
                        + " delivered");
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(EGRESS)
    public int egress(EgressRun run) {
        return run.host.doWork();
    }

    @Benchmark
    @OperationsPerInvocation(EGRESS)
    public int egressPsp1500(PspRun run) {
        return run.host.doWork();
    }

    @Benchmark
    @OperationsPerInvocation(INGRESS)
    public int ingress(IngressRun run) {
        return run.host.doWork();
    }

    /**
     * A guest's UDP frame from src to dst, destination port 443 (allowed by the flows' port
     * ranges), NEEDS_CSUM: the checksum field holds the pseudo-header sum (virtio).
     */
    static byte[] guestFrame(SplittableRandom r, int src, int dst, int payload) {
        byte[] f = new byte[42 + payload];
        f[12] = 0x08;
        f[14] = 0x45;
        put16(f, 16, 28 + payload);
        f[22] = 64;
        f[23] = 17;
        put16(f, 26, src >>> 16);
        put16(f, 28, src);
        put16(f, 30, dst >>> 16);
        put16(f, 32, dst);
        put16(f, 24, ~InternetChecksum.fold(sum(f, 14, 20)));
        put16(f, 34, 40000 + r.nextInt(1000));
        put16(f, 36, 443);
        put16(f, 38, 8 + payload);
        for (int i = 42; i < f.length; i++) {
            f[i] = (byte) r.nextInt(256);
        }
        put16(f, 40, InternetChecksum.fold((src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + 17 + 8 + payload));
        return f;
    }

    /** The peer host's GENEVE frame (VNI 100) around a 64-byte inner UDP frame from src to the VM, checksums done. */
    static byte[] encapsulated(SplittableRandom r, int src) {
        byte[] inner = guestFrame(r, src, VM_IP, 64 - 42);
        put16(inner, 40, 0);
        put16(inner, 40, ~InternetChecksum.fold(sum(inner, 34, inner.length - 34)
                + (src >>> 16) + (src & 0xFFFF) + (VM_IP >>> 16) + (VM_IP & 0xFFFF) + 17 + inner.length - 34));
        byte[] f = new byte[50 + inner.length];
        f[12] = 0x08;
        f[14] = 0x45;
        put16(f, 16, 36 + inner.length);
        f[22] = 64;
        f[23] = 17;
        put16(f, 26, PEER_IP >>> 16);
        put16(f, 28, PEER_IP);
        put16(f, 30, HOST_IP >>> 16);
        put16(f, 32, HOST_IP);
        put16(f, 24, ~InternetChecksum.fold(sum(f, 14, 20)));
        put16(f, 34, 50000 + r.nextInt(10000));
        put16(f, 36, 6081);
        put16(f, 38, 16 + inner.length);
        put16(f, 44, 0x6558);
        f[48] = (byte) VNI;
        System.arraycopy(inner, 0, f, 50, inner.length);
        return f;
    }

    /** RFC 1071 sum of f[from, from+len), unfolded: the fastpath's own InternetChecksum. */
    private static long sum(byte[] f, int from, int len) {
        return InternetChecksum.partialSum(MemorySegment.ofArray(f), from, len);
    }
}
