package dev.andromeda.testbed.fastpath.offload;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * RFC 1071 Internet checksum over off-heap memory.
 *
 * <p>The sum runs over 64-bit big-endian loads with the carries kept in a
 * second accumulator (RFC 1071 section 2: the sum may be computed on any word
 * size and folded at the end), then folds to 16 bits.
 */
public final class InternetChecksum {
    private static final ValueLayout.OfLong BE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private InternetChecksum() {
    }

    /**
     * The ones'-complement sum, not yet folded or inverted, of the 16-bit
     * big-endian words of {@code memory[offset, offset+length)}, an odd last
     * byte padded with zero. Exact for any length below 2^47 bytes.
     */
    public static long partialSum(MemorySegment memory, long offset, long length) {
        long sum = 0;
        long carries = 0;
        long i = 0;
        for (; i + 8 <= length; i += 8) {
            long v = memory.get(BE_LONG, offset + i);
            // Four 16-bit words summed as two 32-bit halves; carries out of the
            // 64-bit add are counted separately (each one is worth 2^64 == 1 mod 0xFFFF).
            long before = sum;
            sum += v;
            if (Long.compareUnsigned(sum, before) < 0) {
                carries++;
            }
        }
        long tail = 0;
        int shift = 56;
        for (; i < length; i++, shift -= 8) {
            tail |= (memory.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFFL) << shift;
        }
        long before = sum;
        sum += tail;
        if (Long.compareUnsigned(sum, before) < 0) {
            carries++;
        }
        // 2^64 mod 0xFFFF == 1, so a 64-bit carry adds one; fold 64 -> 16 bits.
        long folded = (sum >>> 32) + (sum & 0xFFFFFFFFL) + carries;
        return folded;
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
