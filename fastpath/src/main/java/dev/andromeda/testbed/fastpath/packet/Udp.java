package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.MemorySegment;

/**
 * UDP header accessors (RFC 768). {@code at} is the offset of the header's
 * first byte.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Length (header + data)    |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Udp {
    public static final int HEADER_BYTES = 8;
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;

    private Udp() {
    }

    public static int srcPort(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + SRC_PORT_OFFSET);
    }

    public static void srcPort(MemorySegment m, long at, int port) {
        NetworkOrder.setU16(m, at + SRC_PORT_OFFSET, port);
    }

    public static int dstPort(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + DST_PORT_OFFSET);
    }

    public static void dstPort(MemorySegment m, long at, int port) {
        NetworkOrder.setU16(m, at + DST_PORT_OFFSET, port);
    }

    public static int length(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + LENGTH_OFFSET);
    }

    public static void length(MemorySegment m, long at, int length) {
        NetworkOrder.setU16(m, at + LENGTH_OFFSET, length);
    }

    public static int checksum(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + CHECKSUM_OFFSET);
    }

    public static void checksum(MemorySegment m, long at, int checksum) {
        NetworkOrder.setU16(m, at + CHECKSUM_OFFSET, checksum);
    }
}
