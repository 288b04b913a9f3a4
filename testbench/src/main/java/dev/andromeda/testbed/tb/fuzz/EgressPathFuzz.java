package dev.andromeda.testbed.tb.fuzz;

import dev.andromeda.testbed.fastpath.dataplane.HostBatch;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;

import java.util.Arrays;
import java.util.List;

/**
 * {@code tb fuzz --target egress}: the egress path from a VM's frame -- parse, anti-spoofing, flow
 * lookup and firewall, checksum completion, GENEVE encapsulation, PSP seal -- and then the peer's
 * receive path on whatever the wire carried.
 *
 * <p>An input is the VM's send: byte 0 bit 0 picks the VM on the PSP network (else the plain one),
 * bit 1 asks the host to complete a checksum at csum_start (bytes 1-2) + csum_offset (byte 3),
 * virtio's NEEDS_CSUM; from byte 4 on, the frame, as any guest could write it. What must hold:
 * <ul>
 *   <li>nothing escapes either host as an exception, and both settle;</li>
 *   <li>every frame host a took from the VM is sent, delivered locally, dropped under a reason,
 *       or sent on;</li>
 *   <li>no buffer leaks on either host;</li>
 *   <li>what reaches host b's VMs reaches only the VM on the sender's network, and is the guest's
 *       frame byte for byte -- with the checksum completed (RFC 1071, computed here) when asked.</li>
 * </ul>
 */
public final class EgressPathFuzz {
    private static FuzzNet net;

    private EgressPathFuzz() {
    }

    public static void fuzzerInitialize() {
        net = new FuzzNet();
    }

    public static void fuzzerTestOneInput(byte[] data) {
        if (net == null) {
            fuzzerInitialize();
        }
        if (data.length < 4) {
            return;
        }
        boolean psp = (data[0] & 1) != 0;
        boolean csum = (data[0] & 2) != 0;
        int csumStart = csum ? (data[1] & 0xFF) << 8 | (data[2] & 0xFF) : HostBatch.NO_CSUM;
        int csumOffset = csum ? data[3] & 0xFF : 0;
        byte[] frame = Arrays.copyOfRange(data, 4, Math.min(data.length, 4 + FuzzNet.MAX_FRAME - 200));
        VirtioNic from = psp ? net.a2 : net.a1;

        long fromVms = net.a.counters().fromVms();
        long out = net.a.counters().toWire() + net.a.counters().toVms() + FuzzNet.dropped(net.a)
                + net.a.counters().hairpinned();
        boolean taken = from.send(frame, csumStart, csumOffset);
        net.settle();
        for (byte[] w : net.wireFromA) {
            net.toB.add(w);
        }
        net.wireFromA.clear();
        net.settle();
        net.wireFromA.clear();
        List<VirtioNic.Received> plain = FuzzNet.drain(net.b1);
        List<VirtioNic.Received> secure = FuzzNet.drain(net.b2);
        FuzzNet.drain(net.a1);
        FuzzNet.drain(net.a2);
        net.assertNoBufferLeaked("egress");

        long took = net.a.counters().fromVms() - fromVms;
        long accounted = net.a.counters().toWire() + net.a.counters().toVms() + FuzzNet.dropped(net.a)
                + net.a.counters().hairpinned() - out;
        if (took != (taken ? 1 : 0) || accounted != took) {
            throw new AssertionError("host a took " + took + " frames from its VM (send " + (taken ? "accepted" : "refused")
                    + ") and accounted for " + accounted + " (sent + delivered + dropped + sent on): " + net.a.counters());
        }
        List<VirtioNic.Received> other = psp ? plain : secure;
        if (!other.isEmpty()) {
            throw new AssertionError("a frame a VM sent on VNI " + (psp ? FuzzNet.PSP_VNI : FuzzNet.PLAIN_VNI)
                    + " reached the other network's VM: " + ReceivePathFuzz.hex(other.getFirst().frame()));
        }
        List<VirtioNic.Received> right = psp ? secure : plain;
        if (right.size() > 1) {
            throw new AssertionError("one frame sent, " + right.size() + " delivered");
        }
        if (right.size() == 1) {
            byte[] got = right.getFirst().frame();
            boolean completable = csumStart >= 0 && csumStart + csumOffset + 2 <= frame.length;
            byte[] expected = !csum ? frame : completable ? FuzzNet.completed(frame, csumStart, csumOffset) : null;
            if (expected == null || !FuzzNet.sameFrame(got, expected, csum ? csumStart + csumOffset : -1)) {
                throw new AssertionError("delivered " + ReceivePathFuzz.hex(got) + " for the guest's "
                        + ReceivePathFuzz.hex(frame) + (csum ? " (checksum at " + csumStart + "+" + csumOffset + ")" : ""));
            }
        }
    }

    /** Starting inputs: UDP and TCP guest frames on both networks, with and without a checksum request. */
    static List<byte[]> seeds() {
        byte[] payload = "egress seed payload".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<byte[]> seeds = new java.util.ArrayList<>();
        for (int flags = 0; flags < 8; flags++) {
            boolean tcp = (flags & 4) != 0;
            byte[] f = FuzzNet.guestFrame(tcp, 0x1F90_0035, payload, 0, payload.length);
            if ((flags & 2) == 0) {
                f = FuzzNet.completed(f, 34, tcp ? 16 : 6);
            }
            byte[] s = new byte[4 + f.length];
            s[0] = (byte) (flags & 3);
            s[1] = 0;
            s[2] = 34;
            s[3] = (byte) (tcp ? 16 : 6);
            System.arraycopy(f, 0, s, 4, f.length);
            seeds.add(s);
        }
        return seeds;
    }
}
