package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmDriver;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmModule;
import dev.andromeda.testbed.hw.contract.JdkGcm;
import dev.andromeda.testbed.hw.kit.KitModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code aes_gcm} simulated at other parameters than its defaults, on both RTL bridges, against the
 * default's oracle (the JDK's {@code AES/GCM/NoPadding}, {@link JdkGcm}). Its streams are fixed at
 * 64 bits (a DATA_WIDTH would be a new block: at 128 bits a block a beat, faster than any
 * GHASH_DIGIT_BITS the multiplier has), so what varies is what it has: {@code GHASH_DIGIT_BITS}
 * (16: a 16-byte block in 8 cycles instead of 2) and {@code MAX_TEXT_BYTES} (2048: an open longer
 * than that is refused, a seal is not). Each run is also held to the Java model built at the same
 * parameters: the same cycles and latencies, job by job (the lockstep test covers the defaults
 * cycle by cycle).
 */
class AesGcmParameterTest {

    private static HardwareModel open(String backend, int digitBits, int maxText) {
        if (digitBits == AesGcmModule.DEFAULT_GHASH_DIGIT_BITS && maxText == AesGcmModule.DEFAULT_MAX_TEXT_BYTES) {
            return ParameterizedModels.open(backend, AesGcmModule.BLOCK);
        }
        return ParameterizedModels.open(backend, AesGcmModule.BLOCK, "GHASH_DIGIT_BITS=" + digitBits,
                "MAX_TEXT_BYTES=" + maxText);
    }

    private record Case(AesGcmDriver.Job job, byte[] text, byte[] tag, boolean ok, int status) {
    }

    private static Case seal(Random r, int keyBytes, int aad, int text) {
        byte[] key = JdkGcm.bytes(r, keyBytes);
        byte[] iv = JdkGcm.bytes(r, 12);
        byte[] a = JdkGcm.bytes(r, aad);
        byte[] pt = JdkGcm.bytes(r, text);
        byte[] sealed = JdkGcm.seal(key, iv, a, pt);
        return new Case(new AesGcmDriver.Job(false, key, iv, a, pt, null), Arrays.copyOf(sealed, text),
                Arrays.copyOfRange(sealed, text, sealed.length), true, AesGcmModule.STATUS_OK);
    }

    /** An open of a fresh seal; tampered: one bit of its tag flipped (the tag check must fail). */
    private static Case open(Random r, int keyBytes, int aad, int text, boolean tampered, int maxText) {
        Case s = seal(r, keyBytes, aad, text);
        byte[] tag = s.tag().clone();
        if (tampered) {
            tag[r.nextInt(16)] ^= (byte) (1 << r.nextInt(8));
        }
        AesGcmDriver.Job j = new AesGcmDriver.Job(true, s.job().key(), s.job().iv(), s.job().aad(), s.text(), tag);
        if (text > maxText) {
            return new Case(j, null, new byte[16], false, AesGcmModule.STATUS_TOO_LONG);
        }
        return new Case(j, tampered ? null : s.job().text(), new byte[16], !tampered, AesGcmModule.STATUS_OK);
    }

