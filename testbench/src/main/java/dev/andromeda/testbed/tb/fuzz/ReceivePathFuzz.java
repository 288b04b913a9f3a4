package dev.andromeda.testbed.tb.fuzz;

import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.tb.frame.FrameFields;

import java.util.Arrays;
import java.util.List;

/**
 * {@code tb fuzz --target receive}: the whole receive path of a host -- parse, PSP open,
 * decapsulation, checksum, delivery to a VM -- on frames a real sender made and then damaged, and
 * on bytes from nowhere.
 *
 * <p>An input is a recipe. Byte 0's top bit set: the rest goes on host b's wire as it is. Clear:
 * host a's VM sends a guest frame (byte 0 bit 0: on the PSP network, else the plain one; bit 1: TCP,
 * else UDP; ports from bytes 4-7, payload from byte 8 on), a encapsulates it (and seals it on the
 * PSP network), and the wire frame reaches b -- with bit 2 set, one byte of it XORed first
 * (position bytes 1-2, mask byte 3). What must hold, whatever the input:
 * <ul>
 *   <li>nothing escapes b's dataplane as an exception, and b settles;</li>
 *   <li>every frame b took off the wire is delivered, dropped under a reason, or sent on;</li>
 *   <li>no buffer leaks (both pools full again once the VMs read their rings);</li>
 *   <li>an undamaged frame reaches the right VM once, byte for byte the guest's frame with its
 *       checksum completed (RFC 1071, computed here);</li>
 *   <li>nothing reaches the PSP network's VM that is not exactly what a's VM sent on it: a damaged
 *       sealed frame is delivered intact or not at all, and raw bytes never (no key);</li>
 *   <li>nothing crosses from one virtual network into the other.</li>
 * </ul>
 */
public final class ReceivePathFuzz {
    private static FuzzNet net;

    private ReceivePathFuzz() {
    }

    public static void fuzzerInitialize() {
        net = new FuzzNet();
    }

