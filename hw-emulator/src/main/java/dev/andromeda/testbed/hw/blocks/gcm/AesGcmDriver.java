package dev.andromeda.testbed.hw.blocks.gcm;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.BusAgent;
import dev.andromeda.testbed.hw.driver.Channel;
import dev.andromeda.testbed.hw.driver.StreamProtocolChecker;
import dev.andromeda.testbed.hw.driver.Testbench;
import dev.andromeda.testbed.hw.driver.ValidReadySink;
import dev.andromeda.testbed.hw.driver.ValidReadySource;

/**
 * Bus-functional driver of {@code aes_gcm} on any {@link HardwareModel}: offers
 * every job's command, key, IV, AAD, text and (open) tag on their channels at
 * once, takes the text and results back, under seeded random idle cycles and
 * back-pressure, with protocol checkers on every channel. It also checks the
 * block's ordering promises: for a seal no ciphertext after its result, for an
 * open no plaintext before its result and none at all when the tag failed or
 * the command was refused; a refused seal's ciphertext, if any left, closed by
 * an empty beat with tuser set before its result.
 *
 * <p>A job may carry a {@link Framing} fault: its command claims other lengths
 * than its AAD and text streams have, or a beat goes in with a partial tkeep.
 * The block must refuse such a job with {@link AesGcmModule#STATUS_BAD_FRAMING}
 * and run the next; an open longer than the block's MAX_TEXT_BYTES it must
 * refuse with {@link AesGcmModule#STATUS_TOO_LONG}. The driver sends what the
 * job says and reports the statuses; it never hides a refusal.
 *
 * <p>Beats carry byte 0 in lane 0 (tdata[7:0]): a full beat is 8 bytes read
 * as a little-endian long.
 */
public final class AesGcmDriver {
    /** Largest text or AAD a command can name (16-bit lengths); an open's limit is the block's MAX_TEXT_BYTES. */
    public static final int MAX_COMMAND_BYTES = 65535;

    /**
     * Fault injection on a job's streams: what its command claims and how its beats are kept.
     *
     * @param aadLength     the AAD length the command names, or -1 for the AAD's own
     * @param textLength    the text length the command names, or -1 for the text's own
     * @param aadShortBeat  an AAD beat sent with its top kept lane cleared (a partial tkeep), or -1
     * @param textShortBeat the same on the text stream, or -1
     */
    public record Framing(int aadLength, int textLength, int aadShortBeat, int textShortBeat) {
        /** Well-framed: the command's lengths are the streams' own, every tkeep as it should be. */
        public static final Framing NONE = new Framing(-1, -1, -1, -1);
    }

    /**
     * One operation: seal (encrypt + tag) or open (decrypt + check tag; {@code tag} null for seal).
     *
     * @param framing {@link Framing#NONE}, or a fault the block must refuse
     */
    public record Job(boolean open, byte[] key, byte[] iv, byte[] aad, byte[] text, byte[] tag, Framing framing) {
        /** A well-framed job. */
        public Job(boolean open, byte[] key, byte[] iv, byte[] aad, byte[] text, byte[] tag) {
            this(open, key, iv, aad, text, tag, Framing.NONE);
        }

        /** The AAD length the command names. */
        public int commandAadLength() {
            return framing.aadLength() >= 0 ? framing.aadLength() : aad.length;
        }

        /** The text length the command names. */
        public int commandTextLength() {
            return framing.textLength() >= 0 ? framing.textLength() : text.length;
        }
    }

    /**
     * What the block returned, by job index.
     *
     * @param text          ciphertext (seal) or plaintext (open); null when the tag failed or the job was refused
     * @param tag           seal: the computed tag; open and refused: the block's tag fields (zero), 16 bytes
     * @param ok            seal: true; open: the tag matched; refused: false
     * @param latencyCycles cycles from the job's command offered to its result taken
     * @param cycles        cycles the whole run took
     * @param status        the block's m_res_status per job ({@link AesGcmModule#STATUS_OK} ...)
     * @param errCount      the block's err_count at the end of the run
     */
    public record Result(byte[][] text, byte[][] tag, boolean[] ok, long[] latencyCycles, long cycles, int[] status,
                         long errCount) {
    }

    private final HardwareModel model;
    private final Channel cmd;
    private final Channel key;
    private final Channel iv;
    private final Channel aad;
    private final Channel textIn;
    private final Channel tagIn;
    private final Channel textOut;
    private final Channel res;
    private final int errCountPort;

