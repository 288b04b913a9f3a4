package dev.andromeda.testbed.tb.compare;

import dev.andromeda.testbed.fastpath.offload.ChecksumOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.CopyOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.CryptoOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.offload.Stage;

import java.util.SplittableRandom;

/**
 * One stage's jobs as {@link StageCostMeter} runs them, so the meter's loop is
 * the same for every stage: fill a batch with fresh random jobs (and work out,
 * independently of any implementation, what each result must be), run the
 * batch through the open implementation, check each result. Owns one instance
 * of the implementation -- one device, as a host would have -- and the host
 * memory for a batch of the largest size, and serves every size up to it.
 * Confined to one thread.
 *
 * <p>Workloads keep their data and references in native memory and touch it
 * only through native segments, as the implementations do: a meter that
 * copied through heap arrays would run the JDK's shared memory-access code
 * with heap segments too, and the JIT would throw away and recompile the code
 * under test on account of the meter's own work.
 */
interface StageWorkload extends AutoCloseable {

    /**
     * Clears the batch and fills it with {@code n} fresh jobs of {@code size} bytes drawn from
     * {@code data}, working out each one's result.
     *
     * @param firstJob the number of the first of them, the rest numbered on from it: unique over the
     *                 workload's life, and the same for the same job on every implementation (the
     *                 crypto workload makes its IV of it)
     */
    void fill(int n, int size, SplittableRandom data, long firstJob);

    /** Runs the batch through the implementation. */
    void process();

    /** What is wrong with job k of the last {@link #fill}, or null when its result is right. */
    String check(int k);

    /** The implementation's counters. */
    OffloadCounters counters();

    /**
     * For an implementation inline on a send the host makes anyway (the NIC's checksum): that
     * send's own cost, without the stage's job, counted apart; null for look-aside ones.
     */
    default OffloadCounters sendOnly() {
        return null;
    }

    @Override
    void close();

    /**
     * Opens the named implementation of the stage with room for a batch of jobs of up to
     * {@code maxSize} bytes.
     *
     * @param setup draws what the workload keeps for the whole run (the crypto key)
     * @throws IllegalArgumentException for an unknown implementation
     * @throws IllegalStateException    when it cannot run here
     */
    static StageWorkload open(Stage stage, String impl, OffloadOptions options, int maxSize, int batch,
                              SplittableRandom setup) {
        return switch (stage) {
            case CHECKSUM -> new ChecksumWorkload(Offloads.open(ChecksumOffloadProvider.class, impl, options),
                    maxSize, batch);
            case COPY -> new CopyWorkload(Offloads.open(CopyOffloadProvider.class, impl, options), maxSize, batch);
            case CRYPTO -> new CryptoWorkload(Offloads.open(CryptoOffloadProvider.class, impl, options),
                    maxSize, batch, setup);
        };
    }
}