    public static void fuzzerTestOneInput(byte[] data) {
        if (net == null) {
            fuzzerInitialize();
        }
        if (data.length == 0) {
            return;
        }
        long fromWire = net.b.counters().fromWire();
        long toVms = net.b.counters().toVms();
        long dropped = FuzzNet.dropped(net.b);
        long onward = net.b.counters().hairpinned();
        boolean raw = (data[0] & 0x80) != 0;
        boolean psp = (data[0] & 1) != 0;
        byte[] expected = null;
        int wireFrames;
        if (raw) {
            net.toB.add(Arrays.copyOfRange(data, 1, Math.min(data.length, 1 + FuzzNet.MAX_FRAME)));
            wireFrames = 1;
        } else {
            if (data.length < 8) {
                return;
            }
            boolean tcp = (data[0] & 2) != 0;
            int ports = (data[4] & 0xFF) << 24 | (data[5] & 0xFF) << 16 | (data[6] & 0xFF) << 8 | (data[7] & 0xFF);
            byte[] guest = FuzzNet.guestFrame(tcp, ports, data, 8, Math.min(data.length - 8, 8000));
            int csumStart = 34;
            int csumOffset = tcp ? 16 : 6;
            (psp ? net.a2 : net.a1).send(guest, csumStart, csumOffset);
            net.settle();
            List<byte[]> sent = List.copyOf(net.wireFromA);
            net.wireFromA.clear();
            if (sent.size() != 1) {
                throw new AssertionError("host a sent " + sent.size() + " frames for one guest frame: " + net.a.counters());
            }
            byte[] wire = sent.getFirst().clone();
            if ((data[0] & 4) != 0) {
                int at = ((data[1] & 0xFF) << 8 | (data[2] & 0xFF)) % wire.length;
                wire[at] ^= (byte) (data[3] == 0 ? 1 : data[3]);
            } else {
                expected = FuzzNet.completed(guest, csumStart, csumOffset);
            }
            net.toB.add(wire);
            wireFrames = 1;
        }
        net.settle();
        net.wireFromA.clear();
        List<VirtioNic.Received> plain = FuzzNet.drain(net.b1);
        List<VirtioNic.Received> secure = FuzzNet.drain(net.b2);
        net.assertNoBufferLeaked("receive");

        long took = net.b.counters().fromWire() - fromWire;
        long accounted = (net.b.counters().toVms() - toVms) + (FuzzNet.dropped(net.b) - dropped)
                + (net.b.counters().hairpinned() - onward);
        if (took != wireFrames || accounted != took) {
            throw new AssertionError("host b took " + took + " of " + wireFrames + " frames off the wire and accounted for "
                    + accounted + " (delivered + dropped + sent on): " + net.b.counters());
        }
        if (raw) {
            if (!secure.isEmpty()) {
                throw new AssertionError("bytes from nowhere reached the PSP network's VM: " + hex(secure.getFirst().frame()));
            }
            return;
        }
        List<VirtioNic.Received> right = psp ? secure : plain;
        List<VirtioNic.Received> other = psp ? plain : secure;
        if (!other.isEmpty()) {
            throw new AssertionError("a frame sent on VNI " + (psp ? FuzzNet.PSP_VNI : FuzzNet.PLAIN_VNI)
                    + " was delivered on the other network: " + hex(other.getFirst().frame()));
        }
        if (expected != null) {
            if (right.size() != 1 || !FuzzNet.sameFrame(right.getFirst().frame(), expected, csumAt(data))) {
                throw new AssertionError("an undamaged frame: expected one delivery of " + hex(expected) + ", got "
                        + right.stream().map(r -> hex(r.frame())).toList() + "; " + net.b.counters());
            }
        } else if (psp) {
            for (VirtioNic.Received r : right) {
                if (r.frame().length < 34 || !intactPspDelivery(r.frame(), data)) {
                    throw new AssertionError("a damaged sealed frame was delivered changed: " + hex(r.frame()));
                }
            }
        }
    }

    /** A delivery of a damaged sealed frame is only allowed when it is exactly what the guest sent. */
    private static boolean intactPspDelivery(byte[] got, byte[] data) {
        boolean tcp = (data[0] & 2) != 0;
        int ports = (data[4] & 0xFF) << 24 | (data[5] & 0xFF) << 16 | (data[6] & 0xFF) << 8 | (data[7] & 0xFF);
        byte[] guest = FuzzNet.guestFrame(tcp, ports, data, 8, Math.min(data.length - 8, 8000));
        return FuzzNet.sameFrame(got, FuzzNet.completed(guest, 34, tcp ? 16 : 6), csumAt(data));
    }

    private static int csumAt(byte[] data) {
        return 34 + ((data[0] & 2) != 0 ? 16 : 6);
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 96); i++) {
            s.append(String.format("%02x", b[i]));
        }
        return s + (b.length > 96 ? "... (" + b.length + " bytes)" : "");
    }

    /** Starting inputs: each kind of frame, whole and damaged in its headers, and one raw. */
    static List<byte[]> seeds() {
        byte[] payload = "a payload of some length, neither empty nor large".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<byte[]> seeds = new java.util.ArrayList<>();
        for (int flags : new int[] {0, 1, 2, 3, 4 | 1, 4 | 3}) {
            byte[] s = new byte[8 + payload.length];
            s[0] = (byte) flags;
            s[1] = 0;
            s[2] = (byte) 60; // inside the outer headers
            s[3] = (byte) 0x40;
            FrameFields.put32(s, 4, 0x1F90_0035);
            System.arraycopy(payload, 0, s, 8, payload.length);
            seeds.add(s);
        }
        byte[] raw = new byte[1 + 64];
        raw[0] = (byte) 0x80;
        seeds.add(raw);
        return seeds;
    }
}
