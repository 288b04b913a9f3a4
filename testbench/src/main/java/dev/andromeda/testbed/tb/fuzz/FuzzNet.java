package dev.andromeda.testbed.tb.fuzz;

import dev.andromeda.testbed.fastpath.dataplane.Drop;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.HostBatch;
import dev.andromeda.testbed.fastpath.dataplane.PhysicalPort;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.packet.PacketPool;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.fastpath.psp.PspVersion;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.andromeda.testbed.tb.frame.FrameFields.put16;
import static dev.andromeda.testbed.tb.frame.FrameFields.put32;

/**
 * The network the packet fuzz targets run in: two hosts, a and b, each with a VM on a plain GENEVE
 * network (VNI 100) and one on a PSP-encrypted network (VNI 200), flows programmed both ways, PSP
 * keys shared. Their wire is this class's: what a transmits is kept as bytes ({@link #wireFromA}),
 * and b receives whatever bytes the target puts on its wire ({@link #toB}) -- a frame a sealed,
 * the same frame tampered with, or bytes from nowhere.
 *
 * <p>One network per fuzzing process, reused by every input (a host's set-up costs far more than
 * an input); {@link #settle} and the drains leave it empty between inputs.
 */
final class FuzzNet {
    static final int PLAIN_VNI = 100;
    static final int PSP_VNI = 200;
    static final int A_IP = 0xC0A80001;
    static final int B_IP = 0xC0A80002;
    static final long A_MAC = 0x02_00_00_00_0A_01L;
    static final long B_MAC = 0x02_00_00_00_0B_01L;
    static final int VM_A = 0x0A000001;
    static final int VM_B = 0x0A000002;
    /** Largest frame on this wire; the hosts' buffers hold it after the headroom. */
    static final int MAX_FRAME = 9216;

    final Host a;
    final Host b;
    final VirtioNic a1;
    final VirtioNic a2;
    final VirtioNic b1;
    final VirtioNic b2;
    final List<byte[]> wireFromA = new ArrayList<>();
    final ArrayDeque<byte[]> toB = new ArrayDeque<>();
    /** Frames b transmitted (replies, hairpins): taken off the wire and counted, never delivered. */
    long fromB;

    FuzzNet() {
        a = new Host("fuzz-a", A_IP, A_MAC, 256, MAX_FRAME + PacketPool.HEADROOM + 256, StageMix.software(),
                OffloadOptions.defaults());
        b = new Host("fuzz-b", B_IP, B_MAC, 256, MAX_FRAME + PacketPool.HEADROOM + 256, StageMix.software(),
                OffloadOptions.defaults());
        a.connect(new Port(true));
        b.connect(new Port(false));
        a1 = a.addVm(new VmPort(1, PLAIN_VNI, VM_A, 0x02_AA_00_00_00_01L));
        a2 = a.addVm(new VmPort(2, PSP_VNI, VM_A, 0x02_AA_00_00_00_02L));
        b1 = b.addVm(new VmPort(1, PLAIN_VNI, VM_B, 0x02_BB_00_00_00_01L));
        b2 = b.addVm(new VmPort(2, PSP_VNI, VM_B, 0x02_BB_00_00_00_02L));
        program(a, VM_A, VM_B, 1);
        program(b, VM_B, VM_A, 0);
        byte[] k0 = new byte[32];
        byte[] k1 = new byte[32];
        new Random(2018).nextBytes(k0);
        new Random(2019).nextBytes(k1);
        int[] ips = {A_IP, B_IP};
        int[] spis = {0x00001001, 0x80001002};
        a.configurePsp(k0, k1, PspVersion.AES_GCM_128, new int[] {PSP_VNI}, ips, spis);
        b.configurePsp(k0, k1, PspVersion.AES_GCM_128, new int[] {PSP_VNI}, ips, spis);
    }

    private static void program(Host h, int local, int remote, int peerIndex) {
        FlowTableBuilder f = new FlowTableBuilder();
        f.host(A_IP, A_MAC);
        f.host(B_IP, B_MAC);
        for (int vni : new int[] {PLAIN_VNI, PSP_VNI}) {
            for (int proto : new int[] {6, 17}) {
                f.flow(vni, proto, local, remote, FlowAction.encapToHost(peerIndex), FirewallPolicy.ALLOW_ALL);
            }
        }
        h.flows().publish(f.build());
    }

    /** Runs both hosts until neither moves a packet, with a bound: a host that never settles is a finding. */
    void settle() {
        for (int idle = 0, turns = 0; idle < 3; turns++) {
            if (turns > 100_000) {
                throw new IllegalStateException("the hosts did not settle in 100,000 turns: " + a + " / " + b);
            }
            int w = a.doWork() + b.doWork();
            idle = w == 0 && toB.isEmpty() ? idle + 1 : 0;
        }
    }

    /** Everything the VM has received. */
    static List<VirtioNic.Received> drain(VirtioNic nic) {
        List<VirtioNic.Received> got = new ArrayList<>();
        for (VirtioNic.Received r; (r = nic.receive()) != null; ) {
            got.add(r);
        }
        return got;
    }

    /** Every drop and malformed packet a host counted. */
    static long dropped(Host h) {
        return h.counters().droppedTotal();
    }

