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
 *  22       2    status    engine   0 pending, 1 done, 2 rejected
 *  24       8    cycles    engine   hardware: descriptor offered to completion, in cycles
 * </pre>
 */
public final class CopyBatch extends DescriptorRing {
    public static final int DESCRIPTOR_BYTES = 32;
    public static final int STATUS_PENDING = DescriptorRing.STATUS_PENDING;
    public static final int STATUS_DONE = DescriptorRing.STATUS_DONE;
    public static final int STATUS_REJECTED = DescriptorRing.STATUS_REJECTED;
    /** The largest copy a descriptor may ask for. */
    public static final int MAX_LENGTH = 65536;

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    public CopyBatch(int capacity, MemorySegment hostMemory) {
        super(capacity, DESCRIPTOR_BYTES, hostMemory);
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

    public void complete(int i, long cycles) {
        long d = (long) i * DESCRIPTOR_BYTES;
        ring.set(U64, d + 24, cycles);
        ring.set(U16, d + 22, (short) STATUS_DONE);
    }

    @Override
    public void reject(int i) {
        ring.set(U16, (long) i * DESCRIPTOR_BYTES + 22, (short) STATUS_REJECTED);
    }

    /** Why copy i cannot run, or null: bad length, a range outside host memory, or overlapping ranges. */
    @Override
    public String validate(int i) {
        int length = length(i);
        if (length < 0 || length > MAX_LENGTH) {
            return "length " + Integer.toUnsignedString(length) + " outside 0.." + MAX_LENGTH;
        }
        long size = hostMemory().byteSize();
        if (src(i) < 0 || src(i) + length > size) {
            return "source [" + src(i) + ", " + (src(i) + length) + ") outside host memory of " + size + " bytes";
        }
        if (dst(i) < 0 || dst(i) + length > size) {
            return "destination [" + dst(i) + ", " + (dst(i) + length) + ") outside host memory of " + size
                    + " bytes";
        }
        if (length > 0 && src(i) < dst(i) + length && dst(i) < src(i) + length) {
            return "source and destination overlap";
        }
        return null;
    }
}
