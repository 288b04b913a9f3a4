package dev.andromeda.testbed.hw.blocks.nic;

import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmModule;
import dev.andromeda.testbed.hw.kit.Input;
import dev.andromeda.testbed.hw.kit.Mem;
import dev.andromeda.testbed.hw.kit.Module;
import dev.andromeda.testbed.hw.kit.Output;
import dev.andromeda.testbed.hw.kit.Reg;
import dev.andromeda.testbed.hw.kit.Signal;

import static dev.andromeda.testbed.hw.blocks.nic.NicLayout.*;

/**
 * The emulated NIC, a cycle model written with the kit: an AXI4-Lite register file, one
 * descriptor engine serving a TX and an RX ring in host memory through a memory master
 * (the {@code dma_copy} bus: {@code m_rd}/{@code s_rdata}/{@code m_wr}/{@code s_wresp}, so
 * {@link dev.andromeda.testbed.hw.driver.AxiMemory} serves it from the fast path's
 * own {@code MemorySegment}), an instance of {@link CsumOffloadModule} inline on both
 * directions, and the wire as AXI-stream ({@code m_axis} out, {@code s_axis} in).
 *
 * <p>The engine does one job at a time, TX and RX taking turns: fetch the descriptor
 * (2 beats), check it, stream the frame, write the completion and wait for its response,
 * advance the head. TX reads the frame in bursts of up to 16 beats into a 32-word FIFO,
 * realigned to byte 0 (any source address), through the checksum block (which inserts) to
 * the wire; a read error still ends the frame, flagged by {@code m_axis_tuser} on its last
 * beat. RX frames land in a 16-beat FIFO from the wire whenever there is room -- no buffer
 * posted means {@code s_axis_tready} low, back-pressure, never a drop -- and the engine
 * writes them to the posted buffer (8-byte aligned) while the checksum block sums them
 * (checksum complete; its output is discarded). Bytes past the buffer's capacity are never
 * written. A malformed descriptor gets an error completion and the engine moves on.
 *
 * <p>PSP seal (a TX descriptor with {@code FLAG_PSP}): an instance of {@link AesGcmModule}
 * seals the frame inline. The job reads the frame as segments, each realigned to lane 0 by
 * the same read path: the PSP header (16 bytes at {@code start}: crypt offset, SPI and IV),
 * the SA entry (key and flags, from the SA table in host memory), then the headers before
 * {@code start} (to the wire), the AAD (to the wire and to the block), the text (to the
 * block); a packer joins the headers, the AAD, the ciphertext and the 16-byte tag into full
 * wire beats at any byte count. Checks that need the header or the SA come before the
 * block's command, so a malformed PSP job sends nothing.
 *
 * <p>Outputs come from registers only, as in the kit's other blocks.
 */
public final class NicModule extends Module {
    public static final String BLOCK = "nic";
    static final int TX_FIFO_DEPTH = 32;
    static final int RX_FIFO_DEPTH = 16;
    static final int MAX_BURST = 16;

    // Engine states.
    static final int S_IDLE = 0;
    static final int S_DESC_REQ = 1;
    static final int S_DESC_DATA = 2;
    static final int S_CHECK = 3;
    static final int S_TX_CMD = 4;
    static final int S_TX_DATA = 5;
    static final int S_RX_CMD = 6;
    static final int S_RX_DATA = 7;
    static final int S_CPL_REQ = 8;
    static final int S_CPL_WAIT = 9;
    static final int S_PSP_OPEN = 10;  // RX: the frame is in the buffer; read it back through the GCM block

    // PSP phases of a TX job (0: not a PSP job): which segment the read path is fetching.
    static final int P_NONE = 0;
    static final int P_HDR = 1;   // the PSP header, 16 bytes at start
    static final int P_SA = 2;    // the SA entry's first 40 bytes
    static final int P_A = 3;     // the frame before start: to the wire
    static final int P_B = 4;     // the AAD: to the wire and to the GCM block
    static final int P_C = 5;     // the text: to the GCM block (its ciphertext to the wire)
    static final int P_TAG = 6;   // TX: the rest of the ciphertext, then the tag, to the wire; RX: result, plaintext
    static final int P_ICV = 7;   // RX: the ICV, to the GCM block's tag input

    /** RX: where the PSP header sits (Ethernet II, IPv4 without options, UDP). */
    static final int RX_PSP_AT = NicLayout.RX_PSP_AT;

    // Ports.
    private final Input rst;
    private final Input awvalid;
    private final Output awready;
    private final Input awaddr;
    private final Input wvalid;
    private final Output wready;
    private final Input wdata;
    private final Input wstrb;
    private final Output bvalid;
    private final Input bready;
    private final Output bresp;
    private final Input arvalid;
    private final Output arready;
    private final Input araddr;
    private final Output rvalid;
    private final Input rready;
    private final Output rdata;
    private final Output rresp;

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

    private final Output mAxisTdata;
    private final Output mAxisTkeep;
    private final Output mAxisTvalid;
    private final Input mAxisTready;
    private final Output mAxisTlast;
    private final Output mAxisTuser;
    private final Input sAxisTdata;
    private final Input sAxisTkeep;
    private final Input sAxisTvalid;
    private final Output sAxisTready;
    private final Input sAxisTlast;
    private final Output irq;

    // The checksum block and its ports.
    private final CsumOffloadModule csum;
    private final Input cRst;
    private final Input cCmdValid;
    private final Signal cCmdReady;
    private final Input cCmdStart;
    private final Input cCmdOffset;
    private final Input cCmdEnable;
    private final Input cCmdInit;
    private final Input cCmdUdp;
    private final Input cInTdata;
    private final Input cInTkeep;
    private final Input cInTvalid;
    private final Signal cInTready;
    private final Input cInTlast;
    private final Signal cOutTdata;
    private final Signal cOutTkeep;
    private final Signal cOutTvalid;
    private final Input cOutTready;
    private final Signal cOutTlast;
    private final Signal cResValid;
    private final Input cResReady;
    private final Signal cResCsum;
    private final Signal cResStatus;

    // The GCM block (PSP) and its ports.
    private final AesGcmModule gcm;
    private final Input gRst;
    private final Input gCmdValid;
    private final Signal gCmdReady;
    private final Input gCmdOpen;
    private final Input gCmdAes256;
    private final Input gCmdAadLen;
    private final Input gCmdTextLen;
    private final Input gKeyTdata;
    private final Input gKeyTvalid;
    private final Signal gKeyTready;
    private final Input gIvTdata;
    private final Input gIvTvalid;
    private final Signal gIvTready;
    private final Input gAadTdata;
    private final Input gAadTkeep;
    private final Input gAadTvalid;
    private final Signal gAadTready;
    private final Input gAadTlast;
    private final Input gTextTdata;
    private final Input gTextTkeep;
    private final Input gTextTvalid;
    private final Signal gTextTready;
    private final Input gTextTlast;
    private final Input gTagTdata;
    private final Input gTagTvalid;
    private final Signal gOutTdata;
    private final Signal gOutTkeep;
    private final Signal gOutTvalid;
    private final Input gOutTready;
    private final Signal gResValid;
    private final Input gResReady;
    private final Signal gResTagLo;
    private final Signal gResTagHi;
    private final Signal gResStatus;
    private final Signal gResOk;
    private final Signal gTagTready;
    private final Signal gOutTlast;

    // Register file.
    private final Reg awSeen;
    private final Reg awAddrReg;
    private final Reg wSeen;
    private final Reg wDataReg;
    private final Reg wStrbReg;
    private final Reg bValidReg;
    private final Reg rValidReg;
    private final Reg rDataReg;
    private final Reg ctrl;
    private final Reg memBase;
    private final Reg memSize;
    private final Reg rxCsumStart;
    private final Reg txqBase;
    private final Reg txqLog;
    private final Reg txqTail;
    private final Reg txqHead;
    private final Reg txcqBase;
    private final Reg rxqBase;
    private final Reg rxqLog;
    private final Reg rxqTail;
    private final Reg rxqHead;
    private final Reg rxcqBase;
    private final Reg txPackets;
    private final Reg txBytes;
    private final Reg rxPackets;
    private final Reg rxBytes;
    private final Reg txErrors;
    private final Reg rxErrors;
    private final Reg rxStalls;
    private final Reg memErrors;
    // Completion moderation: per direction completions not yet signalled and their age.
    private final Reg irqStatus;
    private final Reg irqMask;
    private final Reg txIrqCount;
    private final Reg txIrqTimer;
    private final Reg rxIrqCount;
    private final Reg rxIrqTimer;
    private final Reg interrupts;
    private final Reg txPend;
    private final Reg txAge;
    private final Reg rxPend;
    private final Reg rxAge;
    private final Reg saBase;
    private final Reg pspTxSealed;
    private final Reg pspTxErrors;
    private final Reg pspCtrl;
    private final Reg pspRxOpened;
    private final Reg pspRxAuthFail;
    private final Reg pspRxErrors;