    private static AesGcmDriver.Result runAndCheck(String backend, int digitBits, int maxText, List<Case> cases,
                                                   long seed, double idle, double bp) {
        AesGcmDriver.Job[] jobs = cases.stream().map(Case::job).toArray(AesGcmDriver.Job[]::new);
        AesGcmDriver.Result res;
        try (HardwareModel m = open(backend, digitBits, maxText)) {
            res = new AesGcmDriver(m).run(jobs, seed, idle, bp);
        }
        String tag = backend + " GHASH_DIGIT_BITS " + digitBits + " MAX_TEXT_BYTES " + maxText + " seed " + seed;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String what = String.format("%s job %d (%s, key %d, aad %d, text %d)", tag, i,
                    c.job().open() ? "open" : "seal", c.job().key().length, c.job().aad().length,
                    c.job().text().length);
            assertThat(res.status()[i]).as("status of " + what).isEqualTo(c.status());
            assertThat(res.ok()[i]).as("ok of " + what).isEqualTo(c.ok());
            assertThat(res.tag()[i]).as("tag of " + what).isEqualTo(c.tag());
            if (c.text() == null) {
                assertThat(res.text()[i]).as("no plaintext may leave a failed or refused open: " + what).isNull();
            } else {
                assertThat(res.text()[i]).as("text of " + what).isEqualTo(c.text());
            }
        }
        // The Java model at the same parameters takes exactly as long, job by job.
        AesGcmDriver.Result emu;
        try (KitModel m = new KitModel(new AesGcmModule(digitBits, maxText))) {
            m.reset(RtlBackend.RESET_CYCLES);
            emu = new AesGcmDriver(m).run(jobs, seed, idle, bp);
        }
        assertThat(res.cycles()).as("cycles against emu, %s", tag).isEqualTo(emu.cycles());
        assertThat(res.latencyCycles()).as("latencies against emu, %s", tag).isEqualTo(emu.latencyCycles());
        return res;
    }

    @ParameterizedTest(name = "{0}, GHASH_DIGIT_BITS {1}, MAX_TEXT_BYTES {2}, seed {3}")
    @CsvSource({
        "rtl-ffm, 16, 2048, 161", "rtl-jni, 16, 2048, 162",
        "rtl-ffm, 64, 16384, 641", "rtl-jni, 64, 16384, 642"})
    void sealsAndOpensAsTheJdk(String backend, int digitBits, int maxText, long seed) {
        Random r = new Random(seed);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int keyBytes = r.nextBoolean() ? 16 : 32;
            int aad = r.nextInt(4) == 0 ? 0 : r.nextInt(70);
            int[] short_ = {0, 1, 15, 16, 17, 31, 33, 63, 65};
            int text = r.nextBoolean() ? short_[r.nextInt(short_.length)] : 1 + 2 * r.nextInt(maxText / 4);
            cases.add(r.nextBoolean() ? seal(r, keyBytes, aad, text)
                    : open(r, keyBytes, aad, text, r.nextInt(4) == 0, maxText));
        }
        // At the buffer's edge: an open of exactly MAX_TEXT_BYTES runs, one byte more is refused,
        // and a seal longer than the buffer streams (it is not limited by it).
        cases.add(open(r, 16, 13, maxText, false, maxText));
        cases.add(open(r, 32, 0, maxText + 1, false, maxText));
        cases.add(seal(r, 16, 5, maxText + 7));
        cases.add(open(r, 16, 20, 1 + r.nextInt(200), false, maxText));
        AesGcmDriver.Result res = runAndCheck(backend, digitBits, maxText, cases, seed, 0.2, 0.3);
        assertThat(res.errCount()).as("err_count: the one over-long open").isEqualTo(1);
    }

    /**
     * Text bytes per cycle, no idle cycles, no back-pressure (cycle counts, not wall time). A
     * 16-byte block takes 128 / GHASH_DIGIT_BITS cycles of the multiplier and 2 beats of the
     * 64-bit streams, so the rate is the lower of GHASH_DIGIT_BITS / 8 and 8 bytes a cycle.
     */
    @ParameterizedTest(name = "{0}, GHASH_DIGIT_BITS {1}, MAX_TEXT_BYTES {2}, {3}")
    @CsvSource({
        "rtl-ffm, 16, 2048, seal", "rtl-ffm, 16, 2048, open", "rtl-jni, 16, 2048, seal",
        "rtl-ffm, 64, 16384, seal", "rtl-ffm, 64, 16384, open"})
    void textRateFollowsTheDigit(String backend, int digitBits, int maxText, String op) {
        long seed = 100L + digitBits;
        Random r = new Random(seed);
        int text = op.equals("seal") ? 16384 : 1500;
        int jobs = op.equals("seal") ? 1 : 32;
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            cases.add(op.equals("seal") ? seal(r, 16, 16, text) : open(r, 16, 16, text, false, maxText));
        }
        AesGcmDriver.Result res = runAndCheck(backend, digitBits, maxText, cases, seed, 0, 0);
        double rate = (double) jobs * text / res.cycles();
        System.out.printf("aes_gcm parameters | %s | GHASH_DIGIT_BITS %d | MAX_TEXT_BYTES %d | %d x %s %d B"
                + " | %d cycles | %.2f B/cycle%n", backend, digitBits, maxText, jobs, op, text, res.cycles(), rate);
        double bound = Math.min(8.0, digitBits / 8.0);
        // The per-command overhead (~31 cycles for AES-128 and 16 bytes of AAD, the datasheet's)
        // weighs on a 1,500-byte open: 6.67 B/cycle at the defaults.
        assertThat(rate).as("B/cycle, %s GHASH_DIGIT_BITS %d %s", backend, digitBits, op)
                .isGreaterThanOrEqualTo((op.equals("seal") ? 0.95 : 0.8) * bound).isLessThanOrEqualTo(bound);
    }
}
