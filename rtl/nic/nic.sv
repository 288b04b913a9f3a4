// nic: an emulated NIC -- descriptor rings in host memory, doorbells, inline checksum.
//
// An AXI4-Lite register file, one descriptor engine serving a TX and an RX ring in host
// memory through a memory master (dma_copy's bus: m_rd / s_rdata / m_wr / s_wresp), a
// csum_offload instance inline on both directions, and the wire as AXI-stream (m_axis out,
// s_axis in). The engine does one job at a time, TX and RX taking turns: read the
// descriptor (2 beats), check it, move the frame, write the completion (1 beat), wait for its
// response, advance the head. A malformed descriptor gets an error completion and the engine
// moves on; no RX buffer posted means s_axis_tready low (back-pressure, never a drop); bytes
// past an RX buffer's capacity are never written.
//
// PSP seal (a TX descriptor with the PSP flag): an aes_gcm instance seals the frame inline.
// The job reads the frame as segments, each realigned to lane 0 by the same read path: the
// PSP header (16 bytes at start), the SA entry (key, flags) from the SA table in host memory,
// then the headers before start (to the wire), the AAD (to the wire and the block), the text
// (to the block); a packer joins headers, AAD, ciphertext and tag into full wire beats.
//
// Mirrors hw-emulator/.../blocks/nic/NicModule.java (the kit's cycle model) register for
// register: one always_comb computes every next state and the checksum block's inputs in
// the model's order (a later assignment wins, as a later Reg.next does), one always_ff
// takes them. Every output is a register or a function of registers only.
//
// Registers, ring formats, statuses and timing: rtl/nic/README.md (the datasheet).

