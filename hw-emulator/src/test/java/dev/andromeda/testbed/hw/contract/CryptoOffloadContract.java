package dev.andromeda.testbed.hw.contract;

import dev.andromeda.testbed.fastpath.offload.CryptoBatch;
import dev.andromeda.testbed.fastpath.offload.CryptoOffload;
import dev.andromeda.testbed.fastpath.offload.CryptoOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crypto stage's contract, one test for every implementation: the
 * published GCM vectors, random vectors checked against the JDK's
 * {@code AES/GCM/NoPadding} called directly, and tampered tags, AADs and
 * ciphertexts refused without releasing plaintext.
 */
public abstract class CryptoOffloadContract {
    private Arena arena;

    protected abstract String implementation();

    /** A new instance of the implementation under test; an implementation with engines of its own picks one here. */
    protected CryptoOffload open(OffloadOptions options) {
        return Offloads.open(CryptoOffloadProvider.class, implementation(), options);
    }

    @BeforeEach
    void checkAvailable() {
        Backends.require(Offloads.provider(CryptoOffloadProvider.class, implementation()));
        arena = Arena.ofConfined();
    }

    @AfterEach
    void release() {
        if (arena != null) {
            arena.close();
        }
    }

    /** One operation: inputs, and after {@link #run} what the stage left. */
    private static final class Op {
        final boolean open;
        final byte[] key;
        final byte[] iv;
        final byte[] aad;
        final byte[] text;
        final byte[] tag;
        byte[] outText;
        byte[] outTag;
        int status;

        Op(boolean open, byte[] key, byte[] iv, byte[] aad, byte[] text, byte[] tag) {
            this.open = open;
            this.key = key;
            this.iv = iv;
            this.aad = aad;
            this.text = text;
            this.tag = tag;
        }

        @Override
        public String toString() {
            return (open ? "open" : "seal") + " AES-" + key.length * 8 + " aad " + aad.length + " text " + text.length;
        }
    }

    /** Host memory and descriptor ring as the stage left them after the last {@link #run}. */
    private byte[] memoryAfter;
    private byte[] ringAfter;
    /** The stage's rejected counter after the last {@link #run}. */
    private long rejectedAfter;

    private void run(List<Op> ops, OffloadOptions options) {
        run(ops, options, 0);
    }

    /** @param tagGap bytes between each text and its tag (0: right after it, as PSP lays them out) */
    private void run(List<Op> ops, OffloadOptions options, int tagGap) {
        long total = 0;
        for (Op o : ops) {
            total += o.aad.length + o.text.length + tagGap + CryptoBatch.TAG_BYTES;
        }
        MemorySegment memory = arena.allocate(Math.max(total, 1), 64);
        long[] text = new long[ops.size()];
        long[] tag = new long[ops.size()];
        try (CryptoOffload stage = open(options);
             CryptoBatch batch = new CryptoBatch(ops.size(), memory)) {
            long at = 0;
            for (int i = 0; i < ops.size(); i++) {
                Op o = ops.get(i);
                MemorySegment.copy(o.aad, 0, memory, ValueLayout.JAVA_BYTE, at, o.aad.length);
                text[i] = at + o.aad.length;
                MemorySegment.copy(o.text, 0, memory, ValueLayout.JAVA_BYTE, text[i], o.text.length);
                tag[i] = text[i] + o.text.length + tagGap;
                if (o.open) {
                    MemorySegment.copy(o.tag, 0, memory, ValueLayout.JAVA_BYTE, tag[i], CryptoBatch.TAG_BYTES);
                }
                batch.add(o.open ? CryptoBatch.OP_OPEN : CryptoBatch.OP_SEAL, o.key, o.iv, at, o.aad.length, text[i],
                        o.text.length, tag[i]);
                at = tag[i] + CryptoBatch.TAG_BYTES;
            }
            stage.process(batch);
            rejectedAfter = stage.counters().rejected();
            memoryAfter = memory.toArray(ValueLayout.JAVA_BYTE);
            ringAfter = batch.ring().toArray(ValueLayout.JAVA_BYTE);
            for (int i = 0; i < ops.size(); i++) {
                Op o = ops.get(i);
                o.status = batch.status(i);
                o.outText = memory.asSlice(text[i], o.text.length).toArray(ValueLayout.JAVA_BYTE);
                o.outTag = memory.asSlice(tag[i], CryptoBatch.TAG_BYTES).toArray(ValueLayout.JAVA_BYTE);
            }
        }
    }

