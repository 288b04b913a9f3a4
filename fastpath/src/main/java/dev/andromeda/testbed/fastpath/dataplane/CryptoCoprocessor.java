package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;

/**
 * PSP's AES-GCM off the fast path, as Andromeda does it when the NIC does not
 * encrypt: while the crypto stage runs in software, a host hands each batch's
 * crypto work to a coprocessor thread -- billed to the VM it is for, or to the
 * host itself for traffic not yet known to belong to a VM (PSP is opened before
 * decapsulation) -- and takes the sealed or opened packets back on a later turn
 * of its loop. The fast path never waits: a full ring is a counted drop.
 *
 * <p>The {@code coprocessor} module implements this over its SPSC rings and
 * floating workers; the host calls every method on its own thread.
 */
public interface CryptoCoprocessor extends AutoCloseable {
    /** The coprocessor service of the host itself (work not billed to a VM); VM ports are >= 0. */
    int HOST = -1;

    /**
     * Hands a filled batch (made with {@link CryptoBatch#shared}) to the coprocessor
     * serving {@code vmPort} ({@link #HOST} for the host's own work).
     *
     * @param token given back with the completion
     * @return false when that coprocessor's ring is full (nothing was taken)
     */
    boolean submit(int vmPort, CryptoBatch batch, int token);

    /** Calls {@code done} for each batch finished since the last call; returns how many. */
    int drain(Completion done);

    /** CPU time the coprocessor threads have spent for this host, in ns. */
    long cpuNs();

    @FunctionalInterface
    interface Completion {
        /** @param ok the batch ran (per-operation results are in the batch); false: it was dropped */
        void done(int token, boolean ok);
    }

    @Override
    void close();
}
