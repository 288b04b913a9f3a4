package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Big-endian (network byte order) loads and stores at any byte offset, the
 * primitives every header accessor in this package is written with.
 *
 * <p>The layouts are unaligned on purpose: a 14-byte Ethernet header leaves
 * the IP header 2 bytes off a 4-byte boundary, and x86-64 loads unaligned
 * words at full speed. The JIT turns the byte-order swap into one
 * {@code bswap}/{@code movbe}.
 */
final class NetworkOrder {
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private NetworkOrder() {
    }

    static int u8(MemorySegment m, long at) {
        return m.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    static void setU8(MemorySegment m, long at, int value) {
        m.set(ValueLayout.JAVA_BYTE, at, (byte) value);
    }

    static int u16(MemorySegment m, long at) {
        return Short.toUnsignedInt(m.get(U16, at));
    }

    static void setU16(MemorySegment m, long at, int value) {
        m.set(U16, at, (short) value);
    }

    /** The 32 bits as an int; callers that want the unsigned value widen with {@link Integer#toUnsignedLong}. */
    static int u32(MemorySegment m, long at) {
        return m.get(U32, at);
    }

    static void setU32(MemorySegment m, long at, int value) {
        m.set(U32, at, value);
    }

    static long u64(MemorySegment m, long at) {
        return m.get(U64, at);
    }

    static void setU64(MemorySegment m, long at, long value) {
        m.set(U64, at, value);
    }

    /** A 48-bit MAC address in the low bits of a long: two loads instead of six. */
    static long u48(MemorySegment m, long at) {
        return ((long) u16(m, at) << 32) | Integer.toUnsignedLong(u32(m, at + 2));
    }

    static void setU48(MemorySegment m, long at, long value) {
        setU16(m, at, (int) (value >>> 32));
        setU32(m, at + 2, (int) value);
    }
}
