package dev.andromeda.testbed.tb.cosim;

import java.lang.foreign.MemorySegment;

/** Byte comparison of two memories over a range. */
final class Compare {
    private Compare() {
    }

    /** Offset (from {@code at}) of the first differing byte in [at, at+length), or -1. */
    static long firstDifference(MemorySegment a, MemorySegment b, long at, long length) {
        return MemorySegment.mismatch(a, at, at + length, b, at, at + length);
    }

    /** Offset of the first differing byte anywhere in the two memories, or -1. */
    static long firstDifference(MemorySegment a, MemorySegment b) {
        return a.mismatch(b);
    }
}
