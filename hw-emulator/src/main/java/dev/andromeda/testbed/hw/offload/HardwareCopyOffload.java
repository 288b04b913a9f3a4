package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.CopyBatch;
import dev.andromeda.testbed.fastpath.offload.CopyOffload;
import dev.andromeda.testbed.fastpath.offload.DescriptorRing;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyDriver;

/**
 * The copy stage on a {@code dma_copy} engine behind any
 * {@link HardwareModel}: the engine reads and writes host memory through the
 * memory responder, with the options' latency and reads in flight. Costs are
 * kept apart as in {@link HardwareStage}.
 */
public final class HardwareCopyOffload extends HardwareStage implements CopyOffload {
    private final DmaCopyDriver driver;

    /** Takes ownership of the model. */
    public HardwareCopyOffload(HardwareModel model, OffloadOptions options) {
        super(model, options);
        this.driver = new DmaCopyDriver(model);
    }

    @Override
    public void process(CopyBatch batch) {
        long t0 = System.nanoTime();
        int n = batch.size();
        int[] index = new int[n];
        DmaCopyDriver.Job[] jobs = new DmaCopyDriver.Job[n];
        int count = 0;
        int rejected = 0;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            int admission = batch.admit(i);
            if (admission != DescriptorRing.ADMIT_RUN) {
                rejected += admission == DescriptorRing.ADMIT_REJECTED ? 1 : 0;
                continue;
            }
            index[count] = i;
            jobs[count] = new DmaCopyDriver.Job(batch.src(i), batch.dst(i), batch.length(i), count & 0xFFFF);
            count++;
            bytes += batch.length(i);
        }
        jobs = java.util.Arrays.copyOf(jobs, count);
        long t1 = System.nanoTime();
        DmaCopyDriver.Result r = count == 0 ? null : driver.run(batch.hostMemory(), jobs,
                nextSeed(), options.idleProbability(), options.backpressureProbability(),
                options.memoryLatency(), options.maxReadsInFlight());
        long t2 = System.nanoTime();
        for (int k = 0; k < count; k++) {
            if (r.status()[k] == 0) {
                batch.complete(index[k], r.latencyCycles()[k]);
            } else {
                batch.reject(index[k]);
                rejected++;
            }
        }
        long t3 = System.nanoTime();
        account(count, rejected, bytes, t0, t1, t2, t3, r == null ? 0 : r.cycles());
    }
}
