package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.MemorySegment;

/**
 * IPv6 fixed header accessors (RFC 8200 §3) over off-heap memory, network
 * byte order. {@code at} is the offset of the header's first byte. Extension
 * headers are read with {@link Ipv6Extension}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |              Flow Label               |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Source Address (128 bits)                     |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Destination Address (128 bits)                   | 24
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                                                                   40: extension headers or upper layer
 * </pre>
 *
 * A 128-bit address is handled as two {@code long}s, {@code hi} being the
 * first 8 bytes on the wire: {@code 2001:db8::1} is
 * {@code hi = 0x20010DB8_00000000L, lo = 1}.
 */
public final class Ipv6 {
    public static final int VERSION = 6;
    public static final int HEADER_BYTES = 40;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SRC_OFFSET = 8;
    public static final int DST_OFFSET = 24;

    private Ipv6() {
    }

    public static int version(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at) >>> 4;
    }

    public static int trafficClass(MemorySegment m, long at) {
        return (NetworkOrder.u32(m, at) >>> 20) & 0xFF;
    }

    public static int flowLabel(MemorySegment m, long at) {
        return NetworkOrder.u32(m, at) & 0xF_FFFF;
    }

    /** Writes the first word: version 6, traffic class (8 bits), flow label (20 bits). */
    public static void versionClassAndFlow(MemorySegment m, long at, int trafficClass, int flowLabel) {
        NetworkOrder.setU32(m, at, (VERSION << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & 0xF_FFFF));
    }

    /** Bytes after the fixed header, extension headers included. */
    public static int payloadLength(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + PAYLOAD_LENGTH_OFFSET);
    }

    public static void payloadLength(MemorySegment m, long at, int payloadLength) {
        NetworkOrder.setU16(m, at + PAYLOAD_LENGTH_OFFSET, payloadLength);
    }

    public static int nextHeader(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at + NEXT_HEADER_OFFSET);
    }

    public static void nextHeader(MemorySegment m, long at, int nextHeader) {
        NetworkOrder.setU8(m, at + NEXT_HEADER_OFFSET, nextHeader);
    }

    public static int hopLimit(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at + HOP_LIMIT_OFFSET);
    }

    public static void hopLimit(MemorySegment m, long at, int hopLimit) {
        NetworkOrder.setU8(m, at + HOP_LIMIT_OFFSET, hopLimit);
    }

    public static long srcHi(MemorySegment m, long at) {
        return NetworkOrder.u64(m, at + SRC_OFFSET);
    }

    public static long srcLo(MemorySegment m, long at) {
        return NetworkOrder.u64(m, at + SRC_OFFSET + 8);
    }

    public static void src(MemorySegment m, long at, long hi, long lo) {
        NetworkOrder.setU64(m, at + SRC_OFFSET, hi);
        NetworkOrder.setU64(m, at + SRC_OFFSET + 8, lo);
    }

    public static long dstHi(MemorySegment m, long at) {
        return NetworkOrder.u64(m, at + DST_OFFSET);
    }

    public static long dstLo(MemorySegment m, long at) {
        return NetworkOrder.u64(m, at + DST_OFFSET + 8);
    }

    public static void dst(MemorySegment m, long at, long hi, long lo) {
        NetworkOrder.setU64(m, at + DST_OFFSET, hi);
        NetworkOrder.setU64(m, at + DST_OFFSET + 8, lo);
    }
}
