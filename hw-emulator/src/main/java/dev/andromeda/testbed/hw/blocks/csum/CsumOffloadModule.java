package dev.andromeda.testbed.hw.blocks.csum;

import dev.andromeda.testbed.hw.kit.Input;
import dev.andromeda.testbed.hw.kit.Mem;
import dev.andromeda.testbed.hw.kit.Module;
import dev.andromeda.testbed.hw.kit.Output;
import dev.andromeda.testbed.hw.kit.Reg;

/**
 * Java cycle model of {@code rtl/csum_offload/csum_offload.sv}, written with
 * the plain-Java RTL kit and cycle-accurate to it: the same registers, the
 * same memories, the same next-state equations, so every output matches the
 * Verilated RTL on every cycle (checked by the lockstep test).
 *
 * <p>Read it beside the Verilog: each block below names the Verilog it mirrors.
 */
public final class CsumOffloadModule extends Module {
    public static final String BLOCK = "csum_offload";
    /** m_res_status values, as the Verilog's ST_*. */
    public static final int STATUS_OK = 0;
    public static final int STATUS_TOO_LONG = 1;
    public static final int STATUS_BAD_KEEP = 2;
    public static final int STATUS_BAD_OFFSET = 3;
    /** The RTL's default MAX_PACKET_BYTES. */
    public static final int DEFAULT_MAX_PACKET_BYTES = 9216;

    private final int keepWidth;
    private final int words;
    private final int cmdMask;
    private final int bufMask;
    private final int infoMask;
    private final int cmdDepth;
    private final int bufDepth;
    private final int infoDepth;
    private final int maxPacketBytes;
    private final long keepMask;

    // Ports.
    private final Input rst;
    private final Input sCmdValid;
    private final Output sCmdReady;
    private final Input sCmdCsumStart;
    private final Input sCmdCsumOffset;
    private final Input sCmdCsumEnable;
    private final Input sCmdCsumInit;
    private final Input sCmdCsumUdp;
    private final Input sAxisTdata;
    private final Input sAxisTkeep;
    private final Input sAxisTvalid;
    private final Output sAxisTready;
    private final Input sAxisTlast;
    private final Output mAxisTdata;
    private final Output mAxisTkeep;
    private final Output mAxisTvalid;
    private final Input mAxisTready;
    private final Output mAxisTlast;
    private final Output mResValid;
    private final Input mResReady;
    private final Output mResCsum;
    private final Output mResStatus;
    private final Output errCount;

    // State (names as in the Verilog).
    private final Mem cmdStartMem;
    private final Mem cmdOffsetMem;
    private final Mem cmdEnableMem;
    private final Mem cmdInitMem;
    private final Mem cmdUdpMem;
    private final Reg cmdWrPtr;
    private final Reg cmdRdPtr;
    private final Reg inPos;
    private final Reg inAcc;
    private final Reg inStatus;
    private final Mem bufDataMem;
    private final Mem bufKeepMem;
    private final Mem bufLastMem;
    private final Reg bufWrPtr;
    private final Reg bufRdPtr;
    private final Reg bufBasePtr;
    private final Mem infoCsumMem;
    private final Mem infoOffsetMem;
    private final Mem infoEnableMem;
    private final Mem infoStatusMem;
    private final Reg infoWrPtr;
    private final Reg infoRdPtr;
    private final Reg outPos;
    private final Reg outValid;
    private final Reg outData;
    private final Reg outKeep;
    private final Reg outLast;
    private final Reg resValid;
    private final Reg resCsum;
    private final Reg resStatus;
    private final Reg errCountReg;

    /** The RTL's default parameters. */
    public CsumOffloadModule() {
        this(64, 32768, DEFAULT_MAX_PACKET_BYTES, 4, 16);
    }

