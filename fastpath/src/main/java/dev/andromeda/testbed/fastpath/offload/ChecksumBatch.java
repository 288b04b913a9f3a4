package dev.andromeda.testbed.fastpath.offload;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A batch of checksum jobs, laid out as the descriptor ring a checksum engine
 * would read: 32-byte descriptors in off-heap memory, each referencing packet
 * bytes in one host-memory segment by offset (an IOVA into that segment).
 *
 * <pre>
 *  offset  size  field        written by
 *   0       8    bufferOffset driver   where the packet starts in host memory
 *   8       4    length       driver   packet bytes (0 .. 9216)
 *  12       2    csumStart    driver   first byte summed
 *  14       2    csumOffset   driver   where the checksum is written (if INSERT)
 *  16       2    seed         driver   added to the sum (pseudo-header sum)
 *  18       2    flags        driver   bit 0: INSERT, bit 1: UDP (a computed 0 is written as 0xFFFF)
 *  20       2    csum         engine   the checksum (RFC 1071)
 *  22       2    status       engine   0 pending, 1 done, 2 rejected
 *  24       8    cycles       engine   hardware: the job's latency in clock cycles
 * </pre>
 *
 * Every implementation -- software or hardware driver -- reads these same
 * descriptors and writes the same completion fields, and writes the packet
 * with the checksum inserted back in place in host memory.
 */
public final class ChecksumBatch extends DescriptorRing {
    public static final int DESCRIPTOR_BYTES = 32;
    public static final int FLAG_INSERT = 1;
    /** RFC 768: a UDP checksum computed as 0x0000 is sent as 0xFFFF, since 0 means "no checksum". */
    public static final int FLAG_UDP = 2;
    public static final int STATUS_PENDING = DescriptorRing.STATUS_PENDING;
    public static final int STATUS_DONE = DescriptorRing.STATUS_DONE;
    public static final int STATUS_REJECTED = DescriptorRing.STATUS_REJECTED;
    /** The largest packet: a 9,216-byte jumbo frame, what the hardware engine is specified for. */
    public static final int MAX_LENGTH = 9216;

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    /**
     * @param capacity   descriptors the ring holds
     * @param hostMemory the memory every descriptor's buffer offset points into
     */
    public ChecksumBatch(int capacity, MemorySegment hostMemory) {
        super(capacity, DESCRIPTOR_BYTES, hostMemory);
    }

    /**
     * Appends a job; returns its index.
     *
     * @param csumOffset where to write the checksum, or -1 for none
     * @throws IllegalStateException when the ring is full
     */
    public int add(long bufferOffset, int length, int csumStart, int csumOffset, int seed) {
        return add(bufferOffset, length, csumStart, csumOffset, seed, false);
    }

    /**
     * Appends a job; returns its index.
     *
     * @param csumOffset where to write the checksum, or -1 for none
     * @param udp        a computed checksum of 0x0000 is written (and completed) as 0xFFFF
     * @throws IllegalStateException when the ring is full
     */
    public int add(long bufferOffset, int length, int csumStart, int csumOffset, int seed, boolean udp) {
        int i = claim();
        long d = base(i);
        ring.set(U64, d, bufferOffset);
        ring.set(U32, d + 8, length);
        ring.set(U16, d + 12, (short) csumStart);
        ring.set(U16, d + 14, (short) Math.max(csumOffset, 0));
        ring.set(U16, d + 16, (short) seed);
        ring.set(U16, d + 18, (short) ((csumOffset >= 0 ? FLAG_INSERT : 0) | (udp ? FLAG_UDP : 0)));
        return i;
    }

    public long bufferOffset(int i) {
        return ring.get(U64, (long) i * DESCRIPTOR_BYTES);
    }

    public int length(int i) {
        return ring.get(U32, (long) i * DESCRIPTOR_BYTES + 8);
    }

    public int csumStart(int i) {
        return Short.toUnsignedInt(ring.get(U16, (long) i * DESCRIPTOR_BYTES + 12));
    }

    public int csumOffset(int i) {
        return Short.toUnsignedInt(ring.get(U16, (long) i * DESCRIPTOR_BYTES + 14));
    }

    public int seed(int i) {
        return Short.toUnsignedInt(ring.get(U16, (long) i * DESCRIPTOR_BYTES + 16));
    }

    public boolean insert(int i) {
        return (ring.get(U16, (long) i * DESCRIPTOR_BYTES + 18) & FLAG_INSERT) != 0;
    }

    public boolean udp(int i) {
        return (ring.get(U16, (long) i * DESCRIPTOR_BYTES + 18) & FLAG_UDP) != 0;
    }

    public int csum(int i) {
        return Short.toUnsignedInt(ring.get(U16, (long) i * DESCRIPTOR_BYTES + 20));
    }

    @Override
    public int status(int i) {
        return ring.get(U16, (long) i * DESCRIPTOR_BYTES + 22);
    }

    public long cycles(int i) {
        return ring.get(U64, (long) i * DESCRIPTOR_BYTES + 24);
    }

    /** Completion write-back, used by implementations. */
    public void complete(int i, int csum, long cycles) {
        long d = (long) i * DESCRIPTOR_BYTES;
        ring.set(U16, d + 20, (short) csum);
        ring.set(U64, d + 24, cycles);
        ring.set(U16, d + 22, (short) STATUS_DONE);
    }

    /** Marks a job the engine refused (see {@link #validate(int)}). */
    @Override
    public void reject(int i) {
        ring.set(U16, (long) i * DESCRIPTOR_BYTES + 22, (short) STATUS_REJECTED);
    }

    /**
     * Why job i cannot be run, or null when it can. Implementations reject such
     * jobs instead of touching memory outside the packet.
     */
    @Override
    public String validate(int i) {
        long offset = bufferOffset(i);
        int length = length(i);
        if (length < 0 || length > MAX_LENGTH) {
            return "length " + Integer.toUnsignedString(length) + " outside 0.." + MAX_LENGTH;
        }
        if (offset < 0 || offset + length > hostMemory().byteSize()) {
            return "buffer [" + offset + ", " + (offset + length) + ") outside host memory of "
                    + hostMemory().byteSize() + " bytes";
        }
        if (csumStart(i) > length) {
            return "csum start " + csumStart(i) + " beyond the packet's " + length + " bytes";
        }
        if (insert(i) && csumOffset(i) + 2 > length) {
            return "csum offset " + csumOffset(i) + " leaves no room for 2 bytes in " + length;
        }
        return null;
    }
}
