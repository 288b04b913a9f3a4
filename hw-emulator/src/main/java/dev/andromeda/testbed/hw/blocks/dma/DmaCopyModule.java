package dev.andromeda.testbed.hw.blocks.dma;

import dev.andromeda.testbed.hw.kit.Input;
import dev.andromeda.testbed.hw.kit.Mem;
import dev.andromeda.testbed.hw.kit.Module;
import dev.andromeda.testbed.hw.kit.Output;
import dev.andromeda.testbed.hw.kit.Reg;

/**
 * Java cycle model of {@code rtl/dma_copy/dma_copy.sv}, written with the
 * plain-Java RTL kit and cycle-accurate to it: the same registers, the same
 * memories, the same next-state equations, so every output matches the
 * Verilated RTL on every cycle (checked by the lockstep test).
 *
 * <p>Read it beside the Verilog: each block below names the Verilog it mirrors.
 */
public final class DmaCopyModule extends Module {
    public static final String BLOCK = "dma_copy";

    private static final long ADDR_MASK = (1L << 48) - 1;
    private static final long U32 = 0xFFFF_FFFFL;

    private final int descDepth;
    private final int maxBurst;
    private final int rdFifoDepth;
    private final int descMask;
    private final int rdfMask;

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
    private final Output mWrValid;
    private final Input mWrReady;
    private final Output mWrAddr;
    private final Output mWrData;
    private final Output mWrStrb;

    // State (names as in the Verilog).
    private final Mem descSrcMem;
    private final Mem descDstMem;
    private final Mem descLenMem;
    private final Mem descCookieMem;
    private final Reg descWrPtr;
    private final Reg descRdPtr;
    private final Reg descWqPtr;
    private final Reg descDonePtr;
    private final Reg descCplPtr;
    private final Reg rdAddr;
    private final Reg rdLeft;
    private final Reg rdCredit;
    private final Reg rdValid;
    private final Reg rdReqAddr;
    private final Reg rdReqBeats;
    private final Mem rdfMem;
    private final Reg rdfWrPtr;
    private final Reg rdfRdPtr;
    private final Reg wrActive;
    private final Reg wrPrimed;
    private final Reg wrSrcLeft;
    private final Reg wrDstLeft;
    private final Reg wrShift;
    private final Reg wrAddr;
    private final Reg wrFirst;
    private final Reg wrFirstStrb;
    private final Reg wrLastStrb;
    private final Reg carry;
    private final Reg wrValid;
    private final Reg wrOutAddr;
    private final Reg wrOutData;
    private final Reg wrOutStrb;
    private final Reg wrOutLast;
    private final Reg cplValid;
    private final Reg cplCookie;

    /** The RTL's default parameters: DESC_DEPTH 16, MAX_BURST 32, RD_FIFO_DEPTH 256. */
    public DmaCopyModule() {
        this(16, 32, 256);
    }

    /** DATA_WIDTH is fixed at 64, as in the RTL. */
    public DmaCopyModule(int descDepth, int maxBurst, int rdFifoDepth) {
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
        this.descDepth = descDepth;
        this.maxBurst = maxBurst;
        this.rdFifoDepth = rdFifoDepth;
        this.descMask = 2 * descDepth - 1;
        this.rdfMask = 2 * rdFifoDepth - 1;
        int descPtrWidth = Integer.numberOfTrailingZeros(descDepth) + 1;
        int rdfPtrWidth = Integer.numberOfTrailingZeros(rdFifoDepth) + 1;

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
        input("s_rdata_last", 1); // part of the bus contract; the engine counts beats
        mWrValid = output("m_wr_valid", 1);
        mWrReady = input("m_wr_ready", 1);
        mWrAddr = output("m_wr_addr", 48);
        mWrData = output("m_wr_data", 64);
        mWrStrb = output("m_wr_strb", 8);

        descSrcMem = mem("desc_src_mem", 48, descDepth);
        descDstMem = mem("desc_dst_mem", 48, descDepth);
        descLenMem = mem("desc_len_mem", 32, descDepth);
        descCookieMem = mem("desc_cookie_mem", 16, descDepth);
        descWrPtr = reg("desc_wr_ptr_reg", descPtrWidth);
        descRdPtr = reg("desc_rd_ptr_reg", descPtrWidth);
        descWqPtr = reg("desc_wq_ptr_reg", descPtrWidth);
        descDonePtr = reg("desc_done_ptr_reg", descPtrWidth);
        descCplPtr = reg("desc_cpl_ptr_reg", descPtrWidth);
        rdAddr = reg("rd_addr_reg", 48);
        rdLeft = reg("rd_left_reg", 32);
        rdCredit = reg("rd_credit_reg", rdfPtrWidth);
        rdValid = reg("rd_valid_reg", 1);
        rdReqAddr = reg("rd_req_addr_reg", 48);
        rdReqBeats = reg("rd_req_beats_reg", 8);
        rdfMem = mem("rdf_mem", 64, rdFifoDepth);
        rdfWrPtr = reg("rdf_wr_ptr_reg", rdfPtrWidth);
        rdfRdPtr = reg("rdf_rd_ptr_reg", rdfPtrWidth);
        wrActive = reg("wr_active_reg", 1);
        wrPrimed = reg("wr_primed_reg", 1);
        wrSrcLeft = reg("wr_src_left_reg", 32);
        wrDstLeft = reg("wr_dst_left_reg", 32);
        wrShift = reg("wr_shift_reg", 4);
        wrAddr = reg("wr_addr_reg", 48);
        wrFirst = reg("wr_first_reg", 1);
        wrFirstStrb = reg("wr_first_strb_reg", 8);
        wrLastStrb = reg("wr_last_strb_reg", 8);
        carry = reg("carry_reg", 64);
        wrValid = reg("wr_valid_reg", 1);
        wrOutAddr = reg("wr_out_addr_reg", 48);
        wrOutData = reg("wr_out_data_reg", 64);
        wrOutStrb = reg("wr_out_strb_reg", 8);
        wrOutLast = reg("wr_out_last_reg", 1);
        cplValid = reg("cpl_valid_reg", 1);
        cplCookie = reg("cpl_cookie_reg", 16);
    }