    public AesGcmDriver(HardwareModel model) {
        this.model = model;
        this.cmd = Channel.of(model, "s_cmd", "s_cmd_valid", "s_cmd_ready",
                "s_cmd_open", "s_cmd_aes256", "s_cmd_aad_len", "s_cmd_text_len");
        this.key = Channel.of(model, "s_key", "s_key_tvalid", "s_key_tready", "s_key_tdata");
        this.iv = Channel.of(model, "s_iv", "s_iv_tvalid", "s_iv_tready", "s_iv_tdata");
        this.aad = Channel.axiStream(model, "s_aad");
        this.textIn = Channel.axiStream(model, "s_text");
        this.tagIn = Channel.of(model, "s_tag", "s_tag_tvalid", "s_tag_tready", "s_tag_tdata");
        this.textOut = Channel.of(model, "m_text", "m_text_tvalid", "m_text_tready",
                "m_text_tdata", "m_text_tkeep", "m_text_tlast", "m_text_tuser");
        this.res = Channel.of(model, "m_res", "m_res_valid", "m_res_ready", "m_res_ok", "m_res_tag_lo",
                "m_res_tag_hi", "m_res_status");
        this.errCountPort = model.port("err_count");
    }

    public HardwareModel model() {
        return model;
    }

    /** Checks a job against the block's limits; throws IllegalArgumentException naming the problem. */
    public static void validate(Job j) {
        if (j.key() == null || (j.key().length != 16 && j.key().length != 32)) {
            throw new IllegalArgumentException("key must be 16 or 32 bytes, was "
                    + (j.key() == null ? "null" : j.key().length));
        }
        if (j.iv() == null || j.iv().length != 12) {
            throw new IllegalArgumentException("IV must be 12 bytes, was " + (j.iv() == null ? "null" : j.iv().length));
        }
        if (j.open() && (j.tag() == null || j.tag().length != 16)) {
            throw new IllegalArgumentException("open needs a 16-byte tag, was "
                    + (j.tag() == null ? "null" : j.tag().length));
        }
        if (j.text() == null || j.text().length > MAX_COMMAND_BYTES) {
            throw new IllegalArgumentException("text must be 0.." + MAX_COMMAND_BYTES + " bytes, was "
                    + (j.text() == null ? "null" : j.text().length));
        }
        if (j.aad() == null || j.aad().length > MAX_COMMAND_BYTES) {
            throw new IllegalArgumentException("AAD must be 0.." + MAX_COMMAND_BYTES + " bytes, was "
                    + (j.aad() == null ? "null" : j.aad().length));
        }
        if (j.framing() == null || j.commandAadLength() > MAX_COMMAND_BYTES
                || j.commandTextLength() > MAX_COMMAND_BYTES) {
            throw new IllegalArgumentException("the command's lengths must be 0.." + MAX_COMMAND_BYTES
                    + ", framing was " + j.framing());
        }
    }

    /**
     * Runs the jobs through the block, one after another.
     *
     * @param seed            seed of the idle and back-pressure choices
     * @param idleProbability chance a source leaves a cycle idle
     * @param backpressure    chance a sink holds ready low in a cycle
     */
    public Result run(Job[] jobs, long seed, double idleProbability, double backpressure) {
        return run(jobs, seed, idleProbability, backpressure, new BusAgent[0]);
    }

