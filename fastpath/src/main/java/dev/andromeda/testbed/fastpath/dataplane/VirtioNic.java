package dev.andromeda.testbed.fastpath.dataplane;

import dev.andromeda.testbed.fastpath.packet.PacketPool;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A VM's virtio-net device as the host sees it: a transmit ring and a receive
 * ring of descriptors pointing at buffers of VM memory (buffers of the host's
 * packet pool owned by the VM). Transmit descriptors may ask for a checksum
 * (virtio {@code NEEDS_CSUM} with {@code csum_start}/{@code csum_offset}),
 * which the host's checksum stage completes; receive descriptors say
 * {@code DATA_VALID} when the host verified the packet's L4 checksum.
 *
 * <p>The VM side ({@link #send}, {@link #receive}) runs on the host's thread:
 * the testbed drives VMs and host from one loop.
 */
public final class VirtioNic implements GuestNic {
    /** A frame a VM received. */
    public record Received(byte[] frame, boolean dataValid) {
    }

    private final VmPort port;
    private final PacketPool pool;
    private final int[] txBuffer;
    private final int[] txLength;
    private final int[] txCsumStart;
    private final int[] txCsumOffset;
    private final int[] rxBuffer;
    private final int[] rxLength;
    private final long[] rxOffset;
    private final boolean[] rxValid;
    private final int mask;
    private long txHead;
    private long txTail;
    private long rxHead;
    private long rxTail;
    private long txRingFull;

    VirtioNic(VmPort port, PacketPool pool, int ringSize) {
        if (Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two: " + ringSize);
        }
        this.port = port;
        this.pool = pool;
        this.mask = ringSize - 1;
        txBuffer = new int[ringSize];
        txLength = new int[ringSize];
        txCsumStart = new int[ringSize];
        txCsumOffset = new int[ringSize];
        rxBuffer = new int[ringSize];
        rxLength = new int[ringSize];
        rxOffset = new long[ringSize];
        rxValid = new boolean[ringSize];
    }

    public VmPort port() {
        return port;
    }

    /** The VM sends a frame with no checksum request. */
    public boolean send(byte[] frame) {
        return send(frame, HostBatch.NO_CSUM, 0);
    }

    /**
     * The VM sends a frame; with {@code csumStart >= 0} the host completes the
     * checksum from {@code csumStart} and writes it at {@code csumStart + csumOffset}
     * (virtio semantics: the field holds the pseudo-header sum the guest put there).
     *
     * @return false when the TX ring or the pool is full (counted)
     */
    @Override
    public boolean send(byte[] frame, int csumStart, int csumOffset) {
        if (txTail - txHead > mask) {
            txRingFull++;
            return false;
        }
        int b = pool.allocate();
        if (b < 0) {
            txRingFull++;
            return false;
        }
        MemorySegment.copy(frame, 0, pool.memory(), ValueLayout.JAVA_BYTE, pool.frameOffset(b), frame.length);
        int s = (int) (txTail & mask);
        txBuffer[s] = b;
        txLength[s] = frame.length;
        txCsumStart[s] = csumStart;
        txCsumOffset[s] = csumOffset;
        txTail++;
        return true;
    }

    /** The VM takes the next received frame, or null. */
    @Override
    public Received receive() {
        if (rxHead == rxTail) {
            return null;
        }
        int s = (int) (rxHead & mask);
        byte[] f = pool.memory().asSlice(rxOffset[s], rxLength[s]).toArray(ValueLayout.JAVA_BYTE);
        pool.free(rxBuffer[s]);
        boolean valid = rxValid[s];
        rxHead++;
        return new Received(f, valid);
    }

    /**
     * The VM takes the next received frame into {@code into}, allocating nothing (a guest
     * that polls its ring in a loop, a benchmark's receiver): its length, or -1 when the
     * ring is empty. A frame longer than {@code into} is refused and stays on the ring.
     */
    public int receive(byte[] into) {
        if (rxHead == rxTail) {
            return -1;
        }
        int s = (int) (rxHead & mask);
        int len = rxLength[s];
        if (len > into.length) {
            throw new IllegalArgumentException("a " + len + "-byte frame does not fit a " + into.length
                    + "-byte array");
        }
        MemorySegment.copy(pool.memory(), ValueLayout.JAVA_BYTE, rxOffset[s], into, 0, len);
        pool.free(rxBuffer[s]);
        rxHead++;
        return len;
    }

    /** Frames the VM could not send (ring or pool full). */
    public long txRefused() {
        return txRingFull;
    }

    // ---- host side

    /** Takes up to the batch's room of transmitted frames (VM buffers) into the batch. */
    int takeTx(HostBatch batch, int limit) {
        int n = 0;
        int room = Math.min(limit, batch.packets.capacity() - batch.size());
        while (txHead < txTail && n < room) {
            int s = (int) (txHead & mask);
            batch.add(txBuffer[s], pool.frameOffset(txBuffer[s]), txLength[s], txCsumStart[s], txCsumOffset[s]);
            txHead++;
            n++;
        }
        return n;
    }

    /** Puts a frame (a buffer the VM now owns) on the receive ring; false when full. */
    boolean deliver(int buffer, long offset, int length, boolean dataValid) {
        if (rxTail - rxHead > mask) {
            return false;
        }
        int s = (int) (rxTail & mask);
        rxBuffer[s] = buffer;
        rxOffset[s] = offset;
        rxLength[s] = length;
        rxValid[s] = dataValid;
        rxTail++;
        return true;
    }
}
