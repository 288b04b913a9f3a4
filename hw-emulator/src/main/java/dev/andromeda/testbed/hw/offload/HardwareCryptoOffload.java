package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.DescriptorRing;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmDriver;

/**
 * The crypto stage on an {@code aes_gcm} block behind any
 * {@link HardwareModel}; costs are kept apart as in {@link HardwareStage}.
 */
public final class HardwareCryptoOffload extends HardwareStage implements CryptoOffload {
    private final AesGcmDriver driver;

    /** Takes ownership of the model. */
    public HardwareCryptoOffload(HardwareModel model, OffloadOptions options) {
        super(model, options);
        this.driver = new AesGcmDriver(model);
    }

    @Override
    public void process(CryptoBatch batch) {
        long t0 = System.nanoTime();
        int n = batch.size();
        int[] index = new int[n];
        AesGcmDriver.Job[] jobs = new AesGcmDriver.Job[n];
        int count = 0;
        int rejected = 0;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            int admission = batch.admit(i);
            if (admission != DescriptorRing.ADMIT_RUN) {
                rejected += admission == DescriptorRing.ADMIT_REJECTED ? 1 : 0;
                continue;
            }
            boolean open = batch.op(i) == CryptoBatch.OP_OPEN;
            index[count] = i;
            jobs[count++] = new AesGcmDriver.Job(open, batch.key(i), batch.iv(i), batch.aad(i), batch.text(i),
                    open ? batch.tag(i) : null);
            bytes += batch.textLength(i);
        }
        jobs = java.util.Arrays.copyOf(jobs, count);
        long t1 = System.nanoTime();
        AesGcmDriver.Result r = count == 0 ? null : driver.run(jobs, nextSeed(),
                options.idleProbability(), options.backpressureProbability());
        long t2 = System.nanoTime();
        for (int k = 0; k < count; k++) {
            int i = index[k];
            if (jobs[k].open()) {
                batch.completeOpen(i, r.ok()[k] ? r.text()[k] : null, r.latencyCycles()[k]);
            } else {
                batch.completeSeal(i, r.text()[k], r.tag()[k], r.latencyCycles()[k]);
            }
        }
        long t3 = System.nanoTime();
        account(count, rejected, bytes, t0, t1, t2, t3, r == null ? 0 : r.cycles());
    }
}
