package dev.andromeda.testbed.hw.driver;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Bytes of memory to and from a data beat of any width. A beat of a port {@code DATA_WIDTH}
 * bits wide is {@code ceil(DATA_WIDTH / 64)} words, least significant first, and carries byte
 * {@code i} in bits {@code [8i+7:8i]} (lane 0 = {@code tdata[7:0]}): memory read as
 * little-endian longs. The drivers of the built-in blocks move packets and copies through
 * here so they work at every {@code DATA_WIDTH} the RTL is built at, not only 64.
 */
public final class BeatBytes {
    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BeatBytes() {
    }

    /** Words of a beat of {@code bytes} lanes. */
    public static int words(int bytes) {
        return Math.max(1, (bytes + 7) / 8);
    }

    /**
     * Reads {@code bytes} bytes at {@code at} into {@code words[off..]}; the rest of the beat's
     * words (and of a partly filled word) are zero.
     */
    public static void read(MemorySegment memory, long at, int bytes, int beatBytes, long[] words, int off) {
        int n = words(beatBytes);
        for (int w = 0; w < n; w++) {
            int from = 8 * w;
            int take = Math.min(8, bytes - from);
            long v = 0;
            if (take == 8) {
                v = memory.get(LE_LONG, at + from);
            } else {
                for (int i = 0; i < take; i++) {
                    v |= (memory.get(ValueLayout.JAVA_BYTE, at + from + i) & 0xFFL) << (8 * i);
                }
            }
            words[off + w] = v;
        }
    }

    /** Writes lanes {@code 0..bytes-1} of the beat in {@code words[off..]} to memory at {@code at}. */
    public static void write(MemorySegment memory, long at, int bytes, long[] words, int off) {
        for (int from = 0; from < bytes; from += 8) {
            long v = words[off + from / 8];
            int take = Math.min(8, bytes - from);
            if (take == 8) {
                memory.set(LE_LONG, at + from, v);
            } else {
                for (int i = 0; i < take; i++) {
                    memory.set(ValueLayout.JAVA_BYTE, at + from + i, (byte) (v >>> (8 * i)));
                }
            }
        }
    }

    /** Lane {@code lane}'s byte of the beat in {@code words[off..]}. */
    public static byte lane(long[] words, int off, int lane) {
        return (byte) (words[off + lane / 8] >>> (8 * (lane % 8)));
    }

    /** Whether strobe/keep bit {@code lane} is set in the mask words {@code mask[off..]}. */
    public static boolean bit(long[] mask, int off, int lane) {
        return (mask[off + lane / 64] >>> (lane % 64) & 1) != 0;
    }

    /** Set bits of the mask words {@code mask[off..off+n-1]}. */
    public static int bitCount(long[] mask, int off, int n) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            c += Long.bitCount(mask[off + i]);
        }
        return c;
    }

    /** Sets bits {@code 0..lanes-1} of the mask words {@code mask[off..off+n-1]}, the others cleared. */
    public static void lowMask(long[] mask, int off, int n, int lanes) {
        for (int i = 0; i < n; i++) {
            int b = lanes - 64 * i;
            mask[off + i] = b >= 64 ? -1L : b <= 0 ? 0 : (1L << b) - 1;
        }
    }
}
