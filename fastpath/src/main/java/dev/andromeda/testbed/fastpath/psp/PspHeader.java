package dev.andromeda.testbed.fastpath.psp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Static accessors of the PSP header at {@code (segment, at)}, in network byte
 * order. PSP rides in UDP to port {@value #UDP_PORT}; the header is 16 bytes, or
 * 24 with the virtualization cookie:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Next Header  |  Hdr Ext Len  |R|R| Crypt Off |S|D|Version|V|1|  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Security Parameters Index (SPI), bit 31 = master key|  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |  8
 *  +                Initialization Vector (IV), 64 bits            +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               | 16
 *  +       Virtualization Cookie (VC), only when V = 1             +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  Next Header  IP protocol of what follows (transport mode: the protocol the
 *               PSP encapsulation replaced, e.g. 17 for UDP)
 *  Hdr Ext Len  header length beyond the first 8 bytes, in 8-octet units:
 *               1 (16 bytes), or 2 with the cookie (24 bytes)
 *  Crypt Off    bytes after the IV (cookie included) left in clear, in
 *               4-octet units; the two bits above it are reserved, zero
 *  S            sample;  D  drop;  Version  0..3, see {@link PspVersion}
 *  V            virtualization cookie present;  the last bit is always 1
 * </pre>
 *
 * The GCM nonce is the 12 header bytes from the SPI through the IV, as they
 * are on the wire: SPI (4, big-endian) followed by IV (8, big-endian).
 * The ICV ({@value #ICV_BYTES} bytes) trails the packet.
 */
public final class PspHeader {
    public static final int HEADER_BYTES = 16;
    public static final int VC_BYTES = 8;
    public static final int ICV_BYTES = 16;
    public static final int UDP_PORT = 1000;
    /** Offset of the 12 bytes (SPI, IV) that form the GCM nonce. */
    public static final int NONCE_OFFSET = 4;
    public static final int NONCE_BYTES = 12;
    public static final int HDR_EXT_LEN_PLAIN = 1;
    public static final int HDR_EXT_LEN_WITH_VC = 2;

    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final int CRYPT_OFFSET_MASK = 0x3F;
    private static final int S_BIT = 0x80;
    private static final int D_BIT = 0x40;
    private static final int VERSION_SHIFT = 2;
    private static final int VERSION_MASK = 0x0F;
    private static final int V_BIT = 0x02;
    private static final int ALWAYS_ONE_BIT = 0x01;

    private PspHeader() {
    }

    /**
     * Writes a whole header: S and D clear, reserved bits zero, the always-1 bit
     * set, hdr ext len 1 or 2 by {@code virtualizationCookie} (the cookie's 8
     * bytes themselves are not written).
     */
    public static void write(MemorySegment s, long at, int nextHeader, int cryptOffset, PspVersion version,
                             boolean virtualizationCookie, int spi, long iv) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) nextHeader);
        s.set(ValueLayout.JAVA_BYTE, at + 1,
                (byte) (virtualizationCookie ? HDR_EXT_LEN_WITH_VC : HDR_EXT_LEN_PLAIN));
        s.set(ValueLayout.JAVA_BYTE, at + 2, (byte) (cryptOffset & CRYPT_OFFSET_MASK));
        s.set(ValueLayout.JAVA_BYTE, at + 3, (byte) ((version.code() << VERSION_SHIFT)
                | (virtualizationCookie ? V_BIT : 0) | ALWAYS_ONE_BIT));
        s.set(BE_INT, at + 4, spi);
        s.set(BE_LONG, at + 8, iv);
    }

    public static int nextHeader(MemorySegment s, long at) {
        return u8(s, at);
    }

    public static void setNextHeader(MemorySegment s, long at, int protocol) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) protocol);
    }

    /** Header extension length in 8-octet units (1, or 2 with the cookie). */
    public static int hdrExtLen(MemorySegment s, long at) {
        return u8(s, at + 1);
    }

    /** Whole header length in bytes: 8 + 8 * hdr ext len. */
    public static int headerLength(MemorySegment s, long at) {
        return 8 + 8 * hdrExtLen(s, at);
    }

    /** Crypt offset in 4-octet units (the 6 low bits; the reserved bits are ignored, as the reference does). */
    public static int cryptOffset(MemorySegment s, long at) {
        return u8(s, at + 2) & CRYPT_OFFSET_MASK;
    }

    /** The two reserved bits above the crypt offset, shifted down (0 on a well-formed header). */
    public static int reservedBits(MemorySegment s, long at) {
        return u8(s, at + 2) >>> 6;
    }

    public static boolean sample(MemorySegment s, long at) {
        return (u8(s, at + 3) & S_BIT) != 0;
    }

    public static boolean drop(MemorySegment s, long at) {
        return (u8(s, at + 3) & D_BIT) != 0;
    }

    /** The 4-bit version code ({@link PspVersion#fromCode} maps it). */
    public static int version(MemorySegment s, long at) {
        return (u8(s, at + 3) >>> VERSION_SHIFT) & VERSION_MASK;
    }

    public static boolean virtualizationCookiePresent(MemorySegment s, long at) {
        return (u8(s, at + 3) & V_BIT) != 0;
    }

    public static boolean alwaysOne(MemorySegment s, long at) {
        return (u8(s, at + 3) & ALWAYS_ONE_BIT) != 0;
    }

    public static int spi(MemorySegment s, long at) {
        return s.get(BE_INT, at + 4);
    }

    public static void setSpi(MemorySegment s, long at, int spi) {
        s.set(BE_INT, at + 4, spi);
    }

    public static long iv(MemorySegment s, long at) {
        return s.get(BE_LONG, at + 8);
    }

    public static void setIv(MemorySegment s, long at, long iv) {
        s.set(BE_LONG, at + 8, iv);
    }

    /** The virtualization cookie; meaningful only when V is set. */
    public static long virtualizationCookie(MemorySegment s, long at) {
        return s.get(BE_LONG, at + HEADER_BYTES);
    }

    public static void setVirtualizationCookie(MemorySegment s, long at, long cookie) {
        s.set(BE_LONG, at + HEADER_BYTES, cookie);
    }

    private static int u8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }
}
