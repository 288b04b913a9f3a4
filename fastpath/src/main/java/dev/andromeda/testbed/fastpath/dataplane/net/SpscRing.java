package dev.andromeda.testbed.fastpath.dataplane.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A bounded single-producer single-consumer queue of references: one thread
 * offers, one other thread peeks and polls. Nothing is allocated after
 * construction.
 *
 * <p>The slot itself is the signal (FastFlow style), so the two threads share
 * no index: the producer writes an element into an empty slot with a
 * <em>release</em> store, which publishes everything it wrote before (the
 * received bytes); the consumer reads the slot with an <em>acquire</em> load, so
 * it sees those writes, and empties the slot with a release store once it is
 * done with the element, so the producer, reading the slot with an acquire
 * load, never reuses a slot the consumer is still reading. Each side keeps its
 * own index in a plain field; both are also published with opaque stores only
 * for {@link #size()}, which is an estimate.
 */
final class SpscRing<E> {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(SpscRing.class, "head", long.class);
            TAIL = l.findVarHandle(SpscRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots;
    private final int mask;
    /** Producer's next slot; written only by the producer. */
    private long tail;
    /** Consumer's next slot; written only by the consumer. */
    private long head;

    /** @param capacity elements held, a power of two */
    SpscRing(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2: " + capacity);
        }
        slots = new Object[capacity];
        mask = capacity - 1;
    }

    /** Producer: appends {@code e}; false when the ring is full. */
    boolean offer(E e) {
        Objects.requireNonNull(e);
        long t = tail;
        int i = (int) (t & mask);
        if (SLOT.getAcquire(slots, i) != null) {
            return false;                                  // the consumer has not emptied it yet
        }
        SLOT.setRelease(slots, i, e);                      // publish e and what the producer wrote into it
        TAIL.setOpaque(this, t + 1);
        return true;
    }

    /** Consumer: the oldest element, left in the ring, or null when empty. */
    @SuppressWarnings("unchecked")
    E peek() {
        return (E) SLOT.getAcquire(slots, (int) (head & mask));
    }

    /** Consumer: removes and returns the oldest element, or null when empty. */
    @SuppressWarnings("unchecked")
    E poll() {
        long h = head;
        int i = (int) (h & mask);
        E e = (E) SLOT.getAcquire(slots, i);
        if (e == null) {
            return null;
        }
        SLOT.setRelease(slots, i, null);                   // hand the slot back to the producer
        HEAD.setOpaque(this, h + 1);
        return e;
    }

    /** Elements in the ring: exact when called by either side while the other is quiet, else an estimate. */
    int size() {
        long h = (long) HEAD.getOpaque(this);
        long t = (long) TAIL.getOpaque(this);
        return (int) Math.max(0, Math.min(t - h, slots.length));
    }

    int capacity() {
        return slots.length;
    }
}
