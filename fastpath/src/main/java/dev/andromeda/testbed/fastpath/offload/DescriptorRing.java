package dev.andromeda.testbed.fastpath.offload;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * What every stage's batch shares: a ring of fixed-size descriptors in
 * off-heap memory, 64-byte aligned, and the host memory their offsets point
 * into. Subclasses lay out their descriptor and read and write its fields.
 * Confined to the thread that made it.
 */
public abstract class DescriptorRing implements AutoCloseable {
    private final Arena arena;
    protected final MemorySegment ring;
    private final MemorySegment hostMemory;
    private final int capacity;
    private final int descriptorBytes;
    private int size;

    /** A ring confined to the calling thread (the fast path's own batches). */
    protected DescriptorRing(int capacity, int descriptorBytes, MemorySegment hostMemory) {
        this(capacity, descriptorBytes, hostMemory, false);
    }

    /**
     * @param shared whether other threads may use the ring -- a batch the fast path builds and a
     *               coprocessor thread runs; the host memory must then be shared too
     */
    protected DescriptorRing(int capacity, int descriptorBytes, MemorySegment hostMemory, boolean shared) {
        this.arena = shared ? Arena.ofShared() : Arena.ofConfined();
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.hostMemory = Objects.requireNonNull(hostMemory, "hostMemory");
        this.capacity = capacity;
        this.descriptorBytes = descriptorBytes;
        this.ring = arena.allocate((long) capacity * descriptorBytes, 64);
    }

    /**
     * Claims the next descriptor, zeroed; returns its index.
     *
     * @throws IllegalStateException when the ring is full
     */
    protected final int claim() {
        if (size == capacity) {
            throw new IllegalStateException("batch full (" + capacity + " descriptors)");
        }
        int i = size++;
        ring.asSlice(base(i), descriptorBytes).fill((byte) 0);
        return i;
    }

    /** Byte offset of descriptor i in the ring. */
    protected final long base(int i) {
        return (long) i * descriptorBytes;
    }

    /** Forgets every descriptor; the ring is reused. */
    public final void clear() {
        size = 0;
    }

    public final int size() {
        return size;
    }

    public final int capacity() {
        return capacity;
    }

    /** The memory every descriptor's offsets point into. */
    public final MemorySegment hostMemory() {
        return hostMemory;
    }

    /** The raw descriptor ring, as a device would see it. */
    public final MemorySegment ring() {
        return ring;
    }

    @Override
    public final void close() {
        arena.close();
    }
}
