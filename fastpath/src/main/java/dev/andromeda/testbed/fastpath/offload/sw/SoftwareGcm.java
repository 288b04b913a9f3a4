package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.DescriptorRing;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * The {@code sw} crypto stage: the JDK's {@code AES/GCM/NoPadding} (AES-NI and
 * CLMUL intrinsics on x86) over the off-heap text, in place.
 */
public final class SoftwareGcm implements CryptoOffload {
    private final OffloadCounters counters = new OffloadCounters();
    private Cipher cipher;
    private SecretKeySpec lastKey;
    private final byte[] lastKeyBytes = new byte[32];
    private int lastKeyLength;
    private final byte[] keyScratch = new byte[32];
    private final byte[] ivScratch = new byte[CryptoBatch.IV_BYTES];
    // Reused for every open: no allocation per packet.
    private final MemorySegment scratchOutSegment = java.lang.foreign.Arena.ofAuto().allocate(CryptoBatch.MAX_TEXT);
    private final ByteBuffer scratchOut = scratchOutSegment.asByteBuffer();
    private final ByteBuffer scratchIn = ByteBuffer.allocateDirect(CryptoBatch.MAX_TEXT + CryptoBatch.TAG_BYTES);
    /** AAD, then text and tag, on the heap for the JDK's array intrinsics (no allocation per packet). */
    private final byte[] heap = new byte[Math.max(CryptoBatch.MAX_AAD, CryptoBatch.MAX_TEXT + CryptoBatch.TAG_BYTES)];

    public SoftwareGcm() {
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM/NoPadding", e);
        }
    }

    @Override
    public String name() {
        return "sw";
    }

    @Override
    public void process(CryptoBatch batch) {
        long t0 = System.nanoTime();
        MemorySegment memory = batch.hostMemory();
        long bytes = 0;
        int jobs = 0;
        int rejected = 0;
        for (int i = 0; i < batch.size(); i++) {
            int admission = batch.admit(i);
            if (admission != DescriptorRing.ADMIT_RUN) {
                rejected += admission == DescriptorRing.ADMIT_REJECTED ? 1 : 0;
                continue;
            }
            boolean seal = batch.op(i) == CryptoBatch.OP_SEAL;
            int n = batch.textLength(i);
            long text = batch.textOffset(i);
            long tag = batch.tagOffset(i);
            // PSP lays the ICV right after the text: then the JDK works in place on text||tag
            // (it verifies the tag before it writes any plaintext). Otherwise through a buffer.
            boolean contiguous = tag == text + n;
            try {
                int keyLength = batch.keyLength(i);
                batch.key(i, keyScratch);
                batch.iv(i, ivScratch);
                init(seal, keyLength);
                int aadLength = batch.aadLength(i);
                MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, batch.aadOffset(i), heap, 0, aadLength);
                cipher.updateAAD(heap, 0, aadLength);
                if (seal && contiguous) {
                    // Through a heap array: the JDK's GCM intrinsics work on arrays, and a direct
                    // buffer would be copied through the provider's own chunks (measured ~1.7x slower).
                    MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, text, heap, 0, n);
                    int out = cipher.doFinal(heap, 0, n, heap, 0);
                    MemorySegment.copy(heap, 0, memory, ValueLayout.JAVA_BYTE, text, out);
                    batch.completeInPlace(i, 0);
                } else if (seal) {
                    ByteBuffer out = ByteBuffer.allocate(n + CryptoBatch.TAG_BYTES);
                    cipher.doFinal(memory.asSlice(text, n).asByteBuffer(), out);
                    byte[] all = out.array();
                    batch.completeSeal(i, java.util.Arrays.copyOf(all, n),
                            java.util.Arrays.copyOfRange(all, n, n + CryptoBatch.TAG_BYTES), 0);
                } else {
                    // Open into scratch, then copy: on a bad tag the JDK clears its output, and
                    // the ciphertext must stay untouched (nothing released, nothing destroyed).
                    if (contiguous) {
                        // On the heap, as for sealing; in place there (the JDK checks the tag before
                        // it releases plaintext), and only a verified plaintext is copied back.
                        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, text, heap, 0, n + CryptoBatch.TAG_BYTES);
                        try {
                            int out = cipher.doFinal(heap, 0, n + CryptoBatch.TAG_BYTES, heap, 0);
                            MemorySegment.copy(heap, 0, memory, ValueLayout.JAVA_BYTE, text, out);
                            batch.completeInPlace(i, 0);
                        } catch (AEADBadTagException e) {
                            batch.completeOpen(i, null, 0);
                        }
                        bytes += n;
                        jobs++;
                        continue;
                    }
                    ByteBuffer in = scratchIn.clear();
                    in.put(memory.asSlice(text, n).asByteBuffer())
                            .put(memory.asSlice(tag, CryptoBatch.TAG_BYTES).asByteBuffer()).flip();
                    ByteBuffer out = scratchOut.clear();
                    try {
                        cipher.doFinal(in, out);
                        MemorySegment.copy(scratchOutSegment, 0, memory, text, n);
                        batch.completeInPlace(i, 0);
                    } catch (AEADBadTagException e) {
                        batch.completeOpen(i, null, 0);
                    }
                }
            } catch (GeneralSecurityException e) {
                // Not a tag failure (handled above): the JDK refused the operation. Refuse the
                // descriptor, count it, and go on with the batch.
                batch.reject(i);
                rejected++;
                continue;
            }
            bytes += n;
            jobs++;
        }
        counters.add(jobs, rejected, bytes, System.nanoTime() - t0, 0, 0);
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
    public OffloadCounters counters() {
        return counters;
    }

    @Override
    public void close() {
    }
}
