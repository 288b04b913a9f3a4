package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.CopyBatch;
import dev.andromeda.testbed.fastpath.offload.CopyOffload;

import java.lang.foreign.MemorySegment;

/**
 * The {@code sw} copy stage: {@code MemorySegment.copy} on the calling thread. It reports the
 * statuses the {@code dma_copy} engine does where software can meet the same case: a source past
 * the end of host memory is a {@linkplain CopyBatch#STATUS_READ_ERROR read error}, a destination
 * past it a {@linkplain CopyBatch#STATUS_WRITE_ERROR write error} (the read checked first, as the
 * engine's status gives a read error precedence); either way nothing is written.
 */
public final class SoftwareCopy extends SoftwareStage<CopyBatch> implements CopyOffload {

    @Override
    public void process(CopyBatch batch) {
        runBatch(batch);
    }

    @Override
    protected long runOne(CopyBatch batch, int i, MemorySegment memory) {
        int length = batch.length(i);
        if (length > 0) {
            long size = memory.byteSize();
            // The engine reads the source rounded out to whole 8-byte beats; a beat that does not lie
            // wholly in memory fails. (Host memory is a whole number of beats in practice; then this is
            // src + length > size.)
            long readEnd = (batch.src(i) + length + 7) & ~7L;
            if (readEnd > size) {
                batch.fail(i, CopyBatch.STATUS_READ_ERROR, 0);
                return length;
            }
            if (batch.dst(i) + length > size) {
                batch.fail(i, CopyBatch.STATUS_WRITE_ERROR, 0);
                return length;
            }
            MemorySegment.copy(memory, batch.src(i), memory, batch.dst(i), length);
        }
        batch.complete(i, 0);
        return length;
    }
}
