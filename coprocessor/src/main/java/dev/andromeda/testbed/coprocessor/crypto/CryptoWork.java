package dev.andromeda.testbed.coprocessor.crypto;

import dev.andromeda.testbed.coprocessor.ring.DropReason;
import dev.andromeda.testbed.coprocessor.ring.WorkItem;
import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;

/**
 * Runs a {@link CryptoBatch} the PSP code built through a crypto stage off the fast path thread,
 * and returns the completed batch in the item (per-operation status in the batch itself).
 *
 * <p>Two confinement rules meet here. A crypto stage is confined to one thread (a Verilated model
 * must be built and evaluated on one thread), so each coprocessor worker opens its own stage, on
 * its own thread ({@code CoprocessorWorker}), and this class is handed that one. And the batch's
 * memory must be reachable from the worker: a batch whose descriptor ring or host memory lives in
 * a confined arena of another thread is refused with {@link DropReason#CRYPTO_BATCH_NOT_SHARED}
 * (checked, never a {@code WrongThreadException} in the worker).
 */
public final class CryptoWork {
    private CryptoWork() {
    }

    /** Sets the item's verdict: PASS with the batch processed, or DROP with the reason. */
    public static void handle(WorkItem item, CryptoOffload stage) {
        CryptoBatch batch = item.batch();
        if (batch == null || stage == null) {
            item.drop(DropReason.CRYPTO_STAGE_FAILED);
            return;
        }
        Thread self = Thread.currentThread();
        if (!batch.ring().isAccessibleBy(self) || !batch.hostMemory().isAccessibleBy(self)) {
            item.drop(DropReason.CRYPTO_BATCH_NOT_SHARED);
            return;
        }
        try {
            stage.process(batch);
        } catch (RuntimeException e) {
            item.drop(DropReason.CRYPTO_STAGE_FAILED);
            return;
        }
        item.pass();
    }
}
