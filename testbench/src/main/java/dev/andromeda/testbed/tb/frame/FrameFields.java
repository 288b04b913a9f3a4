package dev.andromeda.testbed.tb.frame;

/**
 * Big-endian (network order) fields written into a test frame being built as a
 * {@code byte[]}: the one copy the demo's, the ladder's, the fuzzer's, the
 * benchmarks' and the paper's frame builders share. (The fastpath's own
 * NetworkOrder reads and writes MemorySegments and stays inside its package; the
 * RFC 1071 sums of a frame being built come from its InternetChecksum, while the
 * checks that judge the dataplane keep sums of their own, written apart.)
 */
public final class FrameFields {
    private FrameFields() {
    }

    public static void put16(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    public static void put32(byte[] f, int at, int v) {
        put16(f, at, v >>> 16);
        put16(f, at + 2, v);
    }

    /** A 48-bit MAC address from the low bits of a long. */
    public static void putMac(byte[] f, int at, long mac) {
        for (int i = 0; i < 6; i++) {
            f[at + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }
}
