package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.packet.PacketPool;

import java.lang.foreign.Arena;

/**
 * A point-to-point wire between two hosts in memory: one {@link FrameRing}
 * each way. A full ring refuses the frame; the sender counts it.
 */
public final class MemoryLink implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final FrameRing aToB;
    private final FrameRing bToA;

    /**
     * @param slots    frames a direction holds (a power of two)
     * @param maxFrame largest frame carried
     */
    public MemoryLink(int slots, int maxFrame) {
        aToB = new FrameRing(arena, slots, maxFrame);
        bToA = new FrameRing(arena, slots, maxFrame);
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

    private record End(FrameRing out, FrameRing in) implements PhysicalPort {
        @Override
        public int transmit(HostBatch batch, PacketPool pool) {
            int sent = 0;
            for (int i = 0; i < batch.size(); i++) {
                if (batch.dead[i]) {
                    continue;
                }
                if (out.offer(pool.memory(), batch.packets.offset[i], batch.packets.length[i])) {
                    sent++;
                }
                pool.free(batch.packets.buffer[i]);
                batch.kill(i); // sent, or refused: the caller counts the refused as PORT_FULL
            }
            return sent;
        }

        @Override
        public int receive(HostBatch into, PacketPool pool) {
            return in.poll(into, pool);
        }
    }
}
