package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.GeneralSecurityException;

/**
 * The JDK's {@code AES/GCM/NoPadding} (AES-NI and CLMUL intrinsics on x86) over a heap copy of
 * the text, written back in place: the fallback when libcrypto is missing. A new IV needs a
 * {@code Cipher.init} per packet (and a {@code GCMParameterSpec}), its floor.
 */
final class JdkGcmEngine implements GcmEngine {
    private Cipher cipher;
    private SecretKeySpec lastKey;
    private final byte[] lastKeyBytes = new byte[32];
    private int lastKeyLength;
    private final byte[] keyScratch = new byte[32];
    private final byte[] ivScratch = new byte[CryptoBatch.IV_BYTES];
    /**
     * The AAD, then the text and tag, on the heap: the JDK's GCM intrinsics work on arrays, and
     * direct buffers went through the provider's own chunk copies (measured ~1.4x slower). Reused:
     * no allocation per packet.
     */
    private final byte[] heap = new byte[Math.max(CryptoBatch.MAX_AAD, CryptoBatch.MAX_TEXT + CryptoBatch.TAG_BYTES)];

    JdkGcmEngine() {
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM/NoPadding", e);
        }
    }

    @Override
    public String name() {
        return SoftwareGcm.ENGINE_JDK;
    }

    /**
     * Seal or open through the heap array, in place there: text (and on open the tag after
     * it) copied in, the JDK's intrinsics over it, the result copied back -- ciphertext to the
     * text and the tag to the tag's place, or a verified plaintext to the text. On a bad tag
     * the JDK releases nothing and host memory is untouched.
     */
    @Override
    public long run(CryptoBatch batch, int i, MemorySegment memory) {
        boolean seal = batch.op(i) == CryptoBatch.OP_SEAL;
        int n = batch.textLength(i);
        long text = batch.textOffset(i);
        long tag = batch.tagOffset(i);
        try {
            batch.key(i, keyScratch);
            batch.iv(i, ivScratch);
            init(seal, batch.keyLength(i));
            int aadLength = batch.aadLength(i);
            MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, batch.aadOffset(i), heap, 0, aadLength);
            cipher.updateAAD(heap, 0, aadLength);
            MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, text, heap, 0, n);
            if (seal) {
                cipher.doFinal(heap, 0, n, heap, 0);
                MemorySegment.copy(heap, 0, memory, ValueLayout.JAVA_BYTE, text, n);
                MemorySegment.copy(heap, n, memory, ValueLayout.JAVA_BYTE, tag, CryptoBatch.TAG_BYTES);
                batch.completeInPlace(i, 0);
                return n;
            }
            MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, tag, heap, n, CryptoBatch.TAG_BYTES);
            try {
                cipher.doFinal(heap, 0, n + CryptoBatch.TAG_BYTES, heap, 0);
                MemorySegment.copy(heap, 0, memory, ValueLayout.JAVA_BYTE, text, n);
                batch.completeInPlace(i, 0);
            } catch (AEADBadTagException e) {
                batch.completeOpen(i, null, 0);
            }
            return n;
        } catch (GeneralSecurityException e) {
            // Not a tag failure (handled above): the JDK refused the operation. Refuse the
            // descriptor, count it, and go on with the batch.
            batch.reject(i);
            return -1;
        }
    }

    /** Initialises the cipher with the key and IV read into the scratch arrays. */
    private void init(boolean seal, int keyLength) throws GeneralSecurityException {
        // The same key as last time (one SA, many packets): keep the spec, so the provider
        // can keep its expanded key schedule; compared without copying.
        if (lastKey == null || lastKeyLength != keyLength
                || !java.util.Arrays.equals(keyScratch, 0, keyLength, lastKeyBytes, 0, keyLength)) {
            lastKey = new SecretKeySpec(keyScratch, 0, keyLength, "AES");
            System.arraycopy(keyScratch, 0, lastKeyBytes, 0, keyLength);
            lastKeyLength = keyLength;
        }
        GCMParameterSpec spec = new GCMParameterSpec(128, ivScratch);
        try {
            cipher.init(seal ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, lastKey, spec);
        } catch (java.security.InvalidAlgorithmParameterException reuse) {
            // The JDK refuses to encrypt twice with one key and IV on one Cipher (a guard against
            // nonce reuse). A batch may legitimately hold such a pair -- a test vector sealed
            // twice, a retransmission -- so a fresh Cipher takes it.
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(seal ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, lastKey, spec);
        }
    }

    @Override
    public void close() {
    }
}
