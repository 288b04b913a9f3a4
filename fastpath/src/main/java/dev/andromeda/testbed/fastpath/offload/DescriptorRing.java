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
    /** One descriptor's worth of zeros, copied over a claimed descriptor. */
    private final MemorySegment zeros;
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
        this.zeros = arena.allocate(descriptorBytes, 64); // Arena.allocate zeroes it
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
        // A copy from zeros, not asSlice(..).fill: a slice is an object per descriptor, and only
        // the JIT's escape analysis (not always) takes it away (issue 11).
        MemorySegment.copy(zeros, 0, ring, base(i), descriptorBytes);
        return i;
    }

    /** Byte offset of descriptor i in the ring. */
    protected final long base(int i) {
        return (long) i * descriptorBytes;
    }

    /** A descriptor's status: not yet run. Every ring keeps a status in its descriptor. */
    public static final int STATUS_PENDING = 0;
    /** Run and completed. */
    public static final int STATUS_DONE = 1;
    /** Refused by the engine: {@link #validate(int)} named a reason; no memory was touched. */
    public static final int STATUS_REJECTED = 2;

    /** What {@link #admit(int)} says of a descriptor: run it. */
    public static final int ADMIT_RUN = 0;
    /** Not pending (already done or refused): leave it. */
    public static final int ADMIT_SKIP = 1;
    /** Pending but invalid: now marked rejected; the stage counts it. */
    public static final int ADMIT_REJECTED = 2;

    /** Descriptor i's status ({@link #STATUS_PENDING}, {@link #STATUS_DONE}, ...). */
    public abstract int status(int i);

    /** Marks descriptor i refused. */
    public abstract void reject(int i);

    /** Why descriptor i cannot run, or null when it can. */
    public abstract String validate(int i);

    /**
     * The admission every implementation of every stage does before it runs descriptor i, so that
     * sw, emu and rtl refuse exactly the same descriptors and never touch memory for them.
     */
    public final int admit(int i) {
        if (status(i) != STATUS_PENDING) {
            return ADMIT_SKIP;
        }
        if (validate(i) != null) {
            reject(i);
            return ADMIT_REJECTED;
        }
        return ADMIT_RUN;
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
