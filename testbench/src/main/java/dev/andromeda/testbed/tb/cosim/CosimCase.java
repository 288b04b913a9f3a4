package dev.andromeda.testbed.tb.cosim;

import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Stage;

/**
 * A block's co-simulation regression: seeded random jobs through one
 * implementation, every result compared with the {@code sw} stage's (the
 * JDK / RFC 1071 / {@code MemorySegment.copy}), which is the oracle.
 */
public interface CosimCase {

    Stage stage();

    /**
     * Runs {@code jobs} random jobs drawn from {@code seed}.
     *
     * @param options bus stalls, memory latency and waveform for the implementation
     */
    CosimOutcome run(String impl, long seed, int jobs, OffloadOptions options);
}
