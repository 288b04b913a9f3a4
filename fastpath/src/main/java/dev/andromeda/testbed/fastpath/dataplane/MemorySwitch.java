package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.packet.Ethernet;
import dev.andromeda.testbed.fastpath.packet.Ipv4;
import dev.andromeda.testbed.fastpath.packet.PacketPool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A physical network of several hosts in memory, switched on the outer IPv4
 * destination of each frame. Every (sender, receiver) pair has its own
 * {@link FrameRing}, so each ring keeps one producer and one consumer. A frame
 * for no attached host, or to a full ring, is refused and counted by the sender.
 */
public final class MemorySwitch implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final int slots;
    private final int maxFrame;
    private final List<Integer> addresses = new ArrayList<>();
    private volatile int[] addressArray = new int[0]; // looked up per frame without boxing
    private final List<List<FrameRing>> inbound = new ArrayList<>(); // inbound.get(receiver).get(sender)
    private volatile FrameTap tap;

    public MemorySwitch(int slots, int maxFrame) {
        this.slots = slots;
        this.maxFrame = maxFrame;
    }

    /** Attaches a host by its IPv4 address; returns its port. Attach every host before traffic starts. */
    public synchronized PhysicalPort attach(int hostIp) {
        if (addresses.contains(hostIp)) {
            throw new IllegalArgumentException("a host with address " + Integer.toHexString(hostIp) + " is attached");
        }
        int me = addresses.size();
        addresses.add(hostIp);
        addressArray = addresses.stream().mapToInt(Integer::intValue).toArray();
        for (List<FrameRing> rings : inbound) {
            rings.add(new FrameRing(arena, slots, maxFrame));      // from me to each existing host
        }
        List<FrameRing> mine = new ArrayList<>();
        for (int s = 0; s <= me; s++) {
            mine.add(new FrameRing(arena, slots, maxFrame));       // from each host (and me) to me
        }
        inbound.add(mine);
        return new Port(me);
    }

    /** Shows every frame the switch delivers to {@code tap} (null: none); see {@link FrameTap}. */
    public void tap(FrameTap tap) {
        this.tap = tap;
    }

    @Override
    public void close() {
        arena.close();
    }

    private final class Port implements PhysicalPort {
        private final int index;

        Port(int index) {
            this.index = index;
        }

        @Override
        public int transmit(HostBatch batch, PacketPool pool) {
            MemorySegment mem = pool.memory();
            FrameTap t = tap;
            int sent = 0;
            for (int i = 0; i < batch.size(); i++) {
                if (batch.dead[i]) {
                    continue;
                }
                long at = batch.packets.offset[i];
                int len = batch.packets.length[i];
                int to = len >= Ethernet.HEADER_BYTES + Ipv4.MIN_HEADER_BYTES
                        ? indexOf(Ipv4.dst(mem, at + Ethernet.HEADER_BYTES)) : -1;
                if (to >= 0 && inbound.get(to).get(index).offer(mem, at, len)) {
                    sent++;
                    if (t != null) {
                        t.frame(mem, at, len);
                    }
                }
                pool.free(batch.packets.buffer[i]);
                batch.kill(i);
            }
            return sent;
        }

        private int indexOf(int address) {
            int[] a = addressArray;
            for (int k = 0; k < a.length; k++) {
                if (a[k] == address) {
                    return k;
                }
            }
            return -1;
        }

        @Override
        public int receive(HostBatch into, PacketPool pool) {
            int got = 0;
            List<FrameRing> rings = inbound.get(index);
            for (int k = 0; k < rings.size(); k++) { // indexed: a for-each allocates an Iterator a turn
                got += rings.get(k).poll(into, pool);
            }
            return got;
        }
    }
}
