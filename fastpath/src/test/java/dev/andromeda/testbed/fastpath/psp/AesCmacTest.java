package dev.andromeda.testbed.fastpath.psp;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AES-CMAC against the published examples: RFC 4493 section 4 (AES-128) and
 * NIST SP 800-38B appendix D.3 (AES-256, the key length PSP's master keys have).
 */
class AesCmacTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String RFC4493_KEY = "2b7e151628aed2a6abf7158809cf4f3c";
    private static final String SP800_38B_AES256_KEY =
            "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
    /** The message of both documents; examples use its first 0, 16, 40 and 64 bytes. */
    private static final String MESSAGE = "6bc1bee22e409f96e93d7e117393172a" + "ae2d8a571e03ac9c9eb76fac45af8e51"
            + "30c81c46a35ce411e5fbc1191a0a52ef" + "f69f2445df4f9b17ad2b417be66c3710";

    @Test
    void derivesTheSubkeysOfRfc4493() {
        AesCmac cmac = new AesCmac(HEX.parseHex(RFC4493_KEY));

        assertThat(HEX.formatHex(cmac.subkey1())).isEqualTo("fbeed618357133667c85e08f7236a8de");
        assertThat(HEX.formatHex(cmac.subkey2())).isEqualTo("f7ddac306ae266ccf90bc11ee46d513b");
    }

    @Test
    void matchesRfc4493Example1OnTheEmptyMessage() {
        assertThat(mac(RFC4493_KEY, 0)).isEqualTo("bb1d6929e95937287fa37d129b756746");
    }

    @Test
    void matchesRfc4493Example2OnOneCompleteBlock() {
        assertThat(mac(RFC4493_KEY, 16)).isEqualTo("070a16b46b4d4144f79bdd9dd04a287c");
    }

    @Test
    void matchesRfc4493Example3OnAnIncompleteLastBlock() {
        assertThat(mac(RFC4493_KEY, 40)).isEqualTo("dfa66747de9ae63030ca32611497c827");
    }

    @Test
    void matchesRfc4493Example4OnFourCompleteBlocks() {
        assertThat(mac(RFC4493_KEY, 64)).isEqualTo("51f0bebf7e3b9d92fc49741779363cfe");
    }

    @Test
    void matchesTheAes256ExamplesOfSp800_38b() {
        assertThat(mac(SP800_38B_AES256_KEY, 0)).isEqualTo("028962f61b7bf89efc6b551f4667d983");
        assertThat(mac(SP800_38B_AES256_KEY, 16)).isEqualTo("28a7023f452e8f82bd4bf28d8c37c35c");
        assertThat(mac(SP800_38B_AES256_KEY, 40)).isEqualTo("aaf3d8f1de5640c232f5b169b9c911e6");
        assertThat(mac(SP800_38B_AES256_KEY, 64)).isEqualTo("e1992190549f6ed5696a2c056c315410");
    }

    @Test
    void rejectsAKeyThatIsNoAesKey() {
        assertThatThrownBy(() -> new AesCmac(new byte[20])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("20");
    }

    private static String mac(String key, int messageBytes) {
        byte[] message = HEX.parseHex(MESSAGE.substring(0, 2 * messageBytes));
        return HEX.formatHex(AesCmac.mac(HEX.parseHex(key), message));
    }
}
