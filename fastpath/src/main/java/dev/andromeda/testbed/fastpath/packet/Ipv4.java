package dev.andromeda.testbed.fastpath.packet;

import dev.andromeda.testbed.fastpath.offload.InternetChecksum;

import java.lang.foreign.MemorySegment;

/**
 * IPv4 header accessors (RFC 791) over off-heap memory, network byte order.
 * {@code at} is the offset of the header's first byte.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |   DSCP    |ECN|          Total Length         |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |0|D|M|     Fragment Offset     |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Options: (IHL - 5) 32-bit words, IHL 5..15           | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * IHL and the fragment offset are kept in their wire units by the raw
 * accessors; {@link #headerLength} and {@link #fragmentOffsetBytes} convert
 * to bytes. Addresses are {@code int}s, {@code 0x0A000001} being 10.0.0.1.
 */
public final class Ipv4 {
    public static final int VERSION = 4;
    public static final int MIN_HEADER_BYTES = 20;
    public static final int MAX_HEADER_BYTES = 60;

    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SRC_OFFSET = 12;
    public static final int DST_OFFSET = 16;
    public static final int OPTIONS_OFFSET = 20;

    /** Don't Fragment, in the flags + fragment offset word. */
    public static final int FLAG_DF = 0x4000;
    /** More Fragments, in the flags + fragment offset word. */
    public static final int FLAG_MF = 0x2000;
    /** The fragment offset in 8-byte units, in the flags + fragment offset word. */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private Ipv4() {
    }

    public static int version(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at) >>> 4;
    }

    /** Internet header length in 32-bit words, 0..15 as it is on the wire (5..15 when valid). */
    public static int ihl(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at) & 0x0F;
    }

    /** Header length in bytes, options included: IHL x 4. */
    public static int headerLength(MemorySegment m, long at) {
        return ihl(m, at) << 2;
    }

    /** Writes version 4 and the given IHL (in 32-bit words) into the first byte. */
    public static void versionAndIhl(MemorySegment m, long at, int ihl) {
        NetworkOrder.setU8(m, at, (VERSION << 4) | (ihl & 0x0F));
    }

    /** Type of service byte: DSCP (6 bits) then ECN (2 bits). */
    public static int tos(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at + TOS_OFFSET);
    }

    public static void tos(MemorySegment m, long at, int tos) {
        NetworkOrder.setU8(m, at + TOS_OFFSET, tos);
    }

    public static int dscp(MemorySegment m, long at) {
        return tos(m, at) >>> 2;
    }

    public static int ecn(MemorySegment m, long at) {
        return tos(m, at) & 0x03;
    }

    /** Header plus payload in bytes. */
    public static int totalLength(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + TOTAL_LENGTH_OFFSET);
    }

    public static void totalLength(MemorySegment m, long at, int totalLength) {
        NetworkOrder.setU16(m, at + TOTAL_LENGTH_OFFSET, totalLength);
    }

    public static int identification(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + IDENTIFICATION_OFFSET);
    }

    public static void identification(MemorySegment m, long at, int identification) {
        NetworkOrder.setU16(m, at + IDENTIFICATION_OFFSET, identification);
    }

    /** The raw flags + fragment offset word; test it with {@link #FLAG_DF}, {@link #FLAG_MF}. */
    public static int flagsAndFragmentOffset(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + FLAGS_FRAGMENT_OFFSET);
    }

    public static void flagsAndFragmentOffset(MemorySegment m, long at, int word) {
        NetworkOrder.setU16(m, at + FLAGS_FRAGMENT_OFFSET, word);
    }

    public static boolean dontFragment(MemorySegment m, long at) {
        return (flagsAndFragmentOffset(m, at) & FLAG_DF) != 0;
    }

    public static boolean moreFragments(MemorySegment m, long at) {
        return (flagsAndFragmentOffset(m, at) & FLAG_MF) != 0;
    }

    /** Where this fragment's data sits in the original datagram's payload, in bytes. */
    public static int fragmentOffsetBytes(MemorySegment m, long at) {
        return (flagsAndFragmentOffset(m, at) & FRAGMENT_OFFSET_MASK) << 3;
    }

    public static int ttl(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at + TTL_OFFSET);
    }

    public static void ttl(MemorySegment m, long at, int ttl) {
        NetworkOrder.setU8(m, at + TTL_OFFSET, ttl);
    }

    public static int protocol(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at + PROTOCOL_OFFSET);
    }

    public static void protocol(MemorySegment m, long at, int protocol) {
        NetworkOrder.setU8(m, at + PROTOCOL_OFFSET, protocol);
    }

    public static int headerChecksum(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + CHECKSUM_OFFSET);
    }

    public static void headerChecksum(MemorySegment m, long at, int checksum) {
        NetworkOrder.setU16(m, at + CHECKSUM_OFFSET, checksum);
    }

    public static int src(MemorySegment m, long at) {
        return NetworkOrder.u32(m, at + SRC_OFFSET);
    }

    public static void src(MemorySegment m, long at, int address) {
        NetworkOrder.setU32(m, at + SRC_OFFSET, address);
    }

    public static int dst(MemorySegment m, long at) {
        return NetworkOrder.u32(m, at + DST_OFFSET);
    }

    public static void dst(MemorySegment m, long at, int address) {
        NetworkOrder.setU32(m, at + DST_OFFSET, address);
    }

    /** Bytes of options, 0..40. */
    public static int optionsLength(MemorySegment m, long at) {
        return headerLength(m, at) - MIN_HEADER_BYTES;
    }

    /**
     * The RFC 1071 header checksum the header should carry: the ones'
     * complement of the ones'-complement sum of the header's 16-bit words
     * (IHL x 4 bytes, options included), the checksum field counted as zero.
     * The field is summed around rather than zeroed so the header is only read.
     */
    public static int computeHeaderChecksum(MemorySegment m, long at) {
        int headerLength = headerLength(m, at);
        long sum = InternetChecksum.partialSum(m, at, CHECKSUM_OFFSET)
                + InternetChecksum.partialSum(m, at + CHECKSUM_OFFSET + 2, headerLength - CHECKSUM_OFFSET - 2);
        return ~InternetChecksum.fold(sum) & 0xFFFF;
    }

    /** Computes the header checksum and writes it into the header. */
    public static void updateHeaderChecksum(MemorySegment m, long at) {
        headerChecksum(m, at, computeHeaderChecksum(m, at));
    }

    /**
     * Whether the header's checksum is right: the ones'-complement sum of the
     * whole header, checksum field included, is 0xFFFF (RFC 1071 §1, "(3)").
     * Reads IHL x 4 bytes; the caller has checked they are inside the frame.
     */
    public static boolean isHeaderChecksumValid(MemorySegment m, long at) {
        return InternetChecksum.fold(InternetChecksum.partialSum(m, at, headerLength(m, at))) == 0xFFFF;
    }
}