    /**
     * As {@link #run(Job[], long, double, double)}, with {@code observers} attached to the model
     * too: each sees the block's ports on every cycle (a test's own checks, e.g. that no output
     * ever carries a secret).
     */
    public Result run(Job[] jobs, long seed, double idleProbability, double backpressure, BusAgent... observers) {
        final int n = jobs.length;
        long totalBeats = 0;
        for (Job j : jobs) {
            validate(j);
            totalBeats += 8 + beats(j.aad().length) + 2L * beats(j.text().length);
        }
        final byte[][] text = new byte[n][];
        final byte[][] tag = new byte[n][];
        final boolean[] ok = new boolean[n];
        final int[] status = new int[n];
        final boolean[] closed = new boolean[n];
        final boolean[] resDone = new boolean[n];
        final long[] cmdOffered = new long[n];
        final long[] latency = new long[n];

        int[] nextCmd = {0};
        ValidReadySource cmdSource = new ValidReadySource(model, cmd, f -> {
            if (nextCmd[0] == n) {
                return false;
            }
            int i = nextCmd[0]++;
            Job j = jobs[i];
            cmdOffered[i] = model.cycle();
            f[0] = j.open() ? 1 : 0;
            f[1] = j.key().length == 32 ? 1 : 0;
            f[2] = j.commandAadLength();
            f[3] = j.commandTextLength();
            return true;
        }, seed * 8 + 1, idleProbability);

        ValidReadySource keySource = new ValidReadySource(model, key,
                beatsOf(jobs, Job::key, null), seed * 8 + 2, idleProbability);
        ValidReadySource ivSource = new ValidReadySource(model, iv,
                beatsOf(jobs, Job::iv, null), seed * 8 + 3, idleProbability);
        ValidReadySource aadSource = new ValidReadySource(model, aad,
                beatsOf(jobs, Job::aad, j -> j.framing().aadShortBeat()), seed * 8 + 4, idleProbability);
        ValidReadySource textSource = new ValidReadySource(model, textIn,
                beatsOf(jobs, Job::text, j -> j.framing().textShortBeat()), seed * 8 + 5, idleProbability);
        ValidReadySource tagSource = new ValidReadySource(model, tagIn,
                beatsOf(jobs, j -> j.open() ? j.tag() : null, null), seed * 8 + 6, idleProbability);

        // Text out: jobs in order, skipping those that send none -- no text, a failed or refused
        // open, a refused seal none of whose ciphertext had left (its result tells).
        int[] outJob = {0};
        int[] outPos = {0};
        Runnable skip = () -> {
            while (outJob[0] < n && outPos[0] == 0) {
                int i = outJob[0];
                Job j = jobs[i];
                boolean none = j.commandTextLength() == 0
                        || (resDone[i] && (j.open() ? !ok[i] : status[i] != AesGcmModule.STATUS_OK));
                if (!none) {
                    break;
                }
                outJob[0]++;
            }
        };
        ValidReadySink textSink = new ValidReadySink(model, textOut, (f, cycle) -> {
            skip.run();
            int i = outJob[0];
            if (i == n) {
                throw new IllegalStateException("aes_gcm sent a text beat after the last job (cycle " + cycle + ")");
            }
            Job j = jobs[i];
            if (j.open() && !resDone[i]) {
                throw new IllegalStateException("aes_gcm sent plaintext of job " + i
                        + " before its tag was checked (cycle " + cycle + ")");
            }
            if (!j.open() && resDone[i]) {
                throw new IllegalStateException("aes_gcm sent ciphertext of job " + i
                        + " after its result (cycle " + cycle + ")");
            }
            if (text[i] == null) {
                text[i] = new byte[j.commandTextLength()];
            }
            if (f[3] != 0) {
                // tuser: the empty beat that closes a refused seal's frame, after at least one beat.
                if (j.open() || f[1] != 0 || f[2] == 0 || outPos[0] == 0) {
                    throw new IllegalStateException("aes_gcm: tuser on a beat that does not close a begun seal frame"
                            + " (job " + i + ", tkeep 0x" + Long.toHexString(f[1]) + ", tlast " + f[2] + ", cycle "
                            + cycle + ")");
                }
                closed[i] = true;
                outJob[0]++;
                outPos[0] = 0;
                return;
            }
            int bytes = Long.bitCount(f[1]);
            if (outPos[0] + bytes > text[i].length) {
                throw new IllegalStateException("aes_gcm returned more than the " + text[i].length
                        + " text bytes of job " + i + " (cycle " + cycle + ")");
            }
            for (int b = 0; b < bytes; b++) {
                text[i][outPos[0] + b] = (byte) (f[0] >>> (8 * b));
            }
            outPos[0] += bytes;
            boolean last = outPos[0] == text[i].length;
            if ((f[2] != 0) != last) {
                throw new IllegalStateException("aes_gcm: tlast " + (f[2] != 0) + " at byte " + outPos[0] + " of "
                        + text[i].length + " of job " + i + " (cycle " + cycle + ")");
            }
            if (last) {
                outJob[0]++;
                outPos[0] = 0;
            }
        }, seed * 8 + 7, backpressure);

        int[] resJob = {0};
        StreamProtocolChecker textOutCheck = StreamProtocolChecker.axiStream(model, textOut);
        boolean aadShort = false;
        boolean textShort = false;
        for (Job j : jobs) {
            aadShort |= j.framing().aadShortBeat() >= 0;
            textShort |= j.framing().textShortBeat() >= 0;
        }
        ValidReadySink resSink = new ValidReadySink(model, res, (f, cycle) -> {
            skip.run();
            int i = resJob[0];
            if (i == n) {
                throw new IllegalStateException("aes_gcm sent a result with no job pending (cycle " + cycle + ")");
            }
            Job j = jobs[i];
            status[i] = (int) f[3];
            boolean refused = status[i] != AesGcmModule.STATUS_OK;
            if (!j.open() && !refused && j.commandTextLength() > 0 && (text[i] == null || outJob[0] <= i)) {
                throw new IllegalStateException("aes_gcm sent the result of seal " + i
                        + " before its last ciphertext beat (cycle " + cycle + ")");
            }
            if (refused && text[i] != null && !closed[i]) {
                throw new IllegalStateException("aes_gcm sent the result of refused job " + i
                        + " before it closed its text frame (cycle " + cycle + ")");
            }
            ok[i] = f[0] != 0;
            byte[] t = new byte[16];
            for (int b = 0; b < 8; b++) {
                t[b] = (byte) (f[1] >>> (8 * b));
                t[8 + b] = (byte) (f[2] >>> (8 * b));
            }
            tag[i] = t;
            latency[i] = cycle - cmdOffered[i] + 1;
            resDone[i] = true;
            resJob[0]++;
        }, seed * 8 + 8, backpressure);

        Testbench tb = new Testbench(model)
                .add(cmdSource).add(keySource).add(ivSource).add(aadSource).add(textSource).add(tagSource)
                .add(textSink).add(resSink)
                .add(new StreamProtocolChecker(model, cmd))
                .add(new StreamProtocolChecker(model, key))
                .add(new StreamProtocolChecker(model, iv))
                // A partial tkeep injected on purpose breaks that input's tkeep rules: then only its
                // handshake is checked.
                .add(aadShort ? new StreamProtocolChecker(model, aad, -1, 2) : StreamProtocolChecker.axiStream(model, aad))
                .add(textShort ? new StreamProtocolChecker(model, textIn, -1, 2)
                        : StreamProtocolChecker.axiStream(model, textIn))
                .add(new StreamProtocolChecker(model, tagIn))
                .add(textOutCheck)
                .add(new StreamProtocolChecker(model, res));
        for (BusAgent o : observers) {
            tb.add(o);
        }
        // Generous: random stalls aside, the block needs well under 2 cycles a beat plus ~40 per job.
        long limit = 20_000 + 64 * totalBeats + 200L * n;
        long cycles = tb.runUntil(() -> {
            skip.run();
            return resJob[0] == n && outJob[0] == n;
        }, limit);
        for (int i = 0; i < n; i++) {
            if (status[i] != AesGcmModule.STATUS_OK) {
                text[i] = null; // a refused seal's ciphertext that left is flagged, not a result
            } else if (text[i] == null && (!jobs[i].open() || ok[i])) {
                text[i] = new byte[0];
            }
        }
        return new Result(text, tag, ok, latency, cycles, status, model.get(errCountPort));
    }