    // Engine.
    private final Reg state;
    private final Reg rxJob;       // the job at hand is RX
    private final Reg lastWasRx;   // round-robin: who went last
    private final Reg descLo;
    private final Reg descHi;
    private final Reg beatCount;   // descriptor beats in; TX: frame beats in
    private final Reg jobError;    // a bus error on this job
    private final Reg status;
    private final Reg cplLen;
    private final Reg cplCsum;
    private final Reg cplFlags;
    // TX read side.
    private final Reg reqAddr;
    private final Reg reqLeft;     // beats not yet requested
    private final Reg reserved;    // beats requested, not yet arrived
    private final Reg prevBeat;
    private final Reg flush;
    private final Reg popped;      // words handed to the checksum block
    private final Reg resSeen;
    private final Reg resCsum;
    private final Reg resStatus;
    private final Reg lastOut;     // the frame's (or, RX, the discarded copy's) last beat left the checksum block
    // RX write side.
    private final Reg rxPos;
    private final Reg rxDone;
    private final Reg rxTrunc;
    private final Reg writesOut;   // writes accepted, not yet answered
    // Bus outputs.
    private final Reg rdValid;
    private final Reg rdAddr;
    private final Reg rdBeats;
    private final Reg wrValid;
    private final Reg wrAddr;
    private final Reg wrData;
    private final Reg wrStrb;
    private final Reg busReady;    // s_rdata_ready and s_wresp_ready: high out of reset
    private final Reg outValid;
    private final Reg outData;
    private final Reg outKeep;
    private final Reg outLast;
    private final Reg outUser;
    // FIFOs.
    private final Mem txFifo;
    private final Reg txWr;
    private final Reg txRd;
    private final Mem rxFifoData;
    private final Mem rxFifoKeep;
    private final Mem rxFifoLast;
    private final Reg rxWr;
    private final Reg rxRd;
    private final Reg rxReady;
    // TX read segments (the whole frame, or PSP's header, SA, headers, AAD, text).
    private final Reg segAddr;
    private final Reg segLen;
    // PSP seal.
    private final Reg pspPhase;
    private final Reg hdrLo;       // PSP header bytes 0..7 (crypt offset in byte 2, SPI in 4..7)
    private final Reg hdrHi;       // bytes 8..15 (the IV)
    private final Reg[] saKey = new Reg[4];
    private final Reg saAes256;
    private final Reg gcmCmdDone;
    private final Reg keyCnt;      // key beats the GCM block took
    private final Reg ivCnt;       // IV beats it took
    private final Reg tagIdx;      // tag half next to the packer
    private final Reg gcmBad;      // the GCM block refused the seal (cannot happen with the framing here)
    private final Reg pkData;      // the packer's bytes not yet a full beat
    private final Reg pkCnt;
    private final Reg pkFlush;     // the frame's last, partial beat is due
    // PSP open (RX).
    private final Reg rxB1;        // frame bytes 8..15, 16..23, 32..39 as they passed (EtherType, IHL,
    private final Reg rxB2;        // total length, protocol, UDP destination port)
    private final Reg rxB4;
    private final Reg ptPos;       // plaintext bytes written
    private final Reg ptDone;      // the last plaintext beat is written (or there is none)

    public NicModule() {
        super(BLOCK);
        rst = input("rst", 1);
        awvalid = input("s_axil_awvalid", 1);
        awready = output("s_axil_awready", 1);
        awaddr = input("s_axil_awaddr", 12);
        wvalid = input("s_axil_wvalid", 1);
        wready = output("s_axil_wready", 1);
        wdata = input("s_axil_wdata", 32);
        wstrb = input("s_axil_wstrb", 4);
        bvalid = output("s_axil_bvalid", 1);
        bready = input("s_axil_bready", 1);
        bresp = output("s_axil_bresp", 2);
        arvalid = input("s_axil_arvalid", 1);
        arready = output("s_axil_arready", 1);
        araddr = input("s_axil_araddr", 12);
        rvalid = output("s_axil_rvalid", 1);
        rready = input("s_axil_rready", 1);
        rdata = output("s_axil_rdata", 32);
        rresp = output("s_axil_rresp", 2);

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

        mAxisTdata = output("m_axis_tdata", 64);
        mAxisTkeep = output("m_axis_tkeep", 8);
        mAxisTvalid = output("m_axis_tvalid", 1);
        mAxisTready = input("m_axis_tready", 1);
        mAxisTlast = output("m_axis_tlast", 1);
        mAxisTuser = output("m_axis_tuser", 1);
        sAxisTdata = input("s_axis_tdata", 64);
        sAxisTkeep = input("s_axis_tkeep", 8);
        sAxisTvalid = input("s_axis_tvalid", 1);
        sAxisTready = output("s_axis_tready", 1);
        sAxisTlast = input("s_axis_tlast", 1);
        irq = output("irq", 1);

        csum = instance(new CsumOffloadModule());
        cRst = (Input) csum.port("rst");
        cCmdValid = (Input) csum.port("s_cmd_valid");
        cCmdReady = csum.port("s_cmd_ready");
        cCmdStart = (Input) csum.port("s_cmd_csum_start");
        cCmdOffset = (Input) csum.port("s_cmd_csum_offset");
        cCmdEnable = (Input) csum.port("s_cmd_csum_enable");
        cCmdInit = (Input) csum.port("s_cmd_csum_init");
        cCmdUdp = (Input) csum.port("s_cmd_csum_udp");
        cInTdata = (Input) csum.port("s_axis_tdata");
        cInTkeep = (Input) csum.port("s_axis_tkeep");
        cInTvalid = (Input) csum.port("s_axis_tvalid");
        cInTready = csum.port("s_axis_tready");
        cInTlast = (Input) csum.port("s_axis_tlast");
        cOutTdata = csum.port("m_axis_tdata");
        cOutTkeep = csum.port("m_axis_tkeep");
        cOutTvalid = csum.port("m_axis_tvalid");
        cOutTready = (Input) csum.port("m_axis_tready");
        cOutTlast = csum.port("m_axis_tlast");
        cResValid = csum.port("m_res_valid");
        cResReady = (Input) csum.port("m_res_ready");
        cResCsum = csum.port("m_res_csum");
        cResStatus = csum.port("m_res_status");

        gcm = instance(new AesGcmModule());
        gRst = (Input) gcm.port("rst");
        gCmdValid = (Input) gcm.port("s_cmd_valid");
        gCmdReady = gcm.port("s_cmd_ready");
        gCmdOpen = (Input) gcm.port("s_cmd_open");
        gCmdAes256 = (Input) gcm.port("s_cmd_aes256");
        gCmdAadLen = (Input) gcm.port("s_cmd_aad_len");
        gCmdTextLen = (Input) gcm.port("s_cmd_text_len");
        gKeyTdata = (Input) gcm.port("s_key_tdata");
        gKeyTvalid = (Input) gcm.port("s_key_tvalid");
        gKeyTready = gcm.port("s_key_tready");
        gIvTdata = (Input) gcm.port("s_iv_tdata");
        gIvTvalid = (Input) gcm.port("s_iv_tvalid");
        gIvTready = gcm.port("s_iv_tready");
        gAadTdata = (Input) gcm.port("s_aad_tdata");
        gAadTkeep = (Input) gcm.port("s_aad_tkeep");
        gAadTvalid = (Input) gcm.port("s_aad_tvalid");
        gAadTready = gcm.port("s_aad_tready");
        gAadTlast = (Input) gcm.port("s_aad_tlast");
        gTextTdata = (Input) gcm.port("s_text_tdata");
        gTextTkeep = (Input) gcm.port("s_text_tkeep");
        gTextTvalid = (Input) gcm.port("s_text_tvalid");
        gTextTready = gcm.port("s_text_tready");
        gTextTlast = (Input) gcm.port("s_text_tlast");
        gTagTdata = (Input) gcm.port("s_tag_tdata");
        gTagTvalid = (Input) gcm.port("s_tag_tvalid");
        gOutTdata = gcm.port("m_text_tdata");
        gOutTkeep = gcm.port("m_text_tkeep");
        gOutTvalid = gcm.port("m_text_tvalid");
        gOutTready = (Input) gcm.port("m_text_tready");
        gResValid = gcm.port("m_res_valid");
        gResReady = (Input) gcm.port("m_res_ready");
        gResTagLo = gcm.port("m_res_tag_lo");
        gResTagHi = gcm.port("m_res_tag_hi");
        gResStatus = gcm.port("m_res_status");
        gResOk = gcm.port("m_res_ok");
        gTagTready = gcm.port("s_tag_tready");
        gOutTlast = gcm.port("m_text_tlast");

        awSeen = reg("aw_seen", 1);
        awAddrReg = reg("aw_addr", 12);
        wSeen = reg("w_seen", 1);
        wDataReg = reg("w_data", 32);
        wStrbReg = reg("w_strb", 4);
        bValidReg = reg("b_valid", 1);
        rValidReg = reg("r_valid", 1);
        rDataReg = reg("r_data", 32);
        ctrl = reg("ctrl", 1);
        memBase = reg("mem_base", 48);
        memSize = reg("mem_size", 49);
        rxCsumStart = reg("rx_csum_start", 16);
        txqBase = reg("txq_base", 48);
        txqLog = reg("txq_log", 4);
        txqTail = reg("txq_tail", 16);
        txqHead = reg("txq_head", 16);
        txcqBase = reg("txcq_base", 48);
        rxqBase = reg("rxq_base", 48);
        rxqLog = reg("rxq_log", 4);
        rxqTail = reg("rxq_tail", 16);
        rxqHead = reg("rxq_head", 16);
        rxcqBase = reg("rxcq_base", 48);
        txPackets = reg("tx_packets", 32);
        txBytes = reg("tx_bytes", 32);
        rxPackets = reg("rx_packets", 32);
        rxBytes = reg("rx_bytes", 32);
        txErrors = reg("tx_errors", 32);
        rxErrors = reg("rx_errors", 32);
        rxStalls = reg("rx_stalls", 32);
        memErrors = reg("mem_errors", 32);
        irqStatus = reg("irq_status", 2);
        irqMask = reg("irq_mask", 2);
        txIrqCount = reg("tx_irq_count", 16);
        txIrqTimer = reg("tx_irq_timer", 16);
        rxIrqCount = reg("rx_irq_count", 16);
        rxIrqTimer = reg("rx_irq_timer", 16);
        interrupts = reg("interrupts", 32);
        txPend = reg("tx_pend", 16);
        txAge = reg("tx_age", 16);
        rxPend = reg("rx_pend", 16);
        rxAge = reg("rx_age", 16);
        saBase = reg("sa_base", 48);
        pspTxSealed = reg("psp_tx_sealed", 32);
        pspTxErrors = reg("psp_tx_errors", 32);
        pspCtrl = reg("psp_ctrl", 1);
        pspRxOpened = reg("psp_rx_opened", 32);
        pspRxAuthFail = reg("psp_rx_auth_fail", 32);
        pspRxErrors = reg("psp_rx_errors", 32);

        state = reg("state", 4);
        rxJob = reg("rx_job", 1);
        lastWasRx = reg("last_was_rx", 1);
        descLo = reg("desc_lo", 64);
        descHi = reg("desc_hi", 64);
        beatCount = reg("beat_count", 16);
        jobError = reg("job_error", 1);
        status = reg("status", 8);
        cplLen = reg("cpl_len", 16);
        cplCsum = reg("cpl_csum", 16);
        cplFlags = reg("cpl_flags", 8);
        reqAddr = reg("req_addr", 48);
        reqLeft = reg("req_left", 16);
        reserved = reg("reserved", 8);
        prevBeat = reg("prev_beat", 64);
        flush = reg("flush", 1);
        popped = reg("popped", 16);
        resSeen = reg("res_seen", 1);
        resCsum = reg("res_csum", 16);
        resStatus = reg("res_status", 2);
        lastOut = reg("last_out", 1);
        rxPos = reg("rx_pos", 16);
        rxDone = reg("rx_done", 1);
        rxTrunc = reg("rx_trunc", 1);
        writesOut = reg("writes_out", 8);
        rdValid = reg("rd_valid", 1);
        rdAddr = reg("rd_addr", 48);
        rdBeats = reg("rd_beats", 8);
        wrValid = reg("wr_valid", 1);
        wrAddr = reg("wr_addr", 48);
        wrData = reg("wr_data", 64);
        wrStrb = reg("wr_strb", 8);
        busReady = reg("bus_ready", 1);
        outValid = reg("out_valid", 1);
        outData = reg("out_data", 64);
        outKeep = reg("out_keep", 8);
        outLast = reg("out_last", 1);
        outUser = reg("out_user", 1);
        txFifo = mem("tx_fifo", 64, TX_FIFO_DEPTH);
        txWr = reg("tx_wr", 6);
        txRd = reg("tx_rd", 6);
        rxFifoData = mem("rx_fifo_data", 64, RX_FIFO_DEPTH);
        rxFifoKeep = mem("rx_fifo_keep", 8, RX_FIFO_DEPTH);
        rxFifoLast = mem("rx_fifo_last", 1, RX_FIFO_DEPTH);
        rxWr = reg("rx_wr", 5);
        rxRd = reg("rx_rd", 5);
        rxReady = reg("rx_ready", 1);
        segAddr = reg("seg_addr", 48);
        segLen = reg("seg_len", 16);
        pspPhase = reg("psp_phase", 3);
        hdrLo = reg("hdr_lo", 64);
        hdrHi = reg("hdr_hi", 64);
        for (int i = 0; i < 4; i++) {
            saKey[i] = reg("sa_key" + i, 64);
        }
        saAes256 = reg("sa_aes256", 1);
        gcmCmdDone = reg("gcm_cmd_done", 1);
        keyCnt = reg("key_cnt", 3);
        ivCnt = reg("iv_cnt", 2);
        tagIdx = reg("tag_idx", 1);
        gcmBad = reg("gcm_bad", 1);
        pkData = reg("pk_data", 64);
        pkCnt = reg("pk_cnt", 3);
        pkFlush = reg("pk_flush", 1);
        rxB1 = reg("rx_b1", 64);
        rxB2 = reg("rx_b2", 64);
        rxB4 = reg("rx_b4", 64);
        ptPos = reg("pt_pos", 16);
        ptDone = reg("pt_done", 1);
    }

