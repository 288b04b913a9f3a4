package dev.andromeda.testbed.tb.demo;

import dev.andromeda.testbed.tb.demo.TrafficPlan.Packet;

import java.util.Random;

import static dev.andromeda.testbed.tb.frame.FrameFields.put16;
import static dev.andromeda.testbed.tb.frame.FrameFields.put32;
import static dev.andromeda.testbed.tb.frame.FrameFields.putMac;

/**
 * Frames as a guest's stack hands them to its virtio NIC: Ethernet, IPv4
 * (header checksum done), TCP or UDP with {@code NEEDS_CSUM} -- the checksum
 * field holds the pseudo-header sum and the host completes it. The payload
 * starts with the packet's id (8 bytes) so the scoreboard knows every packet
 * it sees; the rest is random from the packet's id, so a frame is the same in
 * every run. {@link #completed} is what the receiving VM must get, computed
 * here by RFC 1071 independently of the dataplane's checksum stages.
 *
 * <p>TCP segments read as one consistent connection per flow in a capture
 * (tshark's expert analysis finds nothing to warn about): the plan numbers them
 * in send order, the handshake segments carry the maximum segment size and the
 * window-scale option (shift 14, so that a flow's unacknowledged data never fills
 * the advertised window), and data segments acknowledge the server's SYN-ACK.
 * The handshake segments carry their packet id as data, as a SYN may (tshark
 * notes it as TCP Fast Open data; a note, not a warning).
 */
public final class GuestFrames {
    static final int ETH = 14;
    static final int IP = 20;
    private static final int TCP = 20;
    /** A SYN's or SYN-ACK's TCP header: maximum segment size (4 bytes), a no-op, window scale (3). */
    private static final int TCP_HANDSHAKE = 28;
    /** The largest scenario frame (9,000 bytes, jumbo) less its Ethernet, IPv4 and TCP headers. */
    private static final int MSS = 9000 - ETH - IP - TCP;
    private static final int UDP = 8;
    private static final int WINDOW_SHIFT = 14;

    private GuestFrames() {
    }

    /** The L4 header's length in the packet's frame. */
    private static int l4Header(Packet p) {
        return switch (p.segment()) {
            case UDP -> UDP;
            case SYN, SYN_ACK -> TCP_HANDSHAKE;
            case DATA -> TCP;
        };
    }

    /** The frame size of a handshake segment: its headers and the packet id. */
    static int handshakeFrame() {
        return ETH + IP + TCP_HANDSHAKE + 8;
    }

    /** The frame's length: the plan's size, at least the headers and the packet id. */
    private static int frameLength(Packet p) {
        return Math.max(p.frameBytes(), ETH + IP + l4Header(p) + 8);
    }

    /** Bytes of L4 payload (the packet id included) the packet's frame carries. */
    static int payloadBytes(Packet p) {
        return frameLength(p) - ETH - IP - l4Header(p);
    }

    public static byte[] frame(Packet p) {
        TrafficPlan.Flow f = p.flow();
        boolean tcp = f.tcp();
        int l4h = l4Header(p);
        int len = frameLength(p);
        int payload = len - ETH - IP - l4h;
        byte[] b = new byte[len];
        putMac(b, 0, p.receiver().vm().mac());
        putMac(b, 6, p.sender().vm().mac());
        b[12] = 0x08;
        b[14] = 0x45;
        put16(b, 16, IP + l4h + payload);
        put16(b, 18, (int) p.id());
        b[20] = 0x40; // don't fragment
        b[22] = 64;
        b[23] = (byte) (tcp ? 6 : 17);
        int src = p.sender().vm().ipv4();
        int dst = p.receiver().vm().ipv4();
        put32(b, 26, src);
        put32(b, 30, dst);
        put16(b, 24, ~fold(sum(b, ETH, IP)) & 0xFFFF);
        put16(b, 34, p.senderPort());
        put16(b, 36, p.receiverPort());
        if (tcp) {
            put32(b, 38, p.seq());
            put32(b, 42, p.ack());
            b[46] = (byte) (l4h / 4 << 4);          // data offset in 32-bit words
            b[47] = switch (p.segment()) {
                case SYN -> 0x02;
                case SYN_ACK -> 0x12;
                default -> 0x18;                   // PSH, ACK
            };
            put16(b, 48, 65535);                   // scaled by 2^14 once both sides said so
            if (l4h == TCP_HANDSHAKE) {
                b[54] = 2;                         // maximum segment size: kind 2, length 4
                b[55] = 4;
                put16(b, 56, MSS);
                b[58] = 1;                         // no-op, then window scale: kind 3, length 3
                b[59] = 3;
                b[60] = 3;
                b[61] = WINDOW_SHIFT;
            }
        } else {
            put16(b, 38, 8 + payload);
        }
        int at = ETH + IP + l4h;
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (p.id() >>> (56 - 8 * i));
        }
        Random r = new Random(p.id() * 0x9E3779B97F4A7C15L);
        for (int i = at + 8; i < len; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        long pseudo = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + (tcp ? 6 : 17) + l4h + payload;
        put16(b, csumField(tcp), fold(pseudo));
        return b;
    }

    /** virtio's csum_start and csum_offset for the frame. */
    public static int csumStart() {
        return ETH + IP;
    }

    public static int csumOffset(boolean tcp) {
        return tcp ? 16 : 6;
    }

    static int csumField(boolean tcp) {
        return ETH + IP + csumOffset(tcp);
    }

    /** The frame the receiving VM must get: the L4 checksum completed (RFC 1071, here, by hand). */
    public static byte[] completed(byte[] sent, boolean tcp) {
        byte[] f = sent.clone();
        put16(f, csumField(tcp), ~fold(sum(f, ETH + IP, f.length - ETH - IP)) & 0xFFFF);
        return f;
    }

    /** The packet id a received frame carries, or -1 if it is not one of ours. */
    public static long packetId(byte[] frame) {
        if (frame.length < ETH + IP || (frame[14] & 0xFF) != 0x45) {
            return -1;
        }
        boolean tcp = frame[23] == 6;
        if (!tcp && frame[23] != 17 || frame.length < ETH + IP + (tcp ? TCP : UDP)) {
            return -1;
        }
        int at = ETH + IP + (tcp ? (frame[ETH + IP + 12] & 0xF0) >>> 2 : UDP);
        if (frame.length < at + 8) {
            return -1;
        }
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id = id << 8 | (frame[at + i] & 0xFF);
        }
        return id;
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
}