    // Flags: functions of state only (the Verilog's "flags" wires).
    private boolean descFull() {
        return ((descWrPtr.get() - descCplPtr.get()) & descMask) == descDepth;
    }

    private boolean rdfFull() {
        return ((rdfWrPtr.get() - rdfRdPtr.get()) & rdfMask) == rdFifoDepth;
    }

    private boolean rdfEmpty() {
        return rdfWrPtr.get() == rdfRdPtr.get();
    }

    @Override
    protected void drive() {
        sDescReady.set(!descFull());
        mCplValid.set(cplValid.get());
        mCplCookie.set(cplCookie.get());
        mCplStatus.set(0);
        mRdValid.set(rdValid.get());
        mRdAddr.set(rdReqAddr.get());
        mRdBeats.set(rdReqBeats.get());
        sRdataReady.set(!rdfFull());
        mWrValid.set(wrValid.get());
        mWrAddr.set(wrOutAddr.get());
        mWrData.set(wrOutData.get());
        mWrStrb.set(wrOutStrb.get());
    }

    /** Source beats covering len bytes from byte offset lane: ceil((lane + len) / 8), 0 for len 0. */
    static long beats(long lane, long len) {
        return (lane + len + 7) >>> 3;
    }

    /** The 8 bytes at byte offset shift (1..8) of the 16-byte window {hi, lo}. */
    static long window(long hi, long lo, int shift) {
        return shift == 8 ? hi : (lo >>> (8 * shift)) | (hi << (64 - 8 * shift));
    }

