package dev.andromeda.testbed.fastpath.offload.sw;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * AES-GCM by OpenSSL's libcrypto ({@link Libcrypto}, EVP): one {@code EVP_CIPHER_CTX} per key
 * kept, so a packet only sets its IV ({@code EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, enc)}:
 * the expanded key and GHASH key stay), then AAD, text, final and the tag by
 * {@code EVP_CIPHER_CTX_ctrl}. OpenSSL reads the key and IV straight from the descriptor and the
 * AAD and text straight from host memory, no copy.
 *
 * <p>Seal runs in place in the packet. Open decrypts into a scratch buffer of this engine's own
 * and copies the plaintext into the packet only once {@code EVP_CipherFinal_ex} has verified the
 * tag: OpenSSL's decrypt streams plaintext out before it has seen the tag, and a failed open
 * must release none (the crypto contract). Host memory on the heap (tests) goes through the
 * scratch buffers both ways.
 *
 * <p>No allocation per packet: the out-parameters ({@code int *outl}) and scratch buffers are
 * allocated once, every argument is a raw address (see {@link Libcrypto}).
 */
final class OpensslGcmEngine implements GcmEngine {
    private static final Libcrypto LIB = Libcrypto.get();
    /** Contexts kept, one per key, direct-mapped by a hash of the key: a host talks PSP to few peers at once. */
    static final int SLOTS = 64;
    private static final int KEY_STRIDE = 32;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    // Shared: the stage may be built on one thread and run by another (a coprocessor's pool),
    // one thread at a time.
    private final Arena arena = Arena.ofShared();
    private final long[] ctx = new long[SLOTS];
    private final int[] slotKeyLength = new int[SLOTS];
    /** The key each slot's context was set up with, {@link #KEY_STRIDE} bytes a slot. */
    private final MemorySegment keys;
    private final MemorySegment outLength;
    private final long outLengthAddress;
    /** Open's plaintext until the tag verifies; heap host memory's text. */
    private final MemorySegment text;
    private final long textAddress;
    private final MemorySegment tag;
    private final long tagAddress;
    /** Heap host memory's AAD; allocated on first need. */
    private MemorySegment aad;
    private boolean closed;

    OpensslGcmEngine() {
        if (LIB == null) {
            throw new IllegalStateException("libcrypto is unavailable: " + Libcrypto.unavailabilityCause());
        }
        keys = arena.allocate((long) SLOTS * KEY_STRIDE, 64);
        outLength = arena.allocate(ValueLayout.JAVA_INT);
        outLengthAddress = outLength.address();
        text = arena.allocate(CryptoBatch.MAX_TEXT + 16, 64);
        textAddress = text.address();
        tag = arena.allocate(CryptoBatch.TAG_BYTES, 16);
        tagAddress = tag.address();
    }

    @Override
    public String name() {
        return SoftwareGcm.ENGINE_OPENSSL;
    }

