package dev.andromeda.testbed.fastpath.offload;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A batch of memory-to-memory copies, laid out as a DMA engine's descriptor
 * ring (Intel QuickData style): 32-byte descriptors in off-heap memory whose
 * source and destination are offsets into one host-memory segment.
 *
 * <pre>
 *  offset  size  field     written by
 *   0       8    src       driver   source offset in host memory
 *   8       8    dst       driver   destination offset in host memory
 *  16       4    length    driver   bytes (0 .. 65536)
 *  20       2    cookie    driver   returned with the completion
 *  22       2    status    engine   0 pending, 1 done, 2 rejected, 3 read error, 4 write error
 *  24       8    cycles    engine   hardware: descriptor offered to completion, in cycles
 * </pre>
 *
 * <p>Beside the ring (not a descriptor field: no engine writes it), {@link #queuedCycles} says how
 * many of a copy's cycles it waited behind the copies before it, which an engine serving in
 * order counts in each later copy's latency.
 *
 * <p>Admission ({@link #validate}) refuses a descriptor that no engine could run: a length
 * outside 0..{@link #MAX_LENGTH}, an offset that is negative or past the 48-bit bus address
 * space, overlapping source and destination. Whether the source and destination lie in host
 * memory is the engine's to find out, as a device's DMA does: a read past the end fails with
 * {@link #STATUS_READ_ERROR}, a write past it with {@link #STATUS_WRITE_ERROR} (also any bus error
 * the memory answers). After an error the destination holds, byte by byte, either its old value
 * or the source's byte -- never anything else -- and the next descriptor runs as usual.
 */
public final class CopyBatch extends DescriptorRing {
    public static final int DESCRIPTOR_BYTES = 32;
    public static final int STATUS_PENDING = DescriptorRing.STATUS_PENDING;
    public static final int STATUS_DONE = DescriptorRing.STATUS_DONE;
    public static final int STATUS_REJECTED = DescriptorRing.STATUS_REJECTED;
    /** Run, but reading the source failed (past the end of host memory, or a bus error). */
    public static final int STATUS_READ_ERROR = 3;
    /** Run, but writing the destination failed (past the end of host memory, or a bus error). */
    public static final int STATUS_WRITE_ERROR = 4;
    /** Bus addresses are 48 bits wide: no offset or end of a copy beyond this. */
    public static final long ADDRESS_LIMIT = 1L << 48;
    /** The largest copy a descriptor may ask for. */
    public static final int MAX_LENGTH = 65536;

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final long[] queued;

    public CopyBatch(int capacity, MemorySegment hostMemory) {
        super(capacity, DESCRIPTOR_BYTES, hostMemory);
        this.queued = new long[capacity];
    }

    /** Appends a copy; returns its index. */
    public int add(long src, long dst, int length, int cookie) {
        int i = claim();
        long d = base(i);
        ring.set(U64, d, src);
        ring.set(U64, d + 8, dst);
        ring.set(U32, d + 16, length);
        ring.set(U16, d + 20, (short) cookie);
        return i;
    }

    public long src(int i) {
        return ring.get(U64, (long) i * DESCRIPTOR_BYTES);
    }

    public long dst(int i) {
        return ring.get(U64, (long) i * DESCRIPTOR_BYTES + 8);
    }

    public int length(int i) {
        return ring.get(U32, (long) i * DESCRIPTOR_BYTES + 16);
    }

    public int cookie(int i) {
        return Short.toUnsignedInt(ring.get(U16, (long) i * DESCRIPTOR_BYTES + 20));
    }

    @Override
    public int status(int i) {
        return ring.get(U16, (long) i * DESCRIPTOR_BYTES + 22);
    }

    public long cycles(int i) {
        return ring.get(U64, (long) i * DESCRIPTOR_BYTES + 24);
    }

    /** Of {@link #cycles}, those copy i waited behind the copies before it (0 when it did not). */
    public long queuedCycles(int i) {
        return queued[i];
    }

    public void complete(int i, long cycles) {
        complete(i, cycles, 0);
    }

    /** @param queuedCycles of {@code cycles}, those spent behind earlier copies */
    public void complete(int i, long cycles, long queuedCycles) {
        queued[i] = queuedCycles;
        long d = (long) i * DESCRIPTOR_BYTES;
        ring.set(U64, d + 24, cycles);
        ring.set(U16, d + 22, (short) STATUS_DONE);
    }

    /** Marks copy i run and failed with {@link #STATUS_READ_ERROR} or {@link #STATUS_WRITE_ERROR}. */
    public void fail(int i, int status, long cycles) {
        fail(i, status, cycles, 0);
    }

    /** As {@link #fail(int, int, long)}, with the cycles spent behind earlier copies. */
    public void fail(int i, int status, long cycles, long queuedCycles) {
        queued[i] = queuedCycles;
        if (status != STATUS_READ_ERROR && status != STATUS_WRITE_ERROR) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        long d = (long) i * DESCRIPTOR_BYTES;
        ring.set(U64, d + 24, cycles);
        ring.set(U16, d + 22, (short) status);
    }

    @Override
    public void reject(int i) {
        ring.set(U16, (long) i * DESCRIPTOR_BYTES + 22, (short) STATUS_REJECTED);
    }

    /**
     * Why copy i cannot run, or null: bad length, an offset outside the bus address space, or
     * overlapping ranges. (A range past the end of host memory runs, and fails in the engine.)
     */
    @Override
    public String validate(int i) {
        int length = length(i);
        if (length < 0 || length > MAX_LENGTH) {
            return "length " + Integer.toUnsignedString(length) + " outside 0.." + MAX_LENGTH;
        }
        if (src(i) < 0 || src(i) + length > ADDRESS_LIMIT) {
            return "source [" + src(i) + ", " + (src(i) + length) + ") outside the 48-bit bus address space";
        }
        if (dst(i) < 0 || dst(i) + length > ADDRESS_LIMIT) {
            return "destination [" + dst(i) + ", " + (dst(i) + length) + ") outside the 48-bit bus address space";
        }
        if (length > 0 && src(i) < dst(i) + length && dst(i) < src(i) + length) {
            return "source and destination overlap";
        }
        return null;
    }
}
