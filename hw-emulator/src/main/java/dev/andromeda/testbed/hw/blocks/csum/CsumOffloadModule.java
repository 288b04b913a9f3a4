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
 * <p>Read it beside the Verilog: each block below names the Verilog it mirrors. The block is a
 * pipeline: stage 0 accepts a beat and checks it, stage 1 checks the offsets and sums half the
 * beat's words each, stage 2 writes the buffer and sums the halves, stage 3 accumulates, stage 4
 * folds once, stage 5 folds again and writes the info FIFO; the output side reads the buffer
 * synchronously into a head register, then the output register.
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
    /** Free buffer beats s_axis_tready asks for (the Verilog's BUF_SLACK; see there why 5). */
    static final int BUF_SLACK = 5;

    private final int keepWidth;
    private final int laneBits;
    private final int words;
    private final int halfWords;
    private final int cmdMask;
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
    private final Mem cmdOffset2Mem;
    private final Mem cmdEnableMem;
    private final Mem cmdInitMem;
    private final Mem cmdUdpMem;
    private final Reg cmdWrPtr;
    private final Reg cmdRdPtr;
    private final Reg inPos;
    private final Reg inStatus;
    private final Reg inLate;
    // Stage 1.
    private final Reg s1Valid;
    private final Reg s1Last;
    private final Reg s1Data;
    private final Reg s1Keep;
    private final Reg s1SumLanes;
    private final Reg s1Odd;
    private final Reg s1First;
    private final Reg s1Status;
    private final Reg s1Count;
    private final Reg s1StartRem;
    private final Reg s1Offset2Rem;
    private final Reg s1Enable;
    private final Reg s1Offset;
    private final Reg s1Init;
    private final Reg s1Udp;
    // Stage 2.
    private final Reg s2Valid;
    private final Reg s2Last;
    private final Reg s2Data;
    private final Reg s2Keep;
    private final Reg s2Write;
    private final Reg s2Refused;
    private final Reg s2Status;
    private final Reg s2SumLo;
    private final Reg s2SumHi;
    private final Reg s2First;
    private final Reg s2Enable;
    private final Reg s2Offset;
    private final Reg s2Offset1;
    private final Reg s2Init;
    private final Reg s2Udp;
    // Stage 3.
    private final Reg s3Valid;
    private final Reg s3Last;
    private final Reg s3Sum;
    private final Reg s3First;
    private final Reg s3Status;
    private final Reg s3Enable;
    private final Reg s3Offset;
    private final Reg s3Offset1;
    private final Reg s3Init;
    private final Reg s3Udp;
    private final Reg acc;
    // Stage 4.
    private final Reg s4Valid;
    private final Reg s4Status;
    private final Reg s4Enable;
    private final Reg s4Offset;
    private final Reg s4Offset1;
    private final Reg s4Udp;
    // Stage 5.
    private final Reg s5Valid;
    private final Reg s5Fold1;
    private final Reg s5Status;
    private final Reg s5Enable;
    private final Reg s5Offset;
    private final Reg s5Offset1;
    private final Reg s5Udp;
    // Buffer.
    private final Mem bufDataMem;
    private final Mem bufKeepMem;
    private final Mem bufLastMem;
    private final Reg bufWrPtr;
    private final Reg bufRdPtr;
    private final Reg bufBasePtr;
    private final Reg bufUsed;
    private final Reg bufRoom;
    // Info FIFO.
    private final Mem infoCsumMem;
    private final Mem infoOffsetMem;
    private final Mem infoOffset1Mem;
    private final Mem infoEnableMem;
    private final Mem infoStatusMem;
    private final Reg infoResPtr;
    private final Reg infoWrPtr;
    private final Reg infoRdPtr;
    // Output side.
    private final Reg headValid;
    private final Reg headData;
    private final Reg headKeep;
    private final Reg headLast;
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
        if (bufferBytes / (dataWidth / 8) - BUF_SLACK < (maxPacketBytes + dataWidth / 8 - 1) / (dataWidth / 8)) {
            throw new IllegalArgumentException("BUFFER_BYTES must hold a largest packet plus " + BUF_SLACK
                    + " beats of pipeline slack");
        }
        if (cmdDepth < 2 || Integer.bitCount(cmdDepth) != 1 || infoDepth < 2 || Integer.bitCount(infoDepth) != 1) {
            throw new IllegalArgumentException("CMD_DEPTH and INFO_DEPTH must be powers of two, at least 2");
        }
        this.keepWidth = dataWidth / 8;
        this.laneBits = Integer.numberOfTrailingZeros(keepWidth);
        this.maxPacketBytes = maxPacketBytes;
        this.keepMask = (1L << keepWidth) - 1;
        this.words = dataWidth / 16;
        this.halfWords = (words + 1) / 2;
        this.cmdDepth = cmdDepth;
        this.bufDepth = bufferBytes / keepWidth;
        this.infoDepth = infoDepth;
        this.cmdMask = 2 * cmdDepth - 1;
        this.infoMask = 2 * infoDepth - 1;
        int cmdPtrWidth = Integer.numberOfTrailingZeros(cmdDepth) + 1;
        int bufPtrWidth = Integer.numberOfTrailingZeros(bufDepth) + 1;
        int infoPtrWidth = Integer.numberOfTrailingZeros(infoDepth) + 1;
        int sumWidth = 17 + (32 - Integer.numberOfLeadingZeros(words - 1));

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
        cmdOffset2Mem = mem("cmd_offset2_mem", 17, cmdDepth);
        cmdEnableMem = mem("cmd_enable_mem", 1, cmdDepth);
        cmdInitMem = mem("cmd_init_mem", 16, cmdDepth);
        cmdUdpMem = mem("cmd_udp_mem", 1, cmdDepth);
        cmdWrPtr = reg("cmd_wr_ptr_reg", cmdPtrWidth);
        cmdRdPtr = reg("cmd_rd_ptr_reg", cmdPtrWidth);
        inPos = reg("in_pos_reg", 16);
        inStatus = reg("in_status_reg", 2);
        inLate = reg("in_late_reg", keepWidth);
        s1Valid = reg("s1_valid_reg", 1);
        s1Last = reg("s1_last_reg", 1);
        s1Data = reg("s1_data_reg", dataWidth);
        s1Keep = reg("s1_keep_reg", keepWidth);
        s1SumLanes = reg("s1_sum_lanes_reg", keepWidth);
        s1Odd = reg("s1_odd_reg", 1);
        s1First = reg("s1_first_reg", 1);
        s1Status = reg("s1_status_reg", 2);
        s1Count = reg("s1_count_reg", laneBits + 1);
        s1StartRem = reg("s1_start_rem_reg", 18);
        s1Offset2Rem = reg("s1_offset2_rem_reg", 18);
        s1Enable = reg("s1_enable_reg", 1);
        s1Offset = reg("s1_offset_reg", 16);
        s1Init = reg("s1_init_reg", 16);
        s1Udp = reg("s1_udp_reg", 1);
        s2Valid = reg("s2_valid_reg", 1);
        s2Last = reg("s2_last_reg", 1);
        s2Data = reg("s2_data_reg", dataWidth);
        s2Keep = reg("s2_keep_reg", keepWidth);
        s2Write = reg("s2_write_reg", 1);
        s2Refused = reg("s2_refused_reg", 1);
        s2Status = reg("s2_status_reg", 2);
        s2SumLo = reg("s2_sum_lo_reg", sumWidth);
        s2SumHi = reg("s2_sum_hi_reg", sumWidth);
        s2First = reg("s2_first_reg", 1);
        s2Enable = reg("s2_enable_reg", 1);
        s2Offset = reg("s2_offset_reg", 16);
        s2Offset1 = reg("s2_offset1_reg", 16);
        s2Init = reg("s2_init_reg", 16);
        s2Udp = reg("s2_udp_reg", 1);
        s3Valid = reg("s3_valid_reg", 1);
        s3Last = reg("s3_last_reg", 1);
        s3Sum = reg("s3_sum_reg", sumWidth);
        s3First = reg("s3_first_reg", 1);
        s3Status = reg("s3_status_reg", 2);
        s3Enable = reg("s3_enable_reg", 1);
        s3Offset = reg("s3_offset_reg", 16);
        s3Offset1 = reg("s3_offset1_reg", 16);
        s3Init = reg("s3_init_reg", 16);
        s3Udp = reg("s3_udp_reg", 1);
        acc = reg("acc_reg", 32);
        s4Valid = reg("s4_valid_reg", 1);
        s4Status = reg("s4_status_reg", 2);
        s4Enable = reg("s4_enable_reg", 1);
        s4Offset = reg("s4_offset_reg", 16);
        s4Offset1 = reg("s4_offset1_reg", 16);
        s4Udp = reg("s4_udp_reg", 1);
        s5Valid = reg("s5_valid_reg", 1);
        s5Fold1 = reg("s5_fold1_reg", 17);
        s5Status = reg("s5_status_reg", 2);
        s5Enable = reg("s5_enable_reg", 1);
        s5Offset = reg("s5_offset_reg", 16);
        s5Offset1 = reg("s5_offset1_reg", 16);
        s5Udp = reg("s5_udp_reg", 1);
        bufDataMem = mem("buf_data_mem", dataWidth, bufDepth);
        bufKeepMem = mem("buf_keep_mem", keepWidth, bufDepth);
        bufLastMem = mem("buf_last_mem", 1, bufDepth);
        bufWrPtr = reg("buf_wr_ptr_reg", bufPtrWidth);
        bufRdPtr = reg("buf_rd_ptr_reg", bufPtrWidth);
        bufBasePtr = reg("buf_base_ptr_reg", bufPtrWidth);
        bufUsed = reg("buf_used_reg", bufPtrWidth);
        bufRoom = reg("buf_room_reg", 1);
        infoCsumMem = mem("info_csum_mem", 16, infoDepth);
        infoOffsetMem = mem("info_offset_mem", 16, infoDepth);
        infoOffset1Mem = mem("info_offset1_mem", 16, infoDepth);
        infoEnableMem = mem("info_enable_mem", 1, infoDepth);
        infoStatusMem = mem("info_status_mem", 2, infoDepth);
        infoResPtr = reg("info_res_ptr_reg", infoPtrWidth);
        infoWrPtr = reg("info_wr_ptr_reg", infoPtrWidth);
        infoRdPtr = reg("info_rd_ptr_reg", infoPtrWidth);
        headValid = reg("head_valid_reg", 1);
        headData = reg("head_data_reg", dataWidth);
        headKeep = reg("head_keep_reg", keepWidth);
        headLast = reg("head_last_reg", 1);
        outPos = reg("out_pos_reg", 16);
        outValid = reg("out_valid_reg", 1);
        outData = reg("out_data_reg", dataWidth);
        outKeep = reg("out_keep_reg", keepWidth);
        outLast = reg("out_last_reg", 1);
        resValid = reg("res_valid_reg", 1);
        resCsum = reg("res_csum_reg", 16);
        resStatus = reg("res_status_reg", 2);
        errCountReg = reg("err_count_reg", 32);
        // The Verilog resets buf_room_reg to 1; the kit starts every register at 0 and the
        // driver resets the block first, so the reset branch below sets it.
    }

    // Flags: functions of state only (the Verilog's "flags" wires).
    private boolean cmdEmpty() {
        return cmdWrPtr.get() == cmdRdPtr.get();
    }

    private boolean cmdFull() {
        return ((cmdWrPtr.get() - cmdRdPtr.get()) & cmdMask) == cmdDepth;
    }

    private boolean infoEmpty() {
        return infoWrPtr.get() == infoRdPtr.get();
    }

    private boolean infoFull() {
        return ((infoResPtr.get() - infoRdPtr.get()) & infoMask) == infoDepth;
    }

    private boolean sAxisReady() {
        return !cmdEmpty() && bufRoom.isHigh() && !infoFull();
    }

    @Override
    protected void drive() {
        sCmdReady.set(!cmdFull());
        sAxisTready.set(sAxisReady());
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

        if (sCmdValid.isHigh() && !cmdFull()) {
            int at = (int) cmdWrPtr.get() & (cmdDepth - 1);
            cmdStartMem.write(at, sCmdCsumStart.get());
            cmdOffsetMem.write(at, sCmdCsumOffset.get());
            cmdOffset2Mem.write(at, sCmdCsumOffset.get() + 2);
            cmdEnableMem.write(at, sCmdCsumEnable.get());
            cmdInitMem.write(at, sCmdCsumInit.get());
            cmdUdpMem.write(at, sCmdCsumUdp.get());
            cmdWrPtr.next(cmdWrPtr.get() + 1);
        }

        stage0(cmdHead);
        stage1();
        stage2();
        stage3to5();

        // Buffer room for s_axis_tready, two cycles behind.
        bufUsed.next(bufWrPtr.get() - bufRdPtr.get());
        bufRoom.next(bufUsed.get() <= bufDepth - BUF_SLACK);

        outputSide(bufHead, infoHead);

        if (rst.isHigh()) {
            cmdWrPtr.next(0);
            cmdRdPtr.next(0);
            inPos.next(0);
            inLate.next(lateLanes(0));
            inStatus.next(STATUS_OK);
            s1Valid.next(0);
            s2Valid.next(0);
            s2Write.next(0);
            s3Valid.next(0);
            s4Valid.next(0);
            s5Valid.next(0);
            acc.next(0);
            bufWrPtr.next(0);
            bufRdPtr.next(0);
            bufBasePtr.next(0);
            bufUsed.next(0);
            bufRoom.next(1);
            infoResPtr.next(0);
            infoWrPtr.next(0);
            infoRdPtr.next(0);
            headValid.next(0);
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

    /** Stage 0: the beat being accepted, its masked words and checks, into stage 1. */
    private void stage0(int cmdHead) {
        final boolean inAccept = sAxisTvalid.isHigh() && sAxisReady();
        final long data = sAxisTdata.get();
        final long keep = sAxisTkeep.get();
        final boolean last = sAxisTlast.isHigh();
        final long pos = inPos.get();
        final long start = cmdStartMem.read(cmdHead);
        final long offset = cmdOffsetMem.read(cmdHead);

        // The lanes summed: kept and at or past start (the Verilog's sum_lanes).
        final long posBeat = pos >>> laneBits;
        final long startBeat = start >>> laneBits;
        final long startLane = start & (keepWidth - 1);
        long sumLanes = 0;
        for (int l = 0; l < keepWidth; l++) {
            if (((keep >>> l) & 1) != 0 && (posBeat > startBeat || (posBeat == startBeat && l >= startLane))) {
                sumLanes |= 1L << l;
            }
        }
        // The beat's checks (beat_bad_keep, beat_too_long, keep_count, beat_status).
        boolean contiguous = (((keep + 1) & keep) & keepMask) == 0;
        boolean badKeep = last ? !contiguous || (keep == 0 && pos != 0) : keep != keepMask;
        // in_late_reg: lane l of this beat lies at MAX_PACKET_BYTES or beyond.
        boolean tooLong = (keep & inLate.get()) != 0;
        int status = inStatus.get() != STATUS_OK ? (int) inStatus.get()
                : badKeep ? STATUS_BAD_KEEP : tooLong ? STATUS_TOO_LONG : STATUS_OK;

        s1Valid.next(inAccept);
        s1Last.next(last);
        s1Data.next(data);
        s1Keep.next(keep);
        s1SumLanes.next(sumLanes);
        s1Odd.next(start & 1);
        s1First.next(pos == 0);
        s1Status.next(status);
        s1Count.next(Long.bitCount(keep));
        s1StartRem.next(start - pos);
        s1Offset2Rem.next(cmdOffset2Mem.read(cmdHead) - pos);
        s1Enable.next(cmdEnableMem.read(cmdHead));
        s1Offset.next(offset);
        s1Init.next(cmdInitMem.read(cmdHead));
        s1Udp.next(cmdUdpMem.read(cmdHead));
        if (inAccept) {
            if (last) {
                cmdRdPtr.next(cmdRdPtr.get() + 1);
                infoResPtr.next(infoResPtr.get() + 1);
                inPos.next(0);
                inLate.next(lateLanes(0));
                inStatus.next(STATUS_OK);
            } else {
                if (status == STATUS_OK) {
                    inPos.next(pos + keepWidth);
                    inLate.next(lateLanes(pos + keepWidth));
                }
                inStatus.next(status);
            }
        }
    }

    /** Stage 1: the offsets against the packet's length at tlast, and the half sums, into stage 2. */
    private void stage1() {
        // start > length and offset + 2 > length, length = in_pos + count; the differences
        // are 18-bit two's complement (the Verilog tests them bit by bit, to the same effect).
        long count = s1Count.get();
        boolean startPastEnd = signed18(s1StartRem.get()) > count;
        boolean insertPastEnd = signed18(s1Offset2Rem.get()) > count;
        boolean offsetsBad = startPastEnd || (s1Enable.isHigh() && insertPastEnd);
        int s1St = (int) s1Status.get();
        int lastStatus = s1St == STATUS_OK && offsetsBad ? STATUS_BAD_OFFSET : s1St;
        // The beat's words, summed lanes only, each byte-swapped for an odd start (see the Verilog).
        long data = s1Data.get();
        long lanes = s1SumLanes.get();
        long sumLo = 0;
        long sumHi = 0;
        for (int k = 0; k < words; k++) {
            long hi = ((lanes >>> (2 * k)) & 1) != 0 ? (data >>> (16 * k)) & 0xFF : 0;
            long lo = ((lanes >>> (2 * k + 1)) & 1) != 0 ? (data >>> (16 * k + 8)) & 0xFF : 0;
            long word = s1Odd.isHigh() ? (lo << 8) | hi : (hi << 8) | lo;
            if (k < halfWords) {
                sumLo += word;
            } else {
                sumHi += word;
            }
        }
        boolean last = s1Last.isHigh();
        s2Valid.next(s1Valid.get());
        s2Last.next(last);
        s2Data.next(s1Data.get());
        s2Keep.next(s1Keep.get());
        s2Write.next(s1Valid.isHigh() && (last || s1St == STATUS_OK));
        s2Refused.next(last && lastStatus != STATUS_OK);
        s2Status.next(last ? lastStatus : s1St);
        s2SumLo.next(sumLo);
        s2SumHi.next(sumHi);
        s2First.next(s1First.get());
        s2Enable.next(s1Enable.get());
        s2Offset.next(s1Offset.get());
        s2Offset1.next(s1Offset.get() + 1);
        s2Init.next(s1Init.get());
        s2Udp.next(s1Udp.get());
    }

    /** Stage 2: the buffer write (a refused packet's last beat where it started), and the beat sum. */
    private void stage2() {
        if (s2Write.isHigh()) {
            boolean refused = s2Refused.isHigh();
            long wrAt = refused ? bufBasePtr.get() : bufWrPtr.get();
            int at = (int) wrAt & (bufDepth - 1);
            bufDataMem.write(at, s2Data.get());
            bufKeepMem.write(at, refused ? 0 : s2Keep.get());
            bufLastMem.write(at, s2Last.get());
            bufWrPtr.next(wrAt + 1);
            if (s2Last.isHigh()) {
                bufBasePtr.next(wrAt + 1);
            }
        }
        s3Valid.next(s2Valid.get());
        s3Last.next(s2Last.get());
        s3Sum.next(s2SumLo.get() + s2SumHi.get());
        s3First.next(s2First.get());
        s3Status.next(s2Status.get());
        s3Enable.next(s2Enable.get());
        s3Offset.next(s2Offset.get());
        s3Offset1.next(s2Offset1.get());
        s3Init.next(s2Init.get());
        s3Udp.next(s2Udp.get());
    }

    /** Stages 3 to 5: accumulate, fold twice, and the packet's result into the info FIFO. */
    private void stage3to5() {
        if (s3Valid.isHigh()) {
            acc.next((s3First.isHigh() ? s3Init.get() : acc.get()) + s3Sum.get());
        }
        s4Valid.next(s3Valid.isHigh() && s3Last.isHigh());
        s4Status.next(s3Status.get());
        s4Enable.next(s3Enable.get());
        s4Offset.next(s3Offset.get());
        s4Offset1.next(s3Offset1.get());
        s4Udp.next(s3Udp.get());

        long total = acc.get();
        s5Valid.next(s4Valid.get());
        s5Fold1.next((total & 0xFFFF) + (total >>> 16));
        s5Status.next(s4Status.get());
        s5Enable.next(s4Enable.get());
        s5Offset.next(s4Offset.get());
        s5Offset1.next(s4Offset1.get());
        s5Udp.next(s4Udp.get());

        if (s5Valid.isHigh()) {
            long fold1 = s5Fold1.get();
            long fold2 = ((fold1 & 0xFFFF) + (fold1 >>> 16)) & 0xFFFF;
            boolean ok = s5Status.get() == STATUS_OK;
            // ~fold2, except that UDP sends a computed zero as 0xFFFF (RFC 768); refused: 0.
            long csum = !ok ? 0 : s5Udp.isHigh() && fold2 == 0xFFFF ? 0xFFFF : ~fold2 & 0xFFFF;
            int at = (int) infoWrPtr.get() & (infoDepth - 1);
            infoCsumMem.write(at, csum);
            infoEnableMem.write(at, ok && s5Enable.isHigh() ? 1 : 0);
            infoOffsetMem.write(at, s5Offset.get());
            infoOffset1Mem.write(at, s5Offset1.get());
            infoStatusMem.write(at, s5Status.get());
            infoWrPtr.next(infoWrPtr.get() + 1);
            if (!ok) {
                errCountReg.next(errCountReg.get() + 1);
            }
        }
    }

    /** The output side: head register from the buffer (synchronous read), then the output register. */
    private void outputSide(int bufHead, int infoHead) {
        final boolean headIsLast = headLast.isHigh();
        final boolean outLoad = headValid.isHigh() && !infoEmpty()
                && (!outValid.isHigh() || mAxisTready.isHigh())
                && (!headIsLast || !resValid.isHigh() || mResReady.isHigh());
        final boolean headLoad = bufRdPtr.get() != bufBasePtr.get() && (!headValid.isHigh() || outLoad);

        if (headLoad) {
            headData.next(bufDataMem.read(bufHead));
            headKeep.next(bufKeepMem.read(bufHead));
            headLast.next(bufLastMem.read(bufHead));
            bufRdPtr.next(bufRdPtr.get() + 1);
            headValid.next(1);
        } else if (outLoad) {
            headValid.next(0);
        }

        if (outLoad) {
            long patched = headData.get();
            if (infoEnableMem.read(infoHead) != 0) {
                long csum = infoCsumMem.read(infoHead);
                long offset = infoOffsetMem.read(infoHead);
                long offset1 = infoOffset1Mem.read(infoHead);
                long pos = outPos.get();
                for (int l = 0; l < keepWidth; l++) {
                    long p = pos + l;
                    if (p == offset) {
                        patched = setByte(patched, l, csum >>> 8);
                    }
                    if (p == offset1) {
                        patched = setByte(patched, l, csum);
                    }
                }
            }
            outValid.next(1);
            outData.next(patched);
            outKeep.next(headKeep.get());
            outLast.next(headIsLast);
            if (headIsLast) {
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
    }

    /** The Verilog's in_late_reg for a beat at byte position pos: bit l set when pos + l >= MAX_PACKET_BYTES. */
    private long lateLanes(long pos) {
        long late = 0;
        for (int l = 0; l < keepWidth; l++) {
            if (pos + l >= maxPacketBytes) {
                late |= 1L << l;
            }
        }
        return late;
    }

    private static long signed18(long v) {
        return (v << 46) >> 46;
    }

    private static long setByte(long word, int lane, long value) {
        int shift = 8 * lane;
        return (word & ~(0xFFL << shift)) | ((value & 0xFF) << shift);
    }
}
