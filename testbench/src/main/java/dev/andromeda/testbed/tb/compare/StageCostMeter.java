package dev.andromeda.testbed.tb.compare;

import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.CopyBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.OffloadProvider;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.offload.Stage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Measures what packet sizes cost on one implementation of one stage: per
 * size, N jobs of seeded random data in batches of 32 (Andromeda's egress
 * batch) through the implementation's offload SPI. The costs are the
 * implementation's own {@link OffloadCounters}, read after every batch, per
 * job; every measured result is checked against a reference the meter works
 * out itself (see the workloads), so a fast but wrong implementation cannot
 * look good.
 *
 * <p>One instance of the implementation serves every size, as one device
 * would. Before anything is timed it is warmed up: batches at every size in
 * turn, made, run and checked exactly as measured ones are (code the JIT
 * compiled on some sizes only meets an untaken path on the next -- an odd
 * tail of bytes, the JDK's bulk AES-GCM path -- and is thrown away, leaving
 * that size measured half interpreted), until
 * {@code warmupBatches} batches or {@code warmupMillis} of wall time, whichever
 * comes first. Software needs the batches: here C2 compiles a stage's loop only
 * after several thousand calls, and until then a 64-byte copy costs eight
 * times what it does after. A simulated block meets the time limit first (a
 * 9,000-byte job takes it a millisecond or more), so its host-side share may
 * be measured less warm than software's; the JSON says how many warm-up jobs
 * each size had. Then, right before each size, one more batch at that size.
 *
 * <p>CPU per job is the median batch's (its CPU over its jobs): a GC pause or
 * a compilation landing in one batch -- the meter's own allocation included --
 * does not move it. Hardware cycles and simulation wall time are means over
 * the measured jobs; cycles are deterministic for a seed, and wall time is the
 * simulator's cost, only reported.
 *
 * <p>Every implementation of a stage sees the same measured jobs at a size:
 * their data's seed is derived from the run's seed, the stage and the size,
 * not the implementation.
 */
public final class StageCostMeter {
    /** Jobs per batch: Andromeda's egress batch. */
    public static final int BATCH = 32;
    /**
     * Where the numbers of warm-up jobs start: measured jobs are numbered size &lt;&lt; 32 | index,
     * far below, so no two jobs of a workload share a number (the crypto workload's IV).
     */
    private static final long WARMUP_JOB = 1L << 62;

