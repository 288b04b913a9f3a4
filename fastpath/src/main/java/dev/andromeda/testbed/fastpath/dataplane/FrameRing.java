package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.packet.PacketPool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One direction of an in-memory wire: a single-producer single-consumer ring
 * of frame slots in off-heap memory. A frame is copied in on {@link #offer}
 * and copied out into the receiver's packet pool on {@link #poll}, so sender
 * and receiver share no buffers.
 *
 * <p>Memory ordering: the producer writes the slot, then publishes the tail
 * with a release store; the consumer reads the tail with an acquire load, then
 * the slot; the head goes back the same way. Safe across two threads.
 */
final class FrameRing {
    private static final VarHandle LONG = MethodHandles.arrayElementVarHandle(long[].class);

    private final MemorySegment slots;
    private final int[] length;
    private final int mask;
    private final int slotBytes;
    // [0] = head (consumer), [8] = tail (producer): padded apart against false sharing.
    private final long[] indices = new long[16];

    FrameRing(Arena arena, int count, int maxFrame) {
        if (Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + count);
        }
        this.slotBytes = (maxFrame + 63) & ~63;
        this.slots = arena.allocate((long) count * slotBytes, 64);
        this.length = new int[count];
        this.mask = count - 1;
    }

    /** Copies a frame in; false when the ring is full or the frame too large (producer thread). */
    boolean offer(MemorySegment from, long offset, int len) {
        long tail = indices[8];                               // plain: only the producer writes it
        long head = (long) LONG.getAcquire(indices, 0);       // see the slots the consumer freed
        if (tail - head == length.length || len > slotBytes) {
            return false;
        }
        int slot = (int) (tail & mask);
        MemorySegment.copy(from, offset, slots, (long) slot * slotBytes, len);
        length[slot] = len;
        LONG.setRelease(indices, 8, tail + 1);                // publish the slot written above
        return true;
    }

    /** Moves frames into pool buffers in {@code into}, up to its room (consumer thread); returns how many. */
    int poll(HostBatch into, PacketPool pool) {
        long head = indices[0];
        long tail = (long) LONG.getAcquire(indices, 8);       // see the slots the producer wrote
        int got = 0;
        int room = into.packets.capacity() - into.size();
        while (head < tail && got < room) {
            int buffer = pool.allocate();
            if (buffer < 0) {
                break; // no buffer: leave the frame on the wire for the next poll
            }
            int slot = (int) (head & mask);
            int len = length[slot];
            long at = pool.frameOffset(buffer);
            MemorySegment.copy(slots, (long) slot * slotBytes, pool.memory(), at, len);
            into.add(buffer, at, len, HostBatch.NO_CSUM, 0);
            head++;
            got++;
        }
        LONG.setRelease(indices, 0, head);                    // hand the slots back
        return got;
    }
}
