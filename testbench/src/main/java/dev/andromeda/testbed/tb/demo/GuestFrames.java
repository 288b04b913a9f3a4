package dev.andromeda.testbed.tb.demo;

import dev.andromeda.testbed.tb.demo.TrafficPlan.Packet;

import java.util.Random;

/**
 * Frames as a guest's stack hands them to its virtio NIC: Ethernet, IPv4
 * (header checksum done), TCP or UDP with {@code NEEDS_CSUM} -- the checksum
 * field holds the pseudo-header sum and the host completes it. The payload
 * starts with the packet's id (8 bytes) so the scoreboard knows every packet
 * it sees; the rest is random from the packet's id, so a frame is the same in
 * every run. {@link #completed} is what the receiving VM must get, computed
 * here by RFC 1071 independently of the dataplane's checksum stages.
 */
public final class GuestFrames {
    static final int ETH = 14;
    static final int IP = 20;
    /** Bytes before the payload's packet id. */
    static int payloadOffset(boolean tcp) {
        return ETH + IP + (tcp ? 20 : 8);
    }

    private GuestFrames() {
    }

    /** The smallest frame that carries a packet id. */
    public static int minFrame(boolean tcp) {
        return payloadOffset(tcp) + 8;
    }

    public static byte[] frame(Packet p) {
        TrafficPlan.Flow f = p.flow();
        boolean tcp = f.tcp();
        int l4h = tcp ? 20 : 8;
        int len = Math.max(p.frameBytes(), minFrame(tcp));
        int payload = len - ETH - IP - l4h;
        byte[] b = new byte[len];
        putMac(b, 0, f.dst().vm().mac());
        putMac(b, 6, f.src().vm().mac());
        b[12] = 0x08;
        b[14] = 0x45;
        put16(b, 16, IP + l4h + payload);
        put16(b, 18, (int) p.id());
        b[20] = 0x40; // don't fragment
        b[22] = 64;
        b[23] = (byte) (tcp ? 6 : 17);
        int src = f.src().vm().ipv4();
        int dst = f.dst().vm().ipv4();
        put32(b, 26, src);
        put32(b, 30, dst);
        put16(b, 24, ~fold(sum(b, ETH, IP)) & 0xFFFF);
        put16(b, 34, f.srcPort());
        put16(b, 36, f.dstPort());
        if (tcp) {
            put32(b, 38, (int) (p.id() * 1460));   // sequence
            b[46] = 0x50;                           // data offset 5
            b[47] = 0x18;                           // PSH, ACK
            put16(b, 48, 65535);
        } else {
            put16(b, 38, 8 + payload);
        }
        int at = payloadOffset(tcp);
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
        if (!tcp && frame[23] != 17 || frame.length < minFrame(tcp)) {
            return -1;
        }
        long id = 0;
        int at = payloadOffset(tcp);
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

    static void put16(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    static void put32(byte[] f, int at, int v) {
        put16(f, at, v >>> 16);
        put16(f, at + 2, v);
    }

    static void putMac(byte[] f, int at, long mac) {
        for (int i = 0; i < 6; i++) {
            f[at + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }
}