    /** The GCM block inside (PSP). */
    public AesGcmModule gcmBlock() {
        return gcm;
    }

    /** The checksum block inside (for tests that look at its counters). */
    public CsumOffloadModule checksumBlock() {
        return csum;
    }

    @Override
    protected void drive() {
        awready.set(!awSeen.isHigh() && !bValidReg.isHigh());
        wready.set(!wSeen.isHigh() && !bValidReg.isHigh());
        bvalid.set(bValidReg.get());
        bresp.set(0);
        arready.set(!rValidReg.isHigh());
        rvalid.set(rValidReg.get());
        rdata.set(rDataReg.get());
        rresp.set(0);
        mRdValid.set(rdValid.get());
        mRdAddr.set(rdAddr.get());
        mRdBeats.set(rdBeats.get());
        sRdataReady.set(busReady.get());
        mWrValid.set(wrValid.get());
        mWrAddr.set(wrAddr.get());
        mWrData.set(wrData.get());
        mWrStrb.set(wrStrb.get());
        sWrespReady.set(busReady.get());
        mAxisTdata.set(outData.get());
        mAxisTkeep.set(outKeep.get());
        mAxisTvalid.set(outValid.get());
        mAxisTlast.set(outLast.get());
        mAxisTuser.set(outUser.get());
        sAxisTready.set(rxReady.get());
        irq.set((irqStatus.get() & irqMask.get()) != 0 ? 1 : 0);
    }

    @Override
    protected void nextState() {
        cRst.drive(rst.get());
        gRst.drive(rst.get());
        if (rst.isHigh()) {
            resetState();
            quietChecksumInputs();
            quietGcmInputs();
            return;
        }
        busReady.next(1);
        irqClear = 0;
        txCompleted = false;
        rxCompleted = false;
        registerFile();
        rxFifoFill();
        engine();
        moderate();
    }

    private void resetState() {
        for (Reg r : new Reg[] {awSeen, wSeen, bValidReg, rValidReg, ctrl, memBase, memSize, txqBase, txqLog,
                txqTail, txqHead, txcqBase, rxqBase, rxqLog, rxqTail, rxqHead, rxcqBase, txPackets, txBytes,
                rxPackets, rxBytes, txErrors, rxErrors, rxStalls, memErrors, state, rxJob, lastWasRx, rdValid,
                wrValid, busReady, outValid, txWr, txRd, rxWr, rxRd, rxReady, writesOut, reserved, flush,
                saBase, pspTxSealed, pspTxErrors, pspPhase, pkCnt, pkFlush, pspCtrl, pspRxOpened, pspRxAuthFail,
                pspRxErrors, irqStatus, irqMask, txIrqCount, txIrqTimer, rxIrqCount,
                rxIrqTimer, interrupts, txPend, txAge, rxPend, rxAge}) {
            r.next(0);
        }
        rxCsumStart.next(14);
    }

    /** Every input of the checksum block driven each cycle (a wire in the RTL has no memory). */
    private void quietChecksumInputs() {
        cCmdValid.drive(0);
        cCmdStart.drive(0);
        cCmdOffset.drive(0);
        cCmdEnable.drive(0);
        cCmdInit.drive(0);
        cCmdUdp.drive(0);
        cInTvalid.drive(0);
        cInTdata.drive(0);
        cInTkeep.drive(0);
        cInTlast.drive(0);
        cOutTready.drive(1);
        cResReady.drive(1);
    }

