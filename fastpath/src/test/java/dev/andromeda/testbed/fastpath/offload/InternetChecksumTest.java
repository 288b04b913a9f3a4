package dev.andromeda.testbed.fastpath.offload;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link InternetChecksum}'s eight-bytes-a-step sum against RFC 1071 done byte by byte (below,
 * written apart: a 16-bit word of two bytes at a time, end-around carry at each add), over
 * seeded random lengths 0..9000, start offsets of every residue mod 8 (odd starts too, so the
 * 64-bit loads are unaligned), random seeds, and runs of 0xFF that carry on every add.
 */
class InternetChecksumTest {

    @Test
    void matchesByteAtATimeRfc1071OverRandomLengthsAndOffsets() {
        long seed = 1071;
        SplittableRandom r = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(9000 + 64, 64);
            byte[] bytes = new byte[9000 + 64];
            for (int trial = 0; trial < 3000; trial++) {
                int length = trial < 20 ? trial : r.nextInt(9001);
                int offset = r.nextInt(64);
                boolean ones = trial % 10 == 1;
                for (int b = 0; b < bytes.length; b++) {
                    bytes[b] = ones ? (byte) 0xFF : (byte) r.nextInt(256);
                }
                MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, 0, bytes.length);
                int csumSeed = trial % 3 == 0 ? 0 : r.nextInt(0x10000);
                String what = "seed " + seed + " trial " + trial + " length " + length + " offset " + offset
                        + " csum seed " + csumSeed + (ones ? " all 0xFF" : "");
                assertThat(InternetChecksum.checksum(memory, offset, length, csumSeed)).as(what)
                        .isEqualTo(rfc1071(bytes, offset, length, csumSeed));
                assertThat(InternetChecksum.fold(InternetChecksum.partialSum(memory, offset, length))).as(what)
                        .isEqualTo(sum(bytes, offset, length, 0));
            }
        }
    }

    /** The ones'-complement sum of the 16-bit big-endian words, folded at each add (end-around carry). */
    private static int sum(byte[] b, int offset, int length, int seed) {
        int sum = seed & 0xFFFF;
        for (int i = 0; i < length; i += 2) {
            int hi = b[offset + i] & 0xFF;
            int lo = i + 1 < length ? b[offset + i + 1] & 0xFF : 0; // an odd last byte padded with zero
            sum += hi << 8 | lo;
            if (sum > 0xFFFF) {
                sum = (sum & 0xFFFF) + 1;
            }
        }
        return sum;
    }

    private static int rfc1071(byte[] b, int offset, int length, int seed) {
        return ~sum(b, offset, length, seed) & 0xFFFF;
    }
}
