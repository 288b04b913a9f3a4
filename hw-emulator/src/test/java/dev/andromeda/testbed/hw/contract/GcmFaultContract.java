package dev.andromeda.testbed.hw.contract;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmDriver;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmDriver.Framing;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmModule;
import dev.andromeda.testbed.hw.driver.BusAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code aes_gcm}'s refusals, the same cases on every hardware backend ({@code emu},
 * {@code rtl-jni}, {@code rtl-ffm}), driven straight through {@link AesGcmDriver} so the
 * descriptor validation of the fast path does not hide them: opens longer than MAX_TEXT_BYTES
 * (TOO_LONG), and AAD or text streams whose tlast comes early or late against the command's
 * length, with a partial tkeep before the last beat, or with a last-beat tkeep the length does not
 * give (BAD_FRAMING) -- each followed by good commands. The driver's cycle limit fails a run that
 * hangs (as the block did before it refused: an over-long open filled its buffer and stalled);
 * its protocol checkers fail a broken handshake.
 *
 * <p>Oracles, written apart from the block: the status each job must end with follows from its
 * own fields alone ({@link #expectedStatus}); a good job must give what the JDK's
 * {@code AES/GCM/NoPadding} gives; a refused one reports ok = 0, a zero tag and no text; a
 * refused seal whose ciphertext had begun to leave closes its frame with exactly one tuser beat;
 * err_count equals the number of refusals.
 */
public abstract class GcmFaultContract {
    private static final int MAX = AesGcmModule.DEFAULT_MAX_TEXT_BYTES;

    /** The backend under test: emu, rtl-jni or rtl-ffm. */
    protected abstract String backend();

    private HardwareModel open() {
        return Backends.open(backend(), AesGcmModule.BLOCK);
    }

    private static int beats(int bytes) {
        return (bytes + 7) / 8;
    }

    /** Index of the first beat of a stream that breaks its command's framing, or -1. */
    static int firstBadBeat(int commandLength, int dataLength, int shortBeat) {
        int bad = Integer.MAX_VALUE;
        if (shortBeat >= 0 && shortBeat < beats(dataLength)) {
            bad = shortBeat;
        }
        if (commandLength != dataLength) {
            // tlast early, tlast missing at the expected last, or a last tkeep for another length
            bad = Math.min(bad, Math.min(beats(commandLength), beats(dataLength)) - 1);
        }
        return bad == Integer.MAX_VALUE ? -1 : bad;
    }

    /** The status the oracle expects of a job, from its own fields alone. */
    public static int expectedStatus(AesGcmDriver.Job j) {
        if (j.open() && j.commandTextLength() > MAX) {
            return AesGcmModule.STATUS_TOO_LONG; // refused when the command is taken, before any beat
        }
        Framing f = j.framing();
        if (firstBadBeat(j.commandAadLength(), j.aad().length, f.aadShortBeat()) >= 0
                || firstBadBeat(j.commandTextLength(), j.text().length, f.textShortBeat()) >= 0) {
            return AesGcmModule.STATUS_BAD_FRAMING;
        }
        return AesGcmModule.STATUS_OK;
    }

    /** Whether a refused seal had let some ciphertext out (so its frame is closed with tuser). */
    public static boolean sealBegunBeforeRefusal(AesGcmDriver.Job j) {
        Framing f = j.framing();
        return !j.open() && firstBadBeat(j.commandAadLength(), j.aad().length, f.aadShortBeat()) < 0
                && firstBadBeat(j.commandTextLength(), j.text().length, f.textShortBeat()) > 0;
    }

    /** A job and what the JDK says it must give when it is not refused. */
    public record Case(AesGcmDriver.Job job, byte[] text, byte[] tag) {
    }

    /** A good seal or open (good tag, or one bit of it flipped) with the JDK's answer. */
    public static Case good(Random r) throws Exception {
        byte[] key = JdkGcm.bytes(r, r.nextBoolean() ? 16 : 32);
        byte[] iv = JdkGcm.bytes(r, 12);
        byte[] aad = JdkGcm.bytes(r, r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(40));
        byte[] pt = JdkGcm.bytes(r, r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(r.nextInt(8) == 0 ? 3000 : 100));
        byte[] sealed = JdkGcm.seal(key, iv, aad, pt);
        byte[] ct = Arrays.copyOf(sealed, pt.length);
        byte[] tag = Arrays.copyOfRange(sealed, pt.length, sealed.length);
        return switch (r.nextInt(3)) {
            case 0 -> new Case(new AesGcmDriver.Job(false, key, iv, aad, pt, null), ct, tag);
            case 1 -> new Case(new AesGcmDriver.Job(true, key, iv, aad, ct, tag), pt, null);
            default -> {
                byte[] bad = tag.clone();
                bad[r.nextInt(16)] ^= (byte) (1 << r.nextInt(8));
                yield new Case(new AesGcmDriver.Job(true, key, iv, aad, ct, bad), null, null); // fails its tag
            }
        };
    }

    /**
     * A job the block must refuse, of fault kind {@code kind} (0..8); its streams and key are
     * random, and the stream a fault is on is never empty (a zero-length stream has no beats, so
     * an extra or missing frame could not be told from the next command's).
     */
    public static AesGcmDriver.Job bad(Random r, int kind) {
        boolean open = r.nextBoolean();
        byte[] key = JdkGcm.bytes(r, r.nextBoolean() ? 16 : 32);
        byte[] iv = JdkGcm.bytes(r, 12);
        byte[] tag = open ? JdkGcm.bytes(r, 16) : null;
        if (kind == 0) { // an open longer than the block can buffer; some past 32 KiB, one at the 16-bit top
            int len = switch (r.nextInt(3)) {
                case 0 -> MAX + 1 + r.nextInt(16);
                case 1 -> MAX + 1 + r.nextInt(65535 - MAX);
                default -> 65535;
            };
            byte[] aad = JdkGcm.bytes(r, r.nextBoolean() ? 0 : 1 + r.nextInt(64));
            return new AesGcmDriver.Job(true, key, iv, aad, JdkGcm.bytes(r, len), JdkGcm.bytes(r, 16));
        }
        boolean onText = kind <= 4;
        byte[] data = JdkGcm.bytes(r, 1 + r.nextInt(r.nextBoolean() ? 40 : 600));
        byte[] other = JdkGcm.bytes(r, r.nextBoolean() ? 0 : 1 + r.nextInt(100));
        int n = data.length;
        int cmd = n;
        int shortBeat = -1;
        switch (kind % 4) {
            case 1 -> cmd = n + 8 * (1 + r.nextInt(4)) + r.nextInt(8);          // tlast early
            case 2 -> {                                                          // tlast late
                if (n <= 8) {
                    data = JdkGcm.bytes(r, 9 + r.nextInt(40));
                    n = data.length;
                }
                cmd = 1 + r.nextInt(8 * (beats(n) - 1));
            }
            case 3 -> {                                                          // a partial beat before the last
                if (n <= 8) {
                    data = JdkGcm.bytes(r, 9 + r.nextInt(200));
                    n = data.length;
                }
                cmd = n;
                shortBeat = r.nextInt(beats(n) - 1);
            }
            default -> {                                                         // last tkeep for another length
                int lastBytes = n - 8 * (beats(n) - 1);
                int other2 = 1 + (lastBytes + r.nextInt(7)) % 8;                 // 1..8, not lastBytes
                cmd = n - lastBytes + other2;
                if (r.nextInt(4) == 0) {
                    cmd = n;
                    shortBeat = beats(n) - 1;                                    // or the last beat's tkeep cut
                }
            }
        }
        Framing f = onText ? new Framing(-1, cmd, -1, shortBeat) : new Framing(cmd, -1, shortBeat, -1);
        byte[] aad = onText ? other : data;
        byte[] text = onText ? data : other;
        return new AesGcmDriver.Job(open, key, iv, aad, text, tag, f);
    }

    /** Counts the tuser beats that leave m_text (the closing beats of refused seals). */
    private static final class TuserCounter implements BusAgent {
        private final HardwareModel model;
        private final int valid;
        private final int ready;
        private final int user;
        long beats;

        TuserCounter(HardwareModel model) {
            this.model = model;
            this.valid = model.port("m_text_tvalid");
            this.ready = model.port("m_text_tready");
            this.user = model.port("m_text_tuser");
        }

        @Override
        public void beforeEdge(long cycle) {
            if (model.get(valid) != 0 && model.get(ready) != 0 && model.get(user) != 0) {
                beats++;
            }
        }
    }

    /** Runs the cases and checks every result against the oracles. */
    /** @return how many refused seals closed their frame with tuser */
    private long runAndCheck(List<AesGcmDriver.Job> jobs, List<Case> goods, long seed, double stall, String what) {
        try (HardwareModel model = open()) {
            TuserCounter tuser = new TuserCounter(model);
            AesGcmDriver.Job[] js = jobs.toArray(AesGcmDriver.Job[]::new);
            AesGcmDriver.Result res = new AesGcmDriver(model).run(js, seed, stall, stall, tuser);
            int refused = 0;
            int closed = 0;
            int g = 0;
            for (int i = 0; i < js.length; i++) {
                AesGcmDriver.Job j = js[i];
                int want = expectedStatus(j);
                String job = what + ": job " + i + " (" + (j.open() ? "open" : "seal") + " aad " + j.aad().length
                        + " text " + j.text().length + " " + j.framing() + ")";
                assertThat(res.status()[i]).as(job + " status").isEqualTo(want);
                if (want != AesGcmModule.STATUS_OK) {
                    refused++;
                    closed += sealBegunBeforeRefusal(j) && want == AesGcmModule.STATUS_BAD_FRAMING ? 1 : 0;
                    assertThat(res.ok()[i]).as(job + " refused: ok").isFalse();
                    assertThat(res.tag()[i]).as(job + " refused: tag").isEqualTo(new byte[16]);
                    assertThat(res.text()[i]).as(job + " refused: text").isNull();
                    continue;
                }
                Case c = goods.get(g++);
                assertThat(c.job()).isSameAs(j);
                if (j.open()) {
                    assertThat(res.ok()[i]).as(job + " ok").isEqualTo(c.text() != null);
                    assertThat(res.text()[i]).as(job + " plaintext").isEqualTo(c.text());
                    assertThat(res.tag()[i]).as(job + " open: tag").isEqualTo(new byte[16]);
                } else {
                    assertThat(res.ok()[i]).as(job + " ok").isTrue();
                    assertThat(res.text()[i]).as(job + " ciphertext").isEqualTo(c.text());
                    assertThat(res.tag()[i]).as(job + " tag").isEqualTo(c.tag());
                }
            }
            assertThat(res.errCount()).as(what + ": err_count").isEqualTo(refused);
            assertThat(tuser.beats).as(what + ": refused seals' frames closed with tuser").isEqualTo(closed);
            return closed;
        }
    }

    @ParameterizedTest(name = "seed {0}: stall {1}")
    @CsvSource({"1621, 0.0", "1622, 0.3", "1623, 0.5"})
    void refusesEachBadCommandWithAStatusAndRunsTheNext(long seed, double stall) throws Exception {
        Random r = new Random(seed);
        List<AesGcmDriver.Job> jobs = new ArrayList<>();
        List<Case> goods = new ArrayList<>();
        int refusals = 0;
        for (int round = 0; round < 3; round++) {
            for (int kind = 0; kind <= 8; kind++) {
                if (kind == 0 && round > 0) {
                    continue; // one over-long open a run is enough: it is 2,000-8,000 beats
                }
                AesGcmDriver.Job b = bad(r, kind);
                assertThat(expectedStatus(b)).as("seed %d kind %d: the test injects a fault", seed, kind)
                        .isNotEqualTo(AesGcmModule.STATUS_OK);
                jobs.add(b);
                refusals++;
                for (int k = 1 + r.nextInt(2); k > 0; k--) {
                    Case c = good(r);
                    jobs.add(c.job());
                    goods.add(c);
                }
            }
        }
        assertThat(refusals).isGreaterThan(20);
        long closed = runAndCheck(jobs, goods, seed, stall, backend() + " seed " + seed);
        assertThat(closed).as("seed %d: some refused seals had begun to send ciphertext", seed).isPositive();
    }

    @Test
    void anOpenLongerThanTheBufferIsRefusedAtOnceAndTheNextRuns() throws Exception {
        Random r = new Random(1624);
        List<AesGcmDriver.Job> jobs = new ArrayList<>();
        List<Case> goods = new ArrayList<>();
        jobs.add(new AesGcmDriver.Job(true, JdkGcm.bytes(r, 16), JdkGcm.bytes(r, 12), JdkGcm.bytes(r, 16), JdkGcm.bytes(r, MAX + 1), JdkGcm.bytes(r, 16)));
        jobs.add(new AesGcmDriver.Job(true, JdkGcm.bytes(r, 32), JdkGcm.bytes(r, 12), new byte[0], JdkGcm.bytes(r, 65535), JdkGcm.bytes(r, 16)));
        for (int k = 0; k < 3; k++) {
            Case c = good(r);
            jobs.add(c.job());
            goods.add(c);
        }
        // The largest open that fits is not refused.
        byte[] key = JdkGcm.bytes(r, 16);
        byte[] iv = JdkGcm.bytes(r, 12);
        byte[] pt = JdkGcm.bytes(r, MAX);
        byte[] sealed = JdkGcm.seal(key, iv, new byte[0], pt);
        Case full = new Case(new AesGcmDriver.Job(true, key, iv, new byte[0], Arrays.copyOf(sealed, MAX),
                Arrays.copyOfRange(sealed, MAX, sealed.length)), pt, null);
        jobs.add(full.job());
        goods.add(full);
        runAndCheck(jobs, goods, 1624, 0.1, backend() + " over-long opens");
    }

    @Test
    void aRefusalTakesOneCycleABeatOfItsLongestStream() {
        Random r = new Random(1625);
        // A lone over-long open of 20,000 bytes (2,500 text beats): refused when its command is
        // taken, drained at a beat a cycle, no stalls.
        AesGcmDriver.Job tooLong = new AesGcmDriver.Job(true, JdkGcm.bytes(r, 16), JdkGcm.bytes(r, 12), JdkGcm.bytes(r, 16),
                JdkGcm.bytes(r, 20_000), JdkGcm.bytes(r, 16));
        // A seal whose tlast comes 100 beats early: 100 beats, then its result.
        AesGcmDriver.Job early = new AesGcmDriver.Job(false, JdkGcm.bytes(r, 16), JdkGcm.bytes(r, 12), new byte[0],
                JdkGcm.bytes(r, 800), null, new Framing(-1, 1600, -1, -1));
        try (HardwareModel model = open()) {
            AesGcmDriver.Result a = new AesGcmDriver(model).run(new AesGcmDriver.Job[] {tooLong}, 1, 0, 0);
            AesGcmDriver.Result b = new AesGcmDriver(model).run(new AesGcmDriver.Job[] {early}, 1, 0, 0);
            System.out.printf("%s refusal latency: too long (2,500 beats) %d cycles; tlast early after 100 beats %d"
                    + " cycles%n", backend(), a.latencyCycles()[0], b.latencyCycles()[0]);
            assertThat(a.status()[0]).isEqualTo(AesGcmModule.STATUS_TOO_LONG);
            assertThat(b.status()[0]).isEqualTo(AesGcmModule.STATUS_BAD_FRAMING);
            assertThat(a.latencyCycles()[0]).as("too long: cycles from command to result").isBetween(2500L, 2510L);
            assertThat(b.latencyCycles()[0]).as("tlast early: cycles from command to result").isBetween(100L, 150L);
            assertThat(b.errCount()).isEqualTo(2);
        }
    }
}