    /** Every input of the GCM block driven each cycle. */
    private void quietGcmInputs() {
        for (Input i : new Input[] {gCmdValid, gCmdOpen, gCmdAes256, gCmdAadLen, gCmdTextLen, gKeyTdata, gKeyTvalid,
                gIvTdata, gIvTvalid, gAadTdata, gAadTkeep, gAadTvalid, gAadTlast, gTextTdata, gTextTkeep, gTextTvalid,
                gTextTlast, gTagTdata, gTagTvalid, gOutTready, gResReady}) {
            i.drive(0);
        }
    }

    // ---- AXI4-Lite register file ------------------------------------------------------

    private void registerFile() {
        boolean awFire = awvalid.isHigh() && !awSeen.isHigh() && !bValidReg.isHigh();
        boolean wFire = wvalid.isHigh() && !wSeen.isHigh() && !bValidReg.isHigh();
        boolean haveAw = awSeen.isHigh() || awFire;
        boolean haveW = wSeen.isHigh() || wFire;
        long addr = awFire ? awaddr.get() : awAddrReg.get();
        long data = wFire ? wdata.get() : wDataReg.get();
        long strb = wFire ? wstrb.get() : wStrbReg.get();
        if (awFire) {
            awAddrReg.next(awaddr.get());
        }
        if (wFire) {
            wDataReg.next(wdata.get());
            wStrbReg.next(wstrb.get());
        }
        if (haveAw && haveW) {
            write((int) addr & 0xFFC, data, strb);
            awSeen.next(0);
            wSeen.next(0);
            bValidReg.next(1);
        } else {
            awSeen.next(haveAw);
            wSeen.next(haveW);
            if (bValidReg.isHigh() && bready.isHigh()) {
                bValidReg.next(0);
            }
        }
        if (!rValidReg.isHigh() && arvalid.isHigh()) {
            rValidReg.next(1);
            rDataReg.next(read((int) araddr.get() & 0xFFC));
        } else if (rValidReg.isHigh() && rready.isHigh()) {
            rValidReg.next(0);
        }
    }

    private static long merge(long old, long data, long strb, int shift, int width) {
        long mask = 0;
        for (int b = 0; b < 4; b++) {
            if ((strb >> b & 1) != 0) {
                mask |= 0xFFL << (8 * b);
            }
        }
        long cur = old >>> shift & 0xFFFFFFFFL;
        long merged = (cur & ~mask | data & mask) & 0xFFFFFFFFL;
        long fieldMask = width >= 64 ? -1L : (1L << width) - 1;
        return (old & ~(0xFFFFFFFFL << shift) | merged << shift) & fieldMask;
    }

    private void write(int addr, long data, long strb) {
        switch (addr) {
            case REG_CTRL -> ctrl.next(merge(ctrl.get(), data, strb, 0, 1));
            case REG_MEM_BASE_LO -> memBase.next(merge(memBase.get(), data, strb, 0, 48));
            case REG_MEM_BASE_HI -> memBase.next(merge(memBase.get(), data, strb, 32, 48));
            case REG_MEM_SIZE_LO -> memSize.next(merge(memSize.get(), data, strb, 0, 49));
            case REG_MEM_SIZE_HI -> memSize.next(merge(memSize.get(), data, strb, 32, 49));
            case REG_RX_CSUM_START -> rxCsumStart.next(merge(rxCsumStart.get(), data, strb, 0, 16));
            case REG_TXQ_BASE_LO -> txqBase.next(merge(txqBase.get(), data, strb, 0, 48));
            case REG_TXQ_BASE_HI -> txqBase.next(merge(txqBase.get(), data, strb, 32, 48));
            case REG_TXQ_LOG_SIZE -> txqLog.next(Math.min(MAX_LOG_SIZE, merge(txqLog.get(), data, strb, 0, 32)));
            case REG_TXQ_TAIL -> txqTail.next(merge(txqTail.get(), data, strb, 0, 16));
            case REG_TXCQ_BASE_LO -> txcqBase.next(merge(txcqBase.get(), data, strb, 0, 48));
            case REG_TXCQ_BASE_HI -> txcqBase.next(merge(txcqBase.get(), data, strb, 32, 48));
            case REG_RXQ_BASE_LO -> rxqBase.next(merge(rxqBase.get(), data, strb, 0, 48));
            case REG_RXQ_BASE_HI -> rxqBase.next(merge(rxqBase.get(), data, strb, 32, 48));
            case REG_RXQ_LOG_SIZE -> rxqLog.next(Math.min(MAX_LOG_SIZE, merge(rxqLog.get(), data, strb, 0, 32)));
            case REG_RXQ_TAIL -> rxqTail.next(merge(rxqTail.get(), data, strb, 0, 16));
            case REG_RXCQ_BASE_LO -> rxcqBase.next(merge(rxcqBase.get(), data, strb, 0, 48));
            case REG_RXCQ_BASE_HI -> rxcqBase.next(merge(rxcqBase.get(), data, strb, 32, 48));
            case REG_IRQ_STATUS -> irqClear = merge(0, data, strb, 0, 2); // write 1 to clear: moderate()
            case REG_IRQ_MASK -> irqMask.next(merge(irqMask.get(), data, strb, 0, 2));
            case REG_TX_IRQ_COUNT -> txIrqCount.next(merge(txIrqCount.get(), data, strb, 0, 16));
            case REG_TX_IRQ_TIMER -> txIrqTimer.next(merge(txIrqTimer.get(), data, strb, 0, 16));
            case REG_RX_IRQ_COUNT -> rxIrqCount.next(merge(rxIrqCount.get(), data, strb, 0, 16));
            case REG_RX_IRQ_TIMER -> rxIrqTimer.next(merge(rxIrqTimer.get(), data, strb, 0, 16));
            case REG_SA_BASE_LO -> saBase.next(merge(saBase.get(), data, strb, 0, 48));
            case REG_SA_BASE_HI -> saBase.next(merge(saBase.get(), data, strb, 32, 48));
            case REG_PSP_CTRL -> pspCtrl.next(merge(pspCtrl.get(), data, strb, 0, 1));
            default -> {
                // read-only or unmapped: the write is acknowledged and ignored, as AXI4-Lite slaves do
            }
        }
    }

    private long read(int addr) {
        return switch (addr) {
            case REG_ID -> ID & 0xFFFFFFFFL;
            case REG_CTRL -> ctrl.get();
            case REG_MEM_BASE_LO -> memBase.get() & 0xFFFFFFFFL;
            case REG_MEM_BASE_HI -> memBase.get() >>> 32;
            case REG_MEM_SIZE_LO -> memSize.get() & 0xFFFFFFFFL;
            case REG_MEM_SIZE_HI -> memSize.get() >>> 32;
            case REG_RX_CSUM_START -> rxCsumStart.get();
            case REG_TXQ_BASE_LO -> txqBase.get() & 0xFFFFFFFFL;
            case REG_TXQ_BASE_HI -> txqBase.get() >>> 32;
            case REG_TXQ_LOG_SIZE -> txqLog.get();
            case REG_TXQ_TAIL -> txqTail.get();
            case REG_TXQ_HEAD -> txqHead.get();
            case REG_TXCQ_BASE_LO -> txcqBase.get() & 0xFFFFFFFFL;
            case REG_TXCQ_BASE_HI -> txcqBase.get() >>> 32;
            case REG_RXQ_BASE_LO -> rxqBase.get() & 0xFFFFFFFFL;
            case REG_RXQ_BASE_HI -> rxqBase.get() >>> 32;
            case REG_RXQ_LOG_SIZE -> rxqLog.get();
            case REG_RXQ_TAIL -> rxqTail.get();
            case REG_RXQ_HEAD -> rxqHead.get();
            case REG_RXCQ_BASE_LO -> rxcqBase.get() & 0xFFFFFFFFL;
            case REG_RXCQ_BASE_HI -> rxcqBase.get() >>> 32;
            case REG_TX_PACKETS -> txPackets.get();
            case REG_TX_BYTES -> txBytes.get();
            case REG_RX_PACKETS -> rxPackets.get();
            case REG_RX_BYTES -> rxBytes.get();
            case REG_TX_ERRORS -> txErrors.get();
            case REG_RX_ERRORS -> rxErrors.get();
            case REG_RX_STALL_CYCLES -> rxStalls.get();
            case REG_MEM_ERRORS -> memErrors.get();
            case REG_IRQ_STATUS -> irqStatus.get();
            case REG_IRQ_MASK -> irqMask.get();
            case REG_TX_IRQ_COUNT -> txIrqCount.get();
            case REG_TX_IRQ_TIMER -> txIrqTimer.get();
            case REG_RX_IRQ_COUNT -> rxIrqCount.get();
            case REG_RX_IRQ_TIMER -> rxIrqTimer.get();
            case REG_INTERRUPTS -> interrupts.get();
            case REG_SA_BASE_LO -> saBase.get() & 0xFFFFFFFFL;
            case REG_SA_BASE_HI -> saBase.get() >>> 32;
            case REG_PSP_TX_SEALED -> pspTxSealed.get();
            case REG_PSP_TX_ERRORS -> pspTxErrors.get();
            case REG_PSP_CTRL -> pspCtrl.get();
            case REG_PSP_RX_OPENED -> pspRxOpened.get();
            case REG_PSP_RX_AUTH_FAIL -> pspRxAuthFail.get();
            case REG_PSP_RX_ERRORS -> pspRxErrors.get();
            default -> 0;
        };
    }