`resetall
`timescale 1ns / 1ps
`default_nettype none

module nic #(
    // Words of the TX FIFO between the memory and the checksum block (bursts are issued
    // only with room for every beat in flight). Fixed: the cycle model has the same.
    parameter int TX_FIFO_DEPTH = 32,
    // Beats of the RX FIFO from the wire.
    parameter int RX_FIFO_DEPTH = 16
) (
    input  wire logic        clk,
    input  wire logic        rst,

    // AXI4-Lite register port.
    input  wire logic        s_axil_awvalid,
    output wire logic        s_axil_awready,
    input  wire logic [11:0] s_axil_awaddr,
    input  wire logic        s_axil_wvalid,
    output wire logic        s_axil_wready,
    input  wire logic [31:0] s_axil_wdata,
    input  wire logic [3:0]  s_axil_wstrb,
    output wire logic        s_axil_bvalid,
    input  wire logic        s_axil_bready,
    output wire logic [1:0]  s_axil_bresp,
    input  wire logic        s_axil_arvalid,
    output wire logic        s_axil_arready,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire logic [11:0] s_axil_araddr,  // bits 1:0 ignored: registers are 32-bit words
    /* verilator lint_on UNUSEDSIGNAL */
    output wire logic        s_axil_rvalid,
    input  wire logic        s_axil_rready,
    output wire logic [31:0] s_axil_rdata,
    output wire logic [1:0]  s_axil_rresp,

    // Memory master onto host memory.
    output wire logic        m_rd_valid,
    input  wire logic        m_rd_ready,
    output wire logic [47:0] m_rd_addr,
    output wire logic [7:0]  m_rd_beats,
    input  wire logic        s_rdata_valid,
    output wire logic        s_rdata_ready,
    input  wire logic [63:0] s_rdata_data,
    input  wire logic [1:0]  s_rdata_resp,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire logic        s_rdata_last,   // part of the bus contract; the engine counts beats
    /* verilator lint_on UNUSEDSIGNAL */
    output wire logic        m_wr_valid,
    input  wire logic        m_wr_ready,
    output wire logic [47:0] m_wr_addr,
    output wire logic [63:0] m_wr_data,
    output wire logic [7:0]  m_wr_strb,
    input  wire logic        s_wresp_valid,
    output wire logic        s_wresp_ready,
    input  wire logic [1:0]  s_wresp_resp,

    // The wire out.
    output wire logic [63:0] m_axis_tdata,
    output wire logic [7:0]  m_axis_tkeep,
    output wire logic        m_axis_tvalid,
    input  wire logic        m_axis_tready,
    output wire logic        m_axis_tlast,
    output wire logic        m_axis_tuser,

    // The wire in.
    input  wire logic [63:0] s_axis_tdata,
    input  wire logic [7:0]  s_axis_tkeep,
    input  wire logic        s_axis_tvalid,
    output wire logic        s_axis_tready,
    input  wire logic        s_axis_tlast,

    // The interrupt (level): (IRQ_STATUS & IRQ_MASK) != 0.
    output wire logic        irq
);

    initial begin
        if (TX_FIFO_DEPTH != 32) $error("nic: TX_FIFO_DEPTH must be 32 (the cycle model's)");
        if (RX_FIFO_DEPTH != 16) $error("nic: RX_FIFO_DEPTH must be 16 (the cycle model's)");
    end

    // Register map (NicLayout.java).
    localparam logic [11:0] REG_ID = 12'h000, REG_CTRL = 12'h004, REG_MEM_BASE_LO = 12'h008,
        REG_MEM_BASE_HI = 12'h00C, REG_MEM_SIZE_LO = 12'h010, REG_MEM_SIZE_HI = 12'h014,
        REG_RX_CSUM_START = 12'h018, REG_TXQ_BASE_LO = 12'h020, REG_TXQ_BASE_HI = 12'h024,
        REG_TXQ_LOG_SIZE = 12'h028, REG_TXQ_TAIL = 12'h02C, REG_TXQ_HEAD = 12'h030,
        REG_TXCQ_BASE_LO = 12'h038, REG_TXCQ_BASE_HI = 12'h03C, REG_RXQ_BASE_LO = 12'h040,
        REG_RXQ_BASE_HI = 12'h044, REG_RXQ_LOG_SIZE = 12'h048, REG_RXQ_TAIL = 12'h04C,
        REG_RXQ_HEAD = 12'h050, REG_RXCQ_BASE_LO = 12'h058, REG_RXCQ_BASE_HI = 12'h05C,
        REG_SA_BASE_LO = 12'h060, REG_SA_BASE_HI = 12'h064, REG_PSP_TX_SEALED = 12'h120,
        REG_PSP_TX_ERRORS = 12'h124, REG_PSP_CTRL = 12'h068, REG_PSP_RX_OPENED = 12'h128,
        REG_PSP_RX_AUTH_FAIL = 12'h12C, REG_PSP_RX_ERRORS = 12'h130,
        REG_TX_PACKETS = 12'h100, REG_TX_BYTES = 12'h104, REG_RX_PACKETS = 12'h108,
        REG_RX_BYTES = 12'h10C, REG_TX_ERRORS = 12'h110, REG_RX_ERRORS = 12'h114,
        REG_RX_STALL_CYCLES = 12'h118, REG_MEM_ERRORS = 12'h11C;
    // Completion moderation and the interrupt.
    localparam logic [11:0] REG_IRQ_STATUS = 12'h080, REG_IRQ_MASK = 12'h084,
        REG_TX_IRQ_COUNT = 12'h088, REG_TX_IRQ_TIMER = 12'h08C, REG_RX_IRQ_COUNT = 12'h090,
        REG_RX_IRQ_TIMER = 12'h094, REG_INTERRUPTS = 12'h098;
    localparam logic [31:0] ID = 32'h4E494301;
    localparam int MAX_FRAME = 9216;
    localparam logic [3:0] MAX_LOG_SIZE = 4'd12;

    // Completion statuses.
    localparam logic [7:0] ST_OK = 8'd0, ST_BAD_LEN = 8'd1, ST_BAD_ADDR = 8'd2, ST_BAD_CSUM = 8'd3,
        ST_UNSUPPORTED = 8'd4, ST_MEM_ERROR = 8'd5, ST_TRUNCATED = 8'd6, ST_CSUM_REFUSED = 8'd7,
        ST_PSP_BAD = 8'd8, ST_PSP_AUTH = 8'd9, ST_PSP_NO_SA = 8'd10;
    localparam logic [7:0] CPL_PSP = 8'd2;

    // PSP phases of a TX job (0: not PSP): the segment the read path fetches.
    localparam logic [2:0] P_NONE = 3'd0, P_HDR = 3'd1, P_SA = 3'd2, P_A = 3'd3, P_B = 3'd4, P_C = 3'd5,
        P_TAG = 3'd6, P_ICV = 3'd7;
    localparam logic [15:0] RX_PSP_AT = 16'd42;  // RX: Ethernet II, IPv4 without options, UDP

    // Engine states.
    localparam logic [3:0] S_IDLE = 4'd0, S_DESC_REQ = 4'd1, S_DESC_DATA = 4'd2, S_CHECK = 4'd3,
        S_TX_CMD = 4'd4, S_TX_DATA = 4'd5, S_RX_CMD = 4'd6, S_RX_DATA = 4'd7, S_CPL_REQ = 4'd8,
        S_CPL_WAIT = 4'd9, S_PSP_OPEN = 4'd10;

    // ---------------------------------------------------------------- state (q) and next (d)
    logic        aw_seen_q, aw_seen_d, w_seen_q, w_seen_d, b_valid_q, b_valid_d, r_valid_q, r_valid_d;
    logic [11:0] aw_addr_q, aw_addr_d;
    logic [31:0] w_data_q, w_data_d, r_data_q, r_data_d;
    logic [3:0]  w_strb_q, w_strb_d;
    logic        ctrl_q, ctrl_d;
    logic [47:0] mem_base_q, mem_base_d;
    logic [48:0] mem_size_q, mem_size_d;
    logic [15:0] rx_csum_start_q, rx_csum_start_d;
    logic [47:0] txq_base_q, txq_base_d, txcq_base_q, txcq_base_d;
    logic [47:0] rxq_base_q, rxq_base_d, rxcq_base_q, rxcq_base_d;
    logic [3:0]  txq_log_q, txq_log_d, rxq_log_q, rxq_log_d;
    logic [15:0] txq_tail_q, txq_tail_d, txq_head_q, txq_head_d;
    logic [15:0] rxq_tail_q, rxq_tail_d, rxq_head_q, rxq_head_d;
    logic [31:0] tx_packets_q, tx_packets_d, tx_bytes_q, tx_bytes_d;
    logic [31:0] rx_packets_q, rx_packets_d, rx_bytes_q, rx_bytes_d;
    logic [31:0] tx_errors_q, tx_errors_d, rx_errors_q, rx_errors_d;
    logic [31:0] rx_stalls_q, rx_stalls_d, mem_errors_q, mem_errors_d;
    // Completion moderation: per direction completions not yet signalled and their age.
    logic [1:0]  irq_status_q, irq_status_d, irq_mask_q, irq_mask_d;
    logic [15:0] tx_irq_count_q, tx_irq_count_d, tx_irq_timer_q, tx_irq_timer_d;
    logic [15:0] rx_irq_count_q, rx_irq_count_d, rx_irq_timer_q, rx_irq_timer_d;
    logic [31:0] interrupts_q, interrupts_d;
    logic [15:0] tx_pend_q, tx_pend_d, tx_age_q, tx_age_d, rx_pend_q, rx_pend_d, rx_age_q, rx_age_d;

    logic [3:0]  state_q, state_d;
    logic        rx_job_q, rx_job_d, last_was_rx_q, last_was_rx_d;
    logic [63:0] desc_lo_q, desc_lo_d, desc_hi_q, desc_hi_d;
    logic [15:0] beat_count_q, beat_count_d;
    logic        job_error_q, job_error_d;
    logic [7:0]  status_q, status_d;
    logic [15:0] cpl_len_q, cpl_len_d;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [15:0] cpl_csum_q, cpl_csum_d;     // kept as the model keeps them: written, read by no one
    logic [7:0]  cpl_flags_q, cpl_flags_d;
    /* verilator lint_on UNUSEDSIGNAL */
    logic [47:0] req_addr_q, req_addr_d;
    logic [15:0] req_left_q, req_left_d;
    logic [7:0]  reserved_q, reserved_d;
    logic [63:0] prev_beat_q, prev_beat_d;
    logic        flush_q, flush_d;
    logic [15:0] popped_q, popped_d;
    logic        res_seen_q, res_seen_d;
    logic [15:0] res_csum_q, res_csum_d;
    logic [1:0]  res_status_q, res_status_d;
    logic        last_out_q, last_out_d;
    logic [15:0] rx_pos_q, rx_pos_d;
    logic        rx_done_q, rx_done_d, rx_trunc_q, rx_trunc_d;
    logic [7:0]  writes_out_q, writes_out_d;
    logic        rd_valid_q, rd_valid_d;
    logic [47:0] rd_addr_q, rd_addr_d;
    logic [7:0]  rd_beats_q, rd_beats_d;
    logic        wr_valid_q, wr_valid_d;
    logic [47:0] wr_addr_q, wr_addr_d;
    logic [63:0] wr_data_q, wr_data_d;
    logic [7:0]  wr_strb_q, wr_strb_d;
    logic        bus_ready_q, bus_ready_d;
    logic        out_valid_q, out_valid_d, out_last_q, out_last_d, out_user_q, out_user_d;
    logic [63:0] out_data_q, out_data_d;
    logic [7:0]  out_keep_q, out_keep_d;
    logic [5:0]  tx_wr_q, tx_wr_d, tx_rd_q, tx_rd_d;
    logic [4:0]  rx_wr_q, rx_wr_d, rx_rd_q, rx_rd_d;
    logic        rx_ready_q, rx_ready_d;
    // PSP: registers, the read segment, the seal's state and the packer.
    logic [47:0] sa_base_q, sa_base_d;
    logic [31:0] psp_tx_sealed_q, psp_tx_sealed_d, psp_tx_errors_q, psp_tx_errors_d;
    logic [47:0] seg_addr_q, seg_addr_d;
    logic [15:0] seg_len_q, seg_len_d;
    logic [2:0]  psp_phase_q, psp_phase_d;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [63:0] hdr_lo_q, hdr_lo_d;         // bytes 0,1,3 are not the NIC's to read
    /* verilator lint_on UNUSEDSIGNAL */
    logic [63:0] hdr_hi_q, hdr_hi_d;
    logic [63:0] sa_key0_q, sa_key0_d, sa_key1_q, sa_key1_d, sa_key2_q, sa_key2_d, sa_key3_q, sa_key3_d;
    logic        sa_aes256_q, sa_aes256_d, gcm_cmd_done_q, gcm_cmd_done_d;
    logic [2:0]  key_cnt_q, key_cnt_d;
    logic [1:0]  iv_cnt_q, iv_cnt_d;
    logic        tag_idx_q, tag_idx_d, gcm_bad_q, gcm_bad_d;
    logic [63:0] pk_data_q, pk_data_d;
    logic [2:0]  pk_cnt_q, pk_cnt_d;
    logic        pk_flush_q, pk_flush_d;
    // PSP open (RX).
    logic        psp_ctrl_q, psp_ctrl_d;
    logic [31:0] psp_rx_opened_q, psp_rx_opened_d, psp_rx_auth_fail_q, psp_rx_auth_fail_d;
    logic [31:0] psp_rx_errors_q, psp_rx_errors_d;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [63:0] rx_b1_q, rx_b1_d, rx_b2_q, rx_b2_d, rx_b4_q, rx_b4_d;  // frame bytes 8.., 16.., 32..: a few read
    /* verilator lint_on UNUSEDSIGNAL */
    logic [15:0] pt_pos_q, pt_pos_d;
    logic        pt_done_q, pt_done_d;

    // FIFOs: asynchronous read, written at the edge.
    logic [63:0] tx_fifo [0:TX_FIFO_DEPTH-1];
    logic [63:0] rx_fifo_data [0:RX_FIFO_DEPTH-1];
    logic [7:0]  rx_fifo_keep [0:RX_FIFO_DEPTH-1];
    logic        rx_fifo_last [0:RX_FIFO_DEPTH-1];
    logic        tx_fifo_we;
    logic [4:0]  tx_fifo_waddr;
    logic [63:0] tx_fifo_wdata;
    logic        rx_fifo_we;
    logic [3:0]  rx_fifo_waddr;

    // ---------------------------------------------------------------- the checksum block
    logic        c_cmd_valid, c_cmd_ready, c_cmd_enable, c_cmd_udp;
    logic [15:0] c_cmd_start, c_cmd_offset, c_cmd_init;
    logic [63:0] c_in_tdata, c_out_tdata;
    logic [7:0]  c_in_tkeep, c_out_tkeep;
    logic        c_in_tvalid, c_in_tready, c_in_tlast;
    logic        c_out_tvalid, c_out_tready, c_out_tlast;
    logic        c_res_valid, c_res_ready;
    logic [15:0] c_res_csum;
    logic [1:0]  c_res_status;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [31:0] c_err_count;                // the block counts its refusals; the NIC its own
    /* verilator lint_on UNUSEDSIGNAL */

    csum_offload #(
        .DATA_WIDTH(64)
    ) checksum (
        .clk(clk),
        .rst(rst),
        .s_cmd_valid(c_cmd_valid),
        .s_cmd_ready(c_cmd_ready),
        .s_cmd_csum_start(c_cmd_start),
        .s_cmd_csum_offset(c_cmd_offset),
        .s_cmd_csum_enable(c_cmd_enable),
        .s_cmd_csum_init(c_cmd_init),
        .s_cmd_csum_udp(c_cmd_udp),
        .s_axis_tdata(c_in_tdata),
        .s_axis_tkeep(c_in_tkeep),
        .s_axis_tvalid(c_in_tvalid),
        .s_axis_tready(c_in_tready),
        .s_axis_tlast(c_in_tlast),
        .m_axis_tdata(c_out_tdata),
        .m_axis_tkeep(c_out_tkeep),
        .m_axis_tvalid(c_out_tvalid),
        .m_axis_tready(c_out_tready),
        .m_axis_tlast(c_out_tlast),
        .m_res_valid(c_res_valid),
        .m_res_ready(c_res_ready),
        .m_res_csum(c_res_csum),
        .m_res_status(c_res_status),
        .err_count(c_err_count)
    );

    // ---------------------------------------------------------------- the GCM block (PSP)
    logic        g_cmd_valid, g_cmd_ready, g_cmd_open, g_cmd_aes256;
    logic [15:0] g_cmd_aad_len, g_cmd_text_len;
    logic [63:0] g_key_tdata, g_iv_tdata, g_aad_tdata, g_text_tdata, g_tag_tdata, g_out_tdata;
    logic        g_key_tvalid, g_key_tready, g_iv_tvalid, g_iv_tready;
    logic [7:0]  g_aad_tkeep, g_text_tkeep, g_out_tkeep;
    logic        g_aad_tvalid, g_aad_tready, g_aad_tlast, g_text_tvalid, g_text_tready, g_text_tlast;
    logic        g_tag_tvalid, g_res_valid, g_res_ready;
    logic        g_out_tvalid, g_out_tready;
    logic [63:0] g_res_tag_lo, g_res_tag_hi;
    logic [1:0]  g_res_status;
    logic        g_tag_tready, g_out_tlast, g_res_ok;
    /* verilator lint_off UNUSEDSIGNAL */
    logic        g_out_tuser;             // a refused seal's closing beat: the NIC frames every seal right
    logic [31:0] g_err_count;
    /* verilator lint_on UNUSEDSIGNAL */

    aes_gcm gcm (
        .clk(clk),
        .rst(rst),
        .s_cmd_valid(g_cmd_valid),
        .s_cmd_ready(g_cmd_ready),
        .s_cmd_open(g_cmd_open),
        .s_cmd_aes256(g_cmd_aes256),
        .s_cmd_aad_len(g_cmd_aad_len),
        .s_cmd_text_len(g_cmd_text_len),
        .s_key_tdata(g_key_tdata),
        .s_key_tvalid(g_key_tvalid),
        .s_key_tready(g_key_tready),
        .s_iv_tdata(g_iv_tdata),
        .s_iv_tvalid(g_iv_tvalid),
        .s_iv_tready(g_iv_tready),
        .s_aad_tdata(g_aad_tdata),
        .s_aad_tkeep(g_aad_tkeep),
        .s_aad_tvalid(g_aad_tvalid),
        .s_aad_tready(g_aad_tready),
        .s_aad_tlast(g_aad_tlast),
        .s_text_tdata(g_text_tdata),
        .s_text_tkeep(g_text_tkeep),
        .s_text_tvalid(g_text_tvalid),
        .s_text_tready(g_text_tready),
        .s_text_tlast(g_text_tlast),
        .s_tag_tdata(g_tag_tdata),
        .s_tag_tvalid(g_tag_tvalid),
        .s_tag_tready(g_tag_tready),
        .m_text_tdata(g_out_tdata),
        .m_text_tkeep(g_out_tkeep),
        .m_text_tvalid(g_out_tvalid),
        .m_text_tready(g_out_tready),
        .m_text_tlast(g_out_tlast),
        .m_text_tuser(g_out_tuser),
        .m_res_valid(g_res_valid),
        .m_res_ready(g_res_ready),
        .m_res_ok(g_res_ok),
        .m_res_tag_lo(g_res_tag_lo),
        .m_res_tag_hi(g_res_tag_hi),
        .m_res_status(g_res_status),
        .err_count(g_err_count)
    );

    // ---------------------------------------------------------------- outputs (registers only)
    assign s_axil_awready = !aw_seen_q && !b_valid_q;
    assign s_axil_wready = !w_seen_q && !b_valid_q;
    assign s_axil_bvalid = b_valid_q;
    assign s_axil_bresp = 2'b00;
    assign s_axil_arready = !r_valid_q;
    assign s_axil_rvalid = r_valid_q;
    assign s_axil_rdata = r_data_q;
    assign s_axil_rresp = 2'b00;
    assign m_rd_valid = rd_valid_q;
    assign m_rd_addr = rd_addr_q;
    assign m_rd_beats = rd_beats_q;
    assign s_rdata_ready = bus_ready_q;
    assign m_wr_valid = wr_valid_q;
    assign m_wr_addr = wr_addr_q;
    assign m_wr_data = wr_data_q;
    assign m_wr_strb = wr_strb_q;
    assign s_wresp_ready = bus_ready_q;
    assign m_axis_tdata = out_data_q;
    assign m_axis_tkeep = out_keep_q;
    assign m_axis_tvalid = out_valid_q;
    assign m_axis_tlast = out_last_q;
    assign m_axis_tuser = out_user_q;
    assign s_axis_tready = rx_ready_q;
    assign irq = (irq_status_q & irq_mask_q) != 2'd0;

    // ---------------------------------------------------------------- helpers
    // A 32-bit register write into a field: the strobed bytes of the 32-bit slice at `hi`.
    function automatic logic [63:0] merge(input logic [63:0] old, input logic [31:0] data,
                                          input logic [3:0] strb, input logic hi);
        logic [31:0] mask;
        logic [31:0] cur;
        logic [31:0] merged;
        mask = {{8{strb[3]}}, {8{strb[2]}}, {8{strb[1]}}, {8{strb[0]}}};
        cur = hi ? old[63:32] : old[31:0];
        merged = (cur & ~mask) | (data & mask);
        merge = hi ? {merged, old[31:0]} : {old[63:32], merged};
    endfunction

    // A 16-bit count plus one, held at 0xFFFF.
    function automatic logic [15:0] sat_inc(input logic [15:0] v, input logic inc);
        sat_inc = (inc && v != 16'hFFFF) ? v + 16'd1 : v;
    endfunction

    // The low n bytes (n = 0..8) of a beat, and their tkeep.
    function automatic logic [63:0] bytes_mask(input logic [3:0] n);
        bytes_mask = n >= 4'd8 ? 64'hFFFF_FFFF_FFFF_FFFF : (64'd1 << {n[2:0], 3'b000}) - 64'd1;
    endfunction

    function automatic logic [7:0] keep_of(input logic [3:0] n);
        keep_of = 8'((16'd1 << n) - 16'd1);
    endfunction

    function automatic logic [3:0] log_size(input logic [31:0] v);
        log_size = v > {28'd0, MAX_LOG_SIZE} ? MAX_LOG_SIZE : v[3:0];
    endfunction

    function automatic logic [31:0] read_reg(input logic [11:0] a);
        case (a)
            REG_ID: read_reg = ID;
            REG_CTRL: read_reg = {31'd0, ctrl_q};
            REG_MEM_BASE_LO: read_reg = mem_base_q[31:0];
            REG_MEM_BASE_HI: read_reg = {16'd0, mem_base_q[47:32]};
            REG_MEM_SIZE_LO: read_reg = mem_size_q[31:0];
            REG_MEM_SIZE_HI: read_reg = {15'd0, mem_size_q[48:32]};
            REG_RX_CSUM_START: read_reg = {16'd0, rx_csum_start_q};
            REG_TXQ_BASE_LO: read_reg = txq_base_q[31:0];
            REG_TXQ_BASE_HI: read_reg = {16'd0, txq_base_q[47:32]};
            REG_TXQ_LOG_SIZE: read_reg = {28'd0, txq_log_q};
            REG_TXQ_TAIL: read_reg = {16'd0, txq_tail_q};
            REG_TXQ_HEAD: read_reg = {16'd0, txq_head_q};
            REG_TXCQ_BASE_LO: read_reg = txcq_base_q[31:0];
            REG_TXCQ_BASE_HI: read_reg = {16'd0, txcq_base_q[47:32]};
            REG_RXQ_BASE_LO: read_reg = rxq_base_q[31:0];
            REG_RXQ_BASE_HI: read_reg = {16'd0, rxq_base_q[47:32]};
            REG_RXQ_LOG_SIZE: read_reg = {28'd0, rxq_log_q};
            REG_RXQ_TAIL: read_reg = {16'd0, rxq_tail_q};
            REG_RXQ_HEAD: read_reg = {16'd0, rxq_head_q};
            REG_RXCQ_BASE_LO: read_reg = rxcq_base_q[31:0];
            REG_RXCQ_BASE_HI: read_reg = {16'd0, rxcq_base_q[47:32]};
            REG_TX_PACKETS: read_reg = tx_packets_q;
            REG_TX_BYTES: read_reg = tx_bytes_q;
            REG_RX_PACKETS: read_reg = rx_packets_q;
            REG_RX_BYTES: read_reg = rx_bytes_q;
            REG_TX_ERRORS: read_reg = tx_errors_q;
            REG_RX_ERRORS: read_reg = rx_errors_q;
            REG_RX_STALL_CYCLES: read_reg = rx_stalls_q;
            REG_MEM_ERRORS: read_reg = mem_errors_q;
            REG_IRQ_STATUS: read_reg = {30'd0, irq_status_q};
            REG_IRQ_MASK: read_reg = {30'd0, irq_mask_q};
            REG_TX_IRQ_COUNT: read_reg = {16'd0, tx_irq_count_q};
            REG_TX_IRQ_TIMER: read_reg = {16'd0, tx_irq_timer_q};
            REG_RX_IRQ_COUNT: read_reg = {16'd0, rx_irq_count_q};
            REG_RX_IRQ_TIMER: read_reg = {16'd0, rx_irq_timer_q};
            REG_INTERRUPTS: read_reg = interrupts_q;
            REG_SA_BASE_LO: read_reg = sa_base_q[31:0];
            REG_SA_BASE_HI: read_reg = {16'd0, sa_base_q[47:32]};
            REG_PSP_TX_SEALED: read_reg = psp_tx_sealed_q;
            REG_PSP_TX_ERRORS: read_reg = psp_tx_errors_q;
            REG_PSP_CTRL: read_reg = {31'd0, psp_ctrl_q};
            REG_PSP_RX_OPENED: read_reg = psp_rx_opened_q;
            REG_PSP_RX_AUTH_FAIL: read_reg = psp_rx_auth_fail_q;
            REG_PSP_RX_ERRORS: read_reg = psp_rx_errors_q;
            default: read_reg = 32'd0;
        endcase
    endfunction

    // ---------------------------------------------------------------- next state
    // Temporaries of the comb block (wires, named as the model's locals).
    logic        aw_fire, w_fire, have_aw, have_w;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [11:0] wr_reg_addr;   // bits 1:0 ignored, as on reads
    logic [16:0] room;          // 0..8: only 3:0 are read
    /* verilator lint_on UNUSEDSIGNAL */
    logic [31:0] wr_reg_data;
    logic [3:0]  wr_reg_strb;
    logic        rx_pushed;
    logic        out_free, rd_fire, rdata_fire, wr_fire, wresp_fire, wresp_error, rdata_error;
    logic        out_taken, c_out_fire;
    logic [8:0]  outstanding;
    logic        rx_popped;
    logic [4:0]  rx_count;
    logic [5:0]  tx_count;
    logic        tx_pending, rx_pending, pick_rx;
    logic [15:0] ring_index;
    logic [3:0]  ring_log;
    logic [47:0] ring_base;
    logic [15:0] ring_slot;
    logic [63:0] d_addr;
    logic [15:0] d_len, d_start, d_insert;
    logic [7:0]  d_flags;
    logic [63:0] win_end;
    logic        in_window;
    logic [7:0]  st;
    logic [16:0] beats, words;
    logic [5:0]  shift;
    logic [16:0] left;
    logic [16:0] burst;
    logic [8:0]  res;
    logic        tx_push;
    logic [15:0] p;
    logic        last_word;
    logic [3:0]  tail_bytes;
    logic        frame_out, result_in;
    logic [1:0]  csum_status;
    logic [15:0] sum;
    logic        wr_free;
    logic [3:0]  rx_head;
    logic [63:0] rx_data;
    logic [7:0]  rx_keep;
    logic        rx_last;
    logic [7:0]  strb;
    logic        drained;
    logic [6:0]  rx_count_next;
    // A completion request: what requestCompletion() takes.
    logic        cpl_req;
    logic [15:0] cpl_req_len, cpl_req_sum;
    logic [7:0]  cpl_req_status, cpl_req_flags;
    logic [15:0] cpl_index;
    logic [3:0]  cpl_log;
    logic [15:0] cpl_slot;
    logic        cpl_phase;
    logic        job_ok;
    // Moderation: this cycle's writes of 1s to IRQ_STATUS, completions, raises.
    logic [1:0]  irq_clear;
    logic        tx_cpl, rx_cpl, tx_fire, rx_fire;
    // A segment request: what startSegment() takes.
    logic        seg_req;
    logic [47:0] seg_req_addr;
    logic [15:0] seg_req_len;
    // PSP temporaries (the model's locals in pspSeal()).
    logic [7:0]  d_key;
    logic [63:0] sa_addr;
    logic        sa_in_window, d_psp;
    logic [15:0] aad_len, text_len;
    logic        pk_ready, have, pop, pk_in, pk_in_final, res_taken, final_out, bad;
    logic [63:0] word, pk_in_data, pk_in_masked;
    logic [3:0]  pk_in_bytes, seg_bytes;
    logic [127:0] pk_comb;
    logic [4:0]  pk_total;
    logic        is_psp, rx_res_ok;
    logic [15:0] ip_len, aad_end, rx_text_len, pt_off;

    always_comb begin
        // Every register holds unless assigned below.
        aw_seen_d = aw_seen_q; w_seen_d = w_seen_q; b_valid_d = b_valid_q; r_valid_d = r_valid_q;
        aw_addr_d = aw_addr_q; w_data_d = w_data_q; w_strb_d = w_strb_q; r_data_d = r_data_q;
        ctrl_d = ctrl_q; mem_base_d = mem_base_q; mem_size_d = mem_size_q; rx_csum_start_d = rx_csum_start_q;
        txq_base_d = txq_base_q; txq_log_d = txq_log_q; txq_tail_d = txq_tail_q; txq_head_d = txq_head_q;
        txcq_base_d = txcq_base_q; rxq_base_d = rxq_base_q; rxq_log_d = rxq_log_q; rxq_tail_d = rxq_tail_q;
        rxq_head_d = rxq_head_q; rxcq_base_d = rxcq_base_q;
        tx_packets_d = tx_packets_q; tx_bytes_d = tx_bytes_q; rx_packets_d = rx_packets_q; rx_bytes_d = rx_bytes_q;
        tx_errors_d = tx_errors_q; rx_errors_d = rx_errors_q; rx_stalls_d = rx_stalls_q;
        mem_errors_d = mem_errors_q;
        irq_status_d = irq_status_q; irq_mask_d = irq_mask_q; tx_irq_count_d = tx_irq_count_q;
        tx_irq_timer_d = tx_irq_timer_q; rx_irq_count_d = rx_irq_count_q; rx_irq_timer_d = rx_irq_timer_q;
        interrupts_d = interrupts_q; tx_pend_d = tx_pend_q; tx_age_d = tx_age_q; rx_pend_d = rx_pend_q;
        rx_age_d = rx_age_q;
        state_d = state_q; rx_job_d = rx_job_q; last_was_rx_d = last_was_rx_q; desc_lo_d = desc_lo_q;
        desc_hi_d = desc_hi_q; beat_count_d = beat_count_q; job_error_d = job_error_q; status_d = status_q;
        cpl_len_d = cpl_len_q; cpl_csum_d = cpl_csum_q; cpl_flags_d = cpl_flags_q;
        req_addr_d = req_addr_q; req_left_d = req_left_q; reserved_d = reserved_q; prev_beat_d = prev_beat_q;
        flush_d = flush_q; popped_d = popped_q; res_seen_d = res_seen_q; res_csum_d = res_csum_q;
        res_status_d = res_status_q; last_out_d = last_out_q; rx_pos_d = rx_pos_q; rx_done_d = rx_done_q;
        rx_trunc_d = rx_trunc_q; writes_out_d = writes_out_q;
        rd_valid_d = rd_valid_q; rd_addr_d = rd_addr_q; rd_beats_d = rd_beats_q;
        wr_valid_d = wr_valid_q; wr_addr_d = wr_addr_q; wr_data_d = wr_data_q; wr_strb_d = wr_strb_q;
        bus_ready_d = bus_ready_q;
        out_valid_d = out_valid_q; out_data_d = out_data_q; out_keep_d = out_keep_q; out_last_d = out_last_q;
        out_user_d = out_user_q;
        tx_wr_d = tx_wr_q; tx_rd_d = tx_rd_q; rx_wr_d = rx_wr_q; rx_rd_d = rx_rd_q; rx_ready_d = rx_ready_q;
        sa_base_d = sa_base_q; psp_tx_sealed_d = psp_tx_sealed_q; psp_tx_errors_d = psp_tx_errors_q;
        seg_addr_d = seg_addr_q; seg_len_d = seg_len_q; psp_phase_d = psp_phase_q; hdr_lo_d = hdr_lo_q;
        hdr_hi_d = hdr_hi_q; sa_key0_d = sa_key0_q; sa_key1_d = sa_key1_q; sa_key2_d = sa_key2_q;
        sa_key3_d = sa_key3_q; sa_aes256_d = sa_aes256_q; gcm_cmd_done_d = gcm_cmd_done_q;
        key_cnt_d = key_cnt_q; iv_cnt_d = iv_cnt_q; tag_idx_d = tag_idx_q; gcm_bad_d = gcm_bad_q;
        pk_data_d = pk_data_q; pk_cnt_d = pk_cnt_q; pk_flush_d = pk_flush_q;
        psp_ctrl_d = psp_ctrl_q; psp_rx_opened_d = psp_rx_opened_q; psp_rx_auth_fail_d = psp_rx_auth_fail_q;
        psp_rx_errors_d = psp_rx_errors_q; rx_b1_d = rx_b1_q; rx_b2_d = rx_b2_q; rx_b4_d = rx_b4_q;
        pt_pos_d = pt_pos_q; pt_done_d = pt_done_q;
        tx_fifo_we = 1'b0; tx_fifo_waddr = tx_wr_q[4:0]; tx_fifo_wdata = 64'd0;
        rx_fifo_we = 1'b0; rx_fifo_waddr = rx_wr_q[3:0];

        // The checksum block's inputs: quiet unless a state drives them.
        c_cmd_valid = 1'b0; c_cmd_start = 16'd0; c_cmd_offset = 16'd0; c_cmd_enable = 1'b0;
        c_cmd_init = 16'd0; c_cmd_udp = 1'b0;
        c_in_tvalid = 1'b0; c_in_tdata = 64'd0; c_in_tkeep = 8'd0; c_in_tlast = 1'b0;
        c_out_tready = 1'b1; c_res_ready = 1'b1;
        // The GCM block's inputs: quiet unless a PSP job drives them.
        g_cmd_valid = 1'b0; g_cmd_open = 1'b0; g_cmd_aes256 = 1'b0; g_cmd_aad_len = 16'd0;
        g_cmd_text_len = 16'd0; g_key_tdata = 64'd0; g_key_tvalid = 1'b0; g_iv_tdata = 64'd0;
        g_iv_tvalid = 1'b0; g_aad_tdata = 64'd0; g_aad_tkeep = 8'd0; g_aad_tvalid = 1'b0;
        g_aad_tlast = 1'b0; g_text_tdata = 64'd0; g_text_tkeep = 8'd0; g_text_tvalid = 1'b0;
        g_text_tlast = 1'b0; g_tag_tdata = 64'd0; g_tag_tvalid = 1'b0; g_out_tready = 1'b0;
        g_res_ready = 1'b0;

        // Temporaries.
        aw_fire = 1'b0; w_fire = 1'b0; have_aw = 1'b0; have_w = 1'b0;
        wr_reg_addr = 12'd0; wr_reg_data = 32'd0; wr_reg_strb = 4'd0;
        rx_pushed = 1'b0; out_free = 1'b0; rd_fire = 1'b0; rdata_fire = 1'b0; wr_fire = 1'b0;
        wresp_fire = 1'b0; wresp_error = 1'b0; rdata_error = 1'b0; out_taken = 1'b0; c_out_fire = 1'b0;
        outstanding = 9'd0; rx_popped = 1'b0;
        rx_count = rx_wr_q - rx_rd_q;
        tx_count = tx_wr_q - tx_rd_q;
        tx_pending = 1'b0; rx_pending = 1'b0; pick_rx = 1'b0;
        ring_index = 16'd0; ring_log = 4'd0; ring_base = 48'd0; ring_slot = 16'd0;
        d_addr = desc_lo_q; d_len = desc_hi_q[15:0]; d_start = desc_hi_q[31:16];
        d_insert = desc_hi_q[47:32]; d_flags = desc_hi_q[55:48];
        win_end = {16'd0, mem_base_q} + {15'd0, mem_size_q};
        in_window = 1'b0; st = ST_OK;
        beats = 17'(({14'd0, seg_addr_q[2:0]} + {1'b0, seg_len_q} + 17'd7) >> 3);
        words = 17'(({1'b0, seg_len_q} + 17'd7) >> 3);
        shift = {seg_addr_q[2:0], 3'b000};
        left = {1'b0, req_left_q}; burst = 17'd0; res = {1'b0, reserved_q}; tx_push = 1'b0;
        p = popped_q; last_word = 1'b0; tail_bytes = 4'd0; frame_out = 1'b0; result_in = 1'b0;
        csum_status = 2'd0; sum = 16'd0; wr_free = 1'b0; rx_head = rx_rd_q[3:0];
        rx_data = 64'd0; rx_keep = 8'd0; rx_last = 1'b0; room = 17'd0; strb = 8'd0; drained = 1'b0;
        rx_count_next = 7'd0;
        cpl_req = 1'b0; cpl_req_len = 16'd0; cpl_req_sum = 16'd0; cpl_req_status = 8'd0;
        cpl_req_flags = 8'd0; cpl_index = 16'd0; cpl_log = 4'd0; cpl_slot = 16'd0; cpl_phase = 1'b0;
        job_ok = 1'b0;
        irq_clear = 2'd0; tx_cpl = 1'b0; rx_cpl = 1'b0; tx_fire = 1'b0; rx_fire = 1'b0;
        seg_req = 1'b0; seg_req_addr = 48'd0; seg_req_len = 16'd0;
        d_key = desc_hi_q[63:56];
        sa_addr = {16'd0, sa_base_q} + {50'd0, d_key, 6'd0};
        sa_in_window = 1'b0; d_psp = d_flags[2];
        aad_len = 16'd16 + {8'd0, hdr_lo_q[21:16], 2'b00};
        text_len = d_len - d_start - aad_len;
        pk_ready = 1'b0; have = 1'b0; pop = 1'b0; pk_in = 1'b0; pk_in_final = 1'b0; res_taken = 1'b0;
        final_out = 1'b0; bad = 1'b0; word = 64'd0; pk_in_data = 64'd0; pk_in_masked = 64'd0;
        pk_in_bytes = 4'd0; seg_bytes = 4'd0; pk_comb = 128'd0; pk_total = 5'd0;
        // RX open: is the frame just received PSP (long enough; EtherType 08 00, IHL 5; UDP; port 1000)?
        is_psp = rx_pos_q >= RX_PSP_AT + 16'd32 && rx_b1_q[55:32] == 24'h450008 && rx_b2_q[63:56] == 8'd17
                 && rx_b4_q[47:32] == 16'hE803;
        rx_res_ok = 1'b0;
        ip_len = {rx_b2_q[7:0], rx_b2_q[15:8]};
        aad_end = RX_PSP_AT + aad_len;
        rx_text_len = 16'd14 + ip_len - aad_end - 16'd16;
        pt_off = (aad_end + 16'd7) & ~16'd7;

        if (rst) begin
            aw_seen_d = 1'b0; w_seen_d = 1'b0; b_valid_d = 1'b0; r_valid_d = 1'b0; ctrl_d = 1'b0;
            mem_base_d = 48'd0; mem_size_d = 49'd0; txq_base_d = 48'd0; txq_log_d = 4'd0; txq_tail_d = 16'd0;
            txq_head_d = 16'd0; txcq_base_d = 48'd0; rxq_base_d = 48'd0; rxq_log_d = 4'd0; rxq_tail_d = 16'd0;
            rxq_head_d = 16'd0; rxcq_base_d = 48'd0; tx_packets_d = 32'd0; tx_bytes_d = 32'd0;
            rx_packets_d = 32'd0; rx_bytes_d = 32'd0; tx_errors_d = 32'd0; rx_errors_d = 32'd0;
            rx_stalls_d = 32'd0; mem_errors_d = 32'd0; state_d = S_IDLE; rx_job_d = 1'b0;
            last_was_rx_d = 1'b0; rd_valid_d = 1'b0; wr_valid_d = 1'b0; bus_ready_d = 1'b0;
            out_valid_d = 1'b0; tx_wr_d = 6'd0; tx_rd_d = 6'd0; rx_wr_d = 5'd0; rx_rd_d = 5'd0;
            rx_ready_d = 1'b0; writes_out_d = 8'd0; reserved_d = 8'd0; flush_d = 1'b0;
            rx_csum_start_d = 16'd14;
            irq_status_d = 2'd0; irq_mask_d = 2'd0; tx_irq_count_d = 16'd0; tx_irq_timer_d = 16'd0;
            rx_irq_count_d = 16'd0; rx_irq_timer_d = 16'd0; interrupts_d = 32'd0; tx_pend_d = 16'd0;
            tx_age_d = 16'd0; rx_pend_d = 16'd0; rx_age_d = 16'd0;
            sa_base_d = 48'd0; psp_tx_sealed_d = 32'd0; psp_tx_errors_d = 32'd0; psp_phase_d = P_NONE;
            pk_cnt_d = 3'd0; pk_flush_d = 1'b0; psp_ctrl_d = 1'b0; psp_rx_opened_d = 32'd0;
            psp_rx_auth_fail_d = 32'd0; psp_rx_errors_d = 32'd0;
        end else begin
            bus_ready_d = 1'b1;

            // ---- AXI4-Lite register file
            aw_fire = s_axil_awvalid && !aw_seen_q && !b_valid_q;
            w_fire = s_axil_wvalid && !w_seen_q && !b_valid_q;
            have_aw = aw_seen_q || aw_fire;
            have_w = w_seen_q || w_fire;
            wr_reg_addr = aw_fire ? s_axil_awaddr : aw_addr_q;
            wr_reg_data = w_fire ? s_axil_wdata : w_data_q;
            wr_reg_strb = w_fire ? s_axil_wstrb : w_strb_q;
            if (aw_fire) aw_addr_d = s_axil_awaddr;
            if (w_fire) begin
                w_data_d = s_axil_wdata;
                w_strb_d = s_axil_wstrb;
            end
            if (have_aw && have_w) begin
                case ({wr_reg_addr[11:2], 2'b00})
                    REG_CTRL: ctrl_d = (wr_reg_strb[0] ? wr_reg_data[0] : ctrl_q);
                    REG_MEM_BASE_LO: mem_base_d = 48'(merge({16'd0, mem_base_q}, wr_reg_data, wr_reg_strb, 1'b0));
                    REG_MEM_BASE_HI: mem_base_d = 48'(merge({16'd0, mem_base_q}, wr_reg_data, wr_reg_strb, 1'b1));
                    REG_MEM_SIZE_LO: mem_size_d = 49'(merge({15'd0, mem_size_q}, wr_reg_data, wr_reg_strb, 1'b0));
                    REG_MEM_SIZE_HI: mem_size_d = 49'(merge({15'd0, mem_size_q}, wr_reg_data, wr_reg_strb, 1'b1));
                    REG_RX_CSUM_START: rx_csum_start_d = 16'(merge({48'd0, rx_csum_start_q}, wr_reg_data,
                                                                   wr_reg_strb, 1'b0));
                    REG_TXQ_BASE_LO: txq_base_d = 48'(merge({16'd0, txq_base_q}, wr_reg_data, wr_reg_strb, 1'b0));
                    REG_TXQ_BASE_HI: txq_base_d = 48'(merge({16'd0, txq_base_q}, wr_reg_data, wr_reg_strb, 1'b1));
                    REG_TXQ_LOG_SIZE: txq_log_d = log_size(32'(merge({60'd0, txq_log_q}, wr_reg_data,
                                                                     wr_reg_strb, 1'b0)));
                    REG_TXQ_TAIL: txq_tail_d = 16'(merge({48'd0, txq_tail_q}, wr_reg_data, wr_reg_strb, 1'b0));
                    REG_TXCQ_BASE_LO: txcq_base_d = 48'(merge({16'd0, txcq_base_q}, wr_reg_data, wr_reg_strb, 1'b0));
                    REG_TXCQ_BASE_HI: txcq_base_d = 48'(merge({16'd0, txcq_base_q}, wr_reg_data, wr_reg_strb, 1'b1));
                    REG_RXQ_BASE_LO: rxq_base_d = 48'(merge({16'd0, rxq_base_q}, wr_reg_data, wr_reg_strb, 1'b0));
                    REG_RXQ_BASE_HI: rxq_base_d = 48'(merge({16'd0, rxq_base_q}, wr_reg_data, wr_reg_strb, 1'b1));
                    REG_RXQ_LOG_SIZE: rxq_log_d = log_size(32'(merge({60'd0, rxq_log_q}, wr_reg_data,
                                                                     wr_reg_strb, 1'b0)));
                    REG_RXQ_TAIL: rxq_tail_d = 16'(merge({48'd0, rxq_tail_q}, wr_reg_data, wr_reg_strb, 1'b0));
                    REG_RXCQ_BASE_LO: rxcq_base_d = 48'(merge({16'd0, rxcq_base_q}, wr_reg_data, wr_reg_strb, 1'b0));
                    REG_RXCQ_BASE_HI: rxcq_base_d = 48'(merge({16'd0, rxcq_base_q}, wr_reg_data, wr_reg_strb, 1'b1));
                    REG_IRQ_STATUS: irq_clear = 2'(merge(64'd0, wr_reg_data, wr_reg_strb, 1'b0)); // write 1 to clear
                    REG_IRQ_MASK: irq_mask_d = 2'(merge({62'd0, irq_mask_q}, wr_reg_data, wr_reg_strb, 1'b0));
                    REG_TX_IRQ_COUNT: tx_irq_count_d = 16'(merge({48'd0, tx_irq_count_q}, wr_reg_data,
                                                                 wr_reg_strb, 1'b0));
                    REG_TX_IRQ_TIMER: tx_irq_timer_d = 16'(merge({48'd0, tx_irq_timer_q}, wr_reg_data,
                                                                 wr_reg_strb, 1'b0));
                    REG_RX_IRQ_COUNT: rx_irq_count_d = 16'(merge({48'd0, rx_irq_count_q}, wr_reg_data,
                                                                 wr_reg_strb, 1'b0));
                    REG_RX_IRQ_TIMER: rx_irq_timer_d = 16'(merge({48'd0, rx_irq_timer_q}, wr_reg_data,
                                                                 wr_reg_strb, 1'b0));
                    REG_SA_BASE_LO: sa_base_d = 48'(merge({16'd0, sa_base_q}, wr_reg_data, wr_reg_strb, 1'b0));
                    REG_SA_BASE_HI: sa_base_d = 48'(merge({16'd0, sa_base_q}, wr_reg_data, wr_reg_strb, 1'b1));
                    REG_PSP_CTRL: psp_ctrl_d = (wr_reg_strb[0] ? wr_reg_data[0] : psp_ctrl_q);
                    default: ;  // read-only or unmapped: acknowledged and ignored
                endcase
                aw_seen_d = 1'b0;
                w_seen_d = 1'b0;
                b_valid_d = 1'b1;
            end else begin
                aw_seen_d = have_aw;
                w_seen_d = have_w;
                if (b_valid_q && s_axil_bready) b_valid_d = 1'b0;
            end
            if (!r_valid_q && s_axil_arvalid) begin
                r_valid_d = 1'b1;
                r_data_d = read_reg({s_axil_araddr[11:2], 2'b00});
            end else if (r_valid_q && s_axil_rready) begin
                r_valid_d = 1'b0;
            end

            // ---- RX FIFO from the wire
            rx_pushed = s_axis_tvalid && rx_ready_q;
            if (rx_pushed) begin
                rx_fifo_we = 1'b1;
                rx_wr_d = rx_wr_q + 5'd1;
            end else if (s_axis_tvalid) begin
                rx_stalls_d = rx_stalls_q + 32'd1;
            end

            // ---- the engine
            out_free = !out_valid_q || m_axis_tready;
            c_out_tready = rx_job_q || out_free;
            rd_fire = rd_valid_q && m_rd_ready;
            rdata_fire = s_rdata_valid && bus_ready_q;
            wr_fire = wr_valid_q && m_wr_ready;
            wresp_fire = s_wresp_valid && bus_ready_q;
            if (rd_fire) rd_valid_d = 1'b0;
            if (wr_fire) wr_valid_d = 1'b0;
            outstanding = {1'b0, writes_out_q} + {8'd0, wr_fire} - {8'd0, wresp_fire};
            writes_out_d = outstanding[7:0];
            wresp_error = wresp_fire && s_wresp_resp != 2'd0;
            if (wresp_error) begin
                mem_errors_d = mem_errors_q + 32'd1;
                job_error_d = 1'b1;
            end
            rdata_error = rdata_fire && s_rdata_resp != 2'd0;
            if (rdata_error) mem_errors_d = mem_errors_q + 32'd1 + {31'd0, wresp_error};

            out_taken = out_valid_q && m_axis_tready;
            c_out_fire = c_out_tvalid && c_out_tready;
            if (c_out_fire && !rx_job_q && c_out_tkeep != 8'd0) begin
                out_valid_d = 1'b1;
                out_data_d = c_out_tdata;
                out_keep_d = c_out_tkeep;
                out_last_d = c_out_tlast;
                out_user_d = c_out_tlast && (job_error_q || rdata_error);
            end else if (out_taken) begin
                out_valid_d = 1'b0;
            end
            if (c_out_fire && c_out_tlast) last_out_d = 1'b1;
            if (c_res_valid) begin
                res_seen_d = 1'b1;
                res_csum_d = c_res_csum;
                res_status_d = c_res_status;
            end

            case (state_q)
                S_IDLE: begin
                    tx_pending = ctrl_q && txq_head_q != txq_tail_q;
                    rx_pending = ctrl_q && rxq_head_q != rxq_tail_q && rx_count != 5'd0;
                    if (tx_pending || rx_pending) begin
                        pick_rx = rx_pending && (!tx_pending || !last_was_rx_q);
                        rx_job_d = pick_rx;
                        last_was_rx_d = pick_rx;
                        ring_index = pick_rx ? rxq_head_q : txq_head_q;
                        ring_log = pick_rx ? rxq_log_q : txq_log_q;
                        ring_base = pick_rx ? rxq_base_q : txq_base_q;
                        ring_slot = ring_index & 16'((32'd1 << ring_log) - 32'd1);
                        rd_valid_d = 1'b1;
                        rd_addr_d = ring_base + {28'd0, ring_slot, 4'd0};
                        rd_beats_d = 8'd2;
                        beat_count_d = 16'd0;
                        job_error_d = 1'b0;
                        res_seen_d = 1'b0;
                        last_out_d = 1'b0;
                        psp_phase_d = P_NONE;
                        state_d = S_DESC_REQ;
                    end
                end
                S_DESC_REQ: if (rd_fire) state_d = S_DESC_DATA;
                S_DESC_DATA: begin
                    if (rdata_fire) begin
                        if (rdata_error) job_error_d = 1'b1;
                        if (beat_count_q == 16'd0) begin
                            desc_lo_d = s_rdata_data;
                            beat_count_d = 16'd1;
                        end else begin
                            desc_hi_d = s_rdata_data;
                            beat_count_d = 16'd0;
                            state_d = S_CHECK;
                        end
                    end
                end
                S_CHECK: begin
                    in_window = d_addr >= {16'd0, mem_base_q} && d_addr <= win_end
                                && {48'd0, d_len} <= win_end - d_addr;
                    sa_in_window = sa_addr >= {16'd0, mem_base_q} && sa_addr <= win_end
                                   && 64'd64 <= win_end - sa_addr;
                    if (job_error_q) st = ST_MEM_ERROR;
                    else if (rx_job_q) begin
                        if (d_len == 16'd0) st = ST_BAD_LEN;
                        else if (d_addr[2:0] != 3'd0 || d_addr[63:48] != 16'd0 || !in_window) st = ST_BAD_ADDR;
                        else if (desc_hi_q[63:16] != 48'd0) st = ST_UNSUPPORTED;
                        else st = ST_OK;
                    end else if (d_len == 16'd0 || {16'd0, d_len} > MAX_FRAME) st = ST_BAD_LEN;
                    else if (d_addr[63:48] != 16'd0 || !in_window) st = ST_BAD_ADDR;
                    else if ((d_flags & 8'hF8) != 8'd0) st = ST_UNSUPPORTED;
                    else if (d_psp && (d_flags[1:0] != 2'd0 || d_insert != 16'd0
                                       || {1'b0, d_start} + 17'd16 > {1'b0, d_len}
                                       || {1'b0, d_len} + 17'd16 > 17'(MAX_FRAME)
                                       || sa_addr[63:48] != 16'd0 || !sa_in_window))
                        st = ST_PSP_BAD;
                    else if (d_flags[0] && (d_start > d_len || {1'b0, d_insert} + 17'd2 > {1'b0, d_len}))
                        st = ST_BAD_CSUM;
                    else st = ST_OK;
                    status_d = st;
                    cpl_len_d = rx_job_q ? 16'd0 : d_len;
                    cpl_csum_d = 16'd0;
                    cpl_flags_d = 8'd0;
                    if (st != ST_OK) begin
                        cpl_req = 1'b1;
                        cpl_req_len = rx_job_q ? 16'd0 : d_len;
                        cpl_req_status = st;
                    end else if (rx_job_q) begin
                        rx_pos_d = 16'd0;
                        rx_done_d = 1'b0;
                        rx_trunc_d = 1'b0;
                        state_d = S_RX_CMD;
                    end else begin
                        seg_req = 1'b1;
                        seg_req_addr = d_psp ? d_addr[47:0] + {32'd0, d_start} : d_addr[47:0];
                        seg_req_len = d_psp ? 16'd16 : d_len;
                        psp_phase_d = d_psp ? P_HDR : P_NONE;
                        gcm_cmd_done_d = 1'b0;
                        key_cnt_d = 3'd0;
                        iv_cnt_d = 2'd0;
                        tag_idx_d = 1'b0;
                        gcm_bad_d = 1'b0;
                        pk_cnt_d = 3'd0;
                        pk_flush_d = 1'b0;
                        state_d = d_psp ? S_TX_DATA : S_TX_CMD;  // a PSP frame bypasses the checksum block
                    end
                end
                S_TX_CMD: begin
                    c_cmd_valid = 1'b1;
                    c_cmd_start = d_flags[0] ? d_start : 16'd0;
                    c_cmd_offset = d_flags[0] ? d_insert : 16'd0;
                    c_cmd_enable = d_flags[0];
                    c_cmd_init = 16'd0;
                    c_cmd_udp = d_flags[1];
                    if (c_cmd_ready) state_d = S_TX_DATA;
                end
                S_TX_DATA, S_PSP_OPEN: begin
                    // Read requests: a burst only when the FIFO has room for every beat in flight.
                    if (rd_fire) begin
                        req_addr_d = req_addr_q + {37'd0, rd_beats_q, 3'b000};
                        left = left - {9'd0, rd_beats_q};
                        req_left_d = left[15:0];
                    end else if (!rd_valid_q && left != 17'd0) begin
                        burst = left > 17'd16 ? 17'd16 : left;
                        if ({11'd0, tx_count} + {8'd0, res} + burst <= 17'(TX_FIFO_DEPTH)) begin
                            rd_valid_d = 1'b1;
                            rd_addr_d = req_addr_q;
                            rd_beats_d = burst[7:0];
                            res = res + burst[8:0];
                        end
                    end
                    // Read data, realigned so the frame's byte 0 is lane 0.
                    if (rdata_fire) begin
                        res = res - 9'd1;
                        if (rdata_error) job_error_d = 1'b1;
                        if (shift == 6'd0) begin
                            tx_push = 1'b1;
                            tx_fifo_wdata = s_rdata_data;
                        end else if (beat_count_q != 16'd0) begin
                            tx_push = 1'b1;
                            tx_fifo_wdata = (prev_beat_q >> shift) | (s_rdata_data << (7'd64 - {1'b0, shift}));
                        end
                        prev_beat_d = s_rdata_data;
                        beat_count_d = beat_count_q + 16'd1;
                        if ({1'b0, beat_count_q} == beats - 17'd1 && shift != 6'd0 && words == beats)
                            flush_d = 1'b1;
                    end else if (flush_q) begin
                        tx_push = 1'b1;
                        tx_fifo_wdata = prev_beat_q >> shift;
                        flush_d = 1'b0;
                    end
                    reserved_d = res[7:0];
                    tx_fifo_we = tx_push;
                    tx_wr_d = tx_wr_q + {5'd0, tx_push};
                    if (psp_phase_q != P_NONE) begin
                        // ---- both directions: feedGcm() once the SA is in (the nonce is the
                        // header's bytes 4..15: SPI then IV), and takeHeaderOrSa().
                        if (psp_phase_q >= (state_q == S_PSP_OPEN ? P_B : P_A)) begin
                            if (!gcm_cmd_done_q) begin
                                g_cmd_valid = 1'b1;
                                g_cmd_open = state_q == S_PSP_OPEN;
                                g_cmd_aes256 = sa_aes256_q;
                                g_cmd_aad_len = aad_len;
                                g_cmd_text_len = state_q == S_PSP_OPEN ? rx_text_len : text_len;
                                if (g_cmd_ready) gcm_cmd_done_d = 1'b1;
                            end
                            if (key_cnt_q < (sa_aes256_q ? 3'd4 : 3'd2)) begin
                                g_key_tvalid = 1'b1;
                                case (key_cnt_q[1:0])
                                    2'd0: g_key_tdata = sa_key0_q;
                                    2'd1: g_key_tdata = sa_key1_q;
                                    2'd2: g_key_tdata = sa_key2_q;
                                    default: g_key_tdata = sa_key3_q;
                                endcase
                                if (g_key_tready) key_cnt_d = key_cnt_q + 3'd1;
                            end
                            if (iv_cnt_q < 2'd2) begin
                                g_iv_tvalid = 1'b1;
                                g_iv_tdata = iv_cnt_q == 2'd0 ? {hdr_hi_q[31:0], hdr_lo_q[63:32]}
                                                              : {32'd0, hdr_hi_q[63:32]};
                                if (g_iv_tready) iv_cnt_d = iv_cnt_q + 2'd1;
                            end
                        end
                        // The FIFO's head word.
                        last_word = {1'b0, p} == words - 17'd1;
                        tail_bytes = 4'(seg_len_q - 16'({words[12:0] - 13'd1, 3'b000}));
                        seg_bytes = last_word ? tail_bytes : 4'd8;
                        word = tx_fifo[tx_rd_q[4:0]];
                        if (tx_count != 6'd0) begin
                            case (psp_phase_q)
                                P_HDR: begin
                                    pop = 1'b1;
                                    if (p == 16'd0) hdr_lo_d = word;
                                    else hdr_hi_d = word;
                                end
                                P_SA: begin
                                    pop = 1'b1;
                                    case (p)
                                        16'd0: sa_key0_d = word;
                                        16'd1: sa_key1_d = word;
                                        16'd2: sa_key2_d = word;
                                        16'd3: sa_key3_d = word;
                                        default: sa_aes256_d = word[1];
                                    endcase
                                end
                                default: ;
                            endcase
                        end
                    end
                    if (state_q == S_PSP_OPEN) begin
                        // ---- pspOpen(): the frame read back to the block's AAD, text and tag inputs.
                        if (tx_count != 6'd0) begin
                            case (psp_phase_q)
                                P_B: begin
                                    g_aad_tvalid = 1'b1;
                                    g_aad_tdata = word;
                                    g_aad_tkeep = keep_of(seg_bytes);
                                    g_aad_tlast = last_word;
                                    pop = g_aad_tready;
                                end
                                P_C: begin
                                    g_text_tvalid = 1'b1;
                                    g_text_tdata = word;
                                    g_text_tkeep = keep_of(seg_bytes);
                                    g_text_tlast = last_word;
                                    pop = g_text_tready;
                                end
                                P_ICV: begin
                                    g_tag_tvalid = 1'b1;
                                    g_tag_tdata = word;
                                    pop = g_tag_tready;
                                end
                                default: ;
                            endcase
                        end
                        // The result, then (tag matched) the plaintext into the buffer, one write at a time.
                        if (psp_phase_q == P_TAG) begin
                            wr_free = !wr_valid_q || wr_fire;
                            if (!tag_idx_q) begin
                                if (g_res_valid) begin
                                    g_res_ready = 1'b1;
                                    rx_res_ok = g_res_ok && g_res_status == 2'd0;
                                    if (!rx_res_ok) begin
                                        cpl_req = 1'b1;
                                        cpl_req_len = rx_pos_q;
                                        cpl_req_status = g_res_status != 2'd0 ? ST_PSP_BAD : ST_PSP_AUTH;
                                    end else begin
                                        tag_idx_d = 1'b1;
                                        pt_done_d = rx_text_len == 16'd0;
                                    end
                                end
                            end else if (!pt_done_q) begin
                                g_out_tready = wr_free;
                                if (g_out_tvalid && wr_free) begin
                                    wr_valid_d = 1'b1;
                                    wr_addr_d = d_addr[47:0] + {32'd0, pt_off} + {32'd0, pt_pos_q};
                                    wr_data_d = g_out_tdata;
                                    wr_strb_d = g_out_tkeep;
                                    pt_pos_d = pt_pos_q + 16'd8;
                                    if (g_out_tlast) pt_done_d = 1'b1;
                                end
                            end else if (!wr_valid_q && outstanding == 9'd0) begin
                                cpl_req = 1'b1;
                                cpl_req_len = pt_off + rx_text_len;
                                cpl_req_sum = pt_off;
                                cpl_req_status = job_error_q ? ST_MEM_ERROR : ST_OK;
                                cpl_req_flags = job_error_q ? 8'd0 : CPL_PSP;
                            end
                        end
                        if (pop) begin
                            tx_rd_d = tx_rd_q + 6'd1;
                            p = p + 16'd1;
                            popped_d = p;
                        end
                        if (pop && {1'b0, p} == words) begin
                            case (psp_phase_q)
                                P_HDR: begin
                                    // The SA slot is the SPI's low byte (header byte 7).
                                    sa_addr = {16'd0, sa_base_q} + {50'd0, hdr_lo_q[63:56], 6'd0};
                                    sa_in_window = sa_addr >= {16'd0, mem_base_q} && sa_addr <= win_end
                                                   && 64'd64 <= win_end - sa_addr;
                                    cpl_req_len = rx_pos_q;
                                    if (job_error_q) begin
                                        cpl_req = 1'b1;
                                        cpl_req_status = ST_MEM_ERROR;
                                    end else if ({1'b0, ip_len} + 17'd14 < {1'b0, aad_end} + 17'd16
                                                 || {1'b0, ip_len} + 17'd14 > {1'b0, rx_pos_q}) begin
                                        cpl_req = 1'b1;
                                        cpl_req_status = ST_PSP_BAD;
                                    end else if (sa_addr[63:48] != 16'd0 || !sa_in_window) begin
                                        cpl_req = 1'b1;
                                        cpl_req_status = ST_PSP_NO_SA;
                                    end else begin
                                        psp_phase_d = P_SA;
                                        seg_req = 1'b1;
                                        seg_req_addr = sa_addr[47:0];
                                        seg_req_len = 16'd40;
                                    end
                                end
                                P_SA: begin
                                    cpl_req_len = rx_pos_q;
                                    if (job_error_q) begin
                                        cpl_req = 1'b1;
                                        cpl_req_status = ST_MEM_ERROR;
                                    end else if (!word[0] || word[63:32] != hdr_lo_q[63:32]) begin
                                        cpl_req = 1'b1;
                                        cpl_req_status = ST_PSP_NO_SA;
                                    end else begin
                                        psp_phase_d = P_B;
                                        seg_req = 1'b1;
                                        seg_req_addr = d_addr[47:0] + {32'd0, RX_PSP_AT};
                                        seg_req_len = aad_len;
                                    end
                                end
                                P_B: begin
                                    psp_phase_d = rx_text_len != 16'd0 ? P_C : P_ICV;
                                    seg_req = 1'b1;
                                    seg_req_addr = d_addr[47:0] + {32'd0, aad_end};
                                    seg_req_len = rx_text_len != 16'd0 ? rx_text_len : 16'd16;
                                end
                                P_C: begin
                                    psp_phase_d = P_ICV;
                                    seg_req = 1'b1;
                                    seg_req_addr = d_addr[47:0] + {32'd0, aad_end} + {32'd0, rx_text_len};
                                    seg_req_len = 16'd16;
                                end
                                default: psp_phase_d = P_TAG;
                            endcase
                        end
                    end else if (psp_phase_q != P_NONE) begin
                        // ---- pspSeal(): the FIFO's head word to where this phase sends it.
                        pk_ready = out_free && !pk_flush_q;
                        have = tx_count != 6'd0;
                        if (have) begin
                            case (psp_phase_q)
                                P_A: begin
                                    if (pk_ready) begin
                                        pop = 1'b1;
                                        pk_in = 1'b1;
                                        pk_in_data = word;
                                        pk_in_bytes = seg_bytes;
                                    end
                                end
                                P_B: begin
                                    if (pk_ready) begin
                                        g_aad_tvalid = 1'b1;
                                        g_aad_tdata = word;
                                        g_aad_tkeep = keep_of(seg_bytes);
                                        g_aad_tlast = last_word;
                                        if (g_aad_tready) begin
                                            pop = 1'b1;
                                            pk_in = 1'b1;
                                            pk_in_data = word;
                                            pk_in_bytes = seg_bytes;
                                        end
                                    end
                                end
                                P_C: begin
                                    g_text_tvalid = 1'b1;
                                    g_text_tdata = word;
                                    g_text_tkeep = keep_of(seg_bytes);
                                    g_text_tlast = last_word;
                                    if (g_text_tready) pop = 1'b1;
                                end
                                default: ;
                            endcase
                        end
                        // Ciphertext, then the tag (offered only after the last ciphertext beat).
                        if (psp_phase_q == P_C || psp_phase_q == P_TAG) begin
                            g_out_tready = pk_ready;
                            if (g_out_tvalid) begin
                                if (pk_ready) begin
                                    pk_in = 1'b1;
                                    pk_in_data = g_out_tdata;
                                    pk_in_bytes = 4'($countones(g_out_tkeep));
                                end
                            end else if (psp_phase_q == P_TAG && g_res_valid && pk_ready) begin
                                pk_in = 1'b1;
                                pk_in_bytes = 4'd8;
                                if (!tag_idx_q) begin
                                    pk_in_data = g_res_tag_lo;
                                    tag_idx_d = 1'b1;
                                end else begin
                                    pk_in_data = g_res_tag_hi;
                                    pk_in_final = 1'b1;
                                    res_taken = 1'b1;
                                    g_res_ready = 1'b1;
                                    gcm_bad_d = g_res_status != 2'd0;
                                end
                            end
                        end
                        // The packer: whole beats at any byte count; the tag's second half ends the frame.
                        bad = gcm_bad_q || (res_taken && g_res_status != 2'd0);
                        if (pk_flush_q) begin
                            if (out_free) begin
                                out_valid_d = 1'b1;
                                out_data_d = pk_data_q;
                                out_keep_d = keep_of({1'b0, pk_cnt_q});
                                out_last_d = 1'b1;
                                out_user_d = job_error_q || bad;
                                pk_flush_d = 1'b0;
                                pk_cnt_d = 3'd0;
                                final_out = 1'b1;
                            end
                        end else if (pk_in) begin
                            pk_in_masked = pk_in_data & bytes_mask(pk_in_bytes);
                            pk_comb = ({64'd0, pk_in_masked} << {pk_cnt_q, 3'b000})
                                      | {64'd0, pk_data_q & bytes_mask({1'b0, pk_cnt_q})};
                            pk_total = {2'd0, pk_cnt_q} + {1'b0, pk_in_bytes};
                            if (pk_total >= 5'd8) begin
                                out_valid_d = 1'b1;
                                out_data_d = pk_comb[63:0];
                                out_keep_d = 8'hFF;
                                out_last_d = pk_in_final && pk_total == 5'd8;
                                out_user_d = pk_in_final && pk_total == 5'd8 && (job_error_q || bad);
                                pk_data_d = pk_comb[127:64];
                                pk_cnt_d = 3'(pk_total - 5'd8);
                                if (pk_in_final && pk_total > 5'd8) pk_flush_d = 1'b1;
                                final_out = pk_in_final && pk_total == 5'd8;
                            end else begin
                                pk_data_d = pk_comb[63:0];
                                pk_cnt_d = pk_total[2:0];
                            end
                        end
                        if (final_out) begin
                            cpl_req = 1'b1;
                            cpl_req_len = d_len + 16'd16;
                            cpl_req_status = job_error_q ? ST_MEM_ERROR : bad ? ST_PSP_BAD : ST_OK;
                            cpl_req_flags = (!job_error_q && !bad) ? CPL_PSP : 8'd0;
                        end
                        // The next segment once this one's words are all taken.
                        if (pop) begin
                            tx_rd_d = tx_rd_q + 6'd1;
                            p = p + 16'd1;
                            popped_d = p;
                        end
                        if (pop && {1'b0, p} == words) begin
                            case (psp_phase_q)
                                P_HDR: begin
                                    if (job_error_q) begin
                                        cpl_req = 1'b1;
                                        cpl_req_len = d_len;
                                        cpl_req_status = ST_MEM_ERROR;
                                    end else if ({1'b0, d_start} + {1'b0, aad_len} > {1'b0, d_len}) begin
                                        cpl_req = 1'b1;
                                        cpl_req_len = d_len;
                                        cpl_req_status = ST_PSP_BAD;
                                    end else begin
                                        psp_phase_d = P_SA;
                                        seg_req = 1'b1;
                                        seg_req_addr = sa_addr[47:0];
                                        seg_req_len = 16'd40;
                                    end
                                end
                                P_SA: begin
                                    if (job_error_q) begin
                                        cpl_req = 1'b1;
                                        cpl_req_len = d_len;
                                        cpl_req_status = ST_MEM_ERROR;
                                    end else if (!word[0]) begin
                                        cpl_req = 1'b1;
                                        cpl_req_len = d_len;
                                        cpl_req_status = ST_PSP_BAD;
                                    end else if (d_start != 16'd0) begin
                                        psp_phase_d = P_A;
                                        seg_req = 1'b1;
                                        seg_req_addr = d_addr[47:0];
                                        seg_req_len = d_start;
                                    end else begin
                                        psp_phase_d = P_B;
                                        seg_req = 1'b1;
                                        seg_req_addr = d_addr[47:0] + {32'd0, d_start};
                                        seg_req_len = aad_len;
                                    end
                                end
                                P_A: begin
                                    psp_phase_d = P_B;
                                    seg_req = 1'b1;
                                    seg_req_addr = d_addr[47:0] + {32'd0, d_start};
                                    seg_req_len = aad_len;
                                end
                                P_B: begin
                                    if (text_len != 16'd0) begin
                                        psp_phase_d = P_C;
                                        seg_req = 1'b1;
                                        seg_req_addr = d_addr[47:0] + {32'd0, d_start} + {32'd0, aad_len};
                                        seg_req_len = text_len;
                                    end else begin
                                        psp_phase_d = P_TAG;
                                    end
                                end
                                default: psp_phase_d = P_TAG;
                            endcase
                        end
                    end else begin
                    // FIFO to the checksum block.
                    if (tx_count != 6'd0) begin
                        last_word = {1'b0, p} == words - 17'd1;
                        tail_bytes = 4'(seg_len_q - 16'({words[12:0] - 13'd1, 3'b000}));
                        c_in_tvalid = 1'b1;
                        c_in_tdata = tx_fifo[tx_rd_q[4:0]];
                        c_in_tkeep = last_word ? 8'((16'd1 << tail_bytes) - 16'd1) : 8'hFF;
                        c_in_tlast = last_word;
                        if (c_in_tready) begin
                            tx_rd_d = tx_rd_q + 6'd1;
                            p = p + 16'd1;
                            popped_d = p;
                        end
                    end
                    frame_out = last_out_q || (c_out_tvalid && c_out_tlast && out_free);
                    result_in = res_seen_q || c_res_valid;
                    if ({1'b0, p} == words && frame_out && result_in) begin
                        csum_status = res_seen_q ? res_status_q : c_res_status;
                        sum = res_seen_q ? res_csum_q : c_res_csum;
                        cpl_req = 1'b1;
                        cpl_req_len = d_len;
                        cpl_req_sum = sum;
                        cpl_req_status = (job_error_q || rdata_error) ? ST_MEM_ERROR
                                         : csum_status != 2'd0 ? ST_CSUM_REFUSED : ST_OK;
                    end
                    end
                end
                S_RX_CMD: begin
                    c_cmd_valid = 1'b1;
                    c_cmd_start = rx_csum_start_q;
                    if (c_cmd_ready) state_d = S_RX_DATA;
                end
                S_RX_DATA: begin
                    wr_free = !wr_valid_q || wr_fire;
                    if (!rx_done_q && rx_count != 5'd0 && wr_free) begin
                        rx_data = rx_fifo_data[rx_head];
                        rx_keep = rx_fifo_keep[rx_head];
                        rx_last = rx_fifo_last[rx_head];
                        c_in_tvalid = 1'b1;
                        c_in_tdata = rx_data;
                        c_in_tkeep = rx_keep;
                        c_in_tlast = rx_last;
                        if (c_in_tready) begin
                            rx_popped = 1'b1;
                            rx_rd_d = rx_rd_q + 5'd1;
                            if (rx_pos_q == 16'd8) rx_b1_d = rx_data;
                            else if (rx_pos_q == 16'd16) rx_b2_d = rx_data;
                            else if (rx_pos_q == 16'd32) rx_b4_d = rx_data;
                            room = {1'b0, d_len} > {1'b0, rx_pos_q}
                                   ? ({1'b0, d_len} - {1'b0, rx_pos_q} > 17'd8 ? 17'd8
                                      : {1'b0, d_len} - {1'b0, rx_pos_q})
                                   : 17'd0;
                            strb = rx_keep & 8'((16'd1 << room[3:0]) - 16'd1);
                            if (strb != 8'd0) begin
                                wr_valid_d = 1'b1;
                                wr_addr_d = 48'(d_addr) + {32'd0, rx_pos_q};
                                wr_data_d = rx_data;
                                wr_strb_d = strb;
                            end
                            if (strb != rx_keep) rx_trunc_d = 1'b1;
                            rx_pos_d = rx_pos_q + {12'd0, 4'($countones(rx_keep))};
                            if (rx_last) rx_done_d = 1'b1;
                        end
                    end
                    drained = last_out_q || (c_out_tvalid && c_out_tlast);
                    result_in = res_seen_q || c_res_valid;
                    if (rx_done_q && !wr_valid_q && outstanding == 9'd0 && drained && result_in) begin
                        csum_status = res_seen_q ? res_status_q : c_res_status;
                        sum = res_seen_q ? res_csum_q : c_res_csum;
                        if (!job_error_q && !rx_trunc_q && psp_ctrl_q && is_psp) begin
                            // PSP open: read the frame back from the buffer through the GCM block.
                            state_d = S_PSP_OPEN;
                            psp_phase_d = P_HDR;
                            seg_req = 1'b1;
                            seg_req_addr = d_addr[47:0] + {32'd0, RX_PSP_AT};
                            seg_req_len = 16'd16;
                            gcm_cmd_done_d = 1'b0;
                            key_cnt_d = 3'd0;
                            iv_cnt_d = 2'd0;
                            tag_idx_d = 1'b0;
                            pt_pos_d = 16'd0;
                            pt_done_d = 1'b0;
                        end else begin
                            cpl_req = 1'b1;
                            cpl_req_len = rx_pos_q;
                            cpl_req_sum = sum;
                            cpl_req_status = job_error_q ? ST_MEM_ERROR : rx_trunc_q ? ST_TRUNCATED : ST_OK;
                            cpl_req_flags = csum_status == 2'd0 ? 8'd1 : 8'd0;
                        end
                    end
                end
                S_CPL_REQ: if (wr_fire) state_d = S_CPL_WAIT;
                S_CPL_WAIT: begin
                    if (outstanding == 9'd0) begin
                        job_ok = status_q == ST_OK && !wresp_error;
                        if (rx_job_q) begin
                            rx_cpl = 1'b1;
                            rxq_head_d = rxq_head_q + 16'd1;
                            if (job_ok) begin
                                rx_packets_d = rx_packets_q + 32'd1;
                                rx_bytes_d = rx_bytes_q + {16'd0, cpl_len_q};
                            end else begin
                                rx_errors_d = rx_errors_q + 32'd1;
                            end
                            if (psp_phase_q != P_NONE) begin  // an open was tried
                                if (job_ok) psp_rx_opened_d = psp_rx_opened_q + 32'd1;
                                else if (status_q == ST_PSP_AUTH) psp_rx_auth_fail_d = psp_rx_auth_fail_q + 32'd1;
                                else psp_rx_errors_d = psp_rx_errors_q + 32'd1;
                            end
                        end else begin
                            tx_cpl = 1'b1;
                            txq_head_d = txq_head_q + 16'd1;
                            if (job_ok) begin
                                tx_packets_d = tx_packets_q + 32'd1;
                                tx_bytes_d = tx_bytes_q + {16'd0, cpl_len_q};
                            end else begin
                                tx_errors_d = tx_errors_q + 32'd1;
                            end
                            if (d_psp) begin
                                if (job_ok) psp_tx_sealed_d = psp_tx_sealed_q + 32'd1;
                                else psp_tx_errors_d = psp_tx_errors_q + 32'd1;
                            end
                        end
                        state_d = S_IDLE;
                    end
                end
                default: state_d = S_IDLE;
            endcase

            // startSegment(): point the read path at seg_req_len bytes from seg_req_addr.
            if (seg_req) begin
                seg_addr_d = seg_req_addr;
                seg_len_d = seg_req_len;
                req_addr_d = {seg_req_addr[47:3], 3'b000};
                req_left_d = 16'(({14'd0, seg_req_addr[2:0]} + {1'b0, seg_req_len} + 17'd7) >> 3);
                reserved_d = 8'd0;
                popped_d = 16'd0;
                beat_count_d = 16'd0;
                flush_d = 1'b0;
            end

            // requestCompletion(): the completion's one-beat write.
            if (cpl_req) begin
                cpl_index = rx_job_q ? rxq_head_q : txq_head_q;
                cpl_log = rx_job_q ? rxq_log_q : txq_log_q;
                cpl_slot = cpl_index & 16'((32'd1 << cpl_log) - 32'd1);
                cpl_phase = !cpl_index[cpl_log];
                cpl_len_d = cpl_req_len;
                status_d = cpl_req_status;
                wr_valid_d = 1'b1;
                wr_addr_d = (rx_job_q ? rxcq_base_q : txcq_base_q) + {29'd0, cpl_slot, 3'b000};
                wr_data_d = {7'd0, cpl_phase, 8'd0, cpl_req_flags, cpl_req_status, cpl_req_sum, cpl_req_len};
                wr_strb_d = 8'hFF;
                state_d = S_CPL_REQ;
            end

            rx_count_next = {2'd0, rx_count} + {6'd0, rx_pushed} - {6'd0, rx_popped};
            rx_ready_d = rx_count_next <= 7'(RX_FIFO_DEPTH - 2);

            // ---- completion moderation (the model's moderate()): from the registered state,
            // raise at the count or when the oldest unsignalled completion is the timer's age;
            // a raise restarts the count with this cycle's completion; a raise beats a clear.
            tx_fire = (tx_irq_count_q != 16'd0 && tx_pend_q >= tx_irq_count_q)
                      || (tx_irq_timer_q != 16'd0 && tx_pend_q != 16'd0 && tx_age_q >= tx_irq_timer_q);
            rx_fire = (rx_irq_count_q != 16'd0 && rx_pend_q >= rx_irq_count_q)
                      || (rx_irq_timer_q != 16'd0 && rx_pend_q != 16'd0 && rx_age_q >= rx_irq_timer_q);
            tx_pend_d = tx_fire ? {15'd0, tx_cpl} : sat_inc(tx_pend_q, tx_cpl);
            rx_pend_d = rx_fire ? {15'd0, rx_cpl} : sat_inc(rx_pend_q, rx_cpl);
            tx_age_d = (tx_fire || tx_pend_q == 16'd0) ? 16'd0 : sat_inc(tx_age_q, 1'b1);
            rx_age_d = (rx_fire || rx_pend_q == 16'd0) ? 16'd0 : sat_inc(rx_age_q, 1'b1);
            irq_status_d = (irq_status_q & ~irq_clear) | {rx_fire, tx_fire};
            interrupts_d = interrupts_q + {31'd0, tx_fire} + {31'd0, rx_fire};
        end
    end

    // ---------------------------------------------------------------- the edge
    always_ff @(posedge clk) begin
        aw_seen_q <= aw_seen_d; w_seen_q <= w_seen_d; b_valid_q <= b_valid_d; r_valid_q <= r_valid_d;
        aw_addr_q <= aw_addr_d; w_data_q <= w_data_d; w_strb_q <= w_strb_d; r_data_q <= r_data_d;
        ctrl_q <= ctrl_d; mem_base_q <= mem_base_d; mem_size_q <= mem_size_d; rx_csum_start_q <= rx_csum_start_d;
        txq_base_q <= txq_base_d; txq_log_q <= txq_log_d; txq_tail_q <= txq_tail_d; txq_head_q <= txq_head_d;
        txcq_base_q <= txcq_base_d; rxq_base_q <= rxq_base_d; rxq_log_q <= rxq_log_d; rxq_tail_q <= rxq_tail_d;
        rxq_head_q <= rxq_head_d; rxcq_base_q <= rxcq_base_d;
        tx_packets_q <= tx_packets_d; tx_bytes_q <= tx_bytes_d; rx_packets_q <= rx_packets_d;
        rx_bytes_q <= rx_bytes_d; tx_errors_q <= tx_errors_d; rx_errors_q <= rx_errors_d;
        rx_stalls_q <= rx_stalls_d; mem_errors_q <= mem_errors_d;
        irq_status_q <= irq_status_d; irq_mask_q <= irq_mask_d; tx_irq_count_q <= tx_irq_count_d;
        tx_irq_timer_q <= tx_irq_timer_d; rx_irq_count_q <= rx_irq_count_d; rx_irq_timer_q <= rx_irq_timer_d;
        interrupts_q <= interrupts_d; tx_pend_q <= tx_pend_d; tx_age_q <= tx_age_d; rx_pend_q <= rx_pend_d;
        rx_age_q <= rx_age_d;
        state_q <= state_d; rx_job_q <= rx_job_d; last_was_rx_q <= last_was_rx_d; desc_lo_q <= desc_lo_d;
        desc_hi_q <= desc_hi_d; beat_count_q <= beat_count_d; job_error_q <= job_error_d; status_q <= status_d;
        cpl_len_q <= cpl_len_d; cpl_csum_q <= cpl_csum_d; cpl_flags_q <= cpl_flags_d;
        req_addr_q <= req_addr_d; req_left_q <= req_left_d; reserved_q <= reserved_d;
        prev_beat_q <= prev_beat_d; flush_q <= flush_d; popped_q <= popped_d; res_seen_q <= res_seen_d;
        res_csum_q <= res_csum_d; res_status_q <= res_status_d; last_out_q <= last_out_d;
        rx_pos_q <= rx_pos_d; rx_done_q <= rx_done_d; rx_trunc_q <= rx_trunc_d; writes_out_q <= writes_out_d;
        rd_valid_q <= rd_valid_d; rd_addr_q <= rd_addr_d; rd_beats_q <= rd_beats_d;
        wr_valid_q <= wr_valid_d; wr_addr_q <= wr_addr_d; wr_data_q <= wr_data_d; wr_strb_q <= wr_strb_d;
        bus_ready_q <= bus_ready_d;
        out_valid_q <= out_valid_d; out_data_q <= out_data_d; out_keep_q <= out_keep_d;
        out_last_q <= out_last_d; out_user_q <= out_user_d;
        tx_wr_q <= tx_wr_d; tx_rd_q <= tx_rd_d; rx_wr_q <= rx_wr_d; rx_rd_q <= rx_rd_d;
        rx_ready_q <= rx_ready_d;
        sa_base_q <= sa_base_d; psp_tx_sealed_q <= psp_tx_sealed_d; psp_tx_errors_q <= psp_tx_errors_d;
        seg_addr_q <= seg_addr_d; seg_len_q <= seg_len_d; psp_phase_q <= psp_phase_d;
        hdr_lo_q <= hdr_lo_d; hdr_hi_q <= hdr_hi_d; sa_key0_q <= sa_key0_d; sa_key1_q <= sa_key1_d;
        sa_key2_q <= sa_key2_d; sa_key3_q <= sa_key3_d; sa_aes256_q <= sa_aes256_d;
        gcm_cmd_done_q <= gcm_cmd_done_d; key_cnt_q <= key_cnt_d; iv_cnt_q <= iv_cnt_d;
        tag_idx_q <= tag_idx_d; gcm_bad_q <= gcm_bad_d; pk_data_q <= pk_data_d; pk_cnt_q <= pk_cnt_d;
        pk_flush_q <= pk_flush_d;
        psp_ctrl_q <= psp_ctrl_d; psp_rx_opened_q <= psp_rx_opened_d; psp_rx_auth_fail_q <= psp_rx_auth_fail_d;
        psp_rx_errors_q <= psp_rx_errors_d; rx_b1_q <= rx_b1_d; rx_b2_q <= rx_b2_d; rx_b4_q <= rx_b4_d;
        pt_pos_q <= pt_pos_d; pt_done_q <= pt_done_d;
        if (tx_fifo_we) tx_fifo[tx_fifo_waddr] <= tx_fifo_wdata;
        if (rx_fifo_we) begin
            rx_fifo_data[rx_fifo_waddr] <= s_axis_tdata;
            rx_fifo_keep[rx_fifo_waddr] <= s_axis_tkeep;
            rx_fifo_last[rx_fifo_waddr] <= s_axis_tlast;
        end
    end

endmodule

`resetall
