package dev.andromeda.testbed.hw.blocks.dma;

import dev.andromeda.testbed.hw.kit.Input;
import dev.andromeda.testbed.hw.kit.Mem;
import dev.andromeda.testbed.hw.kit.Module;
import dev.andromeda.testbed.hw.kit.Output;
import dev.andromeda.testbed.hw.kit.Reg;

/**
 * Java cycle model of {@code rtl/dma_copy/dma_copy.sv}, written with the
 * plain-Java RTL kit and cycle-accurate to it: the same registers, the same
 * memories (each read synchronously into a head register, as in the RTL), the
 * same next-state equations, so every output matches the Verilated RTL on
 * every cycle (checked by the lockstep test).
 *
 * <p>Read it beside the Verilog: each block below names the Verilog it mirrors.
 */
public final class DmaCopyModule extends Module {
    public static final String BLOCK = "dma_copy";

    /** Completion status codes ({@code m_cpl_status}). */
    public static final int STATUS_OK = 0;
    public static final int STATUS_READ_ERROR = 1;
    public static final int STATUS_WRITE_ERROR = 2;
    public static final int STATUS_BAD_DESCRIPTOR = 3;

    /** AXI response codes on {@code s_rdata_resp} and {@code s_wresp_resp}. */
    public static final int RESP_OKAY = 0;
    public static final int RESP_SLVERR = 2;
    public static final int RESP_DECERR = 3;

    /** The RTL's default MAX_LEN: the longest copy a descriptor may ask for. */
    public static final int DEFAULT_MAX_LEN = 65536;

    private static final long BEAT_ADDR_MASK = (1L << 45) - 1;

    private final int descDepth;
    private final int maxBurst;
    private final int rdFifoDepth;
    private final int wrOutstanding;
    private final long maxLen;
    private final long descMask;
    private final long rdfMask;
    private final long beatMask;

    // Ports.
    private final Input rst;
    private final Input sDescValid;
    private final Output sDescReady;
    private final Input sDescSrc;
    private final Input sDescDst;
    private final Input sDescLen;
    private final Input sDescCookie;
    private final Output mCplValid;
    private final Input mCplReady;
    private final Output mCplCookie;
    private final Output mCplStatus;
    private final Output mRdValid;
    private final Input mRdReady;
    private final Output mRdAddr;
    private final Output mRdBeats;
    private final Input sRdataValid;
    private final Output sRdataReady;
    private final Input sRdataData;
    private final Input sRdataResp;
    private final Output mWrValid;
    private final Input mWrReady;
    private final Output mWrAddr;
    private final Output mWrData;
    private final Output mWrStrb;
    private final Input sWrespValid;
    private final Output sWrespReady;
    private final Input sWrespResp;

    // State (names as in the Verilog).
    private final Reg descWrPtr;
    private final Reg descRdPtr;
    private final Reg descWqPtr;
    private final Reg descDonePtr;
    private final Reg descCplPtr;
    private final Mem rdmAddr;
    private final Mem rdmBeats;
    private final Mem rdmZero;
    private final Mem rdmToBoundary;
    private final Mem wqmAddr;
    private final Mem wqmSrcBeats;
    private final Mem wqmDstBeats;
    private final Mem wqmShift;
    private final Mem wqmFirstStrb;
    private final Mem wqmLastStrb;
    private final Mem wqmFlags;
    private final Mem cookieMem;
    private final Mem statusMem;

    private final Reg rdqValid;
    private final Reg rdqAddr;
    private final Reg rdqBeats;
    private final Reg rdqZero;
    private final Reg rdqToBoundary;
    private final Reg rdActive;
    private final Reg rdSized;
    private final Reg rdAddr;
    private final Reg rdLeft;
    private final Reg rdBurst;
    private final Reg rdFinal;
    private final Reg rdRoom;
    private final Reg rdRet;
    private final Reg rdValid;
    private final Reg rdReqAddr;
    private final Reg rdReqBeats;

    private final Mem rdfData;
    private final Mem rdfErr;
    private final Reg rdfWrPtr;
    private final Reg rdfRdPtr;
    private final Reg rdfHeadValid;
    private final Reg rdfHead;
    private final Reg rdfHeadErr;

