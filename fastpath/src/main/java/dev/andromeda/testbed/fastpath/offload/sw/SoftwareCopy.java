package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.CopyBatch;
import dev.andromeda.testbed.fastpath.offload.CopyOffload;
import dev.andromeda.testbed.fastpath.offload.DescriptorRing;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;

import java.lang.foreign.MemorySegment;

/** The {@code sw} copy stage: {@code MemorySegment.copy} on the calling thread. */
public final class SoftwareCopy implements CopyOffload {
    private final OffloadCounters counters = new OffloadCounters();

    @Override
    public String name() {
        return "sw";
    }

    @Override
    public void process(CopyBatch batch) {
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
            MemorySegment.copy(memory, batch.src(i), memory, batch.dst(i), batch.length(i));
            batch.complete(i, 0);
            bytes += batch.length(i);
            jobs++;
        }
        counters.add(jobs, rejected, bytes, System.nanoTime() - t0, 0, 0);
    }

    @Override
    public OffloadCounters counters() {
        return counters;
    }

    @Override
    public void close() {
    }
}
