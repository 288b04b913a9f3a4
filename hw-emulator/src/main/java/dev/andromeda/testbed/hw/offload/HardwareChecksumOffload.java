package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.DescriptorRing;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadDriver;

/**
 * The checksum stage on a {@code csum_offload} block behind any
 * {@link HardwareModel} -- Java cycle model or Verilated RTL; costs are kept
 * apart as in {@link HardwareStage}.
 */
public final class HardwareChecksumOffload extends HardwareStage implements ChecksumOffload {
    private final CsumOffloadDriver driver;

    /** Takes ownership of the model; it is closed with this stage. */
    public HardwareChecksumOffload(HardwareModel model, OffloadOptions options) {
        super(model, options);
        this.driver = new CsumOffloadDriver(model);
    }

    @Override
    public void process(ChecksumBatch batch) {
        long t0 = System.nanoTime();
        // Post: read the descriptors, as the device's queue would.
        int n = batch.size();
        int[] index = new int[n];
        CsumOffloadDriver.Job[] jobs = new CsumOffloadDriver.Job[n];
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
            jobs[count++] = new CsumOffloadDriver.Job(batch.bufferOffset(i), batch.length(i),
                    batch.csumStart(i), batch.csumOffset(i), batch.insert(i), batch.seed(i));
            bytes += batch.length(i);
        }
        if (count < n) {
            jobs = java.util.Arrays.copyOf(jobs, count);
        }
        long t1 = System.nanoTime();

        // The block runs.
        CsumOffloadDriver.Result r = driver.run(batch.hostMemory(), jobs, nextSeed(),
                options.idleProbability(), options.backpressureProbability());
        long t2 = System.nanoTime();

        // Complete: write the completions back.
        for (int k = 0; k < count; k++) {
            batch.complete(index[k], r.csum()[k], r.latencyCycles()[k]);
        }
        long t3 = System.nanoTime();
        account(count, rejected, bytes, t0, t1, t2, t3, r.cycles());
    }
}