    private final Reg wqValid;
    private final Reg wqAddr;
    private final Reg wqSrcBeats;
    private final Reg wqDstBeats;
    private final Reg wqShift;
    private final Reg wqFirstStrb;
    private final Reg wqLastStrb;
    private final Reg wqFlags;  // {bad, zero, prime, one}: the Verilog's four flag registers, packed
    private final Reg wrActive;
    private final Reg wrPrimed;
    private final Reg wrSrcLeft;
    private final Reg wrSrcDone;
    private final Reg wrDstLeft;
    private final Reg wrIsLast;
    private final Reg wrShift;
    private final Reg wrAddr;
    private final Reg wrFirst;
    private final Reg wrFirstStrb;
    private final Reg wrLastStrb;
    private final Reg wrRerr;
    private final Reg carry;
    private final Reg wrValid;
    private final Reg wrOutAddr;
    private final Reg wrOutData;
    private final Reg wrOutStrb;
    private final Reg woCount;
    private final Reg woIssuePtr;
    private final Reg woRespPtr;
    private final Reg woLast;
    private final Reg woRerr;
    private final Reg woWerr;

    private final Reg cplValid;
    private final Reg cplCookie;
    private final Reg cplStatus;

    /** The RTL's default parameters: DESC_DEPTH 16, MAX_BURST 32, RD_FIFO_DEPTH 256, WR_OUTSTANDING 32, MAX_LEN 65536. */
    public DmaCopyModule() {
        this(16, 32, 256, 32, DEFAULT_MAX_LEN);
    }

