package dev.andromeda.testbed.fastpath.offload;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A region's sum from a checksum-complete over a span around it, against RFC 1071 summed
 * directly over the region (a byte loop written here, apart from InternetChecksum): random
 * spans and regions, odd and even offsets, empty heads and tails, odd lengths.
 */
class ChecksumCompleteTest {

    /** RFC 1071: big-endian 16-bit words, an odd last byte padded with zero, end-around carry. */
    private static int sum(MemorySegment m, long at, long len) {
        long s = 0;
        for (long k = 0; k < len; k++) {
            int b = m.get(ValueLayout.JAVA_BYTE, at + k) & 0xFF;
            s += (k & 1) == 0 ? b << 8 : b;
        }
        while (s >>> 16 != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void theRegionsSumIsTheCompleteLessWhatSurroundsIt(long seed) {
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(20_000);
            byte[] noise = new byte[20_000];
            r.nextBytes(noise);
            MemorySegment.copy(noise, 0, m, ValueLayout.JAVA_BYTE, 0, noise.length);
            for (int t = 0; t < 500; t++) {
                long from = r.nextInt(200);
                long to = from + r.nextInt(t % 10 == 0 ? 40 : 9_300);
                long at = from + (to == from ? 0 : r.nextInt((int) (to - from + 1)));
                long len = to == at ? 0 : r.nextInt((int) (to - at + 1));
                int complement = ~sum(m, from, to - from) & 0xFFFF;
                int want = sum(m, at, len);
                int got = ChecksumComplete.regionSum(m, from, to, complement, at, len);
                // 0x0000 and 0xFFFF are the same ones'-complement value (zero)
                assertThat(got % 0xFFFF).as("seed %d: [%d, %d) in [%d, %d)", seed, at, at + len, from, to)
                        .isEqualTo(want % 0xFFFF);
            }
        }
    }
}
