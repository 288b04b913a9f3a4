package dev.andromeda.testbed.tb.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generated inner packets as a VM's virtio-net driver hands them over with
 * CHECKSUM_PARTIAL: Ethernet + IPv4 + UDP or TCP, the L4 checksum field holding
 * zero, csum_start at the L4 header, csum_offset at its checksum field, and the
 * pseudo-header sum as the seed -- exactly the job of the checksum stage.
 *
 * <p>Sizes follow a data-centre mix: most packets small (acks, RPCs), a third
 * MTU-sized, a few jumbo frames.
 */
public final class DemoPackets {
    /** A packet and its checksum job. */
    public record Packet(byte[] frame, int csumStart, int csumOffset, int seed, boolean tcp) {
    }

    private static final int ETH = 14;
    private static final int IP = 20;

    private DemoPackets() {
    }

    public static List<Packet> generate(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Packet> packets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int pick = r.nextInt(100);
            int size = pick < 60 ? 64 + r.nextInt(200) : pick < 95 ? 264 + r.nextInt(1251) : 1515 + r.nextInt(7700);
            packets.add(packet(r, size, r.nextInt(3) != 0));
        }
        return packets;
    }

    private static Packet packet(SplittableRandom r, int frameSize, boolean tcp) {
        int l4Header = tcp ? 20 : 8;
        int size = Math.max(frameSize, ETH + IP + l4Header);
        byte[] f = new byte[size];
        // Ethernet: locally administered MACs, IPv4.
        f[0] = 0x02;
        for (int i = 1; i < 12; i++) {
            f[i] = (byte) r.nextInt(256);
        }
        f[6] = 0x02;
        f[12] = 0x08;
        f[13] = 0x00;
        // IPv4 header (its own checksum is the host stack's, filled in here).
        int ipLen = size - ETH;
        f[ETH] = 0x45;
        put16(f, ETH + 2, ipLen);
        put16(f, ETH + 4, r.nextInt(0x10000));
        f[ETH + 8] = 64;
        f[ETH + 9] = (byte) (tcp ? 6 : 17);
        byte[] src = {10, (byte) r.nextInt(256), (byte) r.nextInt(256), (byte) (1 + r.nextInt(254))};
        byte[] dst = {10, (byte) r.nextInt(256), (byte) r.nextInt(256), (byte) (1 + r.nextInt(254))};
        System.arraycopy(src, 0, f, ETH + 12, 4);
        System.arraycopy(dst, 0, f, ETH + 16, 4);
        put16(f, ETH + 10, ~fold(sum(f, ETH, IP, 0)) & 0xFFFF);
        // L4 header and payload.
        int l4 = ETH + IP;
        int l4Len = size - l4;
        put16(f, l4, 1024 + r.nextInt(60000));
        put16(f, l4 + 2, r.nextBoolean() ? 443 : 6081);
        if (tcp) {
            for (int i = 4; i < 12; i++) {
                f[l4 + i] = (byte) r.nextInt(256);
            }
            f[l4 + 12] = 0x50;
            f[l4 + 13] = 0x18;
            put16(f, l4 + 14, 65535);
        } else {
            put16(f, l4 + 4, l4Len);
        }
        for (int i = l4 + l4Header; i < size; i++) {
            f[i] = (byte) r.nextInt(256);
        }
        // Pseudo-header: src, dst, zero + protocol, L4 length.
        long pseudo = 0;
        pseudo += ((src[0] & 0xFF) << 8 | (src[1] & 0xFF)) + ((src[2] & 0xFF) << 8 | (src[3] & 0xFF));
        pseudo += ((dst[0] & 0xFF) << 8 | (dst[1] & 0xFF)) + ((dst[2] & 0xFF) << 8 | (dst[3] & 0xFF));
        pseudo += (tcp ? 6 : 17) + l4Len;
        int seed = fold(pseudo);
        return new Packet(f, l4, l4 + (tcp ? 16 : 6), seed, tcp);
    }

    /**
     * Whether the packet's L4 checksum verifies, as a receiver checks it: the
     * sum over pseudo-header and segment, checksum included, is 0xFFFF.
     */
    public static boolean l4ChecksumValid(byte[] f, Packet p) {
        long s = sum(f, p.csumStart(), f.length - p.csumStart(), p.seed());
        return fold(s) == 0xFFFF;
    }

    private static long sum(byte[] f, int from, int len, long seed) {
        long s = seed;
        int i = from;
        int end = from + len;
        for (; i + 1 < end; i += 2) {
            s += (f[i] & 0xFF) << 8 | (f[i + 1] & 0xFF);
        }
        if (i < end) {
            s += (f[i] & 0xFF) << 8;
        }
        return s;
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
}
