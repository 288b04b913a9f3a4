package dev.andromeda.testbed.hw.blocks.gcm;

/**
 * The arithmetic of {@code aes_gcm}, as the Verilog's functions compute it:
 * the AES S-box and round, the key schedule step, GCM's GF(2^128) product and
 * the byte swaps between stream order and GCM's big-endian integers.
 *
 * <p>128-bit values are pairs of longs. In <em>stream order</em> (AES states,
 * keystream, tags) {@code lo} holds bytes 0..7 with byte 0 in bits 7:0 and
 * {@code hi} bytes 8..15, like two beats. GHASH values are <em>big-endian
 * integers</em>: {@code hi} is bits 127:64, bit 127 the first bit of the block.
 */
final class AesGcmMath {
    private AesGcmMath() {
    }

    static final int[] SBOX = {
            0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
            0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
            0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
            0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
            0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
            0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
            0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
            0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
            0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
            0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
            0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
            0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
            0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
            0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
            0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
            0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16
    };

    static int xtime(int b) {
        return ((b << 1) ^ ((b & 0x80) != 0 ? 0x1b : 0)) & 0xFF;
    }

    static int byteOf(long lo, long hi, int i) {
        return (int) ((i < 8 ? lo >>> (8 * i) : hi >>> (8 * (i - 8))) & 0xFF);
    }

    /** SubWord of a 32-bit word (byte 0 in bits 7:0). */
    static int subWord(int w) {
        return SBOX[w & 0xFF] | SBOX[(w >>> 8) & 0xFF] << 8 | SBOX[(w >>> 16) & 0xFF] << 16
                | SBOX[(w >>> 24) & 0xFF] << 24;
    }

    /**
     * One AES round (SubBytes, ShiftRows, MixColumns unless last, AddRoundKey)
     * on the state {@code s = {lo, hi}} in stream order, in place.
     */
    static void round(long[] s, long rkLo, long rkHi, boolean last) {
        int[] t = new int[16];
        for (int c = 0; c < 4; c++) {
            for (int r = 0; r < 4; r++) {
                t[r + 4 * c] = SBOX[byteOf(s[0], s[1], r + 4 * ((c + r) % 4))];
            }
        }
        int[] m = t;
        if (!last) {
            m = new int[16];
            for (int c = 0; c < 4; c++) {
                int a0 = t[4 * c];
                int a1 = t[4 * c + 1];
                int a2 = t[4 * c + 2];
                int a3 = t[4 * c + 3];
                m[4 * c] = xtime(a0) ^ xtime(a1) ^ a1 ^ a2 ^ a3;
                m[4 * c + 1] = a0 ^ xtime(a1) ^ xtime(a2) ^ a2 ^ a3;
                m[4 * c + 2] = a0 ^ a1 ^ xtime(a2) ^ xtime(a3) ^ a3;
                m[4 * c + 3] = xtime(a0) ^ a0 ^ a1 ^ a2 ^ xtime(a3);
            }
        }
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < 8; i++) {
            lo |= (long) m[i] << (8 * i);
            hi |= (long) m[i + 8] << (8 * i);
        }
        s[0] = lo ^ rkLo;
        s[1] = hi ^ rkHi;
    }

    /** Round constant i (1..10); 0 otherwise. */
    static int rcon(int i) {
        return switch (i) {
            case 1 -> 0x01;
            case 2 -> 0x02;
            case 3 -> 0x04;
            case 4 -> 0x08;
            case 5 -> 0x10;
            case 6 -> 0x20;
            case 7 -> 0x40;
            case 8 -> 0x80;
            case 9 -> 0x1b;
            case 10 -> 0x36;
            default -> 0;
        };
    }

    /**
     * One step of the Verilog's digit-serial GF(2^128) multiply, GCM's bit order: {@code z}
     * plus, for each of the top {@code digitBits} (at most 64) bits of {@code op} from bit 127
     * down, that bit times {@code v * x^k} (k = 0, 1, ...); and {@code v * x^digitBits}, the
     * next step's {@code v}. Returns {zHi, zLo, vHi, vLo} in out. The Verilog sums the terms
     * with a tree and reduces each {@code v * x^k} in one pass; the sum is the same.
     */
    static void gfDigitStep(long opHi, long zHi, long zLo, long vHi, long vLo, int digitBits, long[] out) {
        for (int k = 0; k < digitBits; k++) {
            if (((opHi >>> (63 - k)) & 1) != 0) {
                zHi ^= vHi;
                zLo ^= vLo;
            }
            boolean lsb = (vLo & 1) != 0;
            vLo = (vLo >>> 1) | (vHi << 63);
            vHi = vHi >>> 1;
            if (lsb) {
                vHi ^= 0xE1L << 56;
            }
        }
        out[0] = zHi;
        out[1] = zLo;
        out[2] = vHi;
        out[3] = vLo;
    }

    /** Lanes below {@code bytes} all ones. */
    static long laneMask(int bytes) {
        return bytes >= 8 ? -1L : (1L << (8 * bytes)) - 1;
    }
}
