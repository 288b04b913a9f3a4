package dev.andromeda.testbed.fastpath.offload;

/**
 * The copy stage: moves packet bytes between VM memory and NIC buffers --
 * {@code MemorySegment.copy} in software, the {@code dma_copy} engine in
 * hardware. Overlapping source and destination are not supported (a DMA
 * engine reads ahead); every implementation copies the same bytes otherwise.
 */
public interface CopyOffload extends OffloadStage {

    /** Completes every pending descriptor; invalid ones are rejected and counted. */
    void process(CopyBatch batch);
}
