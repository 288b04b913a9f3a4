package dev.andromeda.testbed.fastpath.psp;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class PspHeaderTest {

    @Test
    void writesTheFieldsInNetworkOrderAsDrawn() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(40);
            PspHeader.write(s, 3, 17, 4, PspVersion.AES_GCM_256, false, 0x9A345678, 0x0102030405060708L);

            assertThat(HexFormat.of().formatHex(s.asSlice(3, 16).toArray(ValueLayout.JAVA_BYTE)))
                    .isEqualTo("11" + "01" + "04" + "05" + "9a345678" + "0102030405060708");
            assertThat(PspHeader.nextHeader(s, 3)).isEqualTo(17);
            assertThat(PspHeader.hdrExtLen(s, 3)).isEqualTo(1);
            assertThat(PspHeader.headerLength(s, 3)).isEqualTo(16);
            assertThat(PspHeader.cryptOffset(s, 3)).isEqualTo(4);
            assertThat(PspHeader.version(s, 3)).isEqualTo(1);
            assertThat(PspHeader.virtualizationCookiePresent(s, 3)).isFalse();
            assertThat(PspHeader.alwaysOne(s, 3)).isTrue();
            assertThat(PspHeader.sample(s, 3)).isFalse();
            assertThat(PspHeader.drop(s, 3)).isFalse();
            assertThat(PspHeader.spi(s, 3)).isEqualTo(0x9A345678);
            assertThat(PspHeader.iv(s, 3)).isEqualTo(0x0102030405060708L);
        }
    }

    @Test
    void marksTheVirtualizationCookieInLengthAndVBit() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(24);
            PspHeader.write(s, 0, 6, 63, PspVersion.AES_GMAC_256, true, -1, -1L);
            PspHeader.setVirtualizationCookie(s, 0, 0xABCDEFL);

            assertThat(PspHeader.hdrExtLen(s, 0)).isEqualTo(2);
            assertThat(PspHeader.headerLength(s, 0)).isEqualTo(24);
            assertThat(PspHeader.virtualizationCookiePresent(s, 0)).isTrue();
            assertThat(s.get(ValueLayout.JAVA_BYTE, 3)).isEqualTo((byte) ((3 << 2) | 0b11));
            assertThat(PspHeader.cryptOffset(s, 0)).isEqualTo(63);
            assertThat(PspHeader.reservedBits(s, 0)).isZero();
            assertThat(PspHeader.virtualizationCookie(s, 0)).isEqualTo(0xABCDEFL);
        }
    }

    @Test
    void readsSampleDropAndReservedBitsAndMasksTheCryptOffset() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(16);
            PspHeader.write(s, 0, 17, 1, PspVersion.AES_GCM_128, false, 1, 1);
            s.set(ValueLayout.JAVA_BYTE, 2, (byte) 0x81); // reserved bit 7, as google/psp's -e sets it
            s.set(ValueLayout.JAVA_BYTE, 3, (byte) (s.get(ValueLayout.JAVA_BYTE, 3) | 0xC0));

            assertThat(PspHeader.cryptOffset(s, 0)).isEqualTo(1);
            assertThat(PspHeader.reservedBits(s, 0)).isEqualTo(2);
            assertThat(PspHeader.sample(s, 0)).isTrue();
            assertThat(PspHeader.drop(s, 0)).isTrue();
            assertThat(PspHeader.version(s, 0)).isZero();
        }
    }

    @Test
    void mapsEveryVersionCodeAndNoOther() {
        for (PspVersion v : PspVersion.values()) {
            assertThat(PspVersion.fromCode(v.code())).isSameAs(v);
        }
        assertThat(PspVersion.fromCode(4)).isNull();
        assertThat(PspVersion.AES_GCM_128.encrypts()).isTrue();
        assertThat(PspVersion.AES_GMAC_256.encrypts()).isFalse();
        assertThat(PspVersion.AES_GMAC_256.keyBytes()).isEqualTo(32);
    }
}
