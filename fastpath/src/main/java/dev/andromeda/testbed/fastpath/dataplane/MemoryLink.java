package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.packet.PacketPool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A point-to-point wire between two hosts in memory: each direction is a
 * single-producer single-consumer ring of frame slots in off-heap memory. A
 * frame is copied into a slot on transmit and into the receiver's packet pool
 * on receive, so the two hosts share no buffers (as two machines would not). A
 * full ring refuses the frame; the sender counts it.
 *
 * <p>Memory ordering: the producer writes the slot, then publishes the tail
 * with a release store; the consumer reads the tail with an acquire load, then
 * the slot; the head goes back the same way. Safe across two threads.
 */
public final class MemoryLink implements AutoCloseable {
    private static final VarHandle LONG = MethodHandles.arrayElementVarHandle(long[].class);

    private final Arena arena = Arena.ofShared();
    private final Direction aToB;
    private final Direction bToA;

    /**
     * @param slots    frames a direction holds (a power of two)
     * @param maxFrame largest frame carried
     */
    public MemoryLink(int slots, int maxFrame) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        aToB = new Direction(slots, maxFrame);
        bToA = new Direction(slots, maxFrame);
    }

    /** Host A's end. */
    public PhysicalPort a() {
        return new End(aToB, bToA);
    }

    /** Host B's end. */
    public PhysicalPort b() {
        return new End(bToA, aToB);
    }

    @Override
    public void close() {
        arena.close();
    }

    private final class Direction {
        final MemorySegment slots;
        final int[] length;
        final int mask;
        final int slotBytes;
        // [0] = head (consumer), [8] = tail (producer): padded apart against false sharing.
        final long[] indices = new long[16];

        Direction(int count, int maxFrame) {
            this.slotBytes = (maxFrame + 63) & ~63;
            this.slots = arena.allocate((long) count * slotBytes, 64);
            this.length = new int[count];
            this.mask = count - 1;
        }
    }

    private static final class End implements PhysicalPort {
        private final Direction out;
        private final Direction in;

        End(Direction out, Direction in) {
            this.out = out;
            this.in = in;
        }

        @Override
        public int transmit(HostBatch batch, PacketPool pool) {
            Direction d = out;
            long tail = d.indices[8];                              // plain: only this side writes it
            long head = (long) LONG.getAcquire(d.indices, 0);      // see slots the consumer freed
            int sent = 0;
            MemorySegment mem = pool.memory();
            for (int i = 0; i < batch.size(); i++) {
                if (batch.dead[i]) {
                    continue;
                }
                int len = batch.packets.length[i];
                if (tail - head == d.length.length || len > d.slotBytes) {
                    batch.kill(i); // refused: the caller counts PORT_FULL
                    pool.free(batch.packets.buffer[i]);
                    continue;
                }
                int slot = (int) (tail & d.mask);
                MemorySegment.copy(mem, batch.packets.offset[i], d.slots, (long) slot * d.slotBytes, len);
                d.length[slot] = len;
                tail++;
                sent++;
                pool.free(batch.packets.buffer[i]);
                batch.kill(i);
            }
            LONG.setRelease(d.indices, 8, tail);                   // publish the slots written above
            return sent;
        }

        @Override
        public int receive(HostBatch into, PacketPool pool) {
            Direction d = in;
            long head = d.indices[0];
            long tail = (long) LONG.getAcquire(d.indices, 8);      // see the slots the producer wrote
            int got = 0;
            int room = into.packets.capacity() - into.size();
            while (head < tail && got < room) {
                int buffer = pool.allocate();
                if (buffer < 0) {
                    break; // no buffer: leave the frame on the wire for the next poll
                }
                int slot = (int) (head & d.mask);
                int len = d.length[slot];
                long at = pool.frameOffset(buffer);
                MemorySegment.copy(d.slots, (long) slot * d.slotBytes, pool.memory(), at, len);
                into.add(buffer, at, len, HostBatch.NO_CSUM, 0);
                head++;
                got++;
            }
            LONG.setRelease(d.indices, 0, head);                   // hand the slots back
            return got;
        }
    }
}
