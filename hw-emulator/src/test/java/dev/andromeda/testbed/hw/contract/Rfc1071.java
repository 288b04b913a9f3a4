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

    /**
     * RFC 768's transmitted value: a UDP checksum that computes to 0x0000 is sent as 0xFFFF
     * (0 on the wire means "no checksum"); TCP (RFC 793) sends 0x0000 as it is.
     */
    public static int transmitted(int checksum, boolean udp) {
        return udp && checksum == 0 ? 0xFFFF : checksum;
    }

    /** The packet with value written big-endian at insert. */
    public static byte[] withWord(byte[] data, int insert, int value) {
        byte[] out = data.clone();
        out[insert] = (byte) (value >>> 8);
        out[insert + 1] = (byte) value;
        return out;
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