    /** DATA_WIDTH is fixed at 64, as in the RTL. */
    public DmaCopyModule(int descDepth, int maxBurst, int rdFifoDepth, int wrOutstanding, int maxLen) {
        super(BLOCK);
        if (descDepth < 2 || Integer.bitCount(descDepth) != 1) {
            throw new IllegalArgumentException("DESC_DEPTH must be a power of two, at least 2: " + descDepth);
        }
        if (maxBurst < 2 || maxBurst > 128 || Integer.bitCount(maxBurst) != 1) {
            throw new IllegalArgumentException("MAX_BURST must be a power of two from 2 to 128: " + maxBurst);
        }
        if (rdFifoDepth < maxBurst || Integer.bitCount(rdFifoDepth) != 1) {
            throw new IllegalArgumentException("RD_FIFO_DEPTH must be a power of two, at least MAX_BURST: "
                    + rdFifoDepth);
        }
        if (wrOutstanding < 2 || wrOutstanding > 64 || Integer.bitCount(wrOutstanding) != 1) {
            throw new IllegalArgumentException("WR_OUTSTANDING must be a power of two from 2 to 64: " + wrOutstanding);
        }
        if (maxLen < 16 || maxLen > (1 << 30) || Integer.bitCount(maxLen) != 1) {
            throw new IllegalArgumentException("MAX_LEN must be a power of two from 16 to 2^30: " + maxLen);
        }
        this.descDepth = descDepth;
        this.maxBurst = maxBurst;
        this.rdFifoDepth = rdFifoDepth;
        this.wrOutstanding = wrOutstanding;
        this.maxLen = maxLen;
        this.descMask = 2L * descDepth - 1;
        this.rdfMask = 2L * rdFifoDepth - 1;
        int lenW = Integer.numberOfTrailingZeros(maxLen) + 1;
        int beatW = lenW - 2;
        this.beatMask = (1L << beatW) - 1;
        int descPtrWidth = Integer.numberOfTrailingZeros(descDepth) + 1;
        int rdfPtrWidth = Integer.numberOfTrailingZeros(rdFifoDepth) + 1;
        int burstW = Integer.numberOfTrailingZeros(maxBurst) + 1;
        int woAw = Integer.numberOfTrailingZeros(wrOutstanding);

        rst = input("rst", 1);
        sDescValid = input("s_desc_valid", 1);
        sDescReady = output("s_desc_ready", 1);
        sDescSrc = input("s_desc_src", 48);
        sDescDst = input("s_desc_dst", 48);
        sDescLen = input("s_desc_len", 32);
        sDescCookie = input("s_desc_cookie", 16);
        mCplValid = output("m_cpl_valid", 1);
        mCplReady = input("m_cpl_ready", 1);
        mCplCookie = output("m_cpl_cookie", 16);
        mCplStatus = output("m_cpl_status", 2);
        mRdValid = output("m_rd_valid", 1);
        mRdReady = input("m_rd_ready", 1);
        mRdAddr = output("m_rd_addr", 48);
        mRdBeats = output("m_rd_beats", 8);
        sRdataValid = input("s_rdata_valid", 1);
        sRdataReady = output("s_rdata_ready", 1);
        sRdataData = input("s_rdata_data", 64);
        sRdataResp = input("s_rdata_resp", 2);
        input("s_rdata_last", 1); // part of the bus contract; the engine counts beats
        mWrValid = output("m_wr_valid", 1);
        mWrReady = input("m_wr_ready", 1);
        mWrAddr = output("m_wr_addr", 48);
        mWrData = output("m_wr_data", 64);
        mWrStrb = output("m_wr_strb", 8);
        sWrespValid = input("s_wresp_valid", 1);
        sWrespReady = output("s_wresp_ready", 1);
        sWrespResp = input("s_wresp_resp", 2);

        descWrPtr = reg("desc_wr_ptr_reg", descPtrWidth);
        descRdPtr = reg("desc_rd_ptr_reg", descPtrWidth);
        descWqPtr = reg("desc_wq_ptr_reg", descPtrWidth);
        descDonePtr = reg("desc_done_ptr_reg", descPtrWidth);
        descCplPtr = reg("desc_cpl_ptr_reg", descPtrWidth);
        rdmAddr = mem("rdm_addr_mem", 45, descDepth);
        rdmBeats = mem("rdm_beats_mem", beatW, descDepth);
        rdmZero = mem("rdm_zero_mem", 1, descDepth);
        rdmToBoundary = mem("rdm_to_boundary_mem", burstW, descDepth);
        wqmAddr = mem("wqm_addr_mem", 45, descDepth);
        wqmSrcBeats = mem("wqm_src_beats_mem", beatW, descDepth);
        wqmDstBeats = mem("wqm_dst_beats_mem", beatW, descDepth);
        wqmShift = mem("wqm_shift_mem", 4, descDepth);
        wqmFirstStrb = mem("wqm_first_strb_mem", 8, descDepth);
        wqmLastStrb = mem("wqm_last_strb_mem", 8, descDepth);
        wqmFlags = mem("wqm_flags_mem", 4, descDepth);
        cookieMem = mem("cookie_mem", 16, descDepth);
        statusMem = mem("status_mem", 2, descDepth);

        rdqValid = reg("rdq_valid_reg", 1);
        rdqAddr = reg("rdq_addr_reg", 45);
        rdqBeats = reg("rdq_beats_reg", beatW);
        rdqZero = reg("rdq_zero_reg", 1);
        rdqToBoundary = reg("rdq_to_boundary_reg", burstW);
        rdActive = reg("rd_active_reg", 1);
        rdSized = reg("rd_sized_reg", 1);
        rdAddr = reg("rd_addr_reg", 45);
        rdLeft = reg("rd_left_reg", beatW);
        rdBurst = reg("rd_burst_reg", burstW);
        rdFinal = reg("rd_final_reg", 1);
        rdRoom = reg("rd_room_reg", rdfPtrWidth);
        rdRet = reg("rd_ret_reg", 1);
        rdValid = reg("rd_valid_reg", 1);
        rdReqAddr = reg("rd_req_addr_reg", 48);
        rdReqBeats = reg("rd_req_beats_reg", 8);

        rdfData = mem("rdf_mem_data", 64, rdFifoDepth);
        rdfErr = mem("rdf_mem_err", 1, rdFifoDepth);
        rdfWrPtr = reg("rdf_wr_ptr_reg", rdfPtrWidth);
        rdfRdPtr = reg("rdf_rd_ptr_reg", rdfPtrWidth);
        rdfHeadValid = reg("rdf_head_valid_reg", 1);
        rdfHead = reg("rdf_head_reg", 64);
        rdfHeadErr = reg("rdf_head_err_reg", 1);

        wqValid = reg("wq_valid_reg", 1);
        wqAddr = reg("wq_addr_reg", 45);
        wqSrcBeats = reg("wq_src_beats_reg", beatW);
        wqDstBeats = reg("wq_dst_beats_reg", beatW);
        wqShift = reg("wq_shift_reg", 4);
        wqFirstStrb = reg("wq_first_strb_reg", 8);
        wqLastStrb = reg("wq_last_strb_reg", 8);
        wqFlags = reg("wq_flags_reg", 4);
        wrActive = reg("wr_active_reg", 1);
        wrPrimed = reg("wr_primed_reg", 1);
        wrSrcLeft = reg("wr_src_left_reg", beatW);
        wrSrcDone = reg("wr_src_done_reg", 1);
        wrDstLeft = reg("wr_dst_left_reg", beatW);
        wrIsLast = reg("wr_is_last_reg", 1);
        wrShift = reg("wr_shift_reg", 4);
        wrAddr = reg("wr_addr_reg", 45);
        wrFirst = reg("wr_first_reg", 1);
        wrFirstStrb = reg("wr_first_strb_reg", 8);
        wrLastStrb = reg("wr_last_strb_reg", 8);
        wrRerr = reg("wr_rerr_reg", 1);
        carry = reg("carry_reg", 64);
        wrValid = reg("wr_valid_reg", 1);
        wrOutAddr = reg("wr_out_addr_reg", 48);
        wrOutData = reg("wr_out_data_reg", 64);
        wrOutStrb = reg("wr_out_strb_reg", 8);
        woCount = reg("wo_count_reg", woAw + 1);
        woIssuePtr = reg("wo_issue_ptr_reg", woAw);
        woRespPtr = reg("wo_resp_ptr_reg", woAw);
        woLast = reg("wo_last_reg", wrOutstanding);
        woRerr = reg("wo_rerr_reg", wrOutstanding);
        woWerr = reg("wo_werr_reg", 1);

        cplValid = reg("cpl_valid_reg", 1);
        cplCookie = reg("cpl_cookie_reg", 16);
        cplStatus = reg("cpl_status_reg", 2);
        resetState();
    }

