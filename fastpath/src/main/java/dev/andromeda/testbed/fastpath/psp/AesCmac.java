package dev.andromeda.testbed.fastpath.psp;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * AES-CMAC (RFC 4493, NIST SP 800-38B) over the JDK's {@code AES/ECB/NoPadding}
 * block cipher, for any AES key length (16, 24 or 32 bytes).
 *
 * <p>Used on the control path only (deriving security-association keys); it
 * allocates freely.
 */
public final class AesCmac {
    public static final int BLOCK_BYTES = 16;
    /** R_128 of SP 800-38B: the reduction constant of the subkey doubling. */
    private static final int RB = 0x87;

    private final Cipher aes;
    private final byte[] k1;
    private final byte[] k2;

    /**
     * @throws IllegalArgumentException for a key that is not 16, 24 or 32 bytes
     */
    public AesCmac(byte[] key) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("AES key must be 16, 24 or 32 bytes, was " + key.length);
        }
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/ECB/NoPadding", e);
        }
        byte[] l = encrypt(new byte[BLOCK_BYTES]);
        k1 = doubled(l);
        k2 = doubled(k1);
    }

    /** The 16-byte CMAC of a message under a key. */
    public static byte[] mac(byte[] key, byte[] message) {
        return new AesCmac(key).mac(message);
    }

    /** The 16-byte CMAC of a message. */
    public byte[] mac(byte[] message) {
        int blocks = Math.max(1, (message.length + BLOCK_BYTES - 1) / BLOCK_BYTES);
        boolean lastComplete = message.length > 0 && message.length % BLOCK_BYTES == 0;
        byte[] x = new byte[BLOCK_BYTES];
        for (int b = 0; b < blocks - 1; b++) {
            xorInto(x, message, b * BLOCK_BYTES, BLOCK_BYTES);
            x = encrypt(x);
        }
        int lastStart = (blocks - 1) * BLOCK_BYTES;
        int lastLength = message.length - lastStart;
        xorInto(x, message, lastStart, lastLength);
        if (lastComplete) {
            xorInto(x, k1, 0, BLOCK_BYTES);
        } else {
            x[lastLength] ^= (byte) 0x80; // the 10* padding of an incomplete last block
            xorInto(x, k2, 0, BLOCK_BYTES);
        }
        return encrypt(x);
    }

    /** Subkey K1, for tests against RFC 4493's published subkeys. */
    byte[] subkey1() {
        return k1.clone();
    }

    /** Subkey K2. */
    byte[] subkey2() {
        return k2.clone();
    }

    private byte[] encrypt(byte[] block) {
        try {
            return aes.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB refused a 16-byte block", e);
        }
    }

    /** Multiplication by x in GF(2^128): a left shift, reduced by R_128 when a bit falls off. */
    private static byte[] doubled(byte[] in) {
        byte[] out = new byte[BLOCK_BYTES];
        int carry = 0;
        for (int i = BLOCK_BYTES - 1; i >= 0; i--) {
            int b = in[i] & 0xFF;
            out[i] = (byte) ((b << 1) | carry);
            carry = b >>> 7;
        }
        if ((in[0] & 0x80) != 0) {
            out[BLOCK_BYTES - 1] ^= (byte) RB;
        }
        return out;
    }

    private static void xorInto(byte[] acc, byte[] src, int from, int length) {
        for (int i = 0; i < length; i++) {
            acc[i] ^= src[from + i];
        }
    }
}
