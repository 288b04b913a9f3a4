package dev.andromeda.testbed.tb.compare;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;

/**
 * Crypto jobs for the meter: AES-GCM-128 seals of random plaintexts, as PSP
 * sends them -- one security association (one key) for the run, a 96-bit IV
 * per packet (a salt and the job's number, so no IV repeats under the key),
 * no AAD, the 16-byte tag right after the text. Every ciphertext and tag is
 * compared with what the JDK's {@code AES/GCM/NoPadding} makes of the same
 * plaintext and IV here, on the meter's own cipher, in a reference copy the
 * implementation never sees.
 */
final class CryptoWorkload implements StageWorkload {
    private static final int KEY_BYTES = 16;

    private final CryptoOffload stage;
    private final Arena arena = Arena.ofConfined();
    private final long stride;
    private final MemorySegment memory;
    private final MemorySegment reference;
    private final CryptoBatch batch;
    private final byte[] key = new byte[KEY_BYTES];
    private final byte[] salt = new byte[4];
    private final SecretKeySpec keySpec;
    private final Cipher cipher;
    private int size;

    /** Takes ownership of the stage; it is closed with the workload. */
    CryptoWorkload(CryptoOffload stage, int maxSize, int capacity, SplittableRandom setup) {
        this.stage = stage;
        this.stride = Workloads.slot(maxSize + CryptoBatch.TAG_BYTES);
        this.memory = arena.allocate(capacity * stride, 64);
        this.reference = arena.allocate(capacity * stride, 64);
        this.batch = new CryptoBatch(capacity, memory);
        setup.nextBytes(key);
        setup.nextBytes(salt);
        this.keySpec = new SecretKeySpec(key, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM/NoPadding", e);
        }
    }

    @Override
    public void fill(int n, int size, SplittableRandom data, long firstJob) {
        this.size = size;
        batch.clear();
        for (int k = 0; k < n; k++) {
            long text = k * stride;
            byte[] iv = iv(firstJob + k);
            Workloads.random(data, memory, reference, text, size);
            memory.asSlice(text + size, CryptoBatch.TAG_BYTES).fill((byte) 0);
            batch.add(CryptoBatch.OP_SEAL, key, iv, text, 0, text, size, text + size);
            try {
                cipher.init(Cipher.ENCRYPT_MODE, keySpec, new GCMParameterSpec(CryptoBatch.TAG_BYTES * 8, iv));
                cipher.doFinal(reference.asSlice(text, size).asByteBuffer(),
                        reference.asSlice(text, size + CryptoBatch.TAG_BYTES).asByteBuffer());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK could not seal the reference: " + e, e);
            }
        }
    }

    /** The salt, then the job's number big-endian. */
    private byte[] iv(long job) {
        byte[] iv = new byte[CryptoBatch.IV_BYTES];
        System.arraycopy(salt, 0, iv, 0, salt.length);
        for (int i = CryptoBatch.IV_BYTES - 1; i >= salt.length; i--, job >>>= 8) {
            iv[i] = (byte) job;
        }
        return iv;
    }

    @Override
    public void process() {
        stage.process(batch);
    }

    @Override
    public String check(int k) {
        if (batch.status(k) != CryptoBatch.STATUS_DONE) {
            return "status " + batch.status(k) + " (not done)";
        }
        long text = k * stride;
        long at = MemorySegment.mismatch(memory, text, text + size + CryptoBatch.TAG_BYTES,
                reference, text, text + size + CryptoBatch.TAG_BYTES);
        if (at < 0) {
            return null;
        }
        return (at < size ? "ciphertext byte " + at : "tag byte " + (at - size))
                + " differs from the JDK's AES/GCM/NoPadding";
    }

    @Override
    public OffloadCounters counters() {
        return stage.counters();
    }

    @Override
    public void close() {
        try (arena; batch; stage) {
            // closes all three, the stage first
        }
    }
}
