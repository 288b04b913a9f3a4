package dev.andromeda.testbed.tb.compare;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/** The meter's own RFC 1071 reference, on RFC 1071's worked example and edge cases. */
class ChecksumWorkloadTest {

    private static int checksum(int seed, int... bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(Math.max(1, bytes.length));
            for (int i = 0; i < bytes.length; i++) {
                m.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) bytes[i]);
            }
            return ChecksumWorkload.rfc1071(m, 0, bytes.length, seed);
        }
    }

    @Test
    void rfc1071WorkedExample() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2; the checksum is its complement.
        assertThat(checksum(0, 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7)).isEqualTo(~0xddf2 & 0xFFFF);
    }

    @Test
    void anOddLastByteIsPaddedWithZeroAndTheSeedIsAdded() {
        assertThat(checksum(0, 0x12)).isEqualTo(~0x1200 & 0xFFFF);
        assertThat(checksum(0x0034, 0x12)).isEqualTo(~0x1234 & 0xFFFF);
        // End-around carry: ffff + 0001 = 1 0000 -> 0001.
        assertThat(checksum(0x0001, 0xff, 0xff)).isEqualTo(~0x0001 & 0xFFFF);
    }
}
