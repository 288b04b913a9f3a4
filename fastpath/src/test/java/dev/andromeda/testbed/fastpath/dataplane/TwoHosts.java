package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import dev.andromeda.testbed.fastpath.psp.PspVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A test network: two hosts on an in-memory link, two VMs each -- one pair on
 * a plain GENEVE network (VNI 100), one pair on a PSP-encrypted one (VNI 200)
 * -- with flow tables programmed both ways, and frames as a guest sends them
 * (UDP or TCP with virtio NEEDS_CSUM: the pseudo-header sum in the checksum field).
 */
public final class TwoHosts implements AutoCloseable {
    public static final int PLAIN_VNI = 100;
    public static final int PSP_VNI = 200;
    public static final int A_IP = 0xC0A80001;   // 192.168.0.1
    public static final int B_IP = 0xC0A80002;
    public static final long A_MAC = 0x02_00_00_00_0A_01L;
    public static final long B_MAC = 0x02_00_00_00_0B_01L;

    public final MemoryLink link = new MemoryLink(1024, 16384);
    public final Host a;
    public final Host b;
    public final VirtioNic a1;
    public final VirtioNic a2;
    public final VirtioNic b1;
    public final VirtioNic b2;

    public TwoHosts(StageMix mix, OffloadOptions options) {
        a = new Host("host-a", A_IP, A_MAC, 4096, 10240 + 256, mix, options);
        b = new Host("host-b", B_IP, B_MAC, 4096, 10240 + 256, mix, options);
        a.connect(link.a());
        b.connect(link.b());
        a1 = a.addVm(new VmPort(1, PLAIN_VNI, 0x0A000001, 0x02_AA_00_00_00_01L));
        a2 = a.addVm(new VmPort(2, PSP_VNI, 0x0A000001, 0x02_AA_00_00_00_02L));
        b1 = b.addVm(new VmPort(1, PLAIN_VNI, 0x0A000002, 0x02_BB_00_00_00_01L));
        b2 = b.addVm(new VmPort(2, PSP_VNI, 0x0A000002, 0x02_BB_00_00_00_02L));
        program(a, 0x0A000001, 0x0A000002, 1);
        program(b, 0x0A000002, 0x0A000001, 0);
        byte[] k0 = new byte[32];
        byte[] k1 = new byte[32];
        new Random(2018).nextBytes(k0);
        new Random(2019).nextBytes(k1);
        int[] ips = {A_IP, B_IP};
        int[] spis = {0x00001001, 0x80001002};  // b's SPI picks master key 1
        a.configurePsp(k0, k1, PspVersion.AES_GCM_128, new int[] {PSP_VNI}, ips, spis);
        b.configurePsp(k0, k1, PspVersion.AES_GCM_128, new int[] {PSP_VNI}, ips, spis);
    }

    /** Host list [a, b] on both hosts; flows from the local VM to the peer for both networks, UDP and TCP. */
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

    /** Runs both hosts until neither moves a packet. */
    public void settle() {
        for (int idle = 0; idle < 3; ) {
            int w = a.doWork() + b.doWork();
            idle = w == 0 ? idle + 1 : 0;
        }
    }

    /** An Ethernet/IPv4/UDP-or-TCP frame from src to dst with random payload, checksum field = pseudo-header sum. */
    public static byte[] guestFrame(Random r, int src, int dst, boolean tcp, int payload) {
        int l4h = tcp ? 20 : 8;
        byte[] f = new byte[14 + 20 + l4h + payload];
        f[0] = 0x02;
        f[6] = 0x02;
        f[12] = 0x08;
        f[14] = 0x45;
        put16(f, 16, 20 + l4h + payload);
        put16(f, 18, r.nextInt(65536));
        f[22] = 64;
        f[23] = (byte) (tcp ? 6 : 17);
        put32(f, 26, src);
        put32(f, 30, dst);
        put16(f, 24, ~fold(sum(f, 14, 20)) & 0xFFFF);
        put16(f, 34, 1024 + r.nextInt(60000));
        put16(f, 36, r.nextInt(65536));
        if (tcp) {
            f[46] = 0x50;
            f[47] = 0x18;
        } else {
            put16(f, 38, 8 + payload);
        }
        for (int i = 34 + l4h; i < f.length; i++) {
            f[i] = (byte) r.nextInt(256);
        }
        long pseudo = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + (tcp ? 6 : 17) + l4h + payload;
        put16(f, 34 + (tcp ? 16 : 6), fold(pseudo));
        return f;
    }

    /** Where the guest asks the checksum to go: csum_start, csum_offset. */
    public static int[] csumRequest(boolean tcp) {
        return new int[] {34, tcp ? 16 : 6};
    }

    /** The frame the receiver must get: the sender's with its L4 checksum completed (RFC 1071, by hand). */
    public static byte[] completed(byte[] sent, boolean tcp) {
        byte[] f = sent.clone();
        int at = 34 + (tcp ? 16 : 6);
        put16(f, at, ~fold(sum(f, 34, f.length - 34)) & 0xFFFF);
        return f;
    }

    static long sum(byte[] f, int from, int len) {
        long s = 0;
        int i = from;
        for (; i + 1 < from + len; i += 2) {
            s += (f[i] & 0xFF) << 8 | (f[i + 1] & 0xFF);
        }
        if (i < from + len) {
            s += (f[i] & 0xFF) << 8;
        }
        return s;
    }

    static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    static void put16(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    static void put32(byte[] f, int at, int v) {
        put16(f, at, v >>> 16);
        put16(f, at + 2, v);
    }

    /** Everything a VM has received. */
    public static List<VirtioNic.Received> drain(VirtioNic nic) {
        List<VirtioNic.Received> got = new ArrayList<>();
        for (VirtioNic.Received r; (r = nic.receive()) != null; ) {
            got.add(r);
        }
        return got;
    }

    @Override
    public void close() {
        a.close();
        b.close();
        link.close();
    }
}
