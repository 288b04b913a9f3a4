package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.MemorySegment;

/**
 * TCP header accessors (RFC 9293). {@code at} is the offset of the header's
 * first byte.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             | 12
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Options: (Data Offset - 5) 32-bit words              | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Tcp {
    public static final int MIN_HEADER_BYTES = 20;
    public static final int MAX_HEADER_BYTES = 60;
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private Tcp() {
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

    public static int sequence(MemorySegment m, long at) {
        return NetworkOrder.u32(m, at + SEQUENCE_OFFSET);
    }

    public static void sequence(MemorySegment m, long at, int sequence) {
        NetworkOrder.setU32(m, at + SEQUENCE_OFFSET, sequence);
    }

    public static int acknowledgment(MemorySegment m, long at) {
        return NetworkOrder.u32(m, at + ACKNOWLEDGMENT_OFFSET);
    }

    public static void acknowledgment(MemorySegment m, long at, int acknowledgment) {
        NetworkOrder.setU32(m, at + ACKNOWLEDGMENT_OFFSET, acknowledgment);
    }

    /** Data offset in 32-bit words, 0..15 as on the wire (5..15 when valid). */
    public static int dataOffset(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at + DATA_OFFSET_OFFSET) >>> 4;
    }

    /** Writes the data offset (32-bit words); the reserved bits become 0. */
    public static void dataOffset(MemorySegment m, long at, int words) {
        NetworkOrder.setU8(m, at + DATA_OFFSET_OFFSET, (words & 0x0F) << 4);
    }

    /** Header length in bytes, options included: data offset x 4. */
    public static int headerLength(MemorySegment m, long at) {
        return dataOffset(m, at) << 2;
    }

    /** The eight flag bits CWR..FIN; test them with {@link #SYN}, {@link #ACK} and the rest. */
    public static int flags(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at + FLAGS_OFFSET);
    }

    public static void flags(MemorySegment m, long at, int flags) {
        NetworkOrder.setU8(m, at + FLAGS_OFFSET, flags);
    }

    public static int window(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + WINDOW_OFFSET);
    }

    public static void window(MemorySegment m, long at, int window) {
        NetworkOrder.setU16(m, at + WINDOW_OFFSET, window);
    }

    public static int checksum(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + CHECKSUM_OFFSET);
    }

    public static void checksum(MemorySegment m, long at, int checksum) {
        NetworkOrder.setU16(m, at + CHECKSUM_OFFSET, checksum);
    }

    public static int urgentPointer(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + URGENT_POINTER_OFFSET);
    }

    public static void urgentPointer(MemorySegment m, long at, int pointer) {
        NetworkOrder.setU16(m, at + URGENT_POINTER_OFFSET, pointer);
    }
}
