package dev.andromeda.testbed.tb.compare;

import dev.andromeda.testbed.fastpath.offload.CopyBatch;
import dev.andromeda.testbed.fastpath.offload.CopyOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/**
 * Copy jobs for the meter: random source bytes, each copied to its own
 * zeroed destination (so neither a copy left over from the last batch nor a
 * copy that does nothing can pass), and every destination compared with a
 * reference copy of the source the implementation never sees.
 */
final class CopyWorkload implements StageWorkload {
    private final CopyOffload stage;
    private final Arena arena = Arena.ofConfined();
    private final long stride;
    private final MemorySegment memory;
    private final MemorySegment reference;
    private final CopyBatch batch;
    private int size;

    /** Takes ownership of the stage; it is closed with the workload. */
    CopyWorkload(CopyOffload stage, int maxSize, int capacity) {
        this.stage = stage;
        this.stride = Workloads.slot(maxSize);
        this.memory = arena.allocate(2L * capacity * stride, 64);
        this.reference = arena.allocate(capacity * stride, 64);
        this.batch = new CopyBatch(capacity, memory);
    }

    private long src(int k) {
        return 2L * k * stride;
    }

    private long dst(int k) {
        return src(k) + stride;
    }

    @Override
    public void fill(int n, int size, SplittableRandom data, long firstJob) {
        this.size = size;
        batch.clear();
        for (int k = 0; k < n; k++) {
            Workloads.random(data, memory.asSlice(src(k)), reference.asSlice(k * stride), 0, size);
            memory.asSlice(dst(k), size).fill((byte) 0);
            batch.add(src(k), dst(k), size, k);
        }
    }

    @Override
    public void process() {
        stage.process(batch);
    }

    @Override
    public String check(int k) {
        if (batch.status(k) != CopyBatch.STATUS_DONE) {
            return "status " + batch.status(k) + " (not done)";
        }
        long at = MemorySegment.mismatch(memory, dst(k), dst(k) + size, reference, k * stride, k * stride + size);
        return at < 0 ? null : "destination byte " + at + " differs from the source";
    }

    @Override
    public OffloadCounters counters() {
        return stage.counters();
    }

    @Override
    public void close() {
        try (arena; batch; stage) {
            // closes all three, the stage first
        }
    }
}
