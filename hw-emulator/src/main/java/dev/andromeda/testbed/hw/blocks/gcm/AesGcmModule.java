package dev.andromeda.testbed.hw.blocks.gcm;

import dev.andromeda.testbed.hw.kit.Input;
import dev.andromeda.testbed.hw.kit.Mem;
import dev.andromeda.testbed.hw.kit.Module;
import dev.andromeda.testbed.hw.kit.Output;
import dev.andromeda.testbed.hw.kit.Reg;

/**
 * Java cycle model of {@code rtl/aes_gcm/aes_gcm.sv}, written with the
 * plain-Java RTL kit and cycle-accurate to it: the same registers and
 * memories (128-bit ones as {@code _lo}/{@code _hi} or {@code _0.._3} pairs of
 * 64-bit halves), the same next-state equations, so every output matches the
 * Verilated RTL on every cycle (checked by {@code AesGcmLockstepTest}).
 *
 * <p>Read it beside the Verilog: each block below names the Verilog it mirrors.
 * The arithmetic (S-box, AES round, GF(2^128) product) is in {@link AesGcmMath}.
 */
public final class AesGcmModule extends Module {
    public static final String BLOCK = "aes_gcm";

    static final int S_IDLE = 0;
    static final int S_KEY = 1;
    static final int S_EXPAND = 2;
    static final int S_RUN = 3;
    static final int S_RES = 4;
    static final int S_DRAIN = 5;

    /** m_res_status: the command ran (seal done, or open checked: m_res_ok says whether its tag matched). */
    public static final int STATUS_OK = 0;
    /** m_res_status: an open whose text is longer than MAX_TEXT_BYTES, refused when its command was taken. */
    public static final int STATUS_TOO_LONG = 1;
    /** m_res_status: an AAD or text beat whose tlast or tkeep disagreed with the command's length. */
    public static final int STATUS_BAD_FRAMING = 2;
    /** The RTL's default MAX_TEXT_BYTES. */
    public static final int DEFAULT_MAX_TEXT_BYTES = 16384;

    /** The RTL's default GHASH_DIGIT_BITS: a 16-byte block in two cycles. */
    public static final int DEFAULT_GHASH_DIGIT_BITS = 64;

    /** AES pipeline stages: one round each, AES-256's 14. */
    static final int STAGES = 14;
    /** Keystream FIFO entries (the RTL's KS_DEPTH). */
    static final int KS_DEPTH = 16;
    static final int KIND_H = 0;
    static final int KIND_J0 = 1;
    static final int KIND_KS = 2;

    private final int ghashDigitBits;
    private final int ghSteps;
    private final int maxTextBytes;
    private final int depth;
    private final int ptrMask;

    // Ports.
    private final Input rst;
    private final Input sCmdValid;
    private final Output sCmdReady;
    private final Input sCmdOpen;
    private final Input sCmdAes256;
    private final Input sCmdAadLen;
    private final Input sCmdTextLen;
    private final Input sKeyTdata;
    private final Input sKeyTvalid;
    private final Output sKeyTready;
    private final Input sIvTdata;
    private final Input sIvTvalid;
    private final Output sIvTready;
    private final Input sAadTdata;
    private final Input sAadTkeep;
    private final Input sAadTlast;
    private final Input sAadTvalid;
    private final Output sAadTready;
    private final Input sTextTdata;
    private final Input sTextTkeep;
    private final Input sTextTlast;
    private final Input sTextTvalid;
    private final Output sTextTready;
    private final Input sTagTdata;
    private final Input sTagTvalid;
    private final Output sTagTready;
    private final Output mTextTdata;
    private final Output mTextTkeep;
    private final Output mTextTvalid;
    private final Input mTextTready;
    private final Output mTextTlast;
    private final Output mTextTuser;
    private final Output mResValid;
    private final Input mResReady;
    private final Output mResOk;
    private final Output mResTagLo;
    private final Output mResTagHi;
    private final Output mResStatus;
    private final Output errCount;

