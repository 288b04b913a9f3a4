package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.MemorySegment;

/**
 * IPv6 extension header accessors (RFC 8200 §4). {@code at} is the offset of
 * the extension header's first byte. Two shapes:
 *
 * <pre>
 *  Hop-by-hop (0), routing (43), destination options (60): a TLV chain.
 *  +---------------+---------------+-------------------------------+
 *  |  Next Header  |  Hdr Ext Len  |  options / routing data ...   |
 *  +---------------+---------------+                               +
 *  ~   length = (Hdr Ext Len + 1) x 8 bytes, 8 at least            ~
 *  +---------------------------------------------------------------+
 *
 *  Fragment (44): always 8 bytes.
 *  +---------------+---------------+-------------------------+-+-+-+
 *  |  Next Header  |   Reserved    |     Fragment Offset     |Res|M|
 *  +---------------+---------------+-------------------------+-+-+-+
 *  |                        Identification                         |
 *  +---------------------------------------------------------------+
 *    Fragment Offset in 8-byte units; M = more fragments.
 * </pre>
 */
public final class Ipv6Extension {
    /** The smallest extension header, and the size of every fragment header. */
    public static final int MIN_HEADER_BYTES = 8;
    public static final int FRAGMENT_HEADER_BYTES = 8;
    public static final int LENGTH_OFFSET = 1;
    public static final int FRAGMENT_WORD_OFFSET = 2;
    public static final int FRAGMENT_IDENTIFICATION_OFFSET = 4;
    /** M flag in the fragment header's offset word. */
    public static final int FRAGMENT_MORE = 0x0001;

    private Ipv6Extension() {
    }

    public static int nextHeader(MemorySegment m, long at) {
        return NetworkOrder.u8(m, at);
    }

    public static void nextHeader(MemorySegment m, long at, int nextHeader) {
        NetworkOrder.setU8(m, at, nextHeader);
    }

    /** Bytes of a hop-by-hop, routing or destination options header: (Hdr Ext Len + 1) x 8, 8..2,048. */
    public static int length(MemorySegment m, long at) {
        return (NetworkOrder.u8(m, at + LENGTH_OFFSET) + 1) << 3;
    }

    /**
     * Writes Hdr Ext Len for a TLV header of {@code lengthBytes} (a multiple
     * of 8, 8..2,048).
     */
    public static void length(MemorySegment m, long at, int lengthBytes) {
        NetworkOrder.setU8(m, at + LENGTH_OFFSET, (lengthBytes >>> 3) - 1);
    }

    /** Fragment header: where this fragment's data sits in the original payload, in bytes. */
    public static int fragmentOffsetBytes(MemorySegment m, long at) {
        return NetworkOrder.u16(m, at + FRAGMENT_WORD_OFFSET) & 0xFFF8;
    }

    public static boolean moreFragments(MemorySegment m, long at) {
        return (NetworkOrder.u16(m, at + FRAGMENT_WORD_OFFSET) & FRAGMENT_MORE) != 0;
    }

    /** Writes a fragment header's offset (bytes, a multiple of 8) and M flag; the reserved bits become 0. */
    public static void fragment(MemorySegment m, long at, int offsetBytes, boolean moreFragments) {
        NetworkOrder.setU8(m, at + LENGTH_OFFSET, 0);
        NetworkOrder.setU16(m, at + FRAGMENT_WORD_OFFSET, (offsetBytes & 0xFFF8) | (moreFragments ? FRAGMENT_MORE : 0));
    }

    public static int fragmentIdentification(MemorySegment m, long at) {
        return NetworkOrder.u32(m, at + FRAGMENT_IDENTIFICATION_OFFSET);
    }

    public static void fragmentIdentification(MemorySegment m, long at, int identification) {
        NetworkOrder.setU32(m, at + FRAGMENT_IDENTIFICATION_OFFSET, identification);
    }
}
