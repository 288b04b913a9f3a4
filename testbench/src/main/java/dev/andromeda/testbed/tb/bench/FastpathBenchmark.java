package dev.andromeda.testbed.tb.bench;

import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.HostBatch;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
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

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The host fast path on one core, a batch at a time, per packet.
 *
 * <ul>
 *   <li>{@code egress}: 64-byte inner UDP frames already in NIC buffers (the
 *       vNIC copy is not part of it) through parse, anti-spoofing, one flow-table
 *       hit, a firewall port-range check, the software checksum (virtio
 *       NEEDS_CSUM) and GENEVE encapsulation; 32 packets a batch; transmission
 *       replaced by a sink that keeps the buffers for the next batch.</li>
 *   <li>{@code egressPsp}: the same at 1,500 bytes on a PSP-encrypted network:
 *       plus PSP transport mode sealed by the JDK's AES-GCM.</li>
 *   <li>{@code ingress}: 64-byte inner frames arriving GENEVE-encapsulated,
 *       128 a batch: parse, decapsulation, VM lookup, receive-checksum check;
 *       the copy into VM memory replaced by a sink.</li>
 * </ul>
 * {@code flows} sizes the flow table; each packet of a batch hits a different
 * flow, spread over the whole table. Run with JMH's GC profiler for
 * allocation per packet ({@code gc.alloc.rate.norm} / packets per op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FastpathBenchmark {
    static final int EGRESS = 32;
    static final int INGRESS = 128;
    static final int VNI = 100;
    static final int PSP_VNI = 200;
    static final int VM_IP = 0x0A000001;

    @Param({"1000"})
    public int flows;

    private Host host;
    private HostBatch egress;
    private HostBatch egressPsp;
    private HostBatch ingress;
    private long[] egressOffset;
    private long[] pspOffset;
    private long[] ingressOffset;
    private int[] dst;
    private int[] pspDst;
    private MemorySegment mem;
    private VmPort vm;
    private VmPort pspVm;
    private short[] pseudo;
    private MemorySegment pristinePsp;

    @Setup(Level.Trial)
    public void setUp() {
        host = new Host("bench", 0xC0A80001, 0x02_00_00_00_00_01L, 1024, 4096, StageMix.software(),
                OffloadOptions.defaults());
        vm = new VmPort(1, VNI, VM_IP, 0x02_AA_00_00_00_01L);
        pspVm = new VmPort(2, PSP_VNI, VM_IP, 0x02_AA_00_00_00_02L);
        host.addVm(vm);
        host.addVm(pspVm);
        Random r = new Random(300);
        FlowTableBuilder f = new FlowTableBuilder();
        f.host(0xC0A80001, 0x02_00_00_00_00_01L);
        int peer = f.host(0xC0A80002, 0x02_00_00_00_00_02L);
        FirewallPolicy ranges = FirewallPolicy.ports(FirewallPolicy.Kind.PORT_RANGES, new int[] {22, 22},
                new int[] {80, 80}, new int[] {443, 443}, new int[] {8000, 8999});
        int[] dsts = new int[flows];
        for (int i = 0; i < flows; i++) {
            dsts[i] = 0x0A010000 + i;
            f.flow(VNI, 17, VM_IP, dsts[i], FlowAction.encapToHost(peer), ranges);
            f.flow(PSP_VNI, 17, VM_IP, dsts[i], FlowAction.encapToHost(peer), ranges);
        }
        host.flows().publish(f.build());
        byte[] k0 = new byte[32];
        byte[] k1 = new byte[32];
        r.nextBytes(k0);
        r.nextBytes(k1);
        host.configurePsp(k0, k1, PspVersion.AES_GCM_128, new int[] {PSP_VNI}, new int[] {0xC0A80001, 0xC0A80002},
                new int[] {0x1001, 0x1002});
        // The fast path alone: no vNIC copy in, and a sink instead of the wire.
        host.egress().replace("copy", b -> { });
        host.egress().replace("tx", b -> { });
        host.ingress().replace("deliver", b -> { });
        mem = host.pool().memory();
        PacketPool pool = host.pool();
        egress = new HostBatch(EGRESS);
        egressPsp = new HostBatch(EGRESS);
        ingress = new HostBatch(INGRESS);
        egressOffset = new long[EGRESS];
        pspOffset = new long[EGRESS];
        ingressOffset = new long[INGRESS];
        dst = new int[EGRESS];
        pspDst = new int[EGRESS];
        for (int i = 0; i < EGRESS; i++) {
            dst[i] = dsts[r.nextInt(flows)];
            egressOffset[i] = write(pool, frame(r, dst[i], 64 - 42));
            pspDst[i] = dsts[r.nextInt(flows)];
            pspOffset[i] = write(pool, frame(r, pspDst[i], 1500 - 42));
        }
        for (int i = 0; i < INGRESS; i++) {
            ingressOffset[i] = write(pool, encapsulated(r, dsts[r.nextInt(flows)]));
        }
        pseudo = new short[EGRESS];
        pristinePsp = java.lang.foreign.Arena.ofAuto().allocate(EGRESS * 1500L);
        for (int i = 0; i < EGRESS; i++) {
            pseudo[i] = mem.get(ValueLayout.JAVA_SHORT_UNALIGNED, egressOffset[i] + 40);
            MemorySegment.copy(mem, pspOffset[i], pristinePsp, i * 1500L, 1500);
        }
        host.doWork(); // adopt the flow table
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        host.close();
    }

    /** Writes a frame into a fresh buffer; returns its offset (the buffer is found again with {@link #bufferOf}). */
    private long write(PacketPool pool, byte[] frame) {
        int b = pool.allocate();
        long at = pool.frameOffset(b);
        MemorySegment.copy(frame, 0, pool.memory(), ValueLayout.JAVA_BYTE, at, frame.length);
        return at;
    }

    private int bufferOf(long frameOffset) {
        return (int) ((frameOffset - PacketPool.HEADROOM) / host.pool().bufferBytes());
    }

    /** A guest's UDP frame to dst, destination port 443, NEEDS_CSUM: the field holds the pseudo-header sum. */
    static byte[] frame(Random r, int dst, int payload) {
        byte[] f = new byte[42 + payload];
        f[12] = 0x08;
        f[14] = 0x45;
        put16(f, 16, 28 + payload);
        f[22] = 64;
        f[23] = 17;
        put16(f, 26, VM_IP >>> 16);
        put16(f, 28, VM_IP);
        put16(f, 30, dst >>> 16);
        put16(f, 32, dst);
        long ipSum = 0;
        for (int i = 14; i < 34; i += 2) {
            ipSum += (f[i] & 0xFF) << 8 | (f[i + 1] & 0xFF);
        }
        put16(f, 24, ~fold(ipSum));
        put16(f, 34, 40000 + r.nextInt(1000));
        put16(f, 36, 443);
        put16(f, 38, 8 + payload);
        put16(f, 40, fold((VM_IP >>> 16) + (VM_IP & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + 17 + 8 + payload));
        return f;
    }

    /** A frame as another host would send it to this one: GENEVE (VNI 100) around a 64-byte inner frame. */
    static byte[] encapsulated(Random r, int src) {
        byte[] inner = frame(r, VM_IP, 64 - 42);
        put16(inner, 26, src >>> 16);
        put16(inner, 28, src);
        put16(inner, 30, VM_IP >>> 16);
        put16(inner, 32, VM_IP);
        put16(inner, 24, 0);
        long innerSum = 0;
        for (int i = 14; i < 34; i += 2) {
            innerSum += (inner[i] & 0xFF) << 8 | (inner[i + 1] & 0xFF);
        }
        put16(inner, 24, ~fold(innerSum));
        byte[] f = new byte[50 + inner.length];
        f[12] = 0x08;
        f[14] = 0x45;
        put16(f, 16, 36 + inner.length);
        f[22] = 64;
        f[23] = 17;
        put16(f, 26, 0xC0A8);
        put16(f, 28, 0x0002);
        put16(f, 30, 0xC0A8);
        put16(f, 32, 0x0001);
        long ipSum = 0;
        for (int i = 14; i < 34; i += 2) {
            ipSum += (f[i] & 0xFF) << 8 | (f[i + 1] & 0xFF);
        }
        put16(f, 24, ~fold(ipSum));
        put16(f, 34, 50000);
        put16(f, 36, 6081);
        put16(f, 38, 16 + inner.length);
        put16(f, 44, 0x6558);
        f[46] = 0;
        f[47] = 0;
        f[48] = (byte) VNI;
        System.arraycopy(inner, 0, f, 50, inner.length);
        return f;
    }

    private static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    private static void put16(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    private void fill(HostBatch b, long[] offsets, int length, VmPort vm) {
        b.clear();
        b.vm = vm;
        for (int i = 0; i < offsets.length; i++) {
            b.add(bufferOf(offsets[i]), offsets[i], length, 34, 6);
        }
    }

    /**
     * 64-byte frames. The checksum stage overwrote each frame's checksum field
     * last time; the guest's pseudo-header sum is put back (one 2-byte store).
     */
    @Benchmark
    @OperationsPerInvocation(EGRESS)
    public int egress() {
        for (int i = 0; i < EGRESS; i++) {
            mem.set(ValueLayout.JAVA_SHORT_UNALIGNED, egressOffset[i] + 40, pseudo[i]);
        }
        fill(egress, egressOffset, 64, vm);
        host.egress().process(egress);
        return egress.live();
    }

    /**
     * 1,500-byte frames, PSP. Sealing encrypts in place, so each frame is
     * restored first: the figure includes one 1,500-byte copy per packet
     * (about what the vNIC copy would cost).
     */
    @Benchmark
    @OperationsPerInvocation(EGRESS)
    public int egressPsp1500() {
        for (int i = 0; i < EGRESS; i++) {
            MemorySegment.copy(pristinePsp, i * 1500L, mem, pspOffset[i], 1500);
        }
        fill(egressPsp, pspOffset, 1500, pspVm);
        host.egress().process(egressPsp);
        return egressPsp.live();
    }

    @Benchmark
    @OperationsPerInvocation(INGRESS)
    public int ingress() {
        HostBatch b = ingress;
        b.clear();
        for (int i = 0; i < INGRESS; i++) {
            b.add(bufferOf(ingressOffset[i]), ingressOffset[i], 114, HostBatch.NO_CSUM, 0);
        }
        host.ingress().process(b);
        return b.live();
    }
}
