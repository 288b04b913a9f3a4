package dev.andromeda.testbed.fastpath.offload;

import java.lang.foreign.MemorySegment;

/**
 * A NIC's checksum-complete (Linux CHECKSUM_COMPLETE) turned into the sum of a region inside
 * it: the NIC summed every byte of the frame from some start to its end, so a region's sum is
 * that total less the bytes before and after the region (RFC 1071's ones'-complement
 * arithmetic: subtracting is adding the complement), byte-swapped when the region starts an
 * odd number of bytes after the NIC's start (RFC 1071 section 2(B): the sum of byte-swapped
 * words is the byte-swapped sum). The host then sums only the headers in front -- a few dozen
 * bytes -- instead of the whole segment.
 */
public final class ChecksumComplete {
    private ChecksumComplete() {
    }

    /**
     * The folded 16-bit ones'-complement sum of the big-endian words of {@code memory[at, at +
     * length)}, from the NIC's {@code complement} (its complemented sum of {@code memory[from,
     * to)}, which must contain the region). The bytes outside the region are read from memory:
     * they must be as the NIC saw them.
     */
    public static int regionSum(MemorySegment memory, long from, long to, int complement, long at, long length) {
        if (at < from || at + length > to || length < 0) {
            throw new IllegalArgumentException("region [" + at + ", " + (at + length) + ") is not inside the summed ["
                    + from + ", " + to + ")");
        }
        int total = ~complement & 0xFFFF;
        int before = aligned(memory, from, at - from, from);
        long after = at + length;
        int behind = aligned(memory, after, to - after, from);
        int region = minus(minus(total, before), behind);
        return ((at - from) & 1) != 0 ? swap(region) : region;
    }

    /** The sum of {@code memory[at, at + length)} as the NIC's words, aligned to {@code origin}, see them. */
    private static int aligned(MemorySegment memory, long at, long length, long origin) {
        if (length == 0) {
            return 0;
        }
        int s = InternetChecksum.fold(InternetChecksum.partialSum(memory, at, length));
        return ((at - origin) & 1) != 0 ? swap(s) : s;
    }

    private static int minus(int a, int b) {
        return InternetChecksum.fold((long) a + (~b & 0xFFFF));
    }

    private static int swap(int v) {
        return (v & 0xFF) << 8 | v >>> 8;
    }
}