    /** Told how far a measurement is. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param phase "warm-up" or the size being measured, e.g. "1,500 B"
         */
        void progress(String phase, long done, long total);
    }

    private final Map<Stage, OffloadOptions> options = new EnumMap<>(Stage.class);
    private final long seed;
    private final int warmupBatches;
    private final long warmupNanos;
    private final boolean requireAvailable;
    private final List<StageCost> sends = new ArrayList<>();

    /**
     * @param clockMHz         each stage's clock, at which its block's cycles become modelled time
     * @param seed             seed of the jobs' data and of the hardware's bus traffic
     * @param warmupBatches    batches of the warm-up across sizes, per stage and implementation (0: none)
     * @param warmupMillis     wall time after which that warm-up stops short
     * @param requireAvailable whether an implementation that cannot run here is an error
     *                         (CI) rather than a result saying so
     */
    public StageCostMeter(ToDoubleFunction<Stage> clockMHz, long seed, int warmupBatches, long warmupMillis,
                          boolean requireAvailable) {
        if (warmupBatches < 0 || warmupMillis < 0) {
            throw new IllegalArgumentException("warm-up batches and time must be at least 0: " + warmupBatches
                    + ", " + warmupMillis + " ms");
        }
        for (Stage s : Stage.values()) {
            options.put(s, new OffloadOptions(seed, 0, 0, null, clockMHz.applyAsDouble(s)));
        }
        this.seed = seed;
        this.warmupBatches = warmupBatches;
        this.warmupNanos = warmupMillis * 1_000_000;
        this.requireAvailable = requireAvailable;
    }

    /**
     * Runs {@code jobs} jobs of each size through {@code impl}'s implementation of {@code stage}.
     *
     * @return the costs by size, smallest first; or a single {@link StageCost#unavailable} with the
     *         reason when the implementation cannot run here
     * @throws IllegalArgumentException for an unknown implementation, a size the stage does not take,
     *                                  no sizes, jobs below 1
     * @throws IllegalStateException    when the implementation cannot run here and availability is required
     */
    public List<StageCost> measure(Stage stage, String impl, List<Integer> sizes, int jobs, Listener listener) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1: " + jobs);
        }
        List<Integer> bySize = List.copyOf(new TreeSet<>(sizes));
        if (bySize.isEmpty()) {
            throw new IllegalArgumentException("no sizes");
        }
        for (int size : bySize) {
            if (size < 1 || size > maxSize(stage)) {
                throw new IllegalArgumentException("the " + stage.label() + " stage takes 1.." + maxSize(stage)
                        + " bytes, not " + size);
            }
        }
        String refused = NicImpl.is(impl) ? NicImpl.refusal(stage, impl) : null;
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        String reason = NicImpl.is(impl) ? NicImpl.unavailability(impl) : null;
        if (!NicImpl.is(impl)) {
            OffloadProvider<?> provider = Offloads.provider(stage.providerType(), impl);
            reason = provider.isAvailable() ? null : provider.unavailabilityCause();
        }
        if (reason != null) {
            if (requireAvailable) {
                throw new IllegalStateException(stage.label() + " implementation '" + impl + "' cannot run here ("
                        + reason + ") and every implementation is required to (CI=true or -Dtb.rtl.required)");
            }
            return List.of(StageCost.unavailable(impl, stage, bySize.getFirst(), reason));
        }
        SplittableRandom setup = new SplittableRandom(seed ^ (stage.ordinal() + 1) * 0x9E3779B97F4A7C15L);
        try (StageWorkload w = NicImpl.is(impl) && stage == Stage.CRYPTO
                ? new NicCryptoWorkload(NicImpl.backend(impl), bySize.getLast(), BATCH, seed)
                : NicImpl.is(impl)
                ? new NicChecksumWorkload(NicImpl.backend(impl), bySize.getLast(), BATCH, seed)
                : StageWorkload.open(stage, impl, options.get(stage), bySize.getLast(), BATCH, setup)) {
            int warmed = warmUp(w, stage, bySize, listener);
            List<StageCost> costs = new ArrayList<>();
            for (int i = 0; i < bySize.size(); i++) {
                long warmupJob = WARMUP_JOB + (long) (warmed + i) * BATCH;
                costs.add(measureSize(w, stage, impl, bySize.get(i), jobs, (warmed + 1) * BATCH, warmupJob, listener));
            }
            return costs;
        }
    }

    /**
     * Batches at every size in turn, until the batches or the time run out; returns the batches run.
     * They are made, run and checked exactly as measured ones are -- the JIT compiles what it
     * profiled, so anything the warm-up did differently would be recompiled during the measurement.
     */
    private int warmUp(StageWorkload w, Stage stage, List<Integer> sizes, Listener listener) {
        SplittableRandom data = new SplittableRandom(seed ^ (stage.ordinal() + 1) * 0x5851F42D4C957F2DL);
        long start = System.nanoTime();
        int batches = 0;
        while (batches < warmupBatches && System.nanoTime() - start < warmupNanos) {
            runBatch(w, BATCH, sizes.get(batches % sizes.size()), data, WARMUP_JOB + (long) batches * BATCH);
            batches++;
            if (batches % 64 == 0) {
                listener.progress("warm-up", batches, warmupBatches);
            }
        }
        return batches;
    }

    /** One more warm-up batch at the size (its jobs numbered from {@code warmupJob}), then the measured ones. */
    private StageCost measureSize(StageWorkload w, Stage stage, String impl, int size, int jobs, int warmupJobs,
                                  long warmupJob, Listener listener) {
        String phase = String.format(Locale.ROOT, "%,d B", size);
        SplittableRandom data = new SplittableRandom(seed ^ (stage.ordinal() + 1) * 0x9E3779B97F4A7C15L ^ size);
        runBatch(w, BATCH, size, data.split(), warmupJob);
        OffloadCounters c = w.counters();
        c.reset();
        OffloadCounters send = w.sendOnly();
        if (send != null) {
            send.reset();
        }
        double[] cpuPerJob = new double[(jobs + BATCH - 1) / BATCH];
        int wrong = 0;
        String firstWrong = null;
        long cpuBefore = 0;
        double[] sendCpuPerJob = new double[cpuPerJob.length];
        long sendBefore = 0;
        for (int done = 0, b = 0; done < jobs; b++) {
            int n = Math.min(BATCH, jobs - done);
            List<String> why = runBatch(w, n, size, data, ((long) size << 32) | done);
            cpuPerJob[b] = (double) (c.cpuNs() - cpuBefore) / n;
            cpuBefore = c.cpuNs();
            if (send != null) {
                sendCpuPerJob[b] = (double) (send.cpuNs() - sendBefore) / n;
                sendBefore = send.cpuNs();
            }
            for (int k = 0; k < n; k++) {
                if (why.get(k) != null && wrong++ == 0) {
                    firstWrong = "job " + (done + k) + ": " + why.get(k);
                }
            }
            done += n;
            listener.progress(phase, done, jobs);
        }
        if (send != null) {
            sends.add(new StageCost(impl, stage, size, warmupJobs, jobs, median(sendCpuPerJob),
                    (double) send.hwCycles() / jobs, send.modelledHwNs(options.get(stage).clockMHz()) / jobs,
                    (double) send.simWallNs() / jobs, 0, null, null));
        }
        return new StageCost(impl, stage, size, warmupJobs, jobs, median(cpuPerJob), (double) c.hwCycles() / jobs,
                c.modelledHwNs(options.get(stage).clockMHz()) / jobs, (double) c.simWallNs() / jobs, wrong, firstWrong, null);
    }

    /**
     * For the implementations inline on a send ({@code nic-*}): the send alone, per size, as
     * measured beside each size's jobs (the same batches sent without the stage's job).
     */
    public List<StageCost> sendsOnly() {
        return List.copyOf(sends);
    }

    /** Fills, runs and checks one batch; returns what is wrong with each job (null: right). */
    private static List<String> runBatch(StageWorkload w, int n, int size, SplittableRandom data, long firstJob) {
        w.fill(n, size, data, firstJob);
        w.process();
        String[] why = new String[n];
        for (int k = 0; k < n; k++) {
            why[k] = w.check(k);
        }
        return Arrays.asList(why);
    }

    /** Why a {@code nic-*} implementation cannot measure the stage (a usage error), or null. */
    public static String nicRefusal(Stage stage, String impl) {
        return NicImpl.refusal(stage, impl);
    }

    /** Why a {@code nic-*} implementation cannot run here, or null. */
    public static String nicUnavailability(String impl) {
        return NicImpl.unavailability(impl);
    }

    /** The largest job the stage's descriptors take. */
    public static int maxSize(Stage stage) {
        return switch (stage) {
            case CHECKSUM -> ChecksumBatch.MAX_LENGTH;
            case COPY -> CopyBatch.MAX_LENGTH;
            case CRYPTO -> CryptoBatch.MAX_TEXT;
        };
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
