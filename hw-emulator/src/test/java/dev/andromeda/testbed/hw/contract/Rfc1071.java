package dev.andromeda.testbed.hw.contract;

/**
 * The test oracle: RFC 1071 section 4.1's reference algorithm, transcribed
 * word by word on a byte array -- deliberately unlike the implementations
 * under test (64-bit loads, hardware adders).
 */
public final class Rfc1071 {
    private Rfc1071() {
    }

    /** ~(seed + sum of the 16-bit big-endian words of data[start..], odd byte padded) folded, & 0xFFFF. */
    public static int checksum(byte[] data, int start, int seed) {
        long sum = seed & 0xFFFF;
        int i = start;
        for (; i + 1 < data.length; i += 2) {
            sum += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
        }
        if (i < data.length) {
            sum += (data[i] & 0xFF) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** The packet as the engine must leave it: checksum inserted big-endian at insert (if >= 0). */
    public static byte[] inserted(byte[] data, int start, int insert, int seed) {
        byte[] out = data.clone();
        if (insert >= 0) {
            int c = checksum(data, start, seed);
            out[insert] = (byte) (c >>> 8);
            out[insert + 1] = (byte) c;
        }
        return out;
    }
}
