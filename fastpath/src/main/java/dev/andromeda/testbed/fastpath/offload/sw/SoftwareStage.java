package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.DescriptorRing;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;
import dev.andromeda.testbed.fastpath.offload.OffloadStage;

import java.lang.foreign.MemorySegment;

/**
 * What the {@code sw} stages share: each admitted descriptor is done on the
 * calling thread (skipping what is not pending, rejecting what does not
 * validate, as {@link DescriptorRing#admit} rules), and the batch is booked as
 * CPU time -- no hardware cycles, no simulation.
 */
abstract class SoftwareStage<B extends DescriptorRing> implements OffloadStage {
    private final OffloadCounters counters = new OffloadCounters();

    /**
     * Does admitted descriptor {@code i} and writes its completion.
     *
     * @return its payload bytes, or -1 when the stage refused it (having rejected the descriptor)
     */
    protected abstract long runOne(B batch, int i, MemorySegment memory);

    protected final void runBatch(B batch) {
        long t0 = System.nanoTime();
        MemorySegment memory = batch.hostMemory();
        long bytes = 0;
        int jobs = 0;
        int rejected = 0;
        for (int i = 0; i < batch.size(); i++) {
            int admission = batch.admit(i);
            if (admission != DescriptorRing.ADMIT_RUN) {
                rejected += admission == DescriptorRing.ADMIT_REJECTED ? 1 : 0;
                continue;
            }
            long n = runOne(batch, i, memory);
            if (n < 0) {
                rejected++;
            } else {
                bytes += n;
                jobs++;
            }
        }
        counters.add(jobs, rejected, bytes, System.nanoTime() - t0, 0, 0);
    }

    /**
     * Books jobs its caller did itself with this stage's code, straight from its own batch (no
     * descriptors): jobs, refusals and bytes; their time is the calling pipeline stage's.
     */
    public final void book(int jobs, int rejected, long bytes) {
        if (jobs + rejected > 0) {
            counters.add(jobs, rejected, bytes, 0, 0, 0);
        }
    }

    @Override
    public final String name() {
        return "sw";
    }

    @Override
    public final OffloadCounters counters() {
        return counters;
    }

    @Override
    public void close() {
    }
}