    /** The operation completed with what the JDK's AES-GCM gives for it: plaintext of an open, text and tag of a seal. */
    private static void assertDoneAsTheJdkSays(Op o, String what) {
        assertThat(o.status).as(what).isEqualTo(CryptoBatch.STATUS_DONE);
        if (o.open) {
            byte[] both = Arrays.copyOf(o.text, o.text.length + 16);
            System.arraycopy(o.tag, 0, both, o.text.length, 16);
            assertThat(o.outText).as(what).isEqualTo(jdk(false, o.key, o.iv, o.aad, both));
        } else {
            byte[] sealed = jdk(true, o.key, o.iv, o.aad, o.text);
            assertThat(o.outText).as(what).isEqualTo(Arrays.copyOf(sealed, o.text.length));
            assertThat(o.outTag).as(what).isEqualTo(Arrays.copyOfRange(sealed, o.text.length, sealed.length));
        }
    }

    private static byte[] jdk(boolean encrypt, byte[] key, byte[] iv, byte[] aad, byte[] in) {
        return encrypt ? JdkGcm.seal(key, iv, aad, in) : JdkGcm.open(key, iv, aad, in);
    }


    @Test
    void sealsAndOpensThePublishedVectors() {
        List<Op> ops = new ArrayList<>();
        for (GcmVectors.Vector v : GcmVectors.ALL) {
            ops.add(new Op(false, v.key(), v.iv(), v.aad(), v.pt(), null));
            ops.add(new Op(true, v.key(), v.iv(), v.aad(), v.ct(), v.tag()));
        }
        run(ops, OffloadOptions.defaults());
        for (int i = 0; i < GcmVectors.ALL.size(); i++) {
            GcmVectors.Vector v = GcmVectors.ALL.get(i);
            Op seal = ops.get(2 * i);
            Op open = ops.get(2 * i + 1);
            assertThat(seal.status).as(v + " seal").isEqualTo(CryptoBatch.STATUS_DONE);
            assertThat(seal.outText).as(v + " ciphertext").isEqualTo(v.ct());
            assertThat(seal.outTag).as(v + " tag").isEqualTo(v.tag());
            assertThat(open.status).as(v + " open").isEqualTo(CryptoBatch.STATUS_DONE);
            assertThat(open.outText).as(v + " plaintext").isEqualTo(v.pt());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void matchesTheJdkOnRandomVectors(long seed) throws Exception {
        matchesTheJdk(seed, 0);
    }

    @Test
    void matchesTheJdkWithEachTagApartFromItsText() throws Exception {
        matchesTheJdk(4, 7);
    }

    private void matchesTheJdk(long seed, int tagGap) throws Exception {
        Random r = new Random(seed);
        int[] lengths = {0, 1, 15, 16, 17, 31, 32, 33, 64, 100, 1500, 9216, 16384};
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            byte[] key = JdkGcm.bytes(r, r.nextBoolean() ? 16 : 32);
            byte[] iv = JdkGcm.bytes(r, 12);
            byte[] aad = JdkGcm.bytes(r, lengths[r.nextInt(9)]);
            byte[] pt = JdkGcm.bytes(r, lengths[r.nextInt(i % 10 == 0 ? lengths.length : 10)]);
            if (r.nextBoolean()) {
                ops.add(new Op(false, key, iv, aad, pt, null));
            } else {
                byte[] sealed = jdk(true, key, iv, aad, pt);
                ops.add(new Op(true, key, iv, aad, Arrays.copyOf(sealed, pt.length),
                        Arrays.copyOfRange(sealed, pt.length, sealed.length)));
            }
        }
        run(ops, OffloadOptions.defaults().withTraffic(seed, 0.2, 0.3), tagGap);
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            String what = implementation() + " seed " + seed + " tag gap " + tagGap + " op " + i + " " + o;
            assertDoneAsTheJdkSays(o, what);
        }
    }

