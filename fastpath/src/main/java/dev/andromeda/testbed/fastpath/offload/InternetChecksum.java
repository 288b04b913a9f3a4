package dev.andromeda.testbed.fastpath.offload;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * RFC 1071 Internet checksum over off-heap memory.
 *
 * <p>The sum runs over 64-bit native-order loads, each added as two 32-bit
 * halves into 64-bit accumulators (RFC 1071 section 2: the sum may be computed
 * on any word size and in either byte order, and folded and swapped at the end),
 * then folds to 16 bits.
 */
public final class InternetChecksum {
    private static final ValueLayout.OfLong NATIVE_LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt NATIVE_INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort NATIVE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

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
        // RFC 1071 section 2(B): the sum is independent of byte order -- summing the words as the
        // machine loads them and swapping the folded result gives the big-endian sum. So the loads
        // are native-order (no byte reversal a load), each 64-bit load added as its two 32-bit
        // halves (2^32 == 1 mod 0xFFFF, so the halves weigh alike: no carry to track, no branch).
        // The loop is kept this plain on purpose: C2 vectorizes it (a counted loop, one
        // accumulator, native loads), 1,500 bytes in about 30 ns; hand-unrolled into four
        // accumulators it did not vectorize and took about 110 ns, and big-endian loads 200 ns
        // alone and 425 in the egress path (issue 11's profile).
        long a = 0;
        long words = length >>> 3;
        for (long k = 0; k < words; k++) {
            long v = memory.get(NATIVE_LONG, offset + (k << 3));
            a += (v >>> 32) + (v & 0xFFFFFFFFL);
        }
        long i = words << 3;
        // The last 0-7 bytes as one native-order word, zero-padded past the end (RFC 1071: an odd
        // last byte is padded with zero on its right in big-endian terms, which is what this is
        // once swapped), read as at most one int, one short and one byte: an IPv4 header's last
        // 4 bytes are one load, not four.
        long tail = 0;
        long rest = length - i;
        int shift = 0; // little-endian: each later piece sits above the earlier ones
        if ((rest & 4) != 0) {
            tail = memory.get(NATIVE_INT, offset + i) & 0xFFFFFFFFL;
            i += 4;
            shift = 32;
        }
        if ((rest & 2) != 0) {
            long s16 = memory.get(NATIVE_SHORT, offset + i) & 0xFFFFL;
            tail = BIG_ENDIAN ? tail << 16 | s16 : tail | s16 << shift;
            i += 2;
            shift += 16;
        }
        if ((rest & 1) != 0) {
            long s8 = memory.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFFL;
            tail = BIG_ENDIAN ? tail << 8 | s8 : tail | s8 << shift;
        }
        if (BIG_ENDIAN && rest != 0) {
            tail <<= 64 - 8 * rest; // big-endian: the first byte read is the word's top byte
        }
        long sum = a + (tail >>> 32) + (tail & 0xFFFFFFFFL);
        if (BIG_ENDIAN) {
            return sum;
        }
        int folded = fold(sum);
        return ((folded & 0xFF) << 8) | (folded >>> 8); // the big-endian words' sum, folded
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