    @Override
    protected void nextState() {
        // ---- descriptor in
        final boolean descAccept = sDescValid.isHigh() && !descFull();

        // ---- read side
        final int rdDescAt = (int) descRdPtr.get() & (descDepth - 1);
        final long rdDescSrc = descSrcMem.read(rdDescAt);
        final long rdDescLen = descLenMem.read(rdDescAt);
        final long rdDescBeats = rdDescLen == 0 ? 0 : beats(rdDescSrc & 7, rdDescLen);
        final long left = rdLeft.get();
        final boolean rdLoad = left == 0 && descRdPtr.get() != descWrPtr.get();
        final long toBoundary = maxBurst - ((rdAddr.get() >>> 3) & (maxBurst - 1));
        final long rdBurst = Math.min(left, toBoundary);
        final boolean rdIssue = left != 0
                && (!rdValid.isHigh() || mRdReady.isHigh())
                && rdCredit.get() + rdBurst <= rdFifoDepth;

        final boolean rdfPush = sRdataValid.isHigh() && !rdfFull();
        final long rdfHead = rdfMem.read((int) rdfRdPtr.get() & (rdFifoDepth - 1));
        final boolean rdfEmpty = rdfEmpty();

        // ---- write side
        final boolean outFree = !wrValid.isHigh() || mWrReady.isHigh();
        final int wqAt = (int) descWqPtr.get() & (descDepth - 1);
        final long wqS = descSrcMem.read(wqAt) & 7;
        final long wqDst = descDstMem.read(wqAt);
        final long wqD = wqDst & 7;
        final long wqLen = descLenMem.read(wqAt);
        final boolean wqZero = wqLen == 0;
        final boolean wqPrime = wqS > wqD;
        final long wqShift = wqPrime ? wqS - wqD : 8 - (wqD - wqS);
        final long wqLastLane = (wqD + (wqLen & 7) - 1) & 7;
        final boolean wqLoad = !wrActive.isHigh() && descWqPtr.get() != descRdPtr.get() && (!wqZero || outFree);
        final boolean zeroRetire = wqLoad && wqZero;

        final boolean active = wrActive.isHigh();
        final boolean primed = wrPrimed.isHigh();
        final long srcLeft = wrSrcLeft.get();
        final long dstLeft = wrDstLeft.get();
        final boolean primePop = active && !primed && !rdfEmpty;
        final boolean wrEmit = active && primed && outFree && (srcLeft == 0 || !rdfEmpty);
        final boolean wrHasSrc = srcLeft != 0;
        final boolean rdfPop = primePop || (wrEmit && wrHasSrc);
        final boolean wrIsLast = dstLeft == 1;

        final boolean wrLastAccept = wrValid.isHigh() && mWrReady.isHigh() && wrOutLast.isHigh();

        // ---- completions
        final boolean cplLoad = (!cplValid.isHigh() || mCplReady.isHigh()) && descCplPtr.get() != descDonePtr.get();

        // ---- registers (always_ff, in the Verilog's order)
        if (descAccept) {
            int at = (int) descWrPtr.get() & (descDepth - 1);
            descSrcMem.write(at, sDescSrc.get());
            descDstMem.write(at, sDescDst.get());
            descLenMem.write(at, sDescLen.get());
            descCookieMem.write(at, sDescCookie.get());
            descWrPtr.next(descWrPtr.get() + 1);
        }

        if (rdLoad) {
            rdAddr.next(rdDescSrc & ~7L);
            rdLeft.next(rdDescBeats);
            descRdPtr.next(descRdPtr.get() + 1);
        }
        if (rdIssue) {
            rdValid.next(1);
            rdReqAddr.next(rdAddr.get());
            rdReqBeats.next(rdBurst);
            rdAddr.next((rdAddr.get() + (rdBurst << 3)) & ADDR_MASK);
            rdLeft.next((left - rdBurst) & U32);
        } else if (mRdReady.isHigh()) {
            rdValid.next(0);
        }
        rdCredit.next(rdCredit.get() + (rdIssue ? rdBurst : 0) - (rdfPop ? 1 : 0));

        if (rdfPush) {
            rdfMem.write((int) rdfWrPtr.get() & (rdFifoDepth - 1), sRdataData.get());
            rdfWrPtr.next(rdfWrPtr.get() + 1);
        }
        if (rdfPop) {
            rdfRdPtr.next(rdfRdPtr.get() + 1);
            carry.next(rdfHead);
        }

        if (wqLoad) {
            descWqPtr.next(descWqPtr.get() + 1);
            wrActive.next(!wqZero);
            wrPrimed.next(!wqPrime);
            wrSrcLeft.next(beats(wqS, wqLen));
            wrDstLeft.next(beats(wqD, wqLen));
            wrShift.next(wqShift);
            wrAddr.next(wqDst & ~7L);
            wrFirst.next(1);
            wrFirstStrb.next(0xFFL << wqD);
            wrLastStrb.next(0xFFL >>> (7 - wqLastLane));
        }
        if (primePop) {
            wrPrimed.next(1);
            wrSrcLeft.next(srcLeft - 1);
        }
        if (wrEmit) {
            long fresh = wrHasSrc ? rdfHead : 0;
            long data = window(fresh, carry.get(), (int) wrShift.get());
            long strb = (wrFirst.isHigh() ? wrFirstStrb.get() : 0xFF) & (wrIsLast ? wrLastStrb.get() : 0xFF);
            wrValid.next(1);
            wrOutAddr.next(wrAddr.get());
            wrOutData.next(data);
            wrOutStrb.next(strb);
            wrOutLast.next(wrIsLast);
            wrAddr.next((wrAddr.get() + 8) & ADDR_MASK);
            wrFirst.next(0);
            wrDstLeft.next((dstLeft - 1) & U32);
            if (wrHasSrc) {
                wrSrcLeft.next(srcLeft - 1);
            }
            if (wrIsLast) {
                wrActive.next(0);
            }
        } else if (mWrReady.isHigh()) {
            wrValid.next(0);
        }
        descDonePtr.next(descDonePtr.get() + (wrLastAccept ? 1 : 0) + (zeroRetire ? 1 : 0));

        if (cplLoad) {
            cplValid.next(1);
            cplCookie.next(descCookieMem.read((int) descCplPtr.get() & (descDepth - 1)));
            descCplPtr.next(descCplPtr.get() + 1);
        } else if (mCplReady.isHigh()) {
            cplValid.next(0);
        }

        if (rst.isHigh()) {
            descWrPtr.next(0);
            descRdPtr.next(0);
            descWqPtr.next(0);
            descDonePtr.next(0);
            descCplPtr.next(0);
            rdAddr.next(0);
            rdLeft.next(0);
            rdCredit.next(0);
            rdValid.next(0);
            rdReqAddr.next(0);
            rdReqBeats.next(0);
            rdfWrPtr.next(0);
            rdfRdPtr.next(0);
            wrActive.next(0);
            wrPrimed.next(0);
            wrSrcLeft.next(0);
            wrDstLeft.next(0);
            wrShift.next(8);
            wrAddr.next(0);
            wrFirst.next(0);
            wrFirstStrb.next(0);
            wrLastStrb.next(0);
            carry.next(0);
            wrValid.next(0);
            wrOutAddr.next(0);
            wrOutData.next(0);
            wrOutStrb.next(0);
            wrOutLast.next(0);
            cplValid.next(0);
            cplCookie.next(0);
        }
    }
}
