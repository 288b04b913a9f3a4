package dev.andromeda.testbed.tb.ladder;

import java.lang.foreign.MemorySegment;
import dev.andromeda.testbed.fastpath.offload.InternetChecksum;
import java.util.Random;

import static dev.andromeda.testbed.tb.frame.FrameFields.put16;
import static dev.andromeda.testbed.tb.frame.FrameFields.putMac;

/**
 * The guests' UDP frames on the ladder: Ethernet, IPv4 (no options, its header checksum
 * done), UDP with the pseudo-header sum in its checksum field (as a guest hands it to a
 * device that completes it), a 64-bit sequence number first in the payload.
 */
public final class LadderFrames {
    static final int SEQ_AT = 14 + 20 + 8;
    static final int CSUM_AT = 14 + 20 + 6;

    private LadderFrames() {
    }

    /** A frame of {@code length} bytes (>= 50) with a seeded random payload after the sequence field. */
    public static byte[] udp(long srcMac, long dstMac, int src, int dst, int length, Random payload) {
        if (length < SEQ_AT + 8) {
            throw new IllegalArgumentException("a ladder frame is at least " + (SEQ_AT + 8) + " bytes: " + length);
        }
        byte[] b = new byte[length];
        putMac(b, 0, dstMac);
        putMac(b, 6, srcMac);
        b[12] = 0x08;
        b[14] = 0x45;
        put16(b, 16, length - 14);
        b[20] = 0x40;
        b[22] = 64;
        b[23] = 17;
        put16(b, 26, src >>> 16);
        put16(b, 28, src);
        put16(b, 30, dst >>> 16);
        put16(b, 32, dst);
        put16(b, 24, InternetChecksum.checksum(MemorySegment.ofArray(b), 14, 20, 0));
        put16(b, 34, 40_000);
        put16(b, 36, 5_001);
        put16(b, 38, length - 34);
        for (int i = SEQ_AT + 8; i < length; i++) {
            b[i] = (byte) payload.nextInt(256);
        }
        long pseudo = (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + 17 + (length - 34);
        put16(b, CSUM_AT, InternetChecksum.fold(pseudo));
        return b;
    }

    /** A copy of the template carrying this sequence number (the guest's fresh buffer). */
    public static byte[] withSeq(byte[] template, long seq) {
        byte[] f = template.clone();
        for (int i = 0; i < 8; i++) {
            f[SEQ_AT + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return f;
    }

    public static long seq(byte[] frame) {
        long s = 0;
        for (int i = 0; i < 8; i++) {
            s = s << 8 | (frame[SEQ_AT + i] & 0xFF);
        }
        return s;
    }

    /** Whether the received frame is the template's with this sequence number, all but the UDP checksum. */
    static boolean sameButChecksum(byte[] got, byte[] template, long seq) {
        if (got.length != template.length || seq(got) != seq) {
            return false;
        }
        for (int i = 0; i < got.length; i++) {
            if ((i < CSUM_AT || i > CSUM_AT + 1) && (i < SEQ_AT || i >= SEQ_AT + 8) && got[i] != template[i]) {
                return false;
            }
        }
        return true;
    }
}
