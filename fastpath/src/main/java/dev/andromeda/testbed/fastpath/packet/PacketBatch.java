package dev.andromeda.testbed.fastpath.packet;

/**
 * A batch of frames as the fast path moves them between stages: a struct of
 * arrays, one slot per frame, so a stage's loop walks three dense arrays
 * instead of chasing objects. Up to {@link #EGRESS_CAPACITY} frames on egress
 * and {@link #INGRESS_CAPACITY} on ingress, the paper's batch sizes.
 *
 * <pre>
 *  index        0        1        2          size-1        capacity-1
 *  buffer[]   [ 17    ][ 3     ][ 40    ] .. [ 8     ]  ..  [       ]   pool buffer index
 *  offset[]   [ 35456 ][ 6272  ][ 82048 ] .. [ 16512 ]  ..  [       ]   frame's first byte in the slab
 *  length[]   [ 1514  ][ 64    ][ 9014  ] .. [ 590   ]  ..  [       ]   frame bytes
 * </pre>
 *
 * <p>The arrays are public and final on purpose: stages read and rewrite
 * entries in place (an encapsulation moves {@code offset[i]} back by 50 and
 * adds 50 to {@code length[i]}) without a call per field. Only
 * {@code [0, size())} is meaningful; {@link #add} and {@link #clear} are the
 * only ways to change the size. {@code offset} is absolute in the
 * {@link PacketPool#memory()} slab, so no stage needs the pool to find bytes.
 * Single-threaded; cross threads through a ring, not by sharing a batch.
 */
public final class PacketBatch {
    public static final int EGRESS_CAPACITY = 32;
    public static final int INGRESS_CAPACITY = 128;

    /** Pool buffer index of each frame. */
    public final int[] buffer;
    /** Absolute offset of each frame's first byte in the pool's slab. */
    public final long[] offset;
    /** Bytes in each frame. */
    public final int[] length;
    private final int capacity;
    private int size;

    public PacketBatch(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.buffer = new int[capacity];
        this.offset = new long[capacity];
        this.length = new int[capacity];
    }

    /**
     * Appends a frame; returns its index.
     *
     * @throws IllegalStateException when the batch is full: the loop filling it checks {@link #isFull()}
     */
    public int add(int bufferIndex, long frameOffset, int frameLength) {
        if (size == capacity) {
            throw new IllegalStateException("batch full (" + capacity + " frames)");
        }
        int i = size++;
        buffer[i] = bufferIndex;
        offset[i] = frameOffset;
        length[i] = frameLength;
        return i;
    }

    /** Forgets every frame (it does not free their buffers: whoever owns them does). */
    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean isFull() {
        return size == capacity;
    }
}