    private static int beats(int bytes) {
        return (bytes + 7) / 8;
    }

    /**
     * Beats of one byte field of every job, job after job; {@code shortBeat} (null for a channel
     * without tkeep and tlast) adds them, with the named beat's top kept lane cleared.
     */
    private static dev.andromeda.testbed.hw.driver.BeatSource beatsOf(Job[] jobs,
            java.util.function.Function<Job, byte[]> field, java.util.function.ToIntFunction<Job> shortBeat) {
        int[] job = {0};
        int[] pos = {0};
        return f -> {
            while (job[0] < jobs.length) {
                byte[] b = field.apply(jobs[job[0]]);
                if (b != null && pos[0] < b.length) {
                    int bytes = Math.min(8, b.length - pos[0]);
                    long v = 0;
                    for (int i = 0; i < bytes; i++) {
                        v |= (b[pos[0] + i] & 0xFFL) << (8 * i);
                    }
                    f[0] = v;
                    int beat = pos[0] / 8;
                    pos[0] += bytes;
                    if (shortBeat != null) {
                        f[1] = (1L << bytes) - 1;
                        if (beat == shortBeat.applyAsInt(jobs[job[0]])) {
                            f[1] >>>= 1;
                        }
                        f[2] = pos[0] == b.length ? 1 : 0;
                    }
                    if (pos[0] == b.length) {
                        job[0]++;
                        pos[0] = 0;
                    }
                    return true;
                }
                job[0]++;
                pos[0] = 0;
            }
            return false;
        };
    }
}
