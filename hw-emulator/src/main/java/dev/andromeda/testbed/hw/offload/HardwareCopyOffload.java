package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.CopyBatch;
import dev.andromeda.testbed.fastpath.offload.CopyOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyDriver;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyModule;

/**
 * The copy stage on a {@code dma_copy} engine behind any
 * {@link HardwareModel}: the engine reads and writes host memory through the
 * memory responder, with the options' latency and reads in flight (writes are
 * answered after {@link dev.andromeda.testbed.hw.driver.AxiMemory.Faults#DEFAULT_WRITE_RESPONSE_LATENCY}
 * cycles; a range past the end of host memory answers DECERR). The engine's
 * completion status becomes the descriptor's: OK done, READ_ERROR and
 * WRITE_ERROR as {@link CopyBatch#STATUS_READ_ERROR} / {@link CopyBatch#STATUS_WRITE_ERROR}.
 * Costs are kept apart as in {@link HardwareStage}.
 */
public final class HardwareCopyOffload extends HardwareStage<CopyBatch, DmaCopyDriver.Job, DmaCopyDriver.Result>
        implements CopyOffload {
    private final DmaCopyDriver driver;

    /** Takes ownership of the model. */
    public HardwareCopyOffload(HardwareModel model, OffloadOptions options) {
        super(model, options, DmaCopyDriver.Job[]::new);
        this.driver = new DmaCopyDriver(model);
    }

    @Override
    public void process(CopyBatch batch) {
        runBatch(batch);
    }

    @Override
    protected DmaCopyDriver.Job job(CopyBatch batch, int i, int k) {
        return new DmaCopyDriver.Job(batch.src(i), batch.dst(i), batch.length(i), k & 0xFFFF);
    }

    @Override
    protected long bytes(CopyBatch batch, int i) {
        return batch.length(i);
    }

    @Override
    protected DmaCopyDriver.Result run(CopyBatch batch, DmaCopyDriver.Job[] jobs) {
        return driver.run(batch.hostMemory(), jobs, nextSeed(), options.idleProbability(),
                options.backpressureProbability(), options.memoryLatency(), options.maxReadsInFlight());
    }

    @Override
    protected long cycles(DmaCopyDriver.Result r) {
        return r.cycles();
    }

    @Override
    protected boolean complete(CopyBatch batch, int i, DmaCopyDriver.Job job, int k, DmaCopyDriver.Result r) {
        long cycles = r.latencyCycles()[k];
        long queued = r.queuedCycles()[k];
        switch (r.status()[k]) {
            case DmaCopyModule.STATUS_OK -> batch.complete(i, cycles, queued);
            case DmaCopyModule.STATUS_READ_ERROR -> batch.fail(i, CopyBatch.STATUS_READ_ERROR, cycles, queued);
            case DmaCopyModule.STATUS_WRITE_ERROR -> batch.fail(i, CopyBatch.STATUS_WRITE_ERROR, cycles, queued);
            default -> {
                return false; // BAD_DESCRIPTOR: admission lets no such copy through; refused if one came
            }
        }
        return true;
    }
}
