package dev.andromeda.testbed.hw.blocks.gcm;

import dev.andromeda.testbed.hw.kit.KitModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java cycle model of {@code aes_gcm} ({@code emu}) through its driver:
 * published GCM vectors, random vectors against the JDK's AES/GCM/NoPadding,
 * tag failures, back-pressure and throughput. The lockstep test in jni-bridge
 * shows the model equal to the RTL on every output on every cycle, so what
 * holds here holds for the RTL.
 */
class AesGcmModelTest {
    private static final HexFormat HEX = HexFormat.of();

    static KitModel emu() {
        KitModel m = new KitModel(new AesGcmModule());
        m.reset(4);
        return m;
    }

    /** The JDK's seal: ciphertext || tag. */
    static byte[] jdkSeal(byte[] key, byte[] iv, byte[] aad, byte[] pt) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            c.updateAAD(aad);
            return c.doFinal(pt);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] hex(String s) {
        return s.equals("-") ? new byte[0] : HEX.parseHex(s);
    }

    /** A seal job and its JDK answer. */
    record Case(AesGcmDriver.Job job, byte[] expectText, byte[] expectTag, boolean expectOk) {
    }

    static Case seal(Random r, int keyBytes, int aadBytes, int textBytes) {
        byte[] key = bytes(r, keyBytes);
        byte[] iv = bytes(r, 12);
        byte[] aad = bytes(r, aadBytes);
        byte[] pt = bytes(r, textBytes);
        byte[] ct = jdkSeal(key, iv, aad, pt);
        return new Case(new AesGcmDriver.Job(false, key, iv, aad, pt, null), Arrays.copyOf(ct, textBytes),
                Arrays.copyOfRange(ct, textBytes, ct.length), true);
    }

    /** An open job; {@code tamper}: 0 none, 1 tag, 2 AAD, 3 ciphertext. */
    static Case open(Random r, int keyBytes, int aadBytes, int textBytes, int tamper) {
        Case s = seal(r, keyBytes, aadBytes, textBytes);
        AesGcmDriver.Job j = s.job();
        byte[] ct = s.expectText().clone();
        byte[] tag = s.expectTag().clone();
        byte[] aad = j.aad().clone();
        int t = tamper;
        if (t == 2 && aad.length == 0 || t == 3 && ct.length == 0) {
            t = 1;
        }
        switch (t) {
            case 1 -> tag[r.nextInt(16)] ^= (byte) (1 << r.nextInt(8));
            case 2 -> aad[r.nextInt(aad.length)] ^= (byte) (1 << r.nextInt(8));
            case 3 -> ct[r.nextInt(ct.length)] ^= (byte) (1 << r.nextInt(8));
            default -> {
            }
        }
        // An open's result carries no tag, passed or failed: the tag computed over a forged input
        // is the one that would make it pass (GcmTagOracleContract checks every output for it).
        return new Case(new AesGcmDriver.Job(true, j.key(), j.iv(), aad, ct, tag),
                tamper == 0 ? j.text() : null, new byte[16], tamper == 0);
    }

    static AesGcmDriver.Result runAndCheck(List<Case> cases, long seed, double idle, double bp) {
        return runAndCheck(new AesGcmModule(), cases, seed, idle, bp);
    }

    static AesGcmDriver.Result runAndCheck(AesGcmModule block, List<Case> cases, long seed, double idle, double bp) {
        AesGcmDriver.Job[] jobs = cases.stream().map(Case::job).toArray(AesGcmDriver.Job[]::new);
        AesGcmDriver.Result res;
        try (KitModel m = new KitModel(block)) {
            m.reset(4);
            res = new AesGcmDriver(m).run(jobs, seed, idle, bp);
        }
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String what = String.format("seed %d job %d (%s, key %d, aad %d, text %d)", seed, i,
                    c.job().open() ? "open" : "seal", c.job().key().length, c.job().aad().length,
                    c.job().text().length);
            assertThat(res.ok()[i]).as("ok of " + what).isEqualTo(c.expectOk());
            assertThat(res.tag()[i]).as("tag of " + what).isEqualTo(c.expectTag());
            if (c.expectText() == null) {
                assertThat(res.text()[i]).as("no plaintext may leave a failed open: " + what).isNull();
            } else {
                assertThat(res.text()[i]).as("text of " + what).isEqualTo(c.expectText());
            }
        }
        return res;
    }

    @ParameterizedTest(name = "McGrew-Viega test case {0}")
    @CsvSource({
        // case, key, iv, aad, plaintext, ciphertext, tag
        "1, 00000000000000000000000000000000, 000000000000000000000000, -, -, -, 58e2fccefa7e3061367f1d57a4e7455a",
        "2, 00000000000000000000000000000000, 000000000000000000000000, -, 00000000000000000000000000000000, "
            + "0388dace60b6a392f328c2b971b2fe78, ab6e47d42cec13bdf53a67b21257bddf",
        "3, feffe9928665731c6d6a8f9467308308, cafebabefacedbaddecaf888, -, "
            + "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
            + "b16aedf5aa0de657ba637b391aafd255, "
            + "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05"
            + "1ba30b396a0aac973d58e091473f5985, 4d5c2af327cd64a62cf35abd2ba6fab4",
        "4, feffe9928665731c6d6a8f9467308308, cafebabefacedbaddecaf888, feedfacedeadbeeffeedfacedeadbeefabaddad2, "
            + "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
            + "b16aedf5aa0de657ba637b39, "
            + "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05"
            + "1ba30b396a0aac973d58e091, 5bc94fbc3221a5db94fae95ae7121a47",
        "13, 0000000000000000000000000000000000000000000000000000000000000000, 000000000000000000000000, -, -, -, "
            + "530f8afbc74536b9a963b4f1c4cb738b",
        "14, 0000000000000000000000000000000000000000000000000000000000000000, 000000000000000000000000, -, "
            + "00000000000000000000000000000000, cea7403d4d606b6e074ec5d3baf39d18, d0d1c8a799996bf0265b98b5d48ab919",
        "15, feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308, cafebabefacedbaddecaf888, -, "
            + "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
            + "b16aedf5aa0de657ba637b391aafd255, "
            + "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838"
            + "c5f61e6393ba7a0abcc9f662898015ad, b094dac5d93471bdec1a502270e3cc6c",
        "16, feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308, cafebabefacedbaddecaf888, "
            + "feedfacedeadbeeffeedfacedeadbeefabaddad2, "
            + "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
            + "b16aedf5aa0de657ba637b39, "
            + "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838"
            + "c5f61e6393ba7a0abcc9f662, 76fc6ece0f4e1768cddf8853bb2d551b",
    })
    void publishedVectors(int tc, String key, String iv, String aad, String pt, String ct, String tag) {
        byte[] k = hex(key);
        byte[] n = hex(iv);
        byte[] a = hex(aad);
        byte[] p = hex(pt);
        byte[] c = hex(ct);
        byte[] t = hex(tag);
        List<Case> cases = List.of(
                new Case(new AesGcmDriver.Job(false, k, n, a, p, null), c, t, true),
                new Case(new AesGcmDriver.Job(true, k, n, a, c, t), p, new byte[16], true));
        runAndCheck(cases, tc, 0, 0);
    }

    @Test
    void randomVectorsMatchTheJdk() {
        long seed = 20_240_601;
        Random r = new Random(seed);
        int[] texts = {0, 1, 15, 16, 17, 31, 32, 33, 64, 1500, 9216, 16384};
        int[] aads = {0, 1, 8, 15, 16, 17, 31, 32, 33, 64, 1500};
        List<Case> cases = new ArrayList<>();
        for (int keyBytes : new int[] {16, 32}) {
            for (int t : texts) {
                int a = aads[r.nextInt(aads.length)];
                cases.add(seal(r, keyBytes, a, t));
                cases.add(open(r, keyBytes, a, t, 0));
            }
            for (int a : aads) {
                cases.add(seal(r, keyBytes, a, texts[r.nextInt(8)]));
            }
        }
        runAndCheck(cases, seed, 0, 0);
    }

    @Test
    void sealThenOpenRoundTrips() {
        long seed = 77;
        Random r = new Random(seed);
        List<AesGcmDriver.Job> seals = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            seals.add(new AesGcmDriver.Job(false, bytes(r, r.nextBoolean() ? 16 : 32), bytes(r, 12),
                    bytes(r, r.nextInt(40)), bytes(r, r.nextInt(600)), null));
        }
        AesGcmDriver.Result sealed;
        try (KitModel m = emu()) {
            sealed = new AesGcmDriver(m).run(seals.toArray(AesGcmDriver.Job[]::new), seed, 0.1, 0.1);
        }
        AesGcmDriver.Job[] opens = new AesGcmDriver.Job[seals.size()];
        for (int i = 0; i < opens.length; i++) {
            AesGcmDriver.Job s = seals.get(i);
            opens[i] = new AesGcmDriver.Job(true, s.key(), s.iv(), s.aad(), sealed.text()[i], sealed.tag()[i]);
        }
        AesGcmDriver.Result opened;
        try (KitModel m = emu()) {
            opened = new AesGcmDriver(m).run(opens, seed + 1, 0.1, 0.1);
        }
        for (int i = 0; i < opens.length; i++) {
            assertThat(opened.ok()[i]).as("seed %d job %d", seed, i).isTrue();
            assertThat(opened.text()[i]).as("seed %d job %d", seed, i).isEqualTo(seals.get(i).text());
            assertThat(opened.tag()[i]).as("seed %d job %d: an open's result carries no tag", seed, i)
                    .isEqualTo(new byte[16]);
        }
    }

    @Test
    void tamperedTagAadOrCiphertextFailsAndReleasesNoPlaintext() {
        long seed = 4242;
        Random r = new Random(seed);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int tamper = i % 4;
            cases.add(open(r, r.nextBoolean() ? 16 : 32, 1 + r.nextInt(50), r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(300),
                    tamper));
            if (i % 5 == 0) {
                cases.add(seal(r, 16, r.nextInt(20), r.nextInt(100)));
            }
        }
        runAndCheck(cases, seed, 0.2, 0.3);
    }

    @Test
    void randomBackPressureAndIdleCyclesLoseNothing() {
        for (long seed = 1; seed <= 3; seed++) {
            Random r = new Random(seed);
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int keyBytes = r.nextBoolean() ? 16 : 32;
                int aad = r.nextInt(4) == 0 ? 0 : r.nextInt(70);
                int text = r.nextInt(10) == 0 ? r.nextInt(9217) : r.nextInt(400);
                cases.add(switch (r.nextInt(3)) {
                    case 0 -> seal(r, keyBytes, aad, text);
                    case 1 -> open(r, keyBytes, aad, text, 0);
                    default -> open(r, keyBytes, aad, text, 1 + r.nextInt(3));
                });
            }
            runAndCheck(cases, seed, 0.3, 0.5);
        }
    }

    /**
     * Every GHASH digit width the RTL takes gives the JDK's tags: the digit-serial multiply
     * is the same product in 2, 4, 8 or 16 steps, including a multiply a back-pressured
     * stream leaves waiting in the slot.
     */
    @ParameterizedTest(name = "GHASH_DIGIT_BITS {0}")
    @CsvSource({"8", "16", "32", "64"})
    void everyGhashDigitWidthGivesTheJdksTags(int digitBits) {
        long seed = 600 + digitBits;
        Random r = new Random(seed);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int keyBytes = r.nextBoolean() ? 16 : 32;
            int aad = r.nextInt(4) == 0 ? 0 : r.nextInt(70);
            int text = r.nextInt(300);
            cases.add(switch (i % 3) {
                case 0 -> seal(r, keyBytes, aad, text);
                case 1 -> open(r, keyBytes, aad, text, 0);
                default -> open(r, keyBytes, aad, text, 1 + r.nextInt(3));
            });
        }
        runAndCheck(new AesGcmModule(digitBits, AesGcmModule.DEFAULT_MAX_TEXT_BYTES), cases, seed, 0.2, 0.3);
    }

    @Test
    void sustainsAtLeastFourBytesPerCycleOnLongMessages() {
        Random r = new Random(9);
        for (int keyBytes : new int[] {16, 32}) {
            // One long seal: everything counted, key expansion and tag included.
            AesGcmDriver.Result one = runAndCheck(List.of(seal(r, keyBytes, 0, 16384)), 9, 0, 0);
            double sealRate = 16384.0 / one.cycles();
            assertThat(sealRate).as("seal bytes/cycle, AES-%d, seed 9", 8 * keyBytes).isGreaterThanOrEqualTo(4.0);
            // Back-to-back opens: each plaintext drains while the next command runs.
            List<Case> opens = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                opens.add(open(r, keyBytes, 16, 9216, 0));
            }
            AesGcmDriver.Result many = runAndCheck(opens, 9, 0, 0);
            double openRate = 8 * 9216.0 / many.cycles();
            assertThat(openRate).as("open bytes/cycle, AES-%d, seed 9", 8 * keyBytes).isGreaterThanOrEqualTo(4.0);
            System.out.printf("aes_gcm emu AES-%d: seal 16384 B in %d cycles (%.2f B/cycle); 8 opens of 9216 B in %d"
                    + " cycles (%.2f B/cycle)%n", 8 * keyBytes, one.cycles(), sealRate, many.cycles(), openRate);
        }
    }

    @Test
    void driverRejectsWhatTheBlockCannotTake() {
        AesGcmDriver.Job[] bad = {
            new AesGcmDriver.Job(false, new byte[24], new byte[12], new byte[0], new byte[0], null),
            new AesGcmDriver.Job(false, new byte[16], new byte[16], new byte[0], new byte[0], null),
            new AesGcmDriver.Job(true, new byte[16], new byte[12], new byte[0], new byte[0], new byte[12]),
            new AesGcmDriver.Job(true, new byte[16], new byte[12], new byte[0], new byte[0], null),
            new AesGcmDriver.Job(false, new byte[16], new byte[12], new byte[0], new byte[65536], null),
            new AesGcmDriver.Job(false, new byte[32], new byte[12], new byte[65536], new byte[0], null),
        };
        try (KitModel m = emu()) {
            AesGcmDriver d = new AesGcmDriver(m);
            for (AesGcmDriver.Job j : bad) {
                assertThatThrownBy(() -> d.run(new AesGcmDriver.Job[] {j}, 1, 0, 0))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }
}