    // ---- RX FIFO: the wire in, whenever there is room ---------------------------------

    private int rxCount() {
        return (int) ((rxWr.get() - rxRd.get()) & 0x1F);
    }

    /** Accepts a wire beat; the pop side is the engine's. Ready is registered, so it keeps one slot spare. */
    private boolean rxPushed;

    private void rxFifoFill() {
        rxPushed = sAxisTvalid.isHigh() && rxReady.isHigh();
        if (rxPushed) {
            int at = (int) rxWr.get() & (RX_FIFO_DEPTH - 1);
            rxFifoData.write(at, sAxisTdata.get());
            rxFifoKeep.write(at, sAxisTkeep.get());
            rxFifoLast.write(at, sAxisTlast.get());
            rxWr.next(rxWr.get() + 1);
        } else if (sAxisTvalid.isHigh()) {
            rxStalls.next(rxStalls.get() + 1);
        }
    }

    // ---- the descriptor engine --------------------------------------------------------

    private int txCount() {
        return (int) ((txWr.get() - txRd.get()) & 0x3F);
    }

    private void engine() {
        // Defaults for the checksum block's inputs; the states below override them.
        quietChecksumInputs();
        quietGcmInputs();
        boolean outFree = !outValid.isHigh() || mAxisTready.isHigh();
        cOutTready.drive(rxJob.isHigh() || outFree ? 1 : 0);

        boolean rdFire = rdValid.isHigh() && mRdReady.isHigh();
        boolean rdataFire = sRdataValid.isHigh() && busReady.isHigh();
        boolean wrFire = wrValid.isHigh() && mWrReady.isHigh();
        boolean wrespFire = sWrespValid.isHigh() && busReady.isHigh();
        if (rdFire) {
            rdValid.next(0);
        }
        if (wrFire) {
            wrValid.next(0);
        }
        int outstanding = (int) writesOut.get() + (wrFire ? 1 : 0) - (wrespFire ? 1 : 0);
        writesOut.next(outstanding);
        boolean wrespError = wrespFire && sWrespResp.get() != 0;
        if (wrespError) {
            memErrors.next(memErrors.get() + 1);
            jobError.next(1);
        }
        boolean rdataError = rdataFire && sRdataResp.get() != 0;
        if (rdataError) {
            // counted once per beat; the job's completion says MEM_ERROR
            memErrors.next(memErrors.get() + 1 + (wrespError ? 1 : 0));
        }

        // The wire's output register drains independently of the state.
        boolean outTaken = outValid.isHigh() && mAxisTready.isHigh();
        boolean cOutFire = cOutTvalid.isHigh() && cOutTready.get() != 0;
        if (cOutFire && !rxJob.isHigh() && cOutTkeep.get() != 0) {
            outValid.next(1);
            outData.next(cOutTdata.get());
            outKeep.next(cOutTkeep.get());
            outLast.next(cOutTlast.get());
            outUser.next(cOutTlast.isHigh() && (jobError.isHigh() || rdataError));
        } else if (outTaken) {
            outValid.next(0);
        }
        if (cOutFire && cOutTlast.isHigh()) {
            lastOut.next(1);
        }
        if (cResValid.isHigh()) {
            resSeen.next(1);
            resCsum.next(cResCsum.get());
            resStatus.next(cResStatus.get());
        }

        int rxPopped = 0;
        switch ((int) state.get()) {
            case S_IDLE -> idle();
            case S_DESC_REQ -> {
                if (rdFire) {
                    state.next(S_DESC_DATA);
                }
            }
            case S_DESC_DATA -> {
                if (rdataFire) {
                    if (rdataError) {
                        jobError.next(1);
                    }
                    if (beatCount.get() == 0) {
                        descLo.next(sRdataData.get());
                        beatCount.next(1);
                    } else {
                        descHi.next(sRdataData.get());
                        beatCount.next(0);
                        state.next(S_CHECK);
                    }
                }
            }
            case S_CHECK -> check();
            case S_TX_CMD -> {
                driveTxCommand();
                if (cCmdReady.isHigh()) {
                    state.next(S_TX_DATA);
                }
            }
            case S_TX_DATA, S_PSP_OPEN -> txData(rdFire, rdataFire, rdataError, outFree, wrFire, outstanding);
            case S_RX_CMD -> {
                cCmdValid.drive(1);
                cCmdStart.drive(rxCsumStart.get());
                cCmdOffset.drive(0);
                cCmdEnable.drive(0);
                cCmdInit.drive(0);
                cCmdUdp.drive(0);
                if (cCmdReady.isHigh()) {
                    state.next(S_RX_DATA);
                }
            }
            case S_RX_DATA -> rxPopped = rxData(wrFire, outstanding);
            case S_CPL_REQ -> {
                if (wrFire) {
                    state.next(S_CPL_WAIT);
                }
            }
            case S_CPL_WAIT -> {
                if (outstanding == 0) {
                    finishJob(wrespError);
                }
            }
            default -> state.next(S_IDLE);
        }

        int count = rxCount() + (rxPushed ? 1 : 0) - rxPopped;
        rxReady.next(count <= RX_FIFO_DEPTH - 2);
    }

    private void idle() {
        boolean enabled = ctrl.isHigh();
        boolean txPending = enabled && txqHead.get() != txqTail.get();
        boolean rxPending = enabled && rxqHead.get() != rxqTail.get() && rxCount() > 0;
        if (!txPending && !rxPending) {
            return;
        }
        boolean rx = rxPending && (!txPending || !lastWasRx.isHigh());
        rxJob.next(rx);
        lastWasRx.next(rx);
        long index = rx ? rxqHead.get() : txqHead.get();
        long log = rx ? rxqLog.get() : txqLog.get();
        long base = rx ? rxqBase.get() : txqBase.get();
        long slot = index & ((1L << log) - 1);
        rdValid.next(1);
        rdAddr.next(base + slot * DESC_BYTES);
        rdBeats.next(2);
        beatCount.next(0);
        jobError.next(0);
        resSeen.next(0);
        lastOut.next(0);
        pspPhase.next(P_NONE);
        state.next(S_DESC_REQ);
    }

    private boolean inWindow(long addr, long len) {
        long base = memBase.get();
        long end = base + memSize.get();
        return addr >= base && addr <= end && len <= end - addr;
    }

    private void check() {
        long addr = descLo.get();
        int len = (int) (descHi.get() & 0xFFFF);
        int start = (int) (descHi.get() >>> 16 & 0xFFFF);
        int insert = (int) (descHi.get() >>> 32 & 0xFFFF);
        int flags = (int) (descHi.get() >>> 48 & 0xFF);
        int st;
        if (jobError.isHigh()) {
            st = ST_MEM_ERROR;
        } else if (rxJob.isHigh()) {
            if (len == 0) {
                st = ST_BAD_LEN;
            } else if ((addr & 7) != 0 || addr >>> 48 != 0 || !inWindow(addr, len)) {
                st = ST_BAD_ADDR;
            } else if (descHi.get() >>> 16 != 0) {
                st = ST_UNSUPPORTED;
            } else {
                st = ST_OK;
            }
        } else if (len == 0 || len > MAX_FRAME) {
            st = ST_BAD_LEN;
        } else if (addr >>> 48 != 0 || !inWindow(addr, len)) {
            st = ST_BAD_ADDR;
        } else if ((flags & ~FLAGS_KNOWN) != 0) {
            st = ST_UNSUPPORTED;
        } else if ((flags & FLAG_PSP) != 0 && ((flags & (FLAG_CSUM_INSERT | FLAG_CSUM_UDP)) != 0 || insert != 0
                || start + PSP_HEADER_BYTES > len || len + PSP_ICV_BYTES > MAX_FRAME || saAddr() >>> 48 != 0 || !inWindow(saAddr(), SA_BYTES))) {
            st = ST_PSP_BAD;
        } else if ((flags & FLAG_CSUM_INSERT) != 0 && (start > len || insert + 2 > len)) {
            st = ST_BAD_CSUM;
        } else {
            st = ST_OK;
        }
        status.next(st);
        cplLen.next(rxJob.isHigh() ? 0 : len);
        cplCsum.next(0);
        cplFlags.next(0);
        if (st != ST_OK) {
            requestCompletion(rxJob.isHigh() ? 0 : len, 0, st, 0);
            return;
        }
        if (rxJob.isHigh()) {
            rxPos.next(0);
            rxDone.next(0);
            rxTrunc.next(0);
            state.next(S_RX_CMD);
        } else {
            boolean psp = (flags & FLAG_PSP) != 0;
            startSegment(psp ? addr + start : addr, psp ? PSP_HEADER_BYTES : len);
            pspPhase.next(psp ? P_HDR : P_NONE);
            gcmCmdDone.next(0);
            keyCnt.next(0);
            ivCnt.next(0);
            tagIdx.next(0);
            gcmBad.next(0);
            pkCnt.next(0);
            pkFlush.next(0);
            state.next(psp ? S_TX_DATA : S_TX_CMD); // a PSP frame bypasses the checksum block
        }
    }

