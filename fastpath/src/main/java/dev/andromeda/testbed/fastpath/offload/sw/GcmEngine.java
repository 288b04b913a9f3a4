package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;

import java.lang.foreign.MemorySegment;

/** What does the AES-GCM of the {@code sw} crypto stage: OpenSSL's libcrypto, or the JDK. */
interface GcmEngine extends AutoCloseable {

    /** {@code openssl} or {@code jdk}. */
    String name();

    /**
     * Seals or opens admitted descriptor {@code i} and writes its completion; a failed open leaves
     * the text untouched.
     *
     * @return its text bytes, or -1 when the engine refused it (having rejected the descriptor)
     */
    long run(CryptoBatch batch, int i, MemorySegment memory);

    @Override
    void close();
}
