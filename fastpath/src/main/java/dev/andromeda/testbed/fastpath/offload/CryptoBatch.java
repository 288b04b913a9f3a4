package dev.andromeda.testbed.fastpath.offload;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A batch of AES-GCM operations (PSP versions 0 and 1: AES-GCM-128 and -256,
 * 96-bit IV, 128-bit tag), laid out as a crypto engine's descriptor ring:
 * 96-byte descriptors in off-heap memory carrying the key and IV inline and
 * referencing AAD, text and tag in one host-memory segment.
 *
 * <pre>
 *  offset  size  field       written by
 *   0       2    op          driver   0 seal, 1 open
 *   2       2    keyLength   driver   16 or 32
 *   4       2    status      engine   0 pending, 1 done, 2 rejected, 3 authentication failed
 *   8       8    aadOffset   driver
 *  16       4    aadLength   driver   0 .. 65535
 *  20       4    textLength  driver   0 .. 16384
 *  24       8    textOffset  driver   the text, replaced in place by the result
 *  32       8    tagOffset   driver   16 bytes: written by seal, read by open
 *  40       8    cycles      engine   hardware: command offered to result taken
 *  48      12    iv          driver
 *  64      32    key         driver   (the first keyLength bytes)
 * </pre>
 *
 * Seal replaces the plaintext with the ciphertext and writes the tag. Open
 * replaces the ciphertext with the plaintext only when the tag verifies; on
 * failure it leaves the text untouched and sets {@link #STATUS_AUTH_FAILED}.
 */
public final class CryptoBatch extends DescriptorRing {
    public static final int DESCRIPTOR_BYTES = 96;
    public static final int OP_SEAL = 0;
    public static final int OP_OPEN = 1;
    public static final int STATUS_PENDING = DescriptorRing.STATUS_PENDING;
    public static final int STATUS_DONE = DescriptorRing.STATUS_DONE;
    public static final int STATUS_REJECTED = DescriptorRing.STATUS_REJECTED;
    public static final int STATUS_AUTH_FAILED = 3;
    public static final int IV_BYTES = 12;
    public static final int TAG_BYTES = 16;
    /** Largest text: the crypto block buffers a whole text on open (no plaintext before the tag). */
    public static final int MAX_TEXT = 16384;
    public static final int MAX_AAD = 65535;

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    public CryptoBatch(int capacity, MemorySegment hostMemory) {
        super(capacity, DESCRIPTOR_BYTES, hostMemory);
    }

    private CryptoBatch(int capacity, MemorySegment hostMemory, boolean shared) {
        super(capacity, DESCRIPTOR_BYTES, hostMemory, shared);
    }

    /**
     * A batch another thread may run: the fast path fills it and hands it to a
     * coprocessor thread through a ring (one thread at a time). The host memory
     * must be shared too ({@code Arena.ofShared()} or global).
     */
    public static CryptoBatch shared(int capacity, MemorySegment hostMemory) {
        return new CryptoBatch(capacity, hostMemory, true);
    }

    /**
     * Appends an operation; returns its index.
     *
     * @throws IllegalArgumentException for a key that is not 16 or 32 bytes or an IV that is not 12
     */
    public int add(int op, byte[] key, byte[] iv, long aadOffset, int aadLength, long textOffset, int textLength,
                   long tagOffset) {
        if (key.length != 16 && key.length != 32) {
            throw new IllegalArgumentException("key must be 16 or 32 bytes, was " + key.length);
        }
        if (iv.length != IV_BYTES) {
            throw new IllegalArgumentException("IV must be 12 bytes, was " + iv.length);
        }
        int i = claim();
        long d = base(i);
        ring.set(U16, d, (short) op);
        ring.set(U16, d + 2, (short) key.length);
        ring.set(U16, d + 4, (short) STATUS_PENDING);
        ring.set(U64, d + 8, aadOffset);
        ring.set(U32, d + 16, aadLength);
        ring.set(U32, d + 20, textLength);
        ring.set(U64, d + 24, textOffset);
        ring.set(U64, d + 32, tagOffset);
        MemorySegment.copy(iv, 0, ring, ValueLayout.JAVA_BYTE, d + 48, IV_BYTES);
        MemorySegment.copy(key, 0, ring, ValueLayout.JAVA_BYTE, d + 64, key.length);
        return i;
    }

    public int op(int i) {
        return ring.get(U16, (long) i * DESCRIPTOR_BYTES);
    }

    public int keyLength(int i) {
        return ring.get(U16, (long) i * DESCRIPTOR_BYTES + 2);
    }

    @Override
    public int status(int i) {
        return ring.get(U16, (long) i * DESCRIPTOR_BYTES + 4);
    }

    public long aadOffset(int i) {
        return ring.get(U64, (long) i * DESCRIPTOR_BYTES + 8);
    }

    public int aadLength(int i) {
        return ring.get(U32, (long) i * DESCRIPTOR_BYTES + 16);
    }

    public int textLength(int i) {
        return ring.get(U32, (long) i * DESCRIPTOR_BYTES + 20);
    }

    public long textOffset(int i) {
        return ring.get(U64, (long) i * DESCRIPTOR_BYTES + 24);
    }

    public long tagOffset(int i) {
        return ring.get(U64, (long) i * DESCRIPTOR_BYTES + 32);
    }

    public long cycles(int i) {
        return ring.get(U64, (long) i * DESCRIPTOR_BYTES + 40);
    }

    public byte[] iv(int i) {
        return ring.asSlice((long) i * DESCRIPTOR_BYTES + 48, IV_BYTES).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Copies the key of operation i into {@code into} (at least keyLength bytes); no allocation. */
    public void key(int i, byte[] into) {
        MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, base(i) + 64, into, 0, keyLength(i));
    }

    /** Copies the IV of operation i into {@code into} (12 bytes); no allocation. */
    public void iv(int i, byte[] into) {
        MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, base(i) + 48, into, 0, IV_BYTES);
    }

    public byte[] key(int i) {
        return ring.asSlice((long) i * DESCRIPTOR_BYTES + 64, keyLength(i)).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The operation's bytes as arrays, for engines that take them that way. */
    public byte[] aad(int i) {
        return hostMemory().asSlice(aadOffset(i), aadLength(i)).toArray(ValueLayout.JAVA_BYTE);
    }

    public byte[] text(int i) {
        return hostMemory().asSlice(textOffset(i), textLength(i)).toArray(ValueLayout.JAVA_BYTE);
    }

    public byte[] tag(int i) {
        return hostMemory().asSlice(tagOffset(i), TAG_BYTES).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Seal done: ciphertext in place of the text, tag at tagOffset. */
    public void completeSeal(int i, byte[] ciphertext, byte[] tag, long cycles) {
        MemorySegment.copy(ciphertext, 0, hostMemory(), ValueLayout.JAVA_BYTE, textOffset(i), textLength(i));
        MemorySegment.copy(tag, 0, hostMemory(), ValueLayout.JAVA_BYTE, tagOffset(i), TAG_BYTES);
        finish(i, STATUS_DONE, cycles);
    }

    /** Open done: plaintext in place of the text when the tag verified, text untouched otherwise. */
    public void completeOpen(int i, byte[] plaintextOrNull, long cycles) {
        if (plaintextOrNull != null) {
            MemorySegment.copy(plaintextOrNull, 0, hostMemory(), ValueLayout.JAVA_BYTE, textOffset(i), textLength(i));
        }
        finish(i, plaintextOrNull != null ? STATUS_DONE : STATUS_AUTH_FAILED, cycles);
    }

    /**
     * Done, with the result already in place in host memory (an engine that
     * writes ciphertext and tag, or plaintext, straight into the buffers).
     */
    public void completeInPlace(int i, long cycles) {
        finish(i, STATUS_DONE, cycles);
    }

    @Override
    public void reject(int i) {
        ring.set(U16, (long) i * DESCRIPTOR_BYTES + 4, (short) STATUS_REJECTED);
    }

    private void finish(int i, int status, long cycles) {
        long d = (long) i * DESCRIPTOR_BYTES;
        ring.set(U64, d + 40, cycles);
        ring.set(U16, d + 4, (short) status);
    }

    /** Why operation i cannot run, or null. */
    @Override
    public String validate(int i) {
        int op = op(i);
        if (op != OP_SEAL && op != OP_OPEN) {
            return "op " + op + " is neither seal (0) nor open (1)";
        }
        if (aadLength(i) < 0 || aadLength(i) > MAX_AAD) {
            return "AAD length " + aadLength(i) + " outside 0.." + MAX_AAD;
        }
        if (textLength(i) < 0 || textLength(i) > MAX_TEXT) {
            // The crypto block's name for it (aes_gcm's TOO_LONG): every engine refuses it alike.
            return "TOO_LONG: text length " + textLength(i) + " outside 0.." + MAX_TEXT;
        }
        long size = hostMemory().byteSize();
        if (aadOffset(i) < 0 || aadOffset(i) + aadLength(i) > size) {
            return "AAD outside host memory";
        }
        if (textOffset(i) < 0 || textOffset(i) + textLength(i) > size) {
            return "text outside host memory";
        }
        if (tagOffset(i) < 0 || tagOffset(i) + TAG_BYTES > size) {
            return "tag outside host memory";
        }
        return null;
    }
}