    // State (names as in the Verilog).
    private final Reg state;
    private final Reg open;
    private final Reg aes256;
    private final Reg aadLen;
    private final Reg textLen;
    private final Reg aadRem;
    private final Reg textRem;
    private final Reg[] key = new Reg[4];
    private final Reg keyCnt;
    private final Reg status;
    private final Reg aadEnd;
    private final Reg textEnd;
    private final Reg ivLo;
    private final Reg ivHi;
    private final Reg ivCnt;
    private final Reg tagInLo;
    private final Reg tagInHi;
    private final Reg tagCnt;
    private final Mem rkLo;
    private final Mem rkHi;
    private final Reg expR;
    private final Reg expPrevLo;
    private final Reg expPrevHi;
    private final Reg expPrev2Lo;
    private final Reg expPrev2Hi;
    private final Reg[] pipeStLo = new Reg[STAGES];
    private final Reg[] pipeStHi = new Reg[STAGES];
    private final Reg pipeV;
    private final Reg[] pipeKind = new Reg[STAGES];
    private final Reg coreK;
    private final Reg hHi;
    private final Reg hLo;
    private final Reg hValid;
    private final Reg ej0Lo;
    private final Reg ej0Hi;
    private final Reg ej0Valid;
    private final Mem ksMemLo;
    private final Mem ksMemHi;
    private final Reg ksWrPtr;
    private final Reg ksRdPtr;
    private final Reg ksUsed;
    private final Reg half;
    private final Reg hold;
    private final Reg ghPend;
    private final Reg ghXHi;
    private final Reg ghXLo;
    private final Reg ghYHi;
    private final Reg ghYLo;
    private final Reg lenDone;
    private final Reg ghBusy;
    private final Reg ghCnt;
    private final Reg ghAHi;
    private final Reg ghALo;
    private final Reg ghVHi;
    private final Reg ghVLo;
    private final Mem bufDataMem;
    private final Mem bufKeepMem;
    private final Mem bufLastMem;
    private final Reg bufWrPtr;
    private final Reg bufRdPtr;
    private final Reg bufRelPtr;
    private final Reg outValid;
    private final Reg outData;
    private final Reg outKeep;
    private final Reg outLast;
    private final Reg resOk;
    private final Reg resTagLo;
    private final Reg resTagHi;
    private final Reg errCountReg;

    private final long[] core = new long[2];
    private final long[] gf = new long[4];

    /** The RTL's default parameters: GHASH_DIGIT_BITS = 64, MAX_TEXT_BYTES = 16384. */
    public AesGcmModule() {
        this(DEFAULT_GHASH_DIGIT_BITS, DEFAULT_MAX_TEXT_BYTES);
    }

