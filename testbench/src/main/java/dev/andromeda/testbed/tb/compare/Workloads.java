package dev.andromeda.testbed.tb.compare;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** What the workloads share: their memory layout and how they fill it. */
final class Workloads {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    private Workloads() {
    }

    /**
     * Bytes one job's buffer takes in host memory: its length rounded up to a
     * cache line, plus a line of gap, so every buffer starts 64-byte aligned as
     * a driver would allocate it and no two buffers share a line.
     */
    static long slot(int length) {
        return ((length + 63L) & ~63L) + 64;
    }

    /**
     * Writes {@code length} random bytes at {@code offset} of {@code first} and, the same bytes,
     * of {@code second} (the reference copy; null for none), eight at a time, through native
     * segments only.
     */
    static void random(SplittableRandom data, MemorySegment first, MemorySegment second, long offset, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long v = data.nextLong();
            first.set(LONG, offset + i, v);
            if (second != null) {
                second.set(LONG, offset + i, v);
            }
        }
        for (long v = data.nextLong(); i < length; i++, v >>>= 8) {
            first.set(ValueLayout.JAVA_BYTE, offset + i, (byte) v);
            if (second != null) {
                second.set(ValueLayout.JAVA_BYTE, offset + i, (byte) v);
            }
        }
    }
}