    /** The SA entry the descriptor's key byte names. */
    private long saAddr() {
        return saAddrOf(descHi.get() >>> 56 & 0xFF);
    }

    private long saAddrOf(long slot) {
        return saBase.get() + slot * SA_BYTES;
    }

    /** Points the read path at {@code n} bytes from {@code a} (any alignment; realigned to lane 0). */
    private void startSegment(long a, long n) {
        segAddr.next(a & 0xFFFF_FFFF_FFFFL);
        segLen.next(n);
        reqAddr.next(a & 0xFFFF_FFFF_FFF8L);
        reqLeft.next(((a & 7) + n + 7) >>> 3);
        reserved.next(0);
        popped.next(0);
        beatCount.next(0);
        flush.next(0);
    }

    private void driveTxCommand() {
        int flags = (int) (descHi.get() >>> 48 & 0xFF);
        boolean insert = (flags & FLAG_CSUM_INSERT) != 0;
        cCmdValid.drive(1);
        cCmdStart.drive(insert ? descHi.get() >>> 16 & 0xFFFF : 0);
        cCmdOffset.drive(insert ? descHi.get() >>> 32 & 0xFFFF : 0);
        cCmdEnable.drive(insert ? 1 : 0);
        cCmdInit.drive(0);
        cCmdUdp.drive((flags & FLAG_CSUM_UDP) != 0 ? 1 : 0);
    }

    private void txData(boolean rdFire, boolean rdataFire, boolean rdataError, boolean outFree, boolean wrFire,
                        int outstanding) {
        long addr = segAddr.get();
        int len = (int) segLen.get();
        int shift = (int) (addr & 7) * 8;
        long beats = ((addr & 7) + len + 7) >>> 3;
        long words = (len + 7) >>> 3;
        int count = txCount();
        long res = reserved.get();
        long left = reqLeft.get();

        // Read requests: a burst only when the FIFO has room for every beat in flight.
        if (rdFire) {
            long n = rdBeats.get();
            reqAddr.next(reqAddr.get() + 8 * n);
            left -= n;
            reqLeft.next(left);
        } else if (!rdValid.isHigh() && left > 0) {
            long n = Math.min(MAX_BURST, left);
            if (count + res + n <= TX_FIFO_DEPTH) {
                rdValid.next(1);
                rdAddr.next(reqAddr.get());
                rdBeats.next(n);
                res += n;
            }
        }

        // Read data, realigned so the frame's byte 0 is lane 0.
        int pushes = 0;
        long wr = txWr.get();
        if (rdataFire) {
            res -= 1;
            if (rdataError) {
                jobError.next(1);
            }
            long beat = sRdataData.get();
            long j = beatCount.get();
            if (shift == 0) {
                txFifo.write((int) wr & (TX_FIFO_DEPTH - 1), beat);
                pushes++;
            } else if (j > 0) {
                txFifo.write((int) wr & (TX_FIFO_DEPTH - 1), prevBeat.get() >>> shift | beat << (64 - shift));
                pushes++;
            }
            prevBeat.next(beat);
            beatCount.next(j + 1);
            if (j == beats - 1 && shift != 0 && words == beats) {
                flush.next(1);
            }
        } else if (flush.isHigh()) {
            txFifo.write((int) wr & (TX_FIFO_DEPTH - 1), prevBeat.get() >>> shift);
            pushes++;
            flush.next(0);
        }
        reserved.next(res);
        txWr.next(wr + pushes);

        if (state.get() == S_PSP_OPEN) {
            pspOpen(count, words, len, wrFire, outstanding);
            return;
        }
        if (pspPhase.get() != P_NONE) {
            pspSeal(count, words, len, outFree);
            return;
        }
        // FIFO to the checksum block.
        long p = popped.get();
        if (count > 0) {
            boolean last = p == words - 1;
            int tailBytes = len - 8 * (int) (words - 1);
            cInTvalid.drive(1);
            cInTdata.drive(txFifo.read((int) txRd.get() & (TX_FIFO_DEPTH - 1)));
            cInTkeep.drive(last ? (1L << tailBytes) - 1 : 0xFF);
            cInTlast.drive(last ? 1 : 0);
            if (cInTready.isHigh()) {
                txRd.next(txRd.get() + 1);
                p++;
                popped.next(p);
            }
        }

        boolean frameOut = lastOut.isHigh() || cOutTvalid.isHigh() && cOutTlast.isHigh() && outFree;
        boolean resultIn = resSeen.isHigh() || cResValid.isHigh();
        if (p == words && frameOut && resultIn) {
            int csumStatus = (int) (resSeen.isHigh() ? resStatus.get() : cResStatus.get());
            int sum = (int) (resSeen.isHigh() ? resCsum.get() : cResCsum.get());
            boolean busError = jobError.isHigh() || rdataError;
            int st = busError ? ST_MEM_ERROR : csumStatus != 0 ? ST_CSUM_REFUSED : ST_OK;
            requestCompletion(len, sum, st, 0);
        }
    }

    private static long bytesMask(long n) {
        return n >= 8 ? -1L : (1L << 8 * n) - 1;
    }

    private static long keepOf(long n) {
        return (1L << n) - 1;
    }

    /**
     * A PSP job's cycle in S_TX_DATA: the FIFO's words to where the phase sends them, the
     * GCM block's command, key and IV, its ciphertext and tag to the packer, the packer to
     * the wire's output register, and the next segment when this one is in.
     */
    private void pspSeal(int count, long words, int len, boolean outFree) {
        int phase = (int) pspPhase.get();
        long dAddr = descLo.get();
        int dLen = (int) (descHi.get() & 0xFFFF);
        int dStart = (int) (descHi.get() >>> 16 & 0xFFFF);
        int aadLen = PSP_HEADER_BYTES + 4 * (int) (hdrLo.get() >>> 16 & 0x3F);
        int textLen = dLen - dStart - aadLen;
        boolean pkReady = outFree && !pkFlush.isHigh();

        if (phase >= P_A) {
            feedGcm(false, aadLen, textLen);
        }

        // The FIFO's head word, to where this phase sends it.
        long p = popped.get();
        boolean have = count > 0;
        boolean last = p == words - 1;
        long bytes = last ? len - 8 * (words - 1) : 8;
        long word = txFifo.read((int) txRd.get() & (TX_FIFO_DEPTH - 1));
        boolean pop = have && takeHeaderOrSa(phase, p, word);
        boolean pkIn = false;
        long pkInData = 0;
        long pkInBytes = 0;
        boolean pkInFinal = false;
        boolean resTaken = false;
        if (have) {
            switch (phase) {
                case P_A -> {
                    if (pkReady) {
                        pop = true;
                        pkIn = true;
                        pkInData = word;
                        pkInBytes = bytes;
                    }
                }
                case P_B -> {
                    if (pkReady) {
                        gAadTvalid.drive(1);
                        gAadTdata.drive(word);
                        gAadTkeep.drive(keepOf(bytes));
                        gAadTlast.drive(last ? 1 : 0);
                        if (gAadTready.isHigh()) {
                            pop = true;
                            pkIn = true;
                            pkInData = word;
                            pkInBytes = bytes;
                        }
                    }
                }
                case P_C -> {
                    gTextTvalid.drive(1);
                    gTextTdata.drive(word);
                    gTextTkeep.drive(keepOf(bytes));
                    gTextTlast.drive(last ? 1 : 0);
                    if (gTextTready.isHigh()) {
                        pop = true;
                    }
                }
                default -> {
                }
            }
        }
        // Ciphertext, then the tag (the block offers its result only after the last ciphertext beat).
        if (phase == P_C || phase == P_TAG) {
            gOutTready.drive(pkReady ? 1 : 0);
            if (gOutTvalid.isHigh()) {
                if (pkReady) {
                    pkIn = true;
                    pkInData = gOutTdata.get();
                    pkInBytes = Long.bitCount(gOutTkeep.get());
                }
            } else if (phase == P_TAG && gResValid.isHigh() && pkReady) {
                pkIn = true;
                pkInBytes = 8;
                if (!tagIdx.isHigh()) {
                    pkInData = gResTagLo.get();
                    tagIdx.next(1);
                } else {
                    pkInData = gResTagHi.get();
                    pkInFinal = true;
                    resTaken = true;
                    gResReady.drive(1);
                    gcmBad.next(gResStatus.get() != 0 ? 1 : 0);
                }
            }
        }

        // The packer: whole beats to the wire at any byte count; the tag's second half ends the frame.
        boolean finalOut = false;
        boolean bad = gcmBad.isHigh() || resTaken && gResStatus.get() != 0;
        if (pkFlush.isHigh()) {
            if (outFree) {
                emit(pkData.get(), keepOf(pkCnt.get()), true, bad);
                pkFlush.next(0);
                pkCnt.next(0);
                finalOut = true;
            }
        } else if (pkIn) {
            long cnt = pkCnt.get();
            long data = pkInData & bytesMask(pkInBytes);
            long lo = pkData.get() & bytesMask(cnt) | data << 8 * cnt;
            long hi = cnt == 0 ? 0 : data >>> 64 - 8 * cnt;
            long t = cnt + pkInBytes;
            if (t >= 8) {
                emit(lo, 0xFF, pkInFinal && t == 8, bad);
                pkData.next(hi);
                pkCnt.next(t - 8);
                if (pkInFinal && t > 8) {
                    pkFlush.next(1);
                }
                finalOut = pkInFinal && t == 8;
            } else {
                pkData.next(lo);
                pkCnt.next(t);
            }
        }
        if (finalOut) {
            int st = jobError.isHigh() ? ST_MEM_ERROR : bad ? ST_PSP_BAD : ST_OK;
            requestCompletion(dLen + PSP_ICV_BYTES, 0, st, st == ST_OK ? CPL_PSP : 0);
        }

        // The next segment once this one's words are all taken.
        if (pop) {
            txRd.next(txRd.get() + 1);
            p++;
            popped.next(p);
        }
        if (pop && p == words) {
            switch (phase) {
                case P_HDR -> {
                    if (jobError.isHigh()) {
                        requestCompletion(dLen, 0, ST_MEM_ERROR, 0);
                    } else if (dStart + aadLen > dLen) {
                        requestCompletion(dLen, 0, ST_PSP_BAD, 0);
                    } else {
                        pspPhase.next(P_SA);
                        startSegment(saAddr(), SA_READ_BYTES);
                    }
                }
                case P_SA -> {
                    if (jobError.isHigh()) {
                        requestCompletion(dLen, 0, ST_MEM_ERROR, 0);
                    } else if ((word & SA_VALID) == 0) {
                        requestCompletion(dLen, 0, ST_PSP_BAD, 0);
                    } else if (dStart != 0) {
                        pspPhase.next(P_A);
                        startSegment(dAddr, dStart);
                    } else {
                        pspPhase.next(P_B);
                        startSegment(dAddr + dStart, aadLen);
                    }
                }
                case P_A -> {
                    pspPhase.next(P_B);
                    startSegment(dAddr + dStart, aadLen);
                }
                case P_B -> {
                    if (textLen != 0) {
                        pspPhase.next(P_C);
                        startSegment(dAddr + dStart + aadLen, textLen);
                    } else {
                        pspPhase.next(P_TAG);
                    }
                }
                default -> pspPhase.next(P_TAG);
            }
        }
    }

