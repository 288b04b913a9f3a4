package dev.andromeda.testbed.tb.compare;

import dev.andromeda.testbed.fastpath.offload.Stage;

/**
 * What one packet size costs on one implementation of one stage, per job, with
 * the kinds of cost kept apart as {@link dev.andromeda.testbed.fastpath.offload.OffloadCounters}
 * keeps them: CPU on the calling thread (for {@code sw} the work itself, for
 * hardware the host's share -- reading descriptors, writing completions),
 * the block's clock cycles and their time at the clock, and the simulator's
 * wall time, which is never a cost of the dataplane.
 *
 * @param impl            the implementation's name
 * @param stage           the stage
 * @param size            bytes per job (packet, copy or plaintext length)
 * @param warmupJobs      untimed jobs the implementation ran before this size's measured ones: the
 *                        warm-up across sizes and a batch at this size (earlier sizes' measured jobs aside)
 * @param jobs            jobs measured
 * @param cpuNsPerJob     CPU ns on the calling thread per job
 * @param hwCyclesPerJob  the block's clock cycles per job: its cycles for the measured batches, as the
 *                        counters report them, over the jobs (0 for sw)
 * @param hwNsPerJob      those cycles at the clock, in ns
 * @param simWallNsPerJob simulation wall time per job (0 for sw)
 * @param wrong           jobs whose result differed from the meter's own reference
 * @param firstWrong      what was wrong with the first such job, or null
 * @param unavailable     why the implementation cannot run here, or null when it ran
 */
public record StageCost(String impl, Stage stage, int size, int warmupJobs, int jobs, double cpuNsPerJob, double hwCyclesPerJob,
                        double hwNsPerJob, double simWallNsPerJob, int wrong, String firstWrong,
                        String unavailable) {

    /** An implementation that could not run here, with the reason. */
    public static StageCost unavailable(String impl, Stage stage, int size, String reason) {
        return new StageCost(impl, stage, size, 0, 0, 0, 0, 0, 0, 0, null, reason);
    }

    public boolean ran() {
        return unavailable == null;
    }

    /** Whether every measured result matched the reference (vacuously false when it did not run). */
    public boolean correct() {
        return ran() && wrong == 0;
    }

    /** Whether this is the software baseline rather than a hardware block. */
    public boolean software() {
        return impl.equals("sw");
    }
}
