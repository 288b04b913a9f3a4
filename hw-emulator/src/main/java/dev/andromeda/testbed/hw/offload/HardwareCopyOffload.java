package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.CopyBatch;
import dev.andromeda.testbed.fastpath.offload.CopyOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyDriver;

/**
 * The copy stage on a {@code dma_copy} engine behind any
 * {@link HardwareModel}: the engine reads and writes host memory through the
 * memory responder, with the options' latency and reads in flight. Costs are
 * kept apart as in {@link HardwareChecksumOffload}.
 */
public final class HardwareCopyOffload implements CopyOffload {
    private final HardwareModel model;
    private final DmaCopyDriver driver;
    private final OffloadOptions options;
    private final OffloadCounters counters = new OffloadCounters();
    private long batches;

    /** Takes ownership of the model. */
    public HardwareCopyOffload(HardwareModel model, OffloadOptions options) {
        this.model = model;
        this.options = options;
        this.driver = new DmaCopyDriver(model);
        if (options.waveform() != null) {
            model.traceOn(options.waveform());
        }
    }

    @Override
    public String name() {
        return model.backend();
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
            if (batch.status(i) != CopyBatch.STATUS_PENDING) {
                continue;
            }
            if (batch.validate(i) != null) {
                batch.reject(i);
                rejected++;
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
                options.seed() + 7919 * batches++, options.idleProbability(), options.backpressureProbability(),
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
        counters.add(count, rejected, bytes, (t1 - t0) + (t3 - t2), r == null ? 0 : r.cycles(), t2 - t1);
    }

    @Override
    public OffloadCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        model.close();
    }
}