    // Flags: functions of state only (the Verilog's wires on registers).
    private boolean descFull() {
        return ((descWrPtr.get() - descCplPtr.get()) & descMask) == descDepth;
    }

    private boolean rdfFull() {
        return ((rdfWrPtr.get() - rdfRdPtr.get()) & rdfMask) == rdFifoDepth;
    }

    private boolean woEmpty() {
        return woCount.get() == 0;
    }

    @Override
    protected void drive() {
        sDescReady.set(!descFull());
        mCplValid.set(cplValid.get());
        mCplCookie.set(cplCookie.get());
        mCplStatus.set(cplStatus.get());
        mRdValid.set(rdValid.get());
        mRdAddr.set(rdReqAddr.get());
        mRdBeats.set(rdReqBeats.get());
        sRdataReady.set(!rdfFull());
        mWrValid.set(wrValid.get());
        mWrAddr.set(wrOutAddr.get());
        mWrData.set(wrOutData.get());
        mWrStrb.set(wrOutStrb.get());
        sWrespReady.set(!woEmpty());
    }

    /** Beats covering len bytes from byte offset lane: ceil((lane + len) / 8), 0 for len 0. */
    static long beats(long lane, long len) {
        return (lane + len + 7) >>> 3;
    }

    /** The 8 bytes at byte offset shift (1..8) of the 16-byte window {hi, lo}. */
    static long window(long hi, long lo, int shift) {
        return shift == 8 ? hi : (lo >>> (8 * shift)) | (hi << (64 - 8 * shift));
    }

    private static long setBit(long word, long at, boolean bit) {
        return (word & ~(1L << at)) | ((bit ? 1L : 0L) << at);
    }

