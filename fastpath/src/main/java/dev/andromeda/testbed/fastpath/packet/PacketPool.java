package dev.andromeda.testbed.fastpath.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Packet buffers: one off-heap slab cut into {@code buffers} fixed-size
 * buffers, handed out by index from a free-list stack. Nothing is allocated
 * after construction; a buffer is an {@code int}, its bytes are
 * {@code memory()[base(buffer), base(buffer) + bufferBytes())}.
 *
 * <pre>
 *  slab (64-byte aligned)
 *  +----------------------------------+----------------------------------+---
 *  | buffer 0                         | buffer 1                         | ...
 *  +-----------+----------------------+-----------+----------------------+---
 *  | HEADROOM  | frame ...            | HEADROOM  | frame ...            |
 *  | 128 bytes |                      |           |                      |
 *  +-----------+----------------------+-----------+----------------------+---
 *  ^base(0)    ^base(0) + HEADROOM    ^base(1) = bufferBytes
 * </pre>
 *
 * Frames are received at {@code base + HEADROOM}, so encapsulation writes its
 * outer headers into the headroom in place instead of copying the frame:
 * GENEVE over IPv4 takes 50 bytes, and the rest leaves room for more (an IPv6
 * outer header, a PSP header). {@code bufferBytes} must be a
 * multiple of 64, which keeps every buffer and every received frame on a
 * cache line boundary: 2,048 for standard frames, 10,240 for 9,216-byte jumbo
 * frames plus headroom.
 *
 * <p>Single-threaded: one dataplane thread allocates and frees; no locks,
 * no atomics. The slab is in a shared arena only so that a control thread may
 * build the pool and hand it over. Running out is not an error on the hot
 * path: {@link #allocate()} returns -1 and {@link #exhausted()} counts it.
 */
public final class PacketPool implements AutoCloseable {
    /** Bytes left free in front of every received frame for encapsulation headers. */
    public static final int HEADROOM = 128;
    public static final int ALIGNMENT = 64;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private final int bufferBytes;
    private final int capacity;
    /** Free buffer indices; [0, top) are free, the top one is handed out next. */
    private final int[] freeStack;
    /** One bit per buffer, set while allocated: how a double free is caught. */
    private final long[] allocated;
    private int top;
    private long exhausted;

    /**
     * @param buffers     how many buffers, at least 1
     * @param bufferBytes bytes per buffer, a multiple of 64 above {@link #HEADROOM}
     */
    public PacketPool(int buffers, int bufferBytes) {
        if (buffers <= 0) {
            throw new IllegalArgumentException("buffers must be positive: " + buffers);
        }
        if (bufferBytes <= HEADROOM || bufferBytes % ALIGNMENT != 0) {
            throw new IllegalArgumentException(
                    "bufferBytes must be a multiple of " + ALIGNMENT + " above " + HEADROOM + ": " + bufferBytes);
        }
        this.bufferBytes = bufferBytes;
        this.capacity = buffers;
        this.memory = arena.allocate((long) buffers * bufferBytes, ALIGNMENT);
        this.freeStack = new int[buffers];
        this.allocated = new long[(buffers + 63) >>> 6];
        // Lowest index on top: a fresh pool hands out 0, 1, 2, ... and, being a
        // stack, reuses the most recently freed (cache-warm) buffer first.
        for (int i = 0; i < buffers; i++) {
            freeStack[i] = buffers - 1 - i;
        }
        this.top = buffers;
    }

    /** A free buffer's index, or -1 when none is left (counted in {@link #exhausted()}). */
    public int allocate() {
        if (top == 0) {
            exhausted++;
            return -1;
        }
        int buffer = freeStack[--top];
        allocated[buffer >>> 6] |= 1L << buffer;
        return buffer;
    }

    /**
     * Returns a buffer to the pool.
     *
     * @throws IndexOutOfBoundsException if {@code buffer} is not one of this pool's
     * @throws IllegalStateException     if it is already free (a double free, or never allocated)
     */
    public void free(int buffer) {
        Objects.checkIndex(buffer, capacity);
        long bit = 1L << buffer;
        int word = buffer >>> 6;
        if ((allocated[word] & bit) == 0) {
            throw new IllegalStateException("buffer " + buffer + " is already free: double free");
        }
        allocated[word] &= ~bit;
        freeStack[top++] = buffer;
    }

    /** Whether {@code buffer} is currently allocated. */
    public boolean isAllocated(int buffer) {
        Objects.checkIndex(buffer, capacity);
        return (allocated[buffer >>> 6] & (1L << buffer)) != 0;
    }

    /** The whole slab; packet offsets everywhere in the fast path are offsets into it. */
    public MemorySegment memory() {
        return memory;
    }

    /** Byte offset of the buffer's first byte in the slab. */
    public long base(int buffer) {
        return (long) Objects.checkIndex(buffer, capacity) * bufferBytes;
    }

    /** Where a received frame goes: {@code base(buffer) + HEADROOM}. */
    public long frameOffset(int buffer) {
        return base(buffer) + HEADROOM;
    }

    public int bufferBytes() {
        return bufferBytes;
    }

    /** The longest frame a buffer takes at {@link #frameOffset}: {@code bufferBytes - HEADROOM}. */
    public int maxFrameBytes() {
        return bufferBytes - HEADROOM;
    }

    /** Buffers in the pool. */
    public int capacity() {
        return capacity;
    }

    /** Buffers free now. */
    public int available() {
        return top;
    }

    /** Calls to {@link #allocate()} that found the pool empty. */
    public long exhausted() {
        return exhausted;
    }

    /** Frees the slab; every offset into it becomes invalid. */
    @Override
    public void close() {
        arena.close();
    }
}
