package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * The {@code sw} crypto stage: the JDK's {@code AES/GCM/NoPadding} (AES-NI and
 * CLMUL intrinsics on x86) over the off-heap text, in place.
 */
public final class SoftwareGcm implements CryptoOffload {
    private final OffloadCounters counters = new OffloadCounters();
    private Cipher cipher;

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
            if (batch.status(i) != CryptoBatch.STATUS_PENDING) {
                continue;
            }
            if (batch.validate(i) != null) {
                batch.reject(i);
                rejected++;
                continue;
            }
            boolean seal = batch.op(i) == CryptoBatch.OP_SEAL;
            int n = batch.textLength(i);
            ByteBuffer aad = memory.asSlice(batch.aadOffset(i), batch.aadLength(i)).asByteBuffer();
            ByteBuffer text = memory.asSlice(batch.textOffset(i), n).asByteBuffer();
            try {
                init(seal, batch.key(i), batch.iv(i));
                cipher.updateAAD(aad);
                if (seal) {
                    ByteBuffer out = ByteBuffer.allocate(n + CryptoBatch.TAG_BYTES);
                    cipher.doFinal(text, out);
                    byte[] all = out.array();
                    byte[] tag = java.util.Arrays.copyOfRange(all, n, n + CryptoBatch.TAG_BYTES);
                    batch.completeSeal(i, java.util.Arrays.copyOf(all, n), tag, 0);
                } else {
                    // Ciphertext then tag, as the JDK wants them; nothing is released unless the tag verifies.
                    ByteBuffer in = ByteBuffer.allocate(n + CryptoBatch.TAG_BYTES);
                    in.put(text).put(memory.asSlice(batch.tagOffset(i), CryptoBatch.TAG_BYTES).asByteBuffer()).flip();
                    ByteBuffer out = ByteBuffer.allocate(n);
                    try {
                        cipher.doFinal(in, out);
                        batch.completeOpen(i, out.array(), 0);
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

    /**
     * The JDK refuses to encrypt twice with one key and IV on one Cipher (a guard
     * against nonce reuse). A batch may legitimately hold such a pair -- a test
     * vector sealed twice, a retransmission -- so a fresh Cipher takes it.
     */
    private void init(boolean seal, byte[] key, byte[] iv) throws GeneralSecurityException {
        SecretKeySpec k = new SecretKeySpec(key, "AES");
        GCMParameterSpec spec = new GCMParameterSpec(128, iv);
        try {
            cipher.init(seal ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, k, spec);
        } catch (java.security.InvalidAlgorithmParameterException reuse) {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(seal ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, k, spec);
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