    @Override
    public long run(CryptoBatch batch, int i, MemorySegment memory) {
        if (closed) {
            throw new IllegalStateException("the sw crypto stage is closed");
        }
        boolean seal = batch.op(i) == CryptoBatch.OP_SEAL;
        int n = batch.textLength(i);
        int aadLength = batch.aadLength(i);
        MemorySegment ring = batch.ring();
        long d = (long) i * CryptoBatch.DESCRIPTOR_BYTES;
        long slotCtx = context(ring, d, batch.keyLength(i));
        if (slotCtx == 0) {
            batch.reject(i);
            return -1;
        }
        long aadAt;
        long textAt;
        long tagAt;
        boolean direct = memory.isNative();
        if (direct) {
            long base = memory.address();
            aadAt = base + batch.aadOffset(i);
            textAt = base + batch.textOffset(i);
            tagAt = base + batch.tagOffset(i);
        } else {
            aadAt = heapAad(memory, batch.aadOffset(i), aadLength);
            MemorySegment.copy(memory, batch.textOffset(i), text, 0, n);
            MemorySegment.copy(memory, batch.tagOffset(i), tag, 0, CryptoBatch.TAG_BYTES);
            textAt = textAddress;
            tagAt = tagAddress;
        }
        try {
            // Seal writes in place (the packet, or heap memory's copy); open always into the scratch text.
            long outAt = seal ? textAt : textAddress;
            int ok = (int) LIB.cipherInit().invokeExact(slotCtx, 0L, 0L, 0L, ring.address() + d + 48, seal ? 1 : 0);
            if (ok == 1 && aadLength > 0) {
                ok = (int) LIB.cipherUpdate().invokeExact(slotCtx, 0L, outLengthAddress, aadAt, aadLength);
            }
            if (ok == 1 && n > 0) {
                ok = (int) LIB.cipherUpdate().invokeExact(slotCtx, outAt, outLengthAddress, textAt, n);
            }
            if (ok == 1 && !seal) {
                ok = (int) LIB.ctrl().invokeExact(slotCtx, Libcrypto.EVP_CTRL_GCM_SET_TAG, CryptoBatch.TAG_BYTES, tagAt);
            }
            if (ok != 1) {
                return refuse(batch, i);
            }
            // GCM's final writes no bytes; it is given a valid place anyway.
            int verified = (int) LIB.cipherFinal().invokeExact(slotCtx, textAddress + n, outLengthAddress);
            if (seal) {
                if (verified != 1
                        || (int) LIB.ctrl().invokeExact(slotCtx, Libcrypto.EVP_CTRL_GCM_GET_TAG, CryptoBatch.TAG_BYTES,
                        tagAt) != 1) {
                    return refuse(batch, i);
                }
                if (!direct) {
                    MemorySegment.copy(text, 0, memory, batch.textOffset(i), n);
                    MemorySegment.copy(tag, 0, memory, batch.tagOffset(i), CryptoBatch.TAG_BYTES);
                }
                batch.completeInPlace(i, 0);
                return n;
            }
            if (verified == 1) {
                MemorySegment.copy(text, 0, memory, batch.textOffset(i), n);
                batch.completeInPlace(i, 0);
            } else {
                LIB.errClear().invokeExact();
                batch.completeOpen(i, null, 0);
            }
            return n;
        } catch (Throwable t) {
            throw new IllegalStateException("libcrypto call failed: " + t, t);
        }
    }

    /** Not a tag failure: OpenSSL refused the operation. Refuse the descriptor and go on with the batch. */
    private long refuse(CryptoBatch batch, int i) throws Throwable {
        LIB.errClear().invokeExact();
        batch.reject(i);
        return -1;
    }

    /**
     * The context set up with the descriptor's key: the slot's own when it holds that key (one SA,
     * many packets: compared in place, no copy), else the slot re-keyed. 0 when OpenSSL refused.
     */
    private long context(MemorySegment ring, long d, int keyLength) {
        long keyOffset = d + 64;
        long first = ring.get(U64, keyOffset);
        int slot = (int) ((first * 0x9E3779B97F4A7C15L) >>> 58) ^ (keyLength >>> 4 & 1);
        long slotKey = (long) slot * KEY_STRIDE;
        long c = ctx[slot];
        if (c != 0 && slotKeyLength[slot] == keyLength
                && MemorySegment.mismatch(ring, keyOffset, keyOffset + keyLength, keys, slotKey, slotKey + keyLength) < 0) {
            return c;
        }
        return rekey(slot, ring, keyOffset, keyLength);
    }

    private long rekey(int slot, MemorySegment ring, long keyOffset, int keyLength) {
        try {
            long c = ctx[slot];
            if (c == 0) {
                c = (long) LIB.ctxNew().invokeExact();
                if (c == 0) {
                    return 0;
                }
                ctx[slot] = c;
            }
            long slotKey = (long) slot * KEY_STRIDE;
            MemorySegment.copy(ring, keyOffset, keys, slotKey, keyLength);
            slotKeyLength[slot] = 0; // not this key's until the init below succeeds
            long cipher = keyLength == 32 ? LIB.aes256Gcm() : LIB.aes128Gcm();
            int ok = (int) LIB.cipherInit().invokeExact(c, cipher, 0L, keys.address() + slotKey, 0L, 1);
            if (ok != 1) {
                LIB.errClear().invokeExact();
                return 0;
            }
            slotKeyLength[slot] = keyLength;
            return c;
        } catch (Throwable t) {
            throw new IllegalStateException("libcrypto call failed: " + t, t);
        }
    }

    private long heapAad(MemorySegment memory, long offset, int length) {
        if (aad == null) {
            aad = arena.allocate(CryptoBatch.MAX_AAD, 64);
        }
        MemorySegment.copy(memory, offset, aad, 0, length);
        return aad.address();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (int s = 0; s < SLOTS; s++) {
                if (ctx[s] != 0) {
                    LIB.ctxFree().invokeExact(ctx[s]);
                    ctx[s] = 0;
                }
            }
        } catch (Throwable t) {
            throw new IllegalStateException("libcrypto call failed: " + t, t);
        } finally {
            // The keys are secrets: zero them before the memory goes back.
            keys.fill((byte) 0);
            arena.close();
        }
    }
}