    /**
     * The GCM block's command, key and IV, once the SA is in (it takes them in its own
     * time). The nonce is the PSP header's bytes 4..15: SPI then IV.
     */
    private void feedGcm(boolean open, int aadLen, int textLen) {
        if (!gcmCmdDone.isHigh()) {
            gCmdValid.drive(1);
            gCmdOpen.drive(open ? 1 : 0);
            gCmdAes256.drive(saAes256.get());
            gCmdAadLen.drive(aadLen);
            gCmdTextLen.drive(textLen & 0xFFFF);
            if (gCmdReady.isHigh()) {
                gcmCmdDone.next(1);
            }
        }
        long k = keyCnt.get();
        if (k < (saAes256.isHigh() ? 4 : 2)) {
            gKeyTvalid.drive(1);
            gKeyTdata.drive(saKey[(int) k].get());
            if (gKeyTready.isHigh()) {
                keyCnt.next(k + 1);
            }
        }
        long v = ivCnt.get();
        if (v < 2) {
            gIvTvalid.drive(1);
            gIvTdata.drive(v == 0 ? hdrHi.get() << 32 | hdrLo.get() >>> 32 : hdrHi.get() >>> 32);
            if (gIvTready.isHigh()) {
                ivCnt.next(v + 1);
            }
        }
    }

    /**
     * The FIFO's head word in the PSP header (2 words) or SA entry (5 words) segments, into
     * their registers; true when the word was taken (always, in those phases).
     */
    private boolean takeHeaderOrSa(int phase, long p, long word) {
        if (phase == P_HDR) {
            if (p == 0) {
                hdrLo.next(word);
            } else {
                hdrHi.next(word);
            }
            return true;
        }
        if (phase == P_SA) {
            if (p < 4) {
                saKey[(int) p].next(word);
            } else {
                saAes256.next(word >>> 1 & 1);
            }
            return true;
        }
        return false;
    }

    /** A beat into the wire's output register (free this cycle: the caller checked). */
    private void emit(long data, long keep, boolean last, boolean bad) {
        outValid.next(1);
        outData.next(data);
        outKeep.next(keep);
        outLast.next(last ? 1 : 0);
        outUser.next(last && (jobError.isHigh() || bad) ? 1 : 0);
    }

    /**
     * The frame just received is PSP as this NIC recognizes it: long enough for the
     * headers, a PSP header and an ICV; EtherType IPv4; IPv4 without options (IHL 5);
     * UDP; destination port 1000.
     */
    private boolean isPspFrame() {
        long b1 = rxB1.get();
        long b2 = rxB2.get();
        long b4 = rxB4.get();
        return rxPos.get() >= RX_PSP_AT + PSP_HEADER_BYTES + PSP_ICV_BYTES
                && (b1 >>> 32 & 0xFFFFFF) == 0x450008         // bytes 12..14: 08 00 45
                && (b2 >>> 56 & 0xFF) == 17                     // byte 23: UDP
                && (b4 >>> 32 & 0xFFFF) == 0xE803;              // bytes 36..37: 03 E8 (1000)
    }

    /**
     * A PSP open's cycle in S_PSP_OPEN: the FIFO's words (read back from the buffer) to the
     * GCM block's AAD, text and tag inputs; its result; the plaintext, once the tag matched,
     * written to the buffer from the first 8-byte boundary after the AAD (header split).
     */
    private void pspOpen(int count, long words, int len, boolean wrFire, int outstanding) {
        int phase = (int) pspPhase.get();
        long buf = descLo.get();
        int frameLen = (int) rxPos.get();
        long b2 = rxB2.get();
        int ipLen = (int) ((b2 & 0xFF) << 8 | b2 >>> 8 & 0xFF);
        int aadLen = PSP_HEADER_BYTES + 4 * (int) (hdrLo.get() >>> 16 & 0x3F);
        int aadEnd = RX_PSP_AT + aadLen;
        int textLen = 14 + ipLen - aadEnd - PSP_ICV_BYTES;
        int ptOff = aadEnd + 7 & ~7;

        if (phase >= P_B) {
            feedGcm(true, aadLen, textLen);
        }

        long p = popped.get();
        boolean last = p == words - 1;
        long bytes = last ? len - 8 * (words - 1) : 8;
        long word = txFifo.read((int) txRd.get() & (TX_FIFO_DEPTH - 1));
        boolean pop = count > 0 && takeHeaderOrSa(phase, p, word);
        if (count > 0) {
            switch (phase) {
                case P_B -> {
                    gAadTvalid.drive(1);
                    gAadTdata.drive(word);
                    gAadTkeep.drive(keepOf(bytes));
                    gAadTlast.drive(last ? 1 : 0);
                    pop = gAadTready.isHigh();
                }
                case P_C -> {
                    gTextTvalid.drive(1);
                    gTextTdata.drive(word);
                    gTextTkeep.drive(keepOf(bytes));
                    gTextTlast.drive(last ? 1 : 0);
                    pop = gTextTready.isHigh();
                }
                case P_ICV -> {
                    gTagTvalid.drive(1);
                    gTagTdata.drive(word);
                    pop = gTagTready.isHigh();
                }
                default -> {
                }
            }
        }

        // The result, then (tag matched) the plaintext into the buffer, one write at a time.
        if (phase == P_TAG) {
            boolean wrFree = !wrValid.isHigh() || wrFire;
            if (!tagIdx.isHigh()) {
                if (gResValid.isHigh()) {
                    gResReady.drive(1);
                    boolean ok = gResOk.isHigh() && gResStatus.get() == 0;
                    if (!ok) {
                        requestCompletion(frameLen, 0, gResStatus.get() != 0 ? ST_PSP_BAD : ST_PSP_AUTH, 0);
                    } else {
                        tagIdx.next(1);
                        ptDone.next(textLen == 0 ? 1 : 0);
                    }
                }
            } else if (!ptDone.isHigh()) {
                gOutTready.drive(wrFree ? 1 : 0);
                if (gOutTvalid.isHigh() && wrFree) {
                    long pos = ptPos.get();
                    wrValid.next(1);
                    wrAddr.next(buf + ptOff + pos);
                    wrData.next(gOutTdata.get());
                    wrStrb.next(gOutTkeep.get());
                    ptPos.next(pos + 8);
                    if (gOutTlast.isHigh()) {
                        ptDone.next(1);
                    }
                }
            } else if (!wrValid.isHigh() && outstanding == 0) {
                int st = jobError.isHigh() ? ST_MEM_ERROR : ST_OK;
                requestCompletion(ptOff + textLen, ptOff, st, st == ST_OK ? CPL_PSP : 0);
            }
        }

        if (pop) {
            txRd.next(txRd.get() + 1);
            p++;
            popped.next(p);
        }
        if (pop && p == words) {
            switch (phase) {
                case P_HDR -> {
                    long slot = hdrLo.get() >>> 56 & 0xFF; // the SPI's low byte (header byte 7)
                    if (jobError.isHigh()) {
                        requestCompletion(frameLen, 0, ST_MEM_ERROR, 0);
                    } else if (ipLen < aadEnd - 14 + PSP_ICV_BYTES || 14 + ipLen > frameLen) {
                        requestCompletion(frameLen, 0, ST_PSP_BAD, 0);
                    } else if (saAddrOf(slot) >>> 48 != 0 || !inWindow(saAddrOf(slot), SA_BYTES)) {
                        requestCompletion(frameLen, 0, ST_PSP_NO_SA, 0);
                    } else {
                        pspPhase.next(P_SA);
                        startSegment(saAddrOf(slot), SA_READ_BYTES);
                    }
                }
                case P_SA -> {
                    if (jobError.isHigh()) {
                        requestCompletion(frameLen, 0, ST_MEM_ERROR, 0);
                    } else if ((word & SA_VALID) == 0 || (word >>> 32) != (hdrLo.get() >>> 32)) {
                        requestCompletion(frameLen, 0, ST_PSP_NO_SA, 0);
                    } else {
                        pspPhase.next(P_B);
                        startSegment(buf + RX_PSP_AT, aadLen);
                    }
                }
                case P_B -> {
                    if (textLen != 0) {
                        pspPhase.next(P_C);
                        startSegment(buf + aadEnd, textLen);
                    } else {
                        pspPhase.next(P_ICV);
                        startSegment(buf + aadEnd, PSP_ICV_BYTES);
                    }
                }
                case P_C -> {
                    pspPhase.next(P_ICV);
                    startSegment(buf + aadEnd + textLen, PSP_ICV_BYTES);
                }
                default -> pspPhase.next(P_TAG);
            }
        }
    }

