package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.MemorySegment;

/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443) header accessors: both start with the
 * same 8 bytes, so one class reads both. {@code at} is the offset of the
 * header's first byte.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  rest of header: echo identifier + sequence, MTU, pointer ... |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Every ICMPv4 message has these 8 bytes, and every ICMPv6 message RFC 4443
 * and its successors define has at least 4 bytes after the checksum, so the
 * parser requires all 8.
 */
public final class Icmp {
    public static final int HEADER_BYTES = 8;
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int REST_OFFSET = 4;

    public static final int V4_ECHO_REPLY = 0;
    public static final int V4_DESTINATION_UNREACHABLE = 3;
    public static final int V4_ECHO_REQUEST = 8;
    public static final int V4_TIME_EXCEEDED = 11;
    public static final int V6_DESTINATION_UNREACHABLE = 1;
    public static final int V6_PACKET_TOO_BIG = 2;
    public static final int V6_ECHO_REQUEST = 128;
    public static final int V6_ECHO_REPLY = 129;

    private Icmp() {
    }

    public static int type(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at + TYPE_OFFSET);
    }

    public static void type(MemorySegment m, long at, int type) {
        NetworkOrder.setU8(m, at + TYPE_OFFSET, type);
    }

    public static int code(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at + CODE_OFFSET);
    }

    public static void code(MemorySegment m, long at, int code) {
        NetworkOrder.setU8(m, at + CODE_OFFSET, code);
    }

    public static int checksum(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + CHECKSUM_OFFSET);
    }

    public static void checksum(MemorySegment m, long at, int checksum) {
        NetworkOrder.setU16(m, at + CHECKSUM_OFFSET, checksum);
    }

    /** Echo request/reply identifier (the first half of the rest of the header). */
    public static int echoIdentifier(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + REST_OFFSET);
    }

    public static void echoIdentifier(MemorySegment m, long at, int identifier) {
        NetworkOrder.setU16(m, at + REST_OFFSET, identifier);
    }

    public static int echoSequence(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + REST_OFFSET + 2);
    }

    public static void echoSequence(MemorySegment m, long at, int sequence) {
        NetworkOrder.setU16(m, at + REST_OFFSET + 2, sequence);
    }
}
