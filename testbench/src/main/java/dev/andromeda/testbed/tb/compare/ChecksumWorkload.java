package dev.andromeda.testbed.tb.compare;

import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.OffloadCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Checksum jobs for the meter: random packets, each summed whole (from byte
 * 0) with a random 16-bit seed standing in for the pseudo-header sum, the
 * checksum returned in the completion. Every result is checked against an
 * RFC 1071 sum computed here, 16 bits at a time, sharing no code with the
 * implementations (not even the library's
 * {@link dev.andromeda.testbed.fastpath.offload.InternetChecksum}).
 */
final class ChecksumWorkload implements StageWorkload {
    private final ChecksumOffload stage;
    private final Arena arena = Arena.ofConfined();
    private final long stride;
    private final MemorySegment memory;
    private final ChecksumBatch batch;
    private final int[] expected;

    /** Takes ownership of the stage; it is closed with the workload. */
    ChecksumWorkload(ChecksumOffload stage, int maxSize, int capacity) {
        this.stage = stage;
        this.stride = Workloads.slot(maxSize);
        this.memory = arena.allocate(capacity * stride, 64);
        this.batch = new ChecksumBatch(capacity, memory);
        this.expected = new int[capacity];
    }

    @Override
    public void fill(int n, int size, SplittableRandom data, long firstJob) {
        batch.clear();
        for (int k = 0; k < n; k++) {
            Workloads.random(data, memory, null, k * stride, size);
            int seed = data.nextInt(0x10000);
            batch.add(k * stride, size, 0, -1, seed);
            expected[k] = rfc1071(memory, k * stride, size, seed);
        }
    }

    @Override
    public void process() {
        stage.process(batch);
    }

    @Override
    public String check(int k) {
        if (batch.status(k) != ChecksumBatch.STATUS_DONE) {
            return "status " + batch.status(k) + " (not done)";
        }
        if (batch.csum(k) != expected[k]) {
            return String.format(Locale.ROOT, "checksum 0x%04x, RFC 1071 says 0x%04x", batch.csum(k), expected[k]);
        }
        return null;
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

    /**
     * RFC 1071 the plain way: the ones'-complement sum of the big-endian
     * 16-bit words of {@code memory[offset, offset+length)} (an odd last byte
     * padded with a zero byte) plus the seed, folded with end-around carries
     * and complemented.
     */
    static int rfc1071(MemorySegment memory, long offset, int length, int seed) {
        long sum = seed & 0xFFFF;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += ((memory.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF) << 8)
                    | (memory.get(ValueLayout.JAVA_BYTE, offset + i + 1) & 0xFF);
        }
        if (i < length) {
            sum += (memory.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
