package dev.andromeda.testbed.fastpath.offload;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * RFC 1071 Internet checksum over off-heap memory.
 *
 * <p>The sum runs over 64-bit big-endian loads, each added as two 32-bit
 * halves into 64-bit accumulators (RFC 1071 section 2: the sum may be computed
 * on any word size and folded at the end), then folds to 16 bits.
 */
public final class InternetChecksum {
    private static final ValueLayout.OfLong BE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private InternetChecksum() {
    }

    /** Bytes summed between folds: each 8-byte step adds under 2^33, so 2^27 steps stay far below 2^63. */
    private static final long CHUNK = 1L << 30;

    /**
     * The ones'-complement sum, not yet folded or inverted, of the 16-bit
     * big-endian words of {@code memory[offset, offset+length)}, an odd last
     * byte padded with zero; below 2^35 whatever the length.
     */
    public static long partialSum(MemorySegment memory, long offset, long length) {
        long sum = 0;
        long done = 0;
        do {
            long chunk = Math.min(length - done, CHUNK);
            long part = chunkSum(memory, offset + done, chunk);
            sum = (sum >>> 32) + (sum & 0xFFFFFFFFL) + part; // 2^32 == 1 mod 0xFFFF
            done += chunk;
        } while (done < length);
        return sum;
    }

    private static long chunkSum(MemorySegment memory, long offset, long length) {
        // Each 64-bit big-endian load is added as its two 32-bit halves (2^32 == 1 mod 0xFFFF, so
        // the halves weigh alike): no carry out of the accumulator to track, no branch, and two
        // accumulators so consecutive adds do not wait on each other.
        long a = 0;
        long b = 0;
        long i = 0;
        for (; i + 16 <= length; i += 16) {
            long v = memory.get(BE_LONG, offset + i);
            long w = memory.get(BE_LONG, offset + i + 8);
            a += (v >>> 32) + (v & 0xFFFFFFFFL);
            b += (w >>> 32) + (w & 0xFFFFFFFFL);
        }
        if (i + 8 <= length) {
            long v = memory.get(BE_LONG, offset + i);
            a += (v >>> 32) + (v & 0xFFFFFFFFL);
            i += 8;
        }
        long tail = 0;
        int shift = 56;
        for (; i < length; i++, shift -= 8) {
            tail |= (memory.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFFL) << shift;
        }
        return a + b + (tail >>> 32) + (tail & 0xFFFFFFFFL);
    }

    /** Folds a partial sum to 16 bits (end-around carry). */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** ~fold(seed + sum of memory[offset, offset+length)) & 0xFFFF. */
    public static int checksum(MemorySegment memory, long offset, long length, int seed) {
        return ~fold(partialSum(memory, offset, length) + (seed & 0xFFFF)) & 0xFFFF;
    }
}