    public AesGcmModule(int ghashDigitBits, int maxTextBytes) {
        super(BLOCK);
        if (ghashDigitBits != 8 && ghashDigitBits != 16 && ghashDigitBits != 32 && ghashDigitBits != 64) {
            throw new IllegalArgumentException("GHASH_DIGIT_BITS must be 8, 16, 32 or 64: " + ghashDigitBits);
        }
        this.ghashDigitBits = ghashDigitBits;
        this.ghSteps = 128 / ghashDigitBits;
        if (maxTextBytes < 16 || maxTextBytes > 65536 || Integer.bitCount(maxTextBytes) != 1) {
            throw new IllegalArgumentException("MAX_TEXT_BYTES must be a power of two from 16 to 65536: "
                    + maxTextBytes);
        }
        this.maxTextBytes = maxTextBytes;
        this.depth = maxTextBytes / 4;
        this.ptrMask = 2 * depth - 1;
        int ptrWidth = Integer.numberOfTrailingZeros(depth) + 1;

        rst = input("rst", 1);
        sCmdValid = input("s_cmd_valid", 1);
        sCmdReady = output("s_cmd_ready", 1);
        sCmdOpen = input("s_cmd_open", 1);
        sCmdAes256 = input("s_cmd_aes256", 1);
        sCmdAadLen = input("s_cmd_aad_len", 16);
        sCmdTextLen = input("s_cmd_text_len", 16);
        sKeyTdata = input("s_key_tdata", 64);
        sKeyTvalid = input("s_key_tvalid", 1);
        sKeyTready = output("s_key_tready", 1);
        sIvTdata = input("s_iv_tdata", 64);
        sIvTvalid = input("s_iv_tvalid", 1);
        sIvTready = output("s_iv_tready", 1);
        sAadTdata = input("s_aad_tdata", 64);
        sAadTkeep = input("s_aad_tkeep", 8);
        sAadTvalid = input("s_aad_tvalid", 1);
        sAadTready = output("s_aad_tready", 1);
        sAadTlast = input("s_aad_tlast", 1);
        sTextTdata = input("s_text_tdata", 64);
        sTextTkeep = input("s_text_tkeep", 8);
        sTextTvalid = input("s_text_tvalid", 1);
        sTextTready = output("s_text_tready", 1);
        sTextTlast = input("s_text_tlast", 1);
        sTagTdata = input("s_tag_tdata", 64);
        sTagTvalid = input("s_tag_tvalid", 1);
        sTagTready = output("s_tag_tready", 1);
        mTextTdata = output("m_text_tdata", 64);
        mTextTkeep = output("m_text_tkeep", 8);
        mTextTvalid = output("m_text_tvalid", 1);
        mTextTready = input("m_text_tready", 1);
        mTextTlast = output("m_text_tlast", 1);
        mTextTuser = output("m_text_tuser", 1);
        mResValid = output("m_res_valid", 1);
        mResReady = input("m_res_ready", 1);
        mResOk = output("m_res_ok", 1);
        mResTagLo = output("m_res_tag_lo", 64);
        mResTagHi = output("m_res_tag_hi", 64);
        mResStatus = output("m_res_status", 2);
        errCount = output("err_count", 32);

        state = reg("state_reg", 3);
        open = reg("open_reg", 1);
        aes256 = reg("aes256_reg", 1);
        aadLen = reg("aad_len_reg", 16);
        textLen = reg("text_len_reg", 16);
        aadRem = reg("aad_rem_reg", 16);
        textRem = reg("text_rem_reg", 16);
        for (int i = 0; i < 4; i++) {
            key[i] = reg("key_reg_" + i, 64);
        }
        keyCnt = reg("key_cnt_reg", 3);
        status = reg("status_reg", 2);
        aadEnd = reg("aad_end_reg", 1);
        textEnd = reg("text_end_reg", 1);
        ivLo = reg("iv_reg_lo", 64);
        ivHi = reg("iv_reg_hi", 32);
        ivCnt = reg("iv_cnt_reg", 2);
        tagInLo = reg("tag_in_reg_lo", 64);
        tagInHi = reg("tag_in_reg_hi", 64);
        tagCnt = reg("tag_cnt_reg", 2);
        rkLo = mem("rk_mem_lo", 64, 15);
        rkHi = mem("rk_mem_hi", 64, 15);
        expR = reg("exp_r_reg", 4);
        expPrevLo = reg("exp_prev_reg_lo", 64);
        expPrevHi = reg("exp_prev_reg_hi", 64);
        expPrev2Lo = reg("exp_prev2_reg_lo", 64);
        expPrev2Hi = reg("exp_prev2_reg_hi", 64);
        for (int i = 0; i < STAGES; i++) {
            pipeStLo[i] = reg("pipe_st_reg_" + (i + 1) + "_lo", 64);
            pipeStHi[i] = reg("pipe_st_reg_" + (i + 1) + "_hi", 64);
            pipeKind[i] = reg("pipe_kind_reg_" + (i + 1), 2);
        }
        pipeV = reg("pipe_v_reg", STAGES);
        coreK = reg("core_k_reg", 13);
        hHi = reg("h_reg_hi", 64);
        hLo = reg("h_reg_lo", 64);
        hValid = reg("h_valid_reg", 1);
        ej0Lo = reg("ej0_reg_lo", 64);
        ej0Hi = reg("ej0_reg_hi", 64);
        ej0Valid = reg("ej0_valid_reg", 1);
        ksMemLo = mem("ks_mem_lo", 64, KS_DEPTH);
        ksMemHi = mem("ks_mem_hi", 64, KS_DEPTH);
        ksWrPtr = reg("ks_wr_ptr_reg", 5);
        ksRdPtr = reg("ks_rd_ptr_reg", 5);
        ksUsed = reg("ks_used_reg", 5);
        half = reg("half_reg", 1);
        hold = reg("hold_reg", 64);
        ghPend = reg("gh_pend_reg", 1);
        ghXHi = reg("gh_x_reg_hi", 64);
        ghXLo = reg("gh_x_reg_lo", 64);
        ghYHi = reg("gh_y_reg_hi", 64);
        ghYLo = reg("gh_y_reg_lo", 64);
        lenDone = reg("len_done_reg", 1);
        ghBusy = reg("gh_busy_reg", 1);
        ghCnt = reg("gh_cnt_reg", 4);
        ghAHi = reg("gh_a_reg_hi", 64);
        ghALo = reg("gh_a_reg_lo", 64);
        ghVHi = reg("gh_v_reg_hi", 64);
        ghVLo = reg("gh_v_reg_lo", 64);
        bufDataMem = mem("buf_data_mem", 64, depth);
        bufKeepMem = mem("buf_keep_mem", 8, depth);
        bufLastMem = mem("buf_last_mem", 1, depth);
        bufWrPtr = reg("buf_wr_ptr_reg", ptrWidth);
        bufRdPtr = reg("buf_rd_ptr_reg", ptrWidth);
        bufRelPtr = reg("buf_rel_ptr_reg", ptrWidth);
        outValid = reg("out_valid_reg", 1);
        // The RTL's buf_q_reg: {last, keep, data}, the buffer RAM's synchronous read.
        outData = reg("buf_q_reg_data", 64);
        outKeep = reg("buf_q_reg_keep", 8);
        outLast = reg("buf_q_reg_last", 1);
        resOk = reg("res_ok_reg", 1);
        resTagLo = reg("res_tag_reg_lo", 64);
        resTagHi = reg("res_tag_reg_hi", 64);
        errCountReg = reg("err_count_reg", 32);
    }