    private int rxData(boolean wrFire, int outstanding) {
        int cap = (int) (descHi.get() & 0xFFFF);
        long addr = descLo.get();
        int popped = 0;
        boolean wrFree = !wrValid.isHigh() || wrFire;
        if (!rxDone.isHigh() && rxCount() > 0 && wrFree) {
            int head = (int) rxRd.get() & (RX_FIFO_DEPTH - 1);
            long data = rxFifoData.read(head);
            long keep = rxFifoKeep.read(head);
            boolean last = rxFifoLast.read(head) != 0;
            cInTvalid.drive(1);
            cInTdata.drive(data);
            cInTkeep.drive(keep);
            cInTlast.drive(last ? 1 : 0);
            if (cInTready.isHigh()) {
                popped = 1;
                rxRd.next(rxRd.get() + 1);
                int pos = (int) rxPos.get();
                if (pos == 8) {
                    rxB1.next(data);
                } else if (pos == 16) {
                    rxB2.next(data);
                } else if (pos == 32) {
                    rxB4.next(data);
                }
                int room = Math.max(0, Math.min(8, cap - pos));
                long strb = keep & ((1L << room) - 1);
                if (strb != 0) {
                    wrValid.next(1);
                    wrAddr.next(addr + pos);
                    wrData.next(data);
                    wrStrb.next(strb);
                }
                if (strb != keep) {
                    rxTrunc.next(1);
                }
                rxPos.next(pos + Long.bitCount(keep));
                if (last) {
                    rxDone.next(1);
                }
            }
        }
        boolean drained = lastOut.isHigh() || cOutTvalid.isHigh() && cOutTlast.isHigh();
        boolean resultIn = resSeen.isHigh() || cResValid.isHigh();
        if (rxDone.isHigh() && !wrValid.isHigh() && outstanding == 0 && drained && resultIn) {
            int csumStatus = (int) (resSeen.isHigh() ? resStatus.get() : cResStatus.get());
            int sum = (int) (resSeen.isHigh() ? resCsum.get() : cResCsum.get());
            int st = jobError.isHigh() ? ST_MEM_ERROR : rxTrunc.isHigh() ? ST_TRUNCATED : ST_OK;
            if (st == ST_OK && pspCtrl.isHigh() && isPspFrame()) {
                // PSP open: read the frame back from the buffer through the GCM block.
                state.next(S_PSP_OPEN);
                pspPhase.next(P_HDR);
                startSegment(addr + RX_PSP_AT, PSP_HEADER_BYTES);
                gcmCmdDone.next(0);
                keyCnt.next(0);
                ivCnt.next(0);
                tagIdx.next(0);
                ptPos.next(0);
                ptDone.next(0);
            } else {
                requestCompletion((int) rxPos.get(), sum, st, csumStatus == 0 ? CPL_CSUM_VALID : 0);
            }
        }
        return popped;
    }

    private void requestCompletion(int len, int sum, int st, int flags) {
        boolean rx = rxJob.isHigh();
        long index = rx ? rxqHead.get() : txqHead.get();
        int log = (int) (rx ? rxqLog.get() : txqLog.get());
        long slot = index & ((1L << log) - 1);
        long base = rx ? rxcqBase.get() : txcqBase.get();
        cplLen.next(len);
        status.next(st);
        wrValid.next(1);
        wrAddr.next(base + slot * CPL_BYTES);
        wrData.next(completion(len, sum, st, flags, phaseOf((int) index, log)));
        wrStrb.next(0xFF);
        state.next(S_CPL_REQ);
    }

    private void finishJob(boolean wrespError) {
        boolean rx = rxJob.isHigh();
        boolean ok = status.get() == ST_OK && !wrespError;
        if (rx) {
            rxCompleted = true;
            rxqHead.next(rxqHead.get() + 1);
            if (ok) {
                rxPackets.next(rxPackets.get() + 1);
                rxBytes.next(rxBytes.get() + cplLen.get());
            } else {
                rxErrors.next(rxErrors.get() + 1);
            }
            if (pspPhase.get() != P_NONE) {  // an open was tried
                if (ok) {
                    pspRxOpened.next(pspRxOpened.get() + 1);
                } else if (status.get() == ST_PSP_AUTH) {
                    pspRxAuthFail.next(pspRxAuthFail.get() + 1);
                } else {
                    pspRxErrors.next(pspRxErrors.get() + 1);
                }
            }
        } else {
            txCompleted = true;
            txqHead.next(txqHead.get() + 1);
            if (ok) {
                txPackets.next(txPackets.get() + 1);
                txBytes.next(txBytes.get() + cplLen.get());
            } else {
                txErrors.next(txErrors.get() + 1);
            }
            if ((descHi.get() >>> 48 & FLAG_PSP) != 0) {
                if (ok) {
                    pspTxSealed.next(pspTxSealed.get() + 1);
                } else {
                    pspTxErrors.next(pspTxErrors.get() + 1);
                }
            }
        }
        state.next(S_IDLE);
    }

    // ---- completion moderation and the interrupt ----------------------------------------

    /** This cycle's writes of 1s to IRQ_STATUS, and the completions (head advances) it made. */
    private long irqClear;
    private boolean txCompleted;
    private boolean rxCompleted;

    /**
     * Per direction, from the registered state: raise when the completions not yet signalled
     * reach the count, or when the oldest of them is the timer's cycles old; a raise starts a
     * new count (this cycle's completion, if any, is its first). A raise and a clear of the
     * same bit in one cycle: the raise wins, so no interrupt is lost to a late acknowledge.
     */
    private void moderate() {
        boolean txFire = raise(txPend, txAge, txIrqCount, txIrqTimer, txCompleted);
        boolean rxFire = raise(rxPend, rxAge, rxIrqCount, rxIrqTimer, rxCompleted);
        long fire = (txFire ? IRQ_TX : 0) | (rxFire ? IRQ_RX : 0);
        irqStatus.next(irqStatus.get() & ~irqClear | fire);
        interrupts.next(interrupts.get() + (txFire ? 1 : 0) + (rxFire ? 1 : 0));
    }

    private static boolean raise(Reg pend, Reg age, Reg count, Reg timer, boolean completed) {
        long p = pend.get();
        boolean fire = count.get() != 0 && p >= count.get()
                || timer.get() != 0 && p != 0 && age.get() >= timer.get();
        pend.next(Math.min(0xFFFF, (fire ? 0 : p) + (completed ? 1 : 0)));
        age.next(fire || p == 0 ? 0 : Math.min(0xFFFF, age.get() + 1));
        return fire;
    }
}
