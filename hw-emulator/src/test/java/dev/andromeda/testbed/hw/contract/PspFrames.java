package dev.andromeda.testbed.hw.contract;

import java.util.Arrays;
import java.util.Random;

/**
 * PSP transport-mode frames for the NIC's seal tests, and what the wire must carry for
 * them, computed with the JDK's AES-GCM ({@link JdkGcm}), apart from the NIC: the frame up
 * to the end of the AAD (the PSP header at {@code start} and crypt offset * 4 bytes after
 * it) as it was, then the rest encrypted, then the 16-byte ICV. Nonce = header bytes 4..15
 * (SPI || IV).
 */
public final class PspFrames {
    private PspFrames() {
    }

    /**
     * {@code len} random bytes with a crypt offset at {@code start + 2} that keeps the AAD
     * inside the frame (len >= start + 16); the offset's top two bits are set at random,
     * as they are not the offset.
     */
    public static byte[] frame(Random r, int len, int start) {
        byte[] f = JdkGcm.bytes(r, len);
        int room = Math.min(63, (len - start - 16) / 4);
        int co = r.nextInt(4) == 0 ? room : r.nextInt(Math.min(room, 8) + 1);
        f[start + 2] = (byte) (co | r.nextInt(4) << 6);
        return f;
    }

    public static int aadEnd(byte[] f, int start) {
        return start + 16 + 4 * (f[start + 2] & 0x3F);
    }

    /** The frame as the wire carries it once sealed with {@code key}: len + 16 bytes. */
    public static byte[] sealed(byte[] key, byte[] f, int start) {
        int end = aadEnd(f, start);
        byte[] nonce = Arrays.copyOfRange(f, start + 4, start + 16);
        byte[] ct = JdkGcm.seal(key, nonce, Arrays.copyOfRange(f, start, end), Arrays.copyOfRange(f, end, f.length));
        byte[] out = Arrays.copyOf(f, f.length + 16);
        System.arraycopy(ct, 0, out, end, ct.length);
        return out;
    }

    /**
     * A PSP transport-mode frame before sealing, as a host would build it: Ethernet II,
     * IPv4 without options (total length counting the ICV), UDP to port 1000 (checksum
     * 0), the PSP header at 42 (crypt offset {@code co}, {@code spi} in network order, a
     * random IV), {@code co} * 4 bytes of clear text, then {@code textLen} bytes to seal.
     */
    public static byte[] udpPsp(Random r, int co, int spi, int textLen) {
        int len = 42 + 16 + 4 * co + textLen;
        byte[] f = JdkGcm.bytes(r, len);
        f[12] = 0x08;
        f[13] = 0x00;
        f[14] = 0x45;
        int ip = len - 14 + 16;
        f[16] = (byte) (ip >>> 8);
        f[17] = (byte) ip;
        f[23] = 17;
        f[36] = (byte) (1000 >>> 8);
        f[37] = (byte) 1000;
        int udp = ip - 20;
        f[38] = (byte) (udp >>> 8);
        f[39] = (byte) udp;
        f[40] = 0;
        f[41] = 0;
        f[44] = (byte) co;
        for (int i = 0; i < 4; i++) {
            f[46 + i] = (byte) (spi >>> 24 - 8 * i);
        }
        return f;
    }
}
