package dev.andromeda.testbed.control.programming;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peak heap of a scale run: {@link MemoryMXBean#getHeapMemoryUsage()} used bytes, a
 * baseline taken after a {@code System.gc()} request (so it holds little garbage), then
 * sampled every millisecond by a daemon thread until {@link #close()}, which takes one last
 * sample. Heap in use includes garbage not yet collected, so the peak bounds what the run
 * needed from above. One sampler for the counted and the programmed scale runs.
 */
public final class HeapSampler implements AutoCloseable {
    private final MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    private final long baseline;
    private final AtomicLong peak;
    private final Thread thread;

    private HeapSampler() {
        System.gc();
        baseline = used();
        peak = new AtomicLong(baseline);
        thread = Thread.ofPlatform().daemon().name("scale-heap-sampler").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(used(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Requests a GC, takes the baseline and starts sampling. */
    public static HeapSampler start() {
        return new HeapSampler();
    }

    /** Heap in use now. */
    public long used() {
        return mem.getHeapMemoryUsage().getUsed();
    }

    public long baseline() {
        return baseline;
    }

    /** The highest heap in use sampled so far (after {@link #close()}: over the whole run). */
    public long peak() {
        return peak.get();
    }

    /** Stops sampling, waits for the sampler thread, and takes one last sample. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        peak.accumulateAndGet(used(), Math::max);
    }
}
