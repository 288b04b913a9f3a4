package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.CopyBatch;
import dev.andromeda.testbed.fastpath.offload.CopyOffload;

import java.lang.foreign.MemorySegment;

/** The {@code sw} copy stage: {@code MemorySegment.copy} on the calling thread. */
public final class SoftwareCopy extends SoftwareStage<CopyBatch> implements CopyOffload {

    @Override
    public void process(CopyBatch batch) {
        runBatch(batch);
    }

    @Override
    protected long runOne(CopyBatch batch, int i, MemorySegment memory) {
        MemorySegment.copy(memory, batch.src(i), memory, batch.dst(i), batch.length(i));
        batch.complete(i, 0);
        return batch.length(i);
    }
}
