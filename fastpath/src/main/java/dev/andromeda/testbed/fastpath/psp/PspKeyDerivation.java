package dev.andromeda.testbed.fastpath.psp;

/**
 * Derives a security association's key from a master key and the SPI, as the
 * PSP Architecture Specification and its reference implementation (google/psp,
 * {@code src/psp_encrypt.c}) do: NIST SP 800-108 KDF in counter mode with
 * AES-CMAC keyed by the 256-bit master key as the PRF. Each 16-byte PRF output
 * is one block of the key, so a 128-bit key takes one block and a 256-bit key
 * two. The PRF input is one 16-byte block, every field big-endian:
 *
 * <pre>
 *  byte   0..3    4..6          7     8..11          12..15
 *        +-------+-------------+-----+--------------+----------------------+
 *        |   i   | label       | 00  | context      | L                    |
 *        |counter| "Pv0"/"Pv1" | sep | SPI          | key length in bits   |
 *        +-------+-------------+-----+--------------+----------------------+
 *  128-bit key:  i = 1           label 50 76 30,  L = 00 00 00 80
 *  256-bit key:  i = 1, then 2   label 50 76 31,  L = 00 00 01 00
 * </pre>
 *
 * <p>The SPI goes into the context whole, master-key selector bit included.
 * The label follows the key length: the reference implementation knows only the
 * GCM versions (0 and 1); the GMAC versions 2 and 3 use the label of their key
 * length here ("Pv0" for 128-bit, "Pv1" for 256-bit).
 *
 * <p>Control path: allocates.
 */
public final class PspKeyDerivation {
    public static final int MASTER_KEY_BYTES = 32;

    private PspKeyDerivation() {
    }

    /**
     * The SA key (16 or 32 bytes, per the version) for an SPI under one master key.
     * Choosing the master key by the SPI's top bit is the caller's job
     * ({@link PspSa#derive}).
     *
     * @throws IllegalArgumentException for a master key that is not 32 bytes
     */
    public static byte[] derive(byte[] masterKey, int spi, PspVersion version) {
        if (masterKey.length != MASTER_KEY_BYTES) {
            throw new IllegalArgumentException("master key must be 32 bytes, was " + masterKey.length);
        }
        int keyBytes = version.keyBytes();
        int lengthBits = keyBytes * 8;
        AesCmac prf = new AesCmac(masterKey);
        byte[] key = new byte[keyBytes];
        for (int counter = 1; counter <= keyBytes / AesCmac.BLOCK_BYTES; counter++) {
            byte[] in = inputBlock(counter, keyBytes == 16 ? (byte) 0x30 : (byte) 0x31, spi, lengthBits);
            System.arraycopy(prf.mac(in), 0, key, (counter - 1) * AesCmac.BLOCK_BYTES, AesCmac.BLOCK_BYTES);
        }
        return key;
    }

    /** The PRF input for one block of the key (package-private for tests). */
    static byte[] inputBlock(int counter, byte labelVersion, int spi, int lengthBits) {
        byte[] b = new byte[AesCmac.BLOCK_BYTES];
        putInt(b, 0, counter);
        b[4] = 0x50; // 'P'
        b[5] = 0x76; // 'v'
        b[6] = labelVersion; // '0' or '1'
        b[7] = 0x00; // SP 800-108 separator between label and context
        putInt(b, 8, spi);
        putInt(b, 12, lengthBits);
        return b;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