    public CsumOffloadModule(int dataWidth, int bufferBytes, int maxPacketBytes, int cmdDepth, int infoDepth) {
        super(BLOCK);
        if (dataWidth < 16 || dataWidth > 64 || Integer.bitCount(dataWidth) != 1) {
            throw new IllegalArgumentException("DATA_WIDTH must be a power of two from 16 to 64 in this model: "
                    + dataWidth);
        }
        if (Integer.bitCount(bufferBytes) != 1 || bufferBytes < 2 * maxPacketBytes) {
            throw new IllegalArgumentException("BUFFER_BYTES must be a power of two of at least 2 * MAX_PACKET_BYTES");
        }
        if (cmdDepth < 2 || Integer.bitCount(cmdDepth) != 1 || infoDepth < 2 || Integer.bitCount(infoDepth) != 1) {
            throw new IllegalArgumentException("CMD_DEPTH and INFO_DEPTH must be powers of two, at least 2");
        }
        this.keepWidth = dataWidth / 8;
        this.maxPacketBytes = maxPacketBytes;
        this.keepMask = (1L << keepWidth) - 1;
        this.words = dataWidth / 16;
        this.cmdDepth = cmdDepth;
        this.bufDepth = bufferBytes / keepWidth;
        this.infoDepth = infoDepth;
        this.cmdMask = 2 * cmdDepth - 1;
        this.bufMask = 2 * bufDepth - 1;
        this.infoMask = 2 * infoDepth - 1;
        int cmdPtrWidth = Integer.numberOfTrailingZeros(cmdDepth) + 1;
        int bufPtrWidth = Integer.numberOfTrailingZeros(bufDepth) + 1;
        int infoPtrWidth = Integer.numberOfTrailingZeros(infoDepth) + 1;

        rst = input("rst", 1);
        sCmdValid = input("s_cmd_valid", 1);
        sCmdReady = output("s_cmd_ready", 1);
        sCmdCsumStart = input("s_cmd_csum_start", 16);
        sCmdCsumOffset = input("s_cmd_csum_offset", 16);
        sCmdCsumEnable = input("s_cmd_csum_enable", 1);
        sCmdCsumInit = input("s_cmd_csum_init", 16);
        sCmdCsumUdp = input("s_cmd_csum_udp", 1);
        sAxisTdata = input("s_axis_tdata", dataWidth);
        sAxisTkeep = input("s_axis_tkeep", keepWidth);
        sAxisTvalid = input("s_axis_tvalid", 1);
        sAxisTready = output("s_axis_tready", 1);
        sAxisTlast = input("s_axis_tlast", 1);
        mAxisTdata = output("m_axis_tdata", dataWidth);
        mAxisTkeep = output("m_axis_tkeep", keepWidth);
        mAxisTvalid = output("m_axis_tvalid", 1);
        mAxisTready = input("m_axis_tready", 1);
        mAxisTlast = output("m_axis_tlast", 1);
        mResValid = output("m_res_valid", 1);
        mResReady = input("m_res_ready", 1);
        mResCsum = output("m_res_csum", 16);
        mResStatus = output("m_res_status", 2);
        errCount = output("err_count", 32);

        cmdStartMem = mem("cmd_start_mem", 16, cmdDepth);
        cmdOffsetMem = mem("cmd_offset_mem", 16, cmdDepth);
        cmdEnableMem = mem("cmd_enable_mem", 1, cmdDepth);
        cmdInitMem = mem("cmd_init_mem", 16, cmdDepth);
        cmdUdpMem = mem("cmd_udp_mem", 1, cmdDepth);
        cmdWrPtr = reg("cmd_wr_ptr_reg", cmdPtrWidth);
        cmdRdPtr = reg("cmd_rd_ptr_reg", cmdPtrWidth);
        inPos = reg("in_pos_reg", 16);
        inAcc = reg("in_acc_reg", 32);
        inStatus = reg("in_status_reg", 2);
        bufDataMem = mem("buf_data_mem", dataWidth, bufDepth);
        bufKeepMem = mem("buf_keep_mem", keepWidth, bufDepth);
        bufLastMem = mem("buf_last_mem", 1, bufDepth);
        bufWrPtr = reg("buf_wr_ptr_reg", bufPtrWidth);
        bufRdPtr = reg("buf_rd_ptr_reg", bufPtrWidth);
        bufBasePtr = reg("buf_base_ptr_reg", bufPtrWidth);
        infoCsumMem = mem("info_csum_mem", 16, infoDepth);
        infoOffsetMem = mem("info_offset_mem", 16, infoDepth);
        infoEnableMem = mem("info_enable_mem", 1, infoDepth);
        infoStatusMem = mem("info_status_mem", 2, infoDepth);
        infoWrPtr = reg("info_wr_ptr_reg", infoPtrWidth);
        infoRdPtr = reg("info_rd_ptr_reg", infoPtrWidth);
        outPos = reg("out_pos_reg", 16);
        outValid = reg("out_valid_reg", 1);
        outData = reg("out_data_reg", dataWidth);
        outKeep = reg("out_keep_reg", keepWidth);
        outLast = reg("out_last_reg", 1);
        resValid = reg("res_valid_reg", 1);
        resCsum = reg("res_csum_reg", 16);
        resStatus = reg("res_status_reg", 2);
        errCountReg = reg("err_count_reg", 32);
    }

    // Flags: functions of state only (the Verilog's "flags" wires).
    private boolean cmdEmpty() {
        return cmdWrPtr.get() == cmdRdPtr.get();
    }

