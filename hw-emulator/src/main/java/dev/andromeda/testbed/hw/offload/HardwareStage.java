package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.OffloadCounters;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.OffloadStage;
import dev.andromeda.testbed.hw.HardwareModel;

/**
 * What every stage on a hardware block shares: it owns the model, opens the
 * waveform the options ask for, and books each batch's costs apart -- reading
 * descriptors and writing completions is what a host driver would spend (CPU
 * time), running the simulation is the simulator's own cost (simulation wall
 * time), and the block's clock cycles are hardware time.
 */
abstract class HardwareStage implements OffloadStage {
    protected final HardwareModel model;
    protected final OffloadOptions options;
    private final OffloadCounters counters = new OffloadCounters();
    private long batches;

    /** Takes ownership of the model; it is closed with the stage. */
    protected HardwareStage(HardwareModel model, OffloadOptions options) {
        this.model = model;
        this.options = options;
        if (options.waveform() != null) {
            model.traceOn(options.waveform());
        }
    }

    @Override
    public final String name() {
        return model.backend();
    }

    public final HardwareModel model() {
        return model;
    }

    @Override
    public final OffloadCounters counters() {
        return counters;
    }

    /** The seed of the next batch's bus traffic: different for every batch, the same on every run. */
    protected final long nextSeed() {
        return options.seed() + 7919 * batches++;
    }

    /**
     * Books one batch.
     *
     * @param t0 descriptors started being read
     * @param t1 the simulation started
     * @param t2 the simulation ended
     * @param t3 the completions were written
     */
    protected final void account(int jobs, int rejected, long bytes, long t0, long t1, long t2, long t3, long cycles) {
        counters.add(jobs, rejected, bytes, (t1 - t0) + (t3 - t2), cycles, t2 - t1);
    }

    @Override
    public final void close() {
        model.close();
    }
}
