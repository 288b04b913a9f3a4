package dev.andromeda.testbed.hw.offload;

import dev.andromeda.testbed.fastpath.offload.DescriptorRing;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.OffloadStage;
import dev.andromeda.testbed.hw.HardwareModel;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * What every stage on a hardware block shares: it owns the model, opens the
 * waveform the options ask for, and books each batch's costs apart -- reading
 * descriptors and writing completions is what a host driver would spend (CPU
 * time), running the simulation is the simulator's own cost (simulation wall
 * time), and the block's clock cycles are hardware time.
 */
abstract class HardwareStage<B extends DescriptorRing, J, R> implements OffloadStage {
    protected final HardwareModel model;
    protected final OffloadOptions options;
    private final OffloadCounters counters = new OffloadCounters();
    private final IntFunction<J[]> newJobs;
    private long batches;

    /**
     * Takes ownership of the model; it is closed with the stage.
     *
     * @param newJobs makes the array of jobs the block's driver takes
     */
    protected HardwareStage(HardwareModel model, OffloadOptions options, IntFunction<J[]> newJobs) {
        this.model = model;
        this.options = options;
        this.newJobs = newJobs;
        if (options.waveform() != null) {
            model.traceOn(options.waveform());
            // The backend reset the block before the trace was open: reset the idle block again,
            // so the waveform shows the reset and the first edges after it (issue 15).
            model.reset(EmuBackend.RESET_CYCLES);
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

    /** The job for admitted descriptor {@code i}, the batch's {@code k}th, as the block's driver takes it. */
    protected abstract J job(B batch, int i, int k);

    /** The payload bytes of descriptor {@code i}, for the counters. */
    protected abstract long bytes(B batch, int i);

    /** Runs the block over the jobs (at least one). */
    protected abstract R run(B batch, J[] jobs);

    /** The block's clock cycles for the whole run. */
    protected abstract long cycles(R result);

    /**
     * Writes job {@code k}'s completion into descriptor {@code i}.
     *
     * @return false when the block failed the job (the descriptor is then rejected)
     */
    protected abstract boolean complete(B batch, int i, J job, int k, R result);

    /**
     * One batch, as a device driver would take it: post the admitted descriptors as jobs
     * (skipping what is not pending, rejecting what does not validate), run the block, write the
     * completions, and book the costs apart (see the class comment).
     */
    protected final void runBatch(B batch) {
        long t0 = System.nanoTime();
        int n = batch.size();
        int[] index = new int[n];
        J[] jobs = newJobs.apply(n);
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
            jobs[count] = job(batch, i, count);
            count++;
            bytes += bytes(batch, i);
        }
        if (count < n) {
            jobs = Arrays.copyOf(jobs, count);
        }
        long t1 = System.nanoTime();
        R r = count == 0 ? null : run(batch, jobs);
        long t2 = System.nanoTime();
        for (int k = 0; k < count; k++) {
            if (!complete(batch, index[k], jobs[k], k, r)) {
                batch.reject(index[k]);
                rejected++;
            }
        }
        long t3 = System.nanoTime();
        counters.add(count, rejected, bytes, (t1 - t0) + (t3 - t2), r == null ? 0 : cycles(r), t2 - t1);
    }

    /** The seed of the next batch's bus traffic: different for every batch, the same on every run. */
    protected final long nextSeed() {
        return options.seed() + 7919 * batches++;
    }

    @Override
    public final void close() {
        model.close();
    }
}
