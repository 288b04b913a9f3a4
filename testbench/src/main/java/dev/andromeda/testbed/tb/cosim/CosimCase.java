package dev.andromeda.testbed.tb.cosim;

import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Stage;
import dev.andromeda.testbed.testkit.coverage.CoverGroup;

/**
 * A block's co-simulation regression: seeded random jobs through one
 * implementation, every result compared with the {@code sw} stage's (the
 * JDK / RFC 1071 / {@code MemorySegment.copy}), which is the oracle.
 */
public interface CosimCase {

    Stage stage();

    /**
     * A new, empty cover group of the block's job fields (lengths, alignments, command fields):
     * the functional coverage {@link #run} fills, reported by {@code tb coverage}.
     */
    CoverGroup newCoverGroup();

    /**
     * Runs {@code jobs} random jobs drawn from {@code seed}.
     *
     * @param options bus stalls, memory latency and waveform for the implementation
     * @param cover   the group of {@link #newCoverGroup()}: every job's fields are sampled into it
     */
    CosimOutcome run(String impl, long seed, int jobs, OffloadOptions options, CoverGroup cover);
}
