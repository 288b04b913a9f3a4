package dev.andromeda.testbed.fastpath.pipeline;

/**
 * One named step of the fast path, run over a whole batch at a time (VPP and
 * Andromeda style: a loop over the batch per stage keeps code and data hot).
 *
 * @param <B> the batch type the pipeline carries
 */
public interface BatchStage<B> {

    /** Runs the stage over every live packet of the batch. */
    void process(B batch);

    /** Hardware cycles this stage has spent so far (0 for software stages). */
    default long hardwareCycles() {
        return 0;
    }

    /** Simulation wall time this stage has spent so far (0 for software stages). */
    default long simulationNs() {
        return 0;
    }
}