    // ---- flags: functions of state only (the Verilog's wires)
    private boolean bufEmpty() {
        return bufWrPtr.get() == bufRdPtr.get();
    }

    private boolean bufFull() {
        return ((bufWrPtr.get() - bufRdPtr.get()) & ptrMask) == depth;
    }

    private int nr() {
        return aes256.isHigh() ? 14 : 10;
    }

    private boolean running() {
        return state.get() == S_RUN;
    }

    private boolean draining() {
        return state.get() == S_DRAIN;
    }

    private int keyBeats() {
        return aes256.isHigh() ? 4 : 2;
    }

    /** The GHASH slot can take a block this cycle: empty, or its block starts its multiply now. */
    private boolean ghFree() {
        return !ghPend.isHigh() || !ghBusy.isHigh();
    }

    private long coreEnd() {
        return ((textLen.get() + 15) >>> 4) + 2;
    }

    private boolean ksValid() {
        return ksWrPtr.get() != ksRdPtr.get();
    }

    private boolean cmdReady() {
        return state.get() == S_IDLE;
    }

    private boolean keyReady() {
        return state.get() == S_KEY || (draining() && keyCnt.get() != keyBeats());
    }

    private boolean ivReady() {
        long s = state.get();
        return (s == S_KEY || s == S_EXPAND || s == S_DRAIN) && ivCnt.get() != 2;
    }

    private boolean tagReady() {
        long s = state.get();
        return open.isHigh() && tagCnt.get() != 2 && (s == S_KEY || s == S_EXPAND || s == S_RUN || s == S_DRAIN);
    }

    private boolean aadReady() {
        return (running() && hValid.isHigh() && aadRem.get() != 0 && ghFree()) || (draining() && !aadEnd.isHigh());
    }

    private boolean textReady() {
        return (running() && aadRem.get() == 0 && textRem.get() != 0 && ksValid() && !bufFull() && ghFree())
                || (draining() && !textEnd.isHigh());
    }

    @Override
    protected void drive() {
        sCmdReady.set(cmdReady());
        sKeyTready.set(keyReady());
        sIvTready.set(ivReady());
        sTagTready.set(tagReady());
        sAadTready.set(aadReady());
        sTextTready.set(textReady());
        // The output register is the text buffer RAM's read register, never reset: the
        // RTL shows zero on tdata/tkeep/tlast while tvalid is low.
        mTextTdata.set(outValid.isHigh() ? outData.get() : 0);
        mTextTkeep.set(outValid.isHigh() ? outKeep.get() : 0);
        mTextTvalid.set(outValid.get());
        mTextTlast.set(outValid.isHigh() ? outLast.get() : 0);
        // Only a refused seal's closing beat is empty.
        mTextTuser.set(outValid.isHigh() && outKeep.get() == 0);
        mResValid.set(state.get() == S_RES);
        mResOk.set(resOk.get());
        mResTagLo.set(resTagLo.get());
        mResTagHi.set(resTagHi.get());
        mResStatus.set(status.get());
        errCount.set(errCountReg.get());
    }

