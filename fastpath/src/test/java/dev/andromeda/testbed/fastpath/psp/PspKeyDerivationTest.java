package dev.andromeda.testbed.fastpath.psp;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key derivation against known answers. Master keys and SPIs are google/psp's
 * test configuration ({@code cfg/encrypt_transport_*.cfg}, {@code cfg/decrypt.cfg}).
 * The reference prints derived keys but does not store them; the expected keys
 * here are OpenSSL 3's own SP 800-108 KBKDF (counter mode, CMAC with AES-256-CBC,
 * label "Pv0"/"Pv1", context = SPI) —
 * {@code openssl kdf -keylen 16 -kdfopt mac:CMAC -kdfopt cipher:AES-256-CBC
 * -kdfopt hexkey:<master> -kdfopt hexsalt:507630 -kdfopt hexinfo:9A345678 KBKDF} —
 * and the first three also appear as published expectations of an independent
 * Rust test of the same KDF with these master keys.
 */
class PspKeyDerivationTest {
    private static final HexFormat HEX = HexFormat.of();
    static final byte[] MASTER_KEY_0 =
            HEX.parseHex("34448a064292601b11a0978f56a2d34cf3fc35ede1a6bc04f8db3e5243a2b0ca");
    static final byte[] MASTER_KEY_1 =
            HEX.parseHex("563952565d3a78ae773ec1b779f2f2d99f4a7f53a6fbb9b07d5b71f39364d739");

    @Test
    void buildsThePrfInputBlockByteForByteAsTheReference() {
        byte[] block = PspKeyDerivation.inputBlock(1, (byte) 0x30, 0x9A345678, 128);

        assertThat(HEX.formatHex(block)).isEqualTo("00000001" + "50763000" + "9a345678" + "00000080");
        assertThat(HEX.formatHex(PspKeyDerivation.inputBlock(2, (byte) 0x31, 0x1A345678, 256)))
                .isEqualTo("00000002" + "50763100" + "1a345678" + "00000100");
    }

    @Test
    void derivesTheAesGcm128KeyOfTheReferenceConfiguration() {
        // cfg/encrypt_transport_crypt_off_128.cfg: SPI 9A345678, top bit set -> master key 1.
        assertThat(hex(PspKeyDerivation.derive(MASTER_KEY_1, 0x9A345678, PspVersion.AES_GCM_128)))
                .isEqualTo("3946da2554eae46ad1ef77a64372edc4");
    }

    @Test
    void derivesAnAesGcm128KeyUnderMasterKey0() {
        assertThat(hex(PspKeyDerivation.derive(MASTER_KEY_0, 0x12345678, PspVersion.AES_GCM_128)))
                .isEqualTo("96c22dc799198090b74b70ae468e4e30");
    }

    @Test
    void derivesAnAesGcm256KeyFromTwoCounterBlocks() {
        assertThat(hex(PspKeyDerivation.derive(MASTER_KEY_0, 0x12345678, PspVersion.AES_GCM_256)))
                .isEqualTo("2b7d72074e42ca334487f2990e3f8c4037e436f38283449b76463e9b7fb2e3de");
    }

    @Test
    void derivesTheAesGcm256KeysOfTheReferenceConfigurations() {
        // cfg/encrypt_transport_crypt_off_256.cfg (9A345678, master key 1) and
        // cfg/encrypt_transport_no_crypt_off_256.cfg (1A345678, master key 0).
        assertThat(hex(PspKeyDerivation.derive(MASTER_KEY_1, 0x9A345678, PspVersion.AES_GCM_256)))
                .isEqualTo("fa00f609df6020289a1c93d6027081a637ad45b24a5576b36e6f49dd43114d80");
        assertThat(hex(PspKeyDerivation.derive(MASTER_KEY_0, 0x1A345678, PspVersion.AES_GCM_256)))
                .isEqualTo("184eecc110d0ecfcf85e6f7c9eedab4d21122fb2d2b8c344af3a1c38d0b6adfd");
    }

    @Test
    void picksTheMasterKeyByTheTopBitOfTheSpi() {
        PspSa one = PspSa.derive(MASTER_KEY_0, MASTER_KEY_1, 0x9A345678, PspVersion.AES_GCM_128, 1);
        PspSa zero = PspSa.derive(MASTER_KEY_0, MASTER_KEY_1, 0x1A345678, PspVersion.AES_GCM_256, 0);

        assertThat(hex(one.key())).isEqualTo("3946da2554eae46ad1ef77a64372edc4");
        assertThat(hex(zero.key()))
                .isEqualTo("184eecc110d0ecfcf85e6f7c9eedab4d21122fb2d2b8c344af3a1c38d0b6adfd");
    }

    @Test
    void givesGmacVersionsTheKeyOfTheirKeyLength() {
        // An assumption the reference cannot check (it has no GMAC): label by key length.
        assertThat(PspKeyDerivation.derive(MASTER_KEY_1, 0x9A345678, PspVersion.AES_GMAC_128))
                .isEqualTo(PspKeyDerivation.derive(MASTER_KEY_1, 0x9A345678, PspVersion.AES_GCM_128));
        assertThat(PspKeyDerivation.derive(MASTER_KEY_0, 0x1A345678, PspVersion.AES_GMAC_256))
                .isEqualTo(PspKeyDerivation.derive(MASTER_KEY_0, 0x1A345678, PspVersion.AES_GCM_256));
    }

    @Test
    void rejectsAMasterKeyThatIsNot256Bits() {
        assertThatThrownBy(() -> PspKeyDerivation.derive(new byte[16], 1, PspVersion.AES_GCM_128))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void rejectsAnSaWhoseCryptOffsetDoesNotFitSixBits() {
        assertThatThrownBy(() -> new PspSa(1, PspVersion.AES_GCM_128, new byte[16], 64, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..63");
        assertThatThrownBy(() -> new PspSa(1, PspVersion.AES_GCM_256, new byte[16], 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-byte key");
    }

    @Test
    void keepsKeyMaterialOutOfToString() {
        PspSa sa = PspSa.derive(MASTER_KEY_0, MASTER_KEY_1, 0x9A345678, PspVersion.AES_GCM_128, 1);

        assertThat(sa.toString()).contains("9a345678").doesNotContain("3946da25");
    }

    private static String hex(byte[] b) {
        return HEX.formatHex(b);
    }
}