    /**
     * A text longer than the engine takes (16,384 bytes: what the crypto block buffers for an
     * open, its TOO_LONG) is refused by every implementation alike -- the software stage as the
     * block -- counted as rejected, its memory untouched, and the operations around it run.
     */
    @Test
    void refusesATextLongerThanTheEngineTakesAndRunsTheRest() throws Exception {
        Random r = new Random(1627);
        List<Op> ops = new ArrayList<>();
        int[] lengths = {200, CryptoBatch.MAX_TEXT + 1, 300, CryptoBatch.MAX_TEXT + 1, CryptoBatch.MAX_TEXT};
        for (int i = 0; i < lengths.length; i++) {
            byte[] key = JdkGcm.bytes(r, i % 2 == 0 ? 16 : 32);
            byte[] iv = JdkGcm.bytes(r, 12);
            byte[] aad = JdkGcm.bytes(r, 16);
            byte[] pt = JdkGcm.bytes(r, lengths[i]);
            if (i % 4 == 0 || i == 1) {
                ops.add(new Op(false, key, iv, aad, pt, null));
            } else {
                byte[] sealed = jdk(true, key, iv, aad, pt);
                ops.add(new Op(true, key, iv, aad, Arrays.copyOf(sealed, pt.length),
                        Arrays.copyOfRange(sealed, pt.length, sealed.length)));
            }
        }
        run(ops, OffloadOptions.defaults().withTraffic(1627, 0.1, 0.1));
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            String what = implementation() + " op " + i + " " + o;
            if (o.text.length > CryptoBatch.MAX_TEXT) {
                assertThat(o.status).as(what).isEqualTo(CryptoBatch.STATUS_REJECTED);
                assertThat(o.outText).as(what + ": untouched").isEqualTo(o.text);
                continue;
            }
            assertDoneAsTheJdkSays(o, what);
        }
        assertThat(rejectedAfter).as(implementation() + ": rejected counter").isEqualTo(2);
    }

    @Test
    void refusesTamperedTagsAadsAndCiphertextsWithoutReleasingPlaintext() throws Exception {
        Random r = new Random(77);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] key = JdkGcm.bytes(r, i % 2 == 0 ? 16 : 32);
            byte[] iv = JdkGcm.bytes(r, 12);
            byte[] aad = JdkGcm.bytes(r, 1 + r.nextInt(40));
            byte[] pt = JdkGcm.bytes(r, 1 + r.nextInt(200));
            byte[] sealed = jdk(true, key, iv, aad, pt);
            byte[] ct = Arrays.copyOf(sealed, pt.length);
            byte[] tag = Arrays.copyOfRange(sealed, pt.length, sealed.length);
            switch (i % 3) {
                case 0 -> tag[r.nextInt(16)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> aad[r.nextInt(aad.length)] ^= (byte) (1 << r.nextInt(8));
                default -> ct[r.nextInt(ct.length)] ^= (byte) (1 << r.nextInt(8));
            }
            ops.add(new Op(true, key, iv, aad, ct, tag));
        }
        run(ops, OffloadOptions.defaults().withTraffic(77, 0.1, 0.1));
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            assertThat(o.status).as("op %d %s", i, o).isEqualTo(CryptoBatch.STATUS_AUTH_FAILED);
            assertThat(o.outText).as("op %d: the ciphertext stays, no plaintext released", i).isEqualTo(o.text);
        }
    }

    /**
     * A failed open must say only "failed": were the tag the block computed over the forged input
     * to reach the host, one forged packet would reveal the tag that makes it pass (a tag oracle).
     * The tag each open would have needed comes from the JDK, sealing the plaintext that the
     * forged ciphertext decrypts to under the forged AAD (CTR's keystream does not depend on the
     * text); no 8 bytes of it may appear anywhere in host memory or the descriptor ring.
     */
    @Test
    void aFailedOpenLeavesNoByteOfTheTagItComputedInHostMemory() throws Exception {
        long seed = 1616;
        Random r = new Random(seed);
        List<Op> ops = new ArrayList<>();
        List<byte[]> needed = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] key = JdkGcm.bytes(r, i % 2 == 0 ? 16 : 32);
            byte[] iv = JdkGcm.bytes(r, 12);
            byte[] aad = JdkGcm.bytes(r, 1 + r.nextInt(40));
            byte[] pt = JdkGcm.bytes(r, 1 + r.nextInt(300));
            byte[] sealed = jdk(true, key, iv, aad, pt);
            byte[] ct = Arrays.copyOf(sealed, pt.length);
            byte[] tag = Arrays.copyOfRange(sealed, pt.length, sealed.length);
            switch (i % 3) {
                case 0 -> r.nextBytes(tag); // a guess: shares no 8 bytes with the real tag but by chance
                case 1 -> aad[r.nextInt(aad.length)] ^= (byte) (1 << r.nextInt(8));
                default -> ct[r.nextInt(ct.length)] ^= (byte) (1 << r.nextInt(8));
            }
            byte[] forgedPt = pt.clone();
            for (int b = 0; b < pt.length; b++) {
                forgedPt[b] ^= (byte) (sealed[b] ^ ct[b]);
            }
            byte[] resealed = jdk(true, key, iv, aad, forgedPt);
            needed.add(Arrays.copyOfRange(resealed, pt.length, resealed.length));
            ops.add(new Op(true, key, iv, aad, ct, tag));
        }
        run(ops, OffloadOptions.defaults().withTraffic(seed, 0.1, 0.1));
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            String what = implementation() + " seed " + seed + " op " + i + " " + o;
            assertThat(o.status).as(what).isEqualTo(CryptoBatch.STATUS_AUTH_FAILED);
            assertThat(o.outTag).as(what + ": the forged tag stays as it was").isEqualTo(o.tag);
            for (int w = 0; w + 8 <= 16; w++) {
                byte[] window = Arrays.copyOfRange(needed.get(i), w, w + 8);
                assertThat(indexOf(memoryAfter, window)).as(what + ": bytes %d..%d of the needed tag in host memory", w,
                        w + 7).isEqualTo(-1);
                assertThat(indexOf(ringAfter, window)).as(what + ": bytes %d..%d of the needed tag in the ring", w,
                        w + 7).isEqualTo(-1);
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