    @Override
    protected void nextState() {
        final long st = state.get();
        final boolean running = st == S_RUN;
        final int nr = nr();

        // ---- handshakes
        final boolean cmdFire = sCmdValid.isHigh() && cmdReady();
        final boolean keyFire = sKeyTvalid.isHigh() && keyReady();
        final boolean ivFire = sIvTvalid.isHigh() && ivReady();
        final boolean tagFire = sTagTvalid.isHigh() && tagReady();
        final boolean aadFire = sAadTvalid.isHigh() && aadReady();
        final boolean textFire = sTextTvalid.isHigh() && textReady();

        // ---- AAD / text beats
        final long rem = aadFire ? aadRem.get() : textRem.get();
        final int beatBytes = rem >= 8 ? 8 : (int) rem;
        final long mask = AesGcmMath.laneMask(beatBytes);
        // The RTL reads the FIFO's RAM synchronously at the next head, a block written at it
        // passed round: the head it sees is the entry here, as read now.
        final int ksHead = (int) ksRdPtr.get() & (KS_DEPTH - 1);
        final long textOut = (sTextTdata.get() ^ (half.isHigh() ? ksMemHi.read(ksHead) : ksMemLo.read(ksHead))) & mask;
        final long gWord;
        if (aadFire) {
            gWord = sAadTdata.get() & mask;
        } else if (open.isHigh()) {
            gWord = sTextTdata.get() & mask;
        } else {
            gWord = textOut;
        }
        final boolean lastBeat = rem <= 8;
        // A running command's beat must be framed as its length says (tlast on the last only,
        // tkeep full but on the last, there exactly the rest).
        final boolean beatBad = running && (aadFire || textFire)
                && ((aadFire ? sAadTlast.isHigh() : sTextTlast.isHigh()) != lastBeat
                    || (aadFire ? sAadTkeep.get() : sTextTkeep.get()) != (0xFF >>> (8 - beatBytes)));
        final boolean aadTake = aadFire && running && !beatBad;
        final boolean textTake = textFire && running && !beatBad;
        // A seal whose ciphertext already began to leave ends its frame with an empty beat.
        final boolean closeFrame = textFire && running && beatBad && !open.isHigh() && textRem.get() != textLen.get();
        final boolean blockDone = half.isHigh() || lastBeat;
        final long blkLo = half.isHigh() ? hold.get() : gWord;
        final long blkHi = half.isHigh() ? gWord : 0;
        final boolean dataLoad = (aadTake || textTake) && blockDone;
        final boolean lenLoad = running && hValid.isHigh() && aadRem.get() == 0 && textRem.get() == 0
                && !lenDone.isHigh() && ghFree();
        final boolean ghLoad = dataLoad || lenLoad;
        final long ghLoadHi = lenLoad ? aadLen.get() << 3 : Long.reverseBytes(blkLo);
        final long ghLoadLo = lenLoad ? textLen.get() << 3 : Long.reverseBytes(blkHi);

        // ---- GHASH: digit-serial, step i adds digit i of (gh_y ^ gh_x) times H * x^(D*i)
        final boolean ghStart = running && ghPend.isHigh() && !ghBusy.isHigh();
        final boolean ghStep = running && (ghBusy.isHigh() || ghPend.isHigh());
        final long ghIdx = ghBusy.isHigh() ? ghCnt.get() : 0;
        final boolean ghLast = ghIdx == ghSteps - 1;
        final long ghOpHi = ghBusy.isHigh() ? ghAHi.get() : ghYHi.get() ^ ghXHi.get();
        final long ghOpLo = ghBusy.isHigh() ? ghALo.get() : ghYLo.get() ^ ghXLo.get();
        if (ghStep) {
            AesGcmMath.gfDigitStep(ghOpHi, ghBusy.isHigh() ? ghYHi.get() : 0, ghBusy.isHigh() ? ghYLo.get() : 0,
                    ghBusy.isHigh() ? ghVHi.get() : hHi.get(), ghBusy.isHigh() ? ghVLo.get() : hLo.get(),
                    ghashDigitBits, gf);
        }

        // ---- key expansion
        final boolean expActive = st == S_EXPAND && expR.get() <= nr;
        final int r = (int) expR.get();
        long expNewLo;
        long expNewHi;
        if (r == 0) {
            expNewLo = key[0].get();
            expNewHi = key[1].get();
        } else if (r == 1 && aes256.isHigh()) {
            expNewLo = key[2].get();
            expNewHi = key[3].get();
        } else {
            int t = (int) (expPrevHi.get() >>> 32);
            int rcIdx = aes256.isHigh() ? r >>> 1 : r;
            int sub;
            if (!aes256.isHigh() || (r & 1) == 0) {
                sub = AesGcmMath.subWord(Integer.rotateRight(t, 8)) ^ AesGcmMath.rcon(rcIdx);
            } else {
                sub = AesGcmMath.subWord(t);
            }
            long baseLo = aes256.isHigh() ? expPrev2Lo.get() : expPrevLo.get();
            long baseHi = aes256.isHigh() ? expPrev2Hi.get() : expPrevHi.get();
            int w0 = (int) baseLo ^ sub;
            int w1 = (int) (baseLo >>> 32) ^ w0;
            int w2 = (int) baseHi ^ w1;
            int w3 = (int) (baseHi >>> 32) ^ w2;
            expNewLo = (w0 & 0xFFFFFFFFL) | ((long) w1 << 32);
            expNewHi = (w2 & 0xFFFFFFFFL) | ((long) w3 << 32);
        }

        // ---- AES pipeline: one round a stage, stage i with round key i; a block leaves from
        // stage 10 (AES-128) or 14 (AES-256). A keystream block takes its FIFO entry at issue.
        final long k = coreK.get();
        final boolean coreIssue = running && k < coreEnd() && (k < 2 || ksUsed.get() < KS_DEPTH);
        final int coreInKind = k == 0 ? KIND_H : k == 1 ? KIND_J0 : KIND_KS;
        final long pv = pipeV.get();
        final int outStage = nr - 1;
        final boolean pipeOutV = ((pv >>> outStage) & 1) != 0;
        final int pipeOutKind = (int) pipeKind[outStage].get();
        final long pipeOutLo = pipeStLo[outStage].get();
        final long pipeOutHi = pipeStHi[outStage].get();
        final boolean ksPop = textTake && blockDone;

        // ---- result
        final long tagLo = Long.reverseBytes(ghYHi.get()) ^ ej0Lo.get();
        final long tagHi = Long.reverseBytes(ghYLo.get()) ^ ej0Hi.get();
        final boolean finalReady = running && lenDone.isHigh() && !ghPend.isHigh() && !ghBusy.isHigh()
                && ej0Valid.isHigh()
                && (open.isHigh() ? tagCnt.get() == 2 : (bufEmpty() && !outValid.isHigh()));
        // A refused command has taken all its beats (and a seal's closed frame has left).
        final boolean drained = keyCnt.get() == keyBeats() && ivCnt.get() == 2 && (!open.isHigh() || tagCnt.get() == 2)
                && aadEnd.isHigh() && textEnd.isHigh() && (open.isHigh() || (bufEmpty() && !outValid.isHigh()));

        // ---- output side
        // Beats up to buf_rel_ptr_reg are released (a seal's at once, an open's when its result is taken).
        final int bufHead = (int) bufRdPtr.get() & (depth - 1);
        final boolean outLoad = bufRdPtr.get() != bufRelPtr.get() && (!outValid.isHigh() || mTextTready.isHigh());

        // ---- registers (in the Verilog's order: a later next() wins, as a later <= does)
        switch ((int) st) {
            case S_IDLE -> {
                if (cmdFire) {
                    // An open must fit the buffer whole before its tag is known.
                    boolean tooLong = sCmdOpen.isHigh() && sCmdTextLen.get() > maxTextBytes;
                    state.next(tooLong ? S_DRAIN : S_KEY);
                    status.next(tooLong ? STATUS_TOO_LONG : STATUS_OK);
                    aadEnd.next(sCmdAadLen.get() == 0);
                    textEnd.next(sCmdTextLen.get() == 0);
                    open.next(sCmdOpen.get());
                    aes256.next(sCmdAes256.get());
                    aadLen.next(sCmdAadLen.get());
                    textLen.next(sCmdTextLen.get());
                    aadRem.next(sCmdAadLen.get());
                    textRem.next(sCmdTextLen.get());
                    keyCnt.next(0);
                    ivCnt.next(0);
                    tagCnt.next(0);
                    expR.next(0);
                    coreK.next(0);
                    hValid.next(0);
                    ej0Valid.next(0);
                    // A refused command's blocks still in flight are dropped.
                    pipeV.next(0);
                    ksWrPtr.next(0);
                    ksRdPtr.next(0);
                    ksUsed.next(0);
                    half.next(0);
                    lenDone.next(0);
                }
            }
            case S_KEY -> {
                if (keyFire && keyCnt.get() == keyBeats() - 1) {
                    state.next(S_EXPAND);
                }
            }
            case S_EXPAND -> {
                if (expR.get() > nr && ivCnt.get() == 2) {
                    state.next(S_RUN);
                }
            }
            case S_RUN -> {
                if (beatBad) {
                    state.next(S_DRAIN);
                    status.next(STATUS_BAD_FRAMING);
                } else if (finalReady) {
                    state.next(S_RES);
                    resOk.next(!open.isHigh() || (tagLo == tagInLo.get() && tagHi == tagInHi.get()));
                    // An open's result says pass or fail only (no tag oracle), as the RTL.
                    resTagLo.next(open.isHigh() ? 0 : tagLo);
                    resTagHi.next(open.isHigh() ? 0 : tagHi);
                }
            }
            case S_DRAIN -> {
                if (drained) {
                    state.next(S_RES);
                    resOk.next(0);
                    resTagLo.next(0);
                    resTagHi.next(0);
                    errCountReg.next(errCountReg.get() + 1);
                }
            }
            case S_RES -> {
                if (mResReady.isHigh()) {
                    state.next(S_IDLE);
                    if (open.isHigh() && resOk.isHigh()) {
                        bufRelPtr.next(bufWrPtr.get());
                    } else if (open.isHigh()) {
                        bufWrPtr.next(bufRelPtr.get());
                    }
                }
            }
            default -> state.next(S_IDLE);
        }

        if (keyFire) {
            key[(int) keyCnt.get() & 3].next(sKeyTdata.get());
            keyCnt.next(keyCnt.get() + 1);
        }
        if (ivFire) {
            if (ivCnt.get() == 0) {
                ivLo.next(sIvTdata.get());
            } else {
                ivHi.next(sIvTdata.get() & 0xFFFFFFFFL);
            }
            ivCnt.next(ivCnt.get() + 1);
        }
        if (tagFire) {
            if ((tagCnt.get() & 1) == 0) {
                tagInLo.next(sTagTdata.get());
            } else {
                tagInHi.next(sTagTdata.get());
            }
            tagCnt.next(tagCnt.get() + 1);
        }

        if (expActive) {
            rkLo.write(r, expNewLo);
            rkHi.write(r, expNewHi);
            expPrev2Lo.next(expPrevLo.get());
            expPrev2Hi.next(expPrevHi.get());
            expPrevLo.next(expNewLo);
            expPrevHi.next(expNewHi);
            expR.next(r + 1);
        }

        // A command's clears (S_IDLE above) win: the shift and the writes skip that cycle.
        if (!cmdFire) {
            pipeV.next(pv << 1 | (coreIssue ? 1 : 0));
        }
        // Stage i+1 takes round i+1 of stage i's block; a stage without a block is not
        // computed (the Verilog computes it and no output ever reads it).
        for (int i = STAGES - 1; i >= 1; i--) {
            pipeKind[i].next(pipeKind[i - 1].get());
            int round = i + 1;
            if (((pv >>> (i - 1)) & 1) != 0 && round <= nr) {
                core[0] = pipeStLo[i - 1].get();
                core[1] = pipeStHi[i - 1].get();
                AesGcmMath.round(core, rkLo.read(round), rkHi.read(round), round == nr);
                pipeStLo[i].next(core[0]);
                pipeStHi[i].next(core[1]);
            }
        }
        pipeKind[0].next(coreInKind);
        if (coreIssue) {
            // Block 0 is the zero block; block k > 0 is IV || [k]32; AddRoundKey 0, round 1.
            long inLo = k == 0 ? 0 : ivLo.get();
            long inHi = k == 0 ? 0 : ivHi.get() | (Integer.reverseBytes((int) k) & 0xFFFFFFFFL) << 32;
            core[0] = inLo ^ rkLo.read(0);
            core[1] = inHi ^ rkHi.read(0);
            AesGcmMath.round(core, rkLo.read(1), rkHi.read(1), false);
            pipeStLo[0].next(core[0]);
            pipeStHi[0].next(core[1]);
            coreK.next(k + 1);
        }
        if (pipeOutV && !cmdFire) {
            switch (pipeOutKind) {
                case KIND_H -> {
                    hHi.next(Long.reverseBytes(pipeOutLo));
                    hLo.next(Long.reverseBytes(pipeOutHi));
                    hValid.next(1);
                }
                case KIND_J0 -> {
                    ej0Lo.next(pipeOutLo);
                    ej0Hi.next(pipeOutHi);
                    ej0Valid.next(1);
                }
                default -> {
                    int at = (int) ksWrPtr.get() & (KS_DEPTH - 1);
                    ksMemLo.write(at, pipeOutLo);
                    ksMemHi.write(at, pipeOutHi);
                    ksWrPtr.next(ksWrPtr.get() + 1);
                }
            }
        }
        if (ksPop) {
            ksRdPtr.next(ksRdPtr.get() + 1);
        }
        final boolean ksTake = coreIssue && k >= 2;
        if (ksTake && !ksPop) {
            ksUsed.next(ksUsed.get() + 1);
        } else if (ksPop && !ksTake) {
            ksUsed.next(ksUsed.get() - 1);
        }

        if (aadTake) {
            aadRem.next(aadRem.get() - beatBytes);
        }
        if (textTake) {
            textRem.next(textRem.get() - beatBytes);
        }
        if (textTake || closeFrame) {
            int at = (int) bufWrPtr.get() & (depth - 1);
            bufDataMem.write(at, closeFrame ? 0 : textOut);
            bufKeepMem.write(at, closeFrame ? 0 : 0xFF >>> (8 - beatBytes));
            bufLastMem.write(at, closeFrame || lastBeat ? 1 : 0);
            bufWrPtr.next(bufWrPtr.get() + 1);
            if (!open.isHigh()) {
                bufRelPtr.next(bufWrPtr.get() + 1);
            }
        }
        // A frame is over at its tlast, good or bad, running or draining.
        if (aadFire && sAadTlast.isHigh()) {
            aadEnd.next(1);
        }
        if (textFire && sTextTlast.isHigh()) {
            textEnd.next(1);
        }
        if (aadTake || textTake) {
            half.next(!blockDone);
            if (!blockDone) {
                hold.next(gWord);
            }
        }

        // The multiplier steps only while running (a refused command's multiply stops there).
        if (ghStep) {
            ghYHi.next(gf[0]);
            ghYLo.next(gf[1]);
            ghBusy.next(ghLast ? 0 : 1);
            ghCnt.next(ghIdx + 1);
            // gh_op << GHASH_DIGIT_BITS (at most 64)
            ghAHi.next(ghashDigitBits == 64 ? ghOpLo : ghOpHi << ghashDigitBits | ghOpLo >>> (64 - ghashDigitBits));
            ghALo.next(ghashDigitBits == 64 ? 0 : ghOpLo << ghashDigitBits);
            ghVHi.next(gf[2]);
            ghVLo.next(gf[3]);
        }
        if (ghLoad) {
            ghPend.next(1);
            ghXHi.next(ghLoadHi);
            ghXLo.next(ghLoadLo);
        } else if (ghStart) {
            ghPend.next(0);
        }
        if (cmdFire) {
            ghPend.next(0);
            ghBusy.next(0);
            ghYHi.next(0);
            ghYLo.next(0);
        }
        if (lenLoad) {
            lenDone.next(1);
        }

        if (outLoad) {
            outValid.next(1);
            outData.next(bufDataMem.read(bufHead));
            outKeep.next(bufKeepMem.read(bufHead));
            outLast.next(bufLastMem.read(bufHead));
            bufRdPtr.next(bufRdPtr.get() + 1);
        } else if (mTextTready.isHigh()) {
            outValid.next(0);
        }

        if (rst.isHigh()) {
            state.next(S_IDLE);
            open.next(0);
            aes256.next(0);
            aadLen.next(0);
            textLen.next(0);
            aadRem.next(0);
            textRem.next(0);
            keyCnt.next(0);
            status.next(STATUS_OK);
            aadEnd.next(1);
            textEnd.next(1);
            ivCnt.next(0);
            tagCnt.next(0);
            expR.next(0);
            coreK.next(0);
            hValid.next(0);
            ej0Valid.next(0);
            pipeV.next(0);
            ksWrPtr.next(0);
            ksRdPtr.next(0);
            ksUsed.next(0);
            half.next(0);
            ghPend.next(0);
            ghBusy.next(0);
            ghCnt.next(0);
            ghYHi.next(0);
            ghYLo.next(0);
            lenDone.next(0);
            bufWrPtr.next(0);
            bufRdPtr.next(0);
            bufRelPtr.next(0);
            outValid.next(0);
            resOk.next(0);
            resTagLo.next(0);
            resTagHi.next(0);
            errCountReg.next(0);
        }
    }
}