    /** Buffers out of the hosts' pools once everything settled and every VM read its ring: leaked. */
    void assertNoBufferLeaked(String what) {
        for (Host h : new Host[] {a, b}) {
            if (h.pool().available() != h.pool().capacity()) {
                throw new AssertionError(what + ": " + h.name() + " holds " + (h.pool().capacity() - h.pool().available())
                        + " buffers after settling: " + h.counters());
            }
        }
    }

    static long drops(Host h, Drop d) {
        return h.counters().drops(d);
    }

    /** The wire: a's end keeps what it sends, b's end feeds what the target queued. */
    private final class Port implements PhysicalPort {
        private final boolean isA;

        Port(boolean isA) {
            this.isA = isA;
        }

        @Override
        public int transmit(HostBatch batch, PacketPool pool) {
            int sent = 0;
            for (int i = 0; i < batch.size(); i++) {
                if (batch.dead[i]) {
                    continue;
                }
                if (isA) {
                    wireFromA.add(pool.memory().asSlice(batch.packets.offset[i], batch.packets.length[i])
                            .toArray(ValueLayout.JAVA_BYTE));
                } else {
                    fromB++;
                }
                pool.free(batch.packets.buffer[i]);
                batch.consume(i);
                sent++;
            }
            return sent;
        }

        @Override
        public int receive(HostBatch into, PacketPool pool) {
            if (isA) {
                return 0;
            }
            int got = 0;
            while (!toB.isEmpty() && into.size() < into.packets.capacity()) {
                int buffer = pool.allocate();
                if (buffer < 0) {
                    break;
                }
                byte[] f = toB.poll();
                long at = pool.frameOffset(buffer);
                MemorySegment.copy(f, 0, pool.memory(), ValueLayout.JAVA_BYTE, at, f.length);
                into.add(buffer, at, f.length, HostBatch.NO_CSUM, 0);
                got++;
            }
            return got;
        }
    }

    /** RFC 1071: the one's-complement sum of {@code len} bytes from {@code from}, folded to 16 bits. */
    static int sum16(byte[] f, int from, int len, long start) {
        long s = start;
        int i = from;
        for (; i + 1 < from + len; i += 2) {
            s += (f[i] & 0xFF) << 8 | (f[i + 1] & 0xFF);
        }
        if (i < from + len) {
            s += (f[i] & 0xFF) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    /**
     * The frame a VM must receive for one it sent asking for a checksum at {@code csumStart +
     * csumOffset}: the field holds the guest's pseudo-header sum, the host writes the complement
     * of the sum from {@code csumStart} to the end (virtio NEEDS_CSUM), computed here by RFC 1071.
     */
    static byte[] completed(byte[] sent, int csumStart, int csumOffset) {
        byte[] f = sent.clone();
        int at = csumStart + csumOffset;
        int c = ~sum16(f, csumStart, f.length - csumStart, 0) & 0xFFFF;
        f[at] = (byte) (c >>> 8);
        f[at + 1] = (byte) c;
        return f;
    }

    /**
     * An Ethernet/IPv4/UDP-or-TCP frame from VM_A to VM_B carrying {@code payload}, its IPv4 header
     * checksum correct and its L4 checksum field holding the pseudo-header sum (as a guest with
     * checksum offload leaves it); ports from {@code ports}.
     */
    static byte[] guestFrame(boolean tcp, int ports, byte[] payload, int payloadFrom, int payloadLength) {
        int l4h = tcp ? 20 : 8;
        byte[] f = new byte[14 + 20 + l4h + payloadLength];
        f[0] = 0x02;
        f[6] = 0x02;
        f[12] = 0x08;
        f[14] = 0x45;
        put16(f, 16, 20 + l4h + payloadLength);
        f[22] = 64;
        f[23] = (byte) (tcp ? 6 : 17);
        put32(f, 26, VM_A);
        put32(f, 30, VM_B);
        put16(f, 24, ~sum16(f, 14, 20, 0) & 0xFFFF);
        put32(f, 34, ports);
        if (tcp) {
            f[46] = 0x50;
            f[47] = 0x18;
        } else {
            put16(f, 38, 8 + payloadLength);
        }
        System.arraycopy(payload, payloadFrom, f, 34 + l4h, payloadLength);
        long pseudo = (VM_A >>> 16) + (VM_A & 0xFFFF) + (VM_B >>> 16) + (VM_B & 0xFFFF) + (tcp ? 6 : 17) + l4h
                + payloadLength;
        put16(f, 34 + (tcp ? 16 : 6), sum16(new byte[0], 0, 0, pseudo));
        return f;
    }

    /**
     * Whether a delivered frame is the expected one, where {@code csumAt} (or -1) is a checksum the
     * host completed: 0x0000 and 0xFFFF are the same one's-complement sum there, and a host writes
     * the second for the first (RFC 768 for UDP; Linux's skb_checksum_help does so for all).
     */
    static boolean sameFrame(byte[] got, byte[] expected, int csumAt) {
        if (got.length != expected.length) {
            return false;
        }
        for (int i = 0; i < got.length; i++) {
            if (got[i] != expected[i] && (csumAt < 0 || i < csumAt || i > csumAt + 1)) {
                return false;
            }
        }
        if (csumAt < 0) {
            return true;
        }
        int g = (got[csumAt] & 0xFF) << 8 | (got[csumAt + 1] & 0xFF);
        int e = (expected[csumAt] & 0xFF) << 8 | (expected[csumAt + 1] & 0xFF);
        return g == e || (g == 0xFFFF && e == 0) || (g == 0 && e == 0xFFFF);
    }
}
