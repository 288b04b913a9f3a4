package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmDriver;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmModule;

/**
 * The crypto stage on an {@code aes_gcm} block behind any
 * {@link HardwareModel}; costs are kept apart as in {@link HardwareStage}.
 */
public final class HardwareCryptoOffload extends HardwareStage<CryptoBatch, AesGcmDriver.Job, AesGcmDriver.Result>
        implements CryptoOffload {
    private final AesGcmDriver driver;

    /** Takes ownership of the model. */
    public HardwareCryptoOffload(HardwareModel model, OffloadOptions options) {
        super(model, options, AesGcmDriver.Job[]::new);
        this.driver = new AesGcmDriver(model);
    }

    @Override
    public void process(CryptoBatch batch) {
        runBatch(batch);
    }

    @Override
    protected AesGcmDriver.Job job(CryptoBatch batch, int i, int k) {
        boolean open = batch.op(i) == CryptoBatch.OP_OPEN;
        return new AesGcmDriver.Job(open, batch.key(i), batch.iv(i), batch.aad(i), batch.text(i),
                open ? batch.tag(i) : null);
    }

    @Override
    protected long bytes(CryptoBatch batch, int i) {
        return batch.textLength(i);
    }

    @Override
    protected AesGcmDriver.Result run(CryptoBatch batch, AesGcmDriver.Job[] jobs) {
        return driver.run(jobs, nextSeed(), options.idleProbability(), options.backpressureProbability());
    }

    @Override
    protected long cycles(AesGcmDriver.Result r) {
        return r.cycles();
    }

    @Override
    protected boolean complete(CryptoBatch batch, int i, AesGcmDriver.Job job, int k, AesGcmDriver.Result r) {
        // A block refusal (TOO_LONG: an open longer than the block's MAX_TEXT_BYTES, which may be
        // smaller than the SPI's limit; BAD_FRAMING: the driver and the block disagree on a frame)
        // rejects the descriptor -- counted here, dropped by the fast path as PSP's
        // CRYPTO_REJECTED -- and is never completed as a seal or an authentication failure.
        if (r.status()[k] != AesGcmModule.STATUS_OK) {
            return false;
        }
        if (job.open()) {
            batch.completeOpen(i, r.ok()[k] ? r.text()[k] : null, r.latencyCycles()[k]);
        } else {
            batch.completeSeal(i, r.text()[k], r.tag()[k], r.latencyCycles()[k]);
        }
        return true;
    }
}
