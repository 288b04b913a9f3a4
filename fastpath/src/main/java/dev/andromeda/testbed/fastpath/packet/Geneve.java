package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.MemorySegment;

/**
 * GENEVE header accessors (RFC 8926 §3.4), carried in UDP to port 6081.
 * {@code at} is the offset of the header's first byte (the UDP payload).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Virtual Network Identifier (VNI)       |    Reserved   |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Variable-Length Options                    |  8
 * ~                    (Opt Len x 4 bytes, 0..252)                ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                                                                     8 + Opt Len x 4: the inner frame
 *
 *  Ver: 0.  O: OAM (control) packet.  C: critical options present.
 *  Protocol Type: an ethertype, 0x6558 (Transparent Ethernet Bridging) when an
 *  Ethernet frame follows, which is how this testbed uses it.
 * </pre>
 */
public final class Geneve {
    public static final int UDP_PORT = 6081;
    public static final int VERSION = 0;
    /** The fixed part; options follow. */
    public static final int BASE_HEADER_BYTES = 8;
    public static final int MAX_OPTIONS_BYTES = 63 * 4;
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    public static final int VNI_OFFSET = 4;
    public static final int MAX_VNI = 0xFF_FFFF;

    private static final int OAM_BIT = 0x80;
    private static final int CRITICAL_BIT = 0x40;

    private Geneve() {
    }

    public static int version(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at) >>> 6;
    }

    /** Option length in 4-byte words, 0..63. */
    public static int optionLengthWords(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at) & 0x3F;
    }

    public static int optionsLength(MemorySegment m, long at) {
        return optionLengthWords(m, at) << 2;
    }

    /** Base header plus options, in bytes: where the inner frame starts, relative to {@code at}. */
    public static int headerLength(MemorySegment m, long at) {
        return BASE_HEADER_BYTES + optionsLength(m, at);
    }

    /** Writes the first byte: version 0 and the option length in 4-byte words. */
    public static void versionAndOptionLength(MemorySegment m, long at, int optionWords) {
        NetworkOrder.setU8(m, at, (VERSION << 6) | (optionWords & 0x3F));
    }

    public static boolean oam(MemorySegment m, long at) {
        return (NetworkOrder.u8(m, at + 1) & OAM_BIT) != 0;
    }

    public static boolean critical(MemorySegment m, long at) {
        return (NetworkOrder.u8(m, at + 1) & CRITICAL_BIT) != 0;
    }

    /** Writes the O and C bits; the six reserved bits become 0. */
    public static void flags(MemorySegment m, long at, boolean oam, boolean critical) {
        NetworkOrder.setU8(m, at + 1, (oam ? OAM_BIT : 0) | (critical ? CRITICAL_BIT : 0));
    }

    public static int protocolType(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + PROTOCOL_TYPE_OFFSET);
    }

    public static void protocolType(MemorySegment m, long at, int protocolType) {
        NetworkOrder.setU16(m, at + PROTOCOL_TYPE_OFFSET, protocolType);
    }

    /** The 24-bit virtual network identifier. */
    public static int vni(MemorySegment m, long at) {
        return NetworkOrder.u32(m, at + VNI_OFFSET) >>> 8;
    }

    /** Writes the VNI; the reserved byte after it becomes 0. */
    public static void vni(MemorySegment m, long at, int vni) {
        NetworkOrder.setU32(m, at + VNI_OFFSET, (vni & MAX_VNI) << 8);
    }
}
