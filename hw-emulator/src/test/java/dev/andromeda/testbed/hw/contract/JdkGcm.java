package dev.andromeda.testbed.hw.contract;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Random;

/**
 * The independent oracle of every AES-GCM test: the JDK's {@code AES/GCM/NoPadding}
 * (128-bit tag), called directly, never through the code under test. One copy for
 * the contracts, the lockstep and replay tests and the stage tests.
 */
public final class JdkGcm {
    private JdkGcm() {
    }

    /** Ciphertext followed by the 16-byte tag. */
    public static byte[] seal(byte[] key, byte[] iv, byte[] aad, byte[] plaintext) {
        return run(Cipher.ENCRYPT_MODE, key, iv, aad, plaintext);
    }

    /** The plaintext of ciphertext-and-tag; throws if the tag does not verify. */
    public static byte[] open(byte[] key, byte[] iv, byte[] aad, byte[] sealed) {
        return run(Cipher.DECRYPT_MODE, key, iv, aad, sealed);
    }

    /** {@code n} bytes from a seeded generator. */
    public static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] run(int mode, byte[] key, byte[] iv, byte[] aad, byte[] in) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            c.updateAAD(aad);
            return c.doFinal(in);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's AES/GCM: " + e, e);
        }
    }
}
