package dev.andromeda.testbed.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Buffer leak checks for tests, two ways:
 * <ul>
 *   <li>exact: a pooled allocator without thread caches, whose arenas count the
 *       allocations not yet released ({@link #active});</li>
 *   <li>Netty's own: paranoid leak detection with a listener that records every
 *       leak report ({@link #leaks}). It must be installed before Netty's buffer
 *       classes initialise, so every test class that uses Netty calls
 *       {@link #install()} from its static initialiser.</li>
 * </ul>
 */
final class LeakCheck {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean byteBufTracked;

    private LeakCheck() {
    }

    static synchronized void install() {
        if (ResourceLeakDetectorFactory.instance() instanceof Recording) {
            return;
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Recording());
    }

    /** Whether Netty's ByteBuf leak detector is the recording one (Netty was not initialised before install). */
    static boolean tracking() {
        return byteBufTracked;
    }

    /** Collects unreachable unreleased buffers and returns the leaks Netty has reported so far. */
    static List<String> leaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            // Leaks are reported when a later buffer is tracked: allocate a few.
            for (int k = 0; k < 64; k++) {
                ByteBuf b = UnpooledByteBufAllocator.DEFAULT.directBuffer(16);
                b.release();
            }
        }
        return List.copyOf(LEAKS);
    }

    /** An allocator whose allocations can be counted exactly: pooled, direct, no thread-local caches. */
    static PooledByteBufAllocator countingAllocator() {
        return new PooledByteBufAllocator(true, 0, 1, 8192, 9, 0, 0, false);
    }

    /** Buffers allocated from {@code a} and not released. */
    static long active(PooledByteBufAllocator a) {
        return a.metric().directArenas().stream().mapToLong(PoolArenaMetric::numActiveAllocations).sum()
                + a.metric().heapArenas().stream().mapToLong(PoolArenaMetric::numActiveAllocations).sum();
    }

    private static final class Recording extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            ResourceLeakDetector<T> d = new ResourceLeakDetector<>(resource, samplingInterval);
            d.setLeakListener((type, records) -> LEAKS.add(type + ": " + records));
            if (resource == ByteBuf.class) {
                byteBufTracked = true;
            }
            return d;
        }

        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            return newResourceLeakDetector(resource, samplingInterval);
        }
    }
}