    @Override
    protected void nextState() {
        // ================================================ descriptor in
        final boolean descAccept = sDescValid.isHigh() && !descFull();
        final int descWrAt = (int) descWrPtr.get() & (descDepth - 1);

        // ================================================ read side (wires)
        final boolean rdOutFree = !rdValid.isHigh() || mRdReady.isHigh();
        final boolean rdCreditOk = rdRoom.get() >= maxBurst;
        final boolean rdIssue = rdActive.isHigh() && rdSized.isHigh() && rdOutFree && rdCreditOk;
        final boolean rdTake = rdqValid.isHigh() && (!rdActive.isHigh() || (rdIssue && rdFinal.isHigh()));
        final boolean rdqLoad = (!rdqValid.isHigh() || rdTake) && descRdPtr.get() != descWrPtr.get();
        final boolean rdqFits = rdqBeats.get() <= rdqToBoundary.get();
        final boolean rdLeftFits = rdLeft.get() <= maxBurst;

        // ================================================ read-data FIFO (wires)
        final boolean rdfFull = rdfFull();
        final boolean rdfPush = sRdataValid.isHigh() && !rdfFull;

        // ================================================ write side (wires)
        final boolean outFree = !wrValid.isHigh() || mWrReady.isHigh();
        final boolean woRoom = woCount.get() < wrOutstanding;
        final boolean woEmpty = woEmpty();
        final long flags = wqFlags.get();
        final boolean wqBad = (flags & 8) != 0;
        final boolean wqZero = (flags & 4) != 0;
        final boolean wqPrime = (flags & 2) != 0;
        final boolean wqOne = (flags & 1) != 0;
        final boolean wqTake = wqValid.isHigh() && !wrActive.isHigh() && (!wqZero || woEmpty);
        final boolean wqmLoad = (!wqValid.isHigh() || wqTake) && descWqPtr.get() != descWrPtr.get();
        final boolean zeroRetire = wqTake && wqZero;

        final boolean active = wrActive.isHigh();
        final boolean primed = wrPrimed.isHigh();
        final boolean srcDone = wrSrcDone.isHigh();
        final boolean headValid = rdfHeadValid.isHigh();
        final boolean headErr = rdfHeadErr.isHigh();
        final boolean primePop = active && !primed && headValid;
        final boolean wrEmit = active && primed && outFree && woRoom && (srcDone || headValid);
        final boolean rdfPop = primePop || (wrEmit && !srcDone);
        final boolean rdfLoad = (!headValid || rdfPop) && rdfWrPtr.get() != rdfRdPtr.get();
        final boolean wrTainted = wrRerr.isHigh() || (!srcDone && headErr);

        // ================================================ write responses (wires)
        final boolean wrespAccept = sWrespValid.isHigh() && !woEmpty;
        final long respAt = woRespPtr.get();
        final boolean wbLast = (woLast.get() >>> respAt & 1) != 0;
        final boolean wbRerr = (woRerr.get() >>> respAt & 1) != 0;
        final boolean wbWerr = woWerr.isHigh() || (sWrespResp.get() & 2) != 0;
        final boolean wbRetire = wrespAccept && wbLast;

        // ================================================ completions (wires)
        final boolean cplLoad = (!cplValid.isHigh() || mCplReady.isHigh()) && descCplPtr.get() != descDonePtr.get();

        // ================================================ descriptor in (always_ff)
        if (descAccept) {
            long len = sDescLen.get();
            boolean bad = len > maxLen;
            boolean zero = bad || len == 0;
            long s = sDescSrc.get() & 7;
            long dst = sDescDst.get();
            long d = dst & 7;
            long srcBeats = zero ? 0 : beats(s, len);
            long dstBeats = zero ? 0 : beats(d, len);
            boolean prime = s > d;
            long shift = prime ? s - d : 8 - (d - s);
            long lastLane = (d + (len & 7) - 1) & 7;
            rdmAddr.write(descWrAt, sDescSrc.get() >>> 3);
            rdmBeats.write(descWrAt, srcBeats);
            rdmZero.write(descWrAt, zero ? 1 : 0);
            rdmToBoundary.write(descWrAt, maxBurst - ((sDescSrc.get() >>> 3) & (maxBurst - 1)));
            wqmAddr.write(descWrAt, dst >>> 3);
            wqmSrcBeats.write(descWrAt, srcBeats);
            wqmDstBeats.write(descWrAt, dstBeats);
            wqmShift.write(descWrAt, shift);
            wqmFirstStrb.write(descWrAt, 0xFFL << d);
            wqmLastStrb.write(descWrAt, 0xFFL >>> (7 - lastLane));
            wqmFlags.write(descWrAt, (bad ? 8 : 0) | (zero ? 4 : 0) | (prime ? 2 : 0) | (dstBeats == 1 ? 1 : 0));
            cookieMem.write(descWrAt, sDescCookie.get());
        }

        // ================================================ read side (always_ff)
        if (rdqLoad) {
            int at = (int) descRdPtr.get() & (descDepth - 1);
            rdqAddr.next(rdmAddr.read(at));
            rdqBeats.next(rdmBeats.read(at));
            rdqZero.next(rdmZero.read(at));
            rdqToBoundary.next(rdmToBoundary.read(at));
            rdqValid.next(1);
            descRdPtr.next(descRdPtr.get() + 1);
        } else if (rdTake) {
            rdqValid.next(0);
        }
        if (rdIssue) {
            rdValid.next(1);
            rdReqAddr.next(rdAddr.get() << 3);
            rdReqBeats.next(rdBurst.get());
            rdAddr.next((rdAddr.get() + rdBurst.get()) & BEAT_ADDR_MASK);
            rdLeft.next((rdLeft.get() - rdBurst.get()) & beatMask);
            rdSized.next(0);
            if (rdFinal.isHigh()) {
                rdActive.next(0);
            }
        } else {
            if (mRdReady.isHigh()) {
                rdValid.next(0);
            }
            if (rdActive.isHigh() && !rdSized.isHigh()) {
                rdBurst.next(rdLeftFits ? rdLeft.get() : maxBurst);
                rdFinal.next(rdLeftFits);
                rdSized.next(1);
            }
        }
        if (rdTake && !rdqZero.isHigh()) {
            rdActive.next(1);
            rdSized.next(1);
            rdAddr.next(rdqAddr.get());
            rdLeft.next(rdqBeats.get());
            rdBurst.next(rdqFits ? rdqBeats.get() : rdqToBoundary.get());
            rdFinal.next(rdqFits);
        }
        rdRoom.next(rdRoom.get() - (rdIssue ? rdBurst.get() : 0) + rdRet.get());
        rdRet.next(rdfPop);

        // ================================================ read-data FIFO (always_ff)
        if (rdfPush) {
            int at = (int) rdfWrPtr.get() & (rdFifoDepth - 1);
            rdfData.write(at, sRdataData.get());
            rdfErr.write(at, (sRdataResp.get() >>> 1) & 1);
            rdfWrPtr.next(rdfWrPtr.get() + 1);
        }
        if (rdfLoad) {
            int at = (int) rdfRdPtr.get() & (rdFifoDepth - 1);
            rdfHead.next(rdfData.read(at));
            rdfHeadErr.next(rdfErr.read(at));
            rdfHeadValid.next(1);
            rdfRdPtr.next(rdfRdPtr.get() + 1);
        } else if (rdfPop) {
            rdfHeadValid.next(0);
        }

        // ================================================ write side (always_ff)
        if (wqmLoad) {
            int at = (int) descWqPtr.get() & (descDepth - 1);
            wqAddr.next(wqmAddr.read(at));
            wqSrcBeats.next(wqmSrcBeats.read(at));
            wqDstBeats.next(wqmDstBeats.read(at));
            wqShift.next(wqmShift.read(at));
            wqFirstStrb.next(wqmFirstStrb.read(at));
            wqLastStrb.next(wqmLastStrb.read(at));
            wqFlags.next(wqmFlags.read(at));
            wqValid.next(1);
            descWqPtr.next(descWqPtr.get() + 1);
        } else if (wqTake) {
            wqValid.next(0);
        }
        if (wqTake && !wqZero) {
            wrActive.next(1);
            wrPrimed.next(!wqPrime);
            wrSrcLeft.next(wqSrcBeats.get());
            wrSrcDone.next(0);
            wrDstLeft.next(wqDstBeats.get());
            wrIsLast.next(wqOne);
            wrShift.next(wqShift.get());
            wrAddr.next(wqAddr.get());
            wrFirst.next(1);
            wrFirstStrb.next(wqFirstStrb.get());
            wrLastStrb.next(wqLastStrb.get());
            wrRerr.next(0);
        }
        final long srcLeft = wrSrcLeft.get();
        if (primePop) {
            wrPrimed.next(1);
            wrSrcLeft.next((srcLeft - 1) & beatMask);
            wrSrcDone.next(srcLeft == 1);
            wrRerr.next(headErr);
        }
        if (rdfPop) {
            carry.next(rdfHead.get());
        }
        if (wrEmit) {
            long data = window(rdfHead.get(), carry.get(), (int) wrShift.get());
            long strb = wrTainted ? 0
                    : (wrFirst.isHigh() ? wrFirstStrb.get() : 0xFF) & (wrIsLast.isHigh() ? wrLastStrb.get() : 0xFF);
            wrValid.next(1);
            wrOutAddr.next(wrAddr.get() << 3);
            wrOutData.next(data);
            wrOutStrb.next(strb);
            wrAddr.next((wrAddr.get() + 1) & BEAT_ADDR_MASK);
            wrFirst.next(0);
            wrDstLeft.next((wrDstLeft.get() - 1) & beatMask);
            wrIsLast.next(wrDstLeft.get() == 2);
            wrRerr.next(wrTainted);
            if (!srcDone) {
                wrSrcLeft.next((srcLeft - 1) & beatMask);
                wrSrcDone.next(srcLeft == 1);
            }
            if (wrIsLast.isHigh()) {
                wrActive.next(0);
            }
        } else if (mWrReady.isHigh()) {
            wrValid.next(0);
        }

        // ================================================ write responses (always_ff)
        if (wrEmit) {
            long at = woIssuePtr.get();
            woLast.next(setBit(woLast.get(), at, wrIsLast.isHigh()));
            woRerr.next(setBit(woRerr.get(), at, wrTainted));
            woIssuePtr.next(at + 1);
        }
        if (wrespAccept) {
            woRespPtr.next(respAt + 1);
            woWerr.next(!wbLast && wbWerr);
        }
        woCount.next(woCount.get() + (wrEmit ? 1 : 0) - (wrespAccept ? 1 : 0));
        final int doneAt = (int) descDonePtr.get() & (descDepth - 1);
        if (wbRetire) {
            statusMem.write(doneAt, wbRerr ? STATUS_READ_ERROR : wbWerr ? STATUS_WRITE_ERROR : STATUS_OK);
        } else if (zeroRetire) {
            statusMem.write(doneAt, wqBad ? STATUS_BAD_DESCRIPTOR : STATUS_OK);
        }
        if (wbRetire || zeroRetire) {
            descDonePtr.next(descDonePtr.get() + 1);
        }

        // ================================================ completions (always_ff)
        if (descAccept) {
            descWrPtr.next(descWrPtr.get() + 1);
        }
        if (cplLoad) {
            int at = (int) descCplPtr.get() & (descDepth - 1);
            cplValid.next(1);
            cplCookie.next(cookieMem.read(at));
            cplStatus.next(statusMem.read(at));
            descCplPtr.next(descCplPtr.get() + 1);
        } else if (mCplReady.isHigh()) {
            cplValid.next(0);
        }

        if (rst.isHigh()) {
            resetState();
        }
    }

    /** The Verilog's {@code if (rst)} branches: every register to its reset value. */
    private void resetState() {
        for (Reg r : registers()) {
            r.next(0);
        }
        wqShift.next(8);
        wrShift.next(8);
        rdRoom.next(rdFifoDepth);
    }
}