    private boolean cmdFull() {
        return ((cmdWrPtr.get() - cmdRdPtr.get()) & cmdMask) == cmdDepth;
    }

    private boolean bufFull() {
        return ((bufWrPtr.get() - bufRdPtr.get()) & bufMask) == bufDepth;
    }

    private boolean infoEmpty() {
        return infoWrPtr.get() == infoRdPtr.get();
    }

    private boolean infoFull() {
        return ((infoWrPtr.get() - infoRdPtr.get()) & infoMask) == infoDepth;
    }

    @Override
    protected void drive() {
        sCmdReady.set(!cmdFull());
        sAxisTready.set(!cmdEmpty() && !bufFull() && !infoFull());
        mAxisTdata.set(outData.get());
        mAxisTkeep.set(outKeep.get());
        mAxisTvalid.set(outValid.get());
        mAxisTlast.set(outLast.get());
        mResValid.set(resValid.get());
        mResCsum.set(resCsum.get());
        mResStatus.set(resStatus.get());
        errCount.set(errCountReg.get());
    }

    @Override
    protected void nextState() {
        final int cmdHead = (int) cmdRdPtr.get() & (cmdDepth - 1);
        final int bufHead = (int) bufRdPtr.get() & (bufDepth - 1);
        final int infoHead = (int) infoRdPtr.get() & (infoDepth - 1);

        // ---- input side
        final boolean cmdAccept = sCmdValid.isHigh() && !cmdFull();
        final boolean inAccept = sAxisTvalid.isHigh() && !cmdEmpty() && !bufFull() && !infoFull();

        if (cmdAccept) {
            int at = (int) cmdWrPtr.get() & (cmdDepth - 1);
            cmdStartMem.write(at, sCmdCsumStart.get());
            cmdOffsetMem.write(at, sCmdCsumOffset.get());
            cmdEnableMem.write(at, sCmdCsumEnable.get());
            cmdInitMem.write(at, sCmdCsumInit.get());
            cmdUdpMem.write(at, sCmdCsumUdp.get());
            cmdWrPtr.next(cmdWrPtr.get() + 1);
        }

        if (inAccept) {
            final long data = sAxisTdata.get();
            final long keep = sAxisTkeep.get();
            final boolean last = sAxisTlast.isHigh();
            final long pos = inPos.get();
            final long start = cmdStartMem.read(cmdHead);
            long beatSum = 0;
            for (int k = 0; k < words; k++) {
                long hiPos = pos + 2L * k;
                long loPos = hiPos + 1;
                long hi = ((keep >>> (2 * k)) & 1) != 0 && hiPos >= start ? (data >>> (16 * k)) & 0xFF : 0;
                long lo = ((keep >>> (2 * k + 1)) & 1) != 0 && loPos >= start ? (data >>> (16 * k + 8)) & 0xFF : 0;
                beatSum += (hi << 8) | lo;
            }
            // The beat's checks (the Verilog's beat_bad_keep, beat_too_long, beat_status).
            boolean contiguous = (((keep + 1) & keep) & keepMask) == 0;
            boolean badKeep = last ? !contiguous || (keep == 0 && pos != 0) : keep != keepMask;
            boolean tooLong = false;
            for (int l = 0; l < keepWidth; l++) {
                if (((keep >>> l) & 1) != 0 && pos + l >= maxPacketBytes) {
                    tooLong = true;
                }
            }
            int status = inStatus.get() != STATUS_OK ? (int) inStatus.get()
                    : badKeep ? STATUS_BAD_KEEP : tooLong ? STATUS_TOO_LONG : STATUS_OK;
            if (!last) {
                if (status == STATUS_OK) {
                    int at = (int) bufWrPtr.get() & (bufDepth - 1);
                    bufDataMem.write(at, data);
                    bufKeepMem.write(at, keep);
                    bufLastMem.write(at, 0);
                    bufWrPtr.next(bufWrPtr.get() + 1);
                    inPos.next(pos + keepWidth);
                    inAcc.next(inAcc.get() + beatSum);
                }
                inStatus.next(status);
            } else {
                long length = pos + Long.bitCount(keep);
                boolean enable = cmdEnableMem.read(cmdHead) != 0;
                boolean offsetsBad = start > length || (enable && cmdOffsetMem.read(cmdHead) + 2 > length);
                int lastStatus = status == STATUS_OK && offsetsBad ? STATUS_BAD_OFFSET : status;
                int infoAt = (int) infoWrPtr.get() & (infoDepth - 1);
                if (lastStatus == STATUS_OK) {
                    // Lane-paired sum, byte-swapped for an odd start, then the seed (see the Verilog).
                    long total = (inAcc.get() + beatSum) & 0xFFFFFFFFL;
                    long fold1 = (total & 0xFFFF) + (total >>> 16);
                    long fold2 = ((fold1 & 0xFFFF) + (fold1 >>> 16)) & 0xFFFF;
                    long aligned = (start & 1) != 0 ? ((fold2 & 0xFF) << 8) | (fold2 >>> 8) : fold2;
                    long seeded = aligned + cmdInitMem.read(cmdHead);
                    long folded = ((seeded & 0xFFFF) + (seeded >>> 16)) & 0xFFFF;
                    long csum = cmdUdpMem.read(cmdHead) != 0 && folded == 0xFFFF ? 0xFFFF : ~folded & 0xFFFF;
                    int at = (int) bufWrPtr.get() & (bufDepth - 1);
                    bufDataMem.write(at, data);
                    bufKeepMem.write(at, keep);
                    bufLastMem.write(at, 1);
                    bufWrPtr.next(bufWrPtr.get() + 1);
                    bufBasePtr.next(bufWrPtr.get() + 1);
                    infoCsumMem.write(infoAt, csum);
                    infoEnableMem.write(infoAt, enable ? 1 : 0);
                } else {
                    // Refused: its beats are given back, one empty beat stands for the packet.
                    int at = (int) bufBasePtr.get() & (bufDepth - 1);
                    bufDataMem.write(at, data);
                    bufKeepMem.write(at, 0);
                    bufLastMem.write(at, 1);
                    bufWrPtr.next(bufBasePtr.get() + 1);
                    bufBasePtr.next(bufBasePtr.get() + 1);
                    infoCsumMem.write(infoAt, 0);
                    infoEnableMem.write(infoAt, 0);
                    errCountReg.next(errCountReg.get() + 1);
                }
                infoOffsetMem.write(infoAt, cmdOffsetMem.read(cmdHead));
                infoStatusMem.write(infoAt, lastStatus);
                infoWrPtr.next(infoWrPtr.get() + 1);
                cmdRdPtr.next(cmdRdPtr.get() + 1);
                inPos.next(0);
                inAcc.next(0);
                inStatus.next(STATUS_OK);
            }
        }

        // ---- output side
        final boolean headLast = bufLastMem.read(bufHead) != 0;
        final boolean outLoad = !infoEmpty()
                && (!outValid.isHigh() || mAxisTready.isHigh())
                && (!headLast || !resValid.isHigh() || mResReady.isHigh());

        if (outLoad) {
            long patched = bufDataMem.read(bufHead);
            if (infoEnableMem.read(infoHead) != 0) {
                long csum = infoCsumMem.read(infoHead);
                long offset = infoOffsetMem.read(infoHead);
                long pos = outPos.get();
                for (int l = 0; l < keepWidth; l++) {
                    long p = pos + l;
                    if (p == offset) {
                        patched = setByte(patched, l, csum >>> 8);
                    }
                    if (p == offset + 1) {
                        patched = setByte(patched, l, csum);
                    }
                }
            }
            outValid.next(1);
            outData.next(patched);
            outKeep.next(bufKeepMem.read(bufHead));
            outLast.next(headLast);
            bufRdPtr.next(bufRdPtr.get() + 1);
            if (headLast) {
                outPos.next(0);
                infoRdPtr.next(infoRdPtr.get() + 1);
                resValid.next(1);
                resCsum.next(infoCsumMem.read(infoHead));
                resStatus.next(infoStatusMem.read(infoHead));
            } else {
                outPos.next(outPos.get() + keepWidth);
                if (mResReady.isHigh()) {
                    resValid.next(0);
                }
            }
        } else {
            if (mAxisTready.isHigh()) {
                outValid.next(0);
            }
            if (mResReady.isHigh()) {
                resValid.next(0);
            }
        }

        if (rst.isHigh()) {
            cmdWrPtr.next(0);
            cmdRdPtr.next(0);
            inPos.next(0);
            inAcc.next(0);
            inStatus.next(STATUS_OK);
            bufWrPtr.next(0);
            bufRdPtr.next(0);
            bufBasePtr.next(0);
            infoWrPtr.next(0);
            infoRdPtr.next(0);
            outPos.next(0);
            outValid.next(0);
            outData.next(0);
            outKeep.next(0);
            outLast.next(0);
            resValid.next(0);
            resCsum.next(0);
            resStatus.next(STATUS_OK);
            errCountReg.next(0);
        }
    }

    private static long setByte(long word, int lane, long value) {
        int shift = 8 * lane;
        return (word & ~(0xFFL << shift)) | ((value & 0xFF) << shift);
    }
}
