package dev.andromeda.testbed.coprocessor.ring;

import org.jctools.queues.atomic.SpscAtomicArrayQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One VM's work ring in one direction: the fast path hands work to the VM's coprocessor and takes
 * results back, through two single-producer single-consumer rings and a fixed set of reusable
 * {@link WorkItem}s.
 *
 * <pre>
 *            fast path thread                                 coprocessor (the worker serving the VM)
 *   free --claim()--> fill --commit()--> [ requests  SPSC ] --pollRequest()--> handlers
 *     ^                                                                          |
 *     +--recycle-- onResult() <--drainResults()-- [ results  SPSC ] <--publishResult()
 * </pre>
 *
 * <p><b>Full is counted, never silent.</b> The ring owns exactly as many items as a ring has slots,
 * so the request ring is full exactly when no free item is left: {@link #claim()} then returns
 * null and counts a {@link DropReason#RING_FULL} drop, before the fast path has filled anything.
 * For the same reason neither offer can fail; if one ever did, that is a bug, and it throws.
 *
 * <p><b>Threads.</b> {@code claim}, {@code commit}, {@code abort} and {@code drainResults} belong to
 * one fast path thread. {@code pollRequest} and {@code publishResult} belong to whichever
 * coprocessor thread holds the VM: workers float, and the scheduler's claim on the VM (a CAS with
 * acquire semantics, released with a store-release) orders one consumer's use before the next
 * one's, which is what a single-consumer ring needs.
 *
 * <p><b>Why JCTools.</b> {@code SpscAtomicArrayQueue} passes the item reference itself: the packet
 * is already described by reference, so copying an encoded record through Agrona's
 * {@code OneToOneRingBuffer} would add a serialize/deserialize per item for nothing, and Agrona is
 * not a dependency of the reactor. The {@code atomic} variant (field updaters, no
 * {@code sun.misc.Unsafe}) avoids the JDK 24+ Unsafe memory-access warning and its coming denial;
 * its indices are padded against false sharing like the Unsafe one's.
 */
public final class WorkRing {
    private static final VarHandle RING_FULL;

    static {
        try {
            RING_FULL = MethodHandles.lookup().findVarHandle(WorkRing.class, "ringFullDrops", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int vmId;
    private final Direction direction;
    private final SpscAtomicArrayQueue<WorkItem> requests;
    private final SpscAtomicArrayQueue<WorkItem> results;
    private final int capacity;

    // Fast path thread only (plain), apart from ringFullDrops which others read.
    private final WorkItem[] free;
    private int freeCount;
    private long outstanding;
    /** Written by the fast path thread with a store-release; read with a load-acquire. */
    @SuppressWarnings("unused")
    private long ringFullDrops;

    /**
     * @param capacity slots wanted; rounded up to a power of two (at least 4), see {@link #capacity()}
     */
    public WorkRing(int vmId, Direction direction, int capacity) {
        if (capacity < 1 || capacity > (1 << 20)) {
            throw new IllegalArgumentException("ring capacity must be 1..2^20: " + capacity);
        }
        this.vmId = vmId;
        this.direction = direction;
        this.requests = new SpscAtomicArrayQueue<>(capacity);
        this.capacity = requests.capacity();
        this.results = new SpscAtomicArrayQueue<>(this.capacity);
        if (results.capacity() != this.capacity) {
            throw new IllegalStateException("request and result rings differ in capacity");
        }
        this.free = new WorkItem[this.capacity];
        for (int i = 0; i < this.capacity; i++) {
            free[i] = new WorkItem(this, i);
        }
        this.freeCount = this.capacity;
    }

    public int vmId() {
        return vmId;
    }

    public Direction direction() {
        return direction;
    }

    /** Slots in each ring, which is also the number of items the ring owns. */
    public int capacity() {
        return capacity;
    }

    // ---------------------------------------------------------------- fast path thread

    /**
     * A cleared item to fill, or null when the ring is full (every item outstanding): that is
     * counted as a {@link DropReason#RING_FULL} drop, and the fast path drops the packet.
     */
    public WorkItem claim() {
        if (freeCount == 0) {
            // Single writer: a plain read then a store-release, so readers never see a torn value.
            RING_FULL.setRelease(this, (long) RING_FULL.get(this) + 1);
            return null;
        }
        WorkItem item = free[--freeCount];
        free[freeCount] = null;
        item.reset();
        outstanding++;
        return item;
    }

    /** Hands a claimed, filled item to the coprocessor. */
    public void commit(WorkItem item) {
        checkOwned(item);
        // Store-release of the slot: the item's plain fields are published with it.
        if (!requests.offer(item)) {
            throw new IllegalStateException("request ring overflow on VM " + vmId + " " + direction
                    + ": more items in flight than slots (a bug)");
        }
    }

    /** Gives back a claimed item that will not be sent. */
    public void abort(WorkItem item) {
        checkOwned(item);
        recycle(item);
    }

    /**
     * Takes up to {@code limit} finished items back, hands each to {@code handler}, then recycles
     * it. Returns how many were taken.
     */
    public int drainResults(ResultHandler handler, int limit) {
        int n = 0;
        WorkItem item;
        // poll is a load-acquire of the slot: the coprocessor's result fields are visible.
        while (n < limit && (item = results.poll()) != null) {
            try {
                handler.onResult(item);
            } finally {
                recycle(item);
            }
            n++;
        }
        return n;
    }

    /** Items free to claim now (fast path thread). */
    public int freeItems() {
        return freeCount;
    }

    /** Items claimed and not yet recycled: queued, being worked on, held by the shaper, or awaiting pickup. */
    public long outstanding() {
        return outstanding;
    }

    private void recycle(WorkItem item) {
        outstanding--;
        free[freeCount++] = item;
    }

    private void checkOwned(WorkItem item) {
        if (item.ring() != this) {
            throw new IllegalArgumentException(item + " belongs to another ring");
        }
    }

    // ---------------------------------------------------------------- coprocessor (the VM's worker)

    /** The next request, or null. */
    public WorkItem pollRequest() {
        return requests.poll();
    }

    /** Returns a finished item (verdict set) to the fast path. */
    public void publishResult(WorkItem item) {
        if (!results.offer(item)) {
            throw new IllegalStateException("result ring overflow on VM " + vmId + " " + direction
                    + ": more items in flight than slots (a bug)");
        }
    }

    // ---------------------------------------------------------------- any thread

    /** Whether requests wait; exact on the consumer thread, a recent answer elsewhere (volatile index reads). */
    public boolean hasRequests() {
        return !requests.isEmpty();
    }

    /** Requests waiting, approximately from other threads. */
    public int pendingRequests() {
        return requests.size();
    }

    /** Claims refused because the ring was full. */
    public long ringFullDrops() {
        return (long) RING_FULL.getAcquire(this);
    }

    @Override
    public String toString() {
        return "WorkRing[vm=" + vmId + " " + direction + " capacity=" + capacity + "]";
    }
}
