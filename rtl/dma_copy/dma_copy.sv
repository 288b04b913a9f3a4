// dma_copy: DMA copy engine (Intel QuickData-like memory-to-memory copy).
//
// A descriptor (source, destination, length in bytes, cookie) asks for len
// bytes at src to be copied to dst. Completions leave one per descriptor, in
// descriptor order, each only after the write response of every write of its
// descriptor has arrived, with a status:
//   0 OK, 1 READ_ERROR (a read beat of the copy came back with RRESP SLVERR or
//   DECERR), 2 WRITE_ERROR (a write response was SLVERR or DECERR),
//   3 BAD_DESCRIPTOR (len > MAX_LEN: nothing is read or written).
// After an error the engine goes on with the next descriptor. A zero-length
// descriptor reads and writes nothing and completes OK.
//
// Four parts, each fed from the descriptor FIFO through a head register:
//   - the read side turns each descriptor into read bursts of B-byte beats
//     (B = DATA_WIDTH / 8, 8 at the default 64 bits) covering [src rounded
//     down to B, src + len rounded up to B), at most MAX_BURST beats each and
//     never crossing a MAX_BURST * B-byte boundary (so never a 4 KiB one). It keeps issuing while earlier bursts are in
//     flight, as long as the beats reserved in the read-data FIFO (issued and
//     not yet consumed) plus the new burst fit in RD_FIFO_DEPTH.
//   - the read-data FIFO keeps each beat with its error bit (RRESP[1]); it is
//     read synchronously into a head register (block RAM with its output
//     register).
//   - the write side pops source beats and realigns them to the destination
//     through a carry register: every destination beat is the B bytes at a
//     fixed byte offset of the 2B-byte window {head beat, carry}. The first and
//     last destination beats carry byte strobes so that bytes around the
//     destination are never written. From the first source beat that came back
//     with an error on, the descriptor's writes go out with strobes 0 (they
//     write nothing), so no byte of a failed read is ever written.
//   - the response side counts write responses (in write order, one per
//     write), at most WR_OUTSTANDING writes outstanding; the response to a
//     descriptor's last write retires it with its status.
//
// Every output is a register or a function of registers only (no input-to-
// output combinational path), so a driver may read ready/valid before it sets
// inputs. Every memory is read synchronously (registered address, registered
// data). Arithmetic that does not fit a cycle is done ahead: beat counts,
// shift and strobes when a descriptor is accepted, the next burst's size a
// cycle before it is issued.
//
// Byte order: the byte at address A is lane A mod B (lane 0 = data[7:0]) of
// the beat at address A rounded down to B.
//
// See rtl/dma_copy/README.md (the datasheet) for latency, throughput and clock.

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_copy #(
    // Width of the data paths in bits: a power of two from 16 to 512. A beat
    // is DATA_WIDTH / 8 bytes (BEAT_BYTES below), with one strobe per byte.
    parameter int DATA_WIDTH = 64,
    // Descriptors held from acceptance until their completion leaves
    // (power of two, at least 2).
    parameter int DESC_DEPTH = 16,
    // Longest read burst in beats (power of two, 2..128: m_rd_beats is 8 bits).
    parameter int MAX_BURST = 32,
    // Read-data FIFO in beats (power of two, at least MAX_BURST). It bounds the
    // reads in flight: at 1 beat per cycle a memory latency of L cycles needs
    // about L + MAX_BURST beats, so 256 covers L = 100 with bursts of 32.
    parameter int RD_FIFO_DEPTH = 256,
    // Writes issued and not yet answered on the write-response channel, at
    // most (power of two, 2..64). One write a cycle needs about the write
    // response latency plus 2.
    parameter int WR_OUTSTANDING = 32,
    // Longest copy in bytes (power of two, 16..2^30); a longer descriptor
    // completes with BAD_DESCRIPTOR.
    parameter int MAX_LEN = 65536
) (
    input  wire logic        clk,
    input  wire logic        rst,

    // Descriptors.
    input  wire logic        s_desc_valid,
    output wire logic        s_desc_ready,
    input  wire logic [47:0] s_desc_src,
    input  wire logic [47:0] s_desc_dst,
    input  wire logic [31:0] s_desc_len,
    input  wire logic [15:0] s_desc_cookie,

    // Completions, one per descriptor, in descriptor order.
    output wire logic        m_cpl_valid,
    input  wire logic        m_cpl_ready,
    output wire logic [15:0] m_cpl_cookie,
    output wire logic [1:0]  m_cpl_status,

    // Memory read requests (bursts of DATA_WIDTH / 8-byte beats, aligned to a beat).
    output wire logic        m_rd_valid,
    input  wire logic        m_rd_ready,
    output wire logic [47:0] m_rd_addr,
    output wire logic [7:0]  m_rd_beats,

    // Read data, in request order, with a response code per beat (AXI RRESP:
    // 0 OKAY, 1 EXOKAY, 2 SLVERR, 3 DECERR; bit 1 set = error).
    input  wire logic        s_rdata_valid,
    output wire logic        s_rdata_ready,
    input  wire logic [DATA_WIDTH-1:0] s_rdata_data,
    input  wire logic [1:0]  s_rdata_resp,
    input  wire logic        s_rdata_last,

    // Memory writes, one beat each, with byte strobes.
    output wire logic        m_wr_valid,
    input  wire logic        m_wr_ready,
    output wire logic [47:0] m_wr_addr,
    output wire logic [DATA_WIDTH-1:0] m_wr_data,
    output wire logic [DATA_WIDTH/8-1:0] m_wr_strb,

    // Write responses, one per write, in write order (AXI BRESP codes).
    input  wire logic        s_wresp_valid,
    output wire logic        s_wresp_ready,
    input  wire logic [1:0]  s_wresp_resp
);

    // Bytes a beat (lanes), and the address bits that pick a lane: an address
    // splits into a beat address (ADDR_BEAT_W upper bits) and a lane.
    localparam int BEAT_BYTES = DATA_WIDTH / 8;
    localparam int LANE_BITS = $clog2(BEAT_BYTES);
    localparam int ADDR_BEAT_W = 48 - LANE_BITS;
    localparam int DESC_AW = $clog2(DESC_DEPTH);
    localparam int RDF_AW = $clog2(RD_FIFO_DEPTH);
    localparam int BURST_BITS = $clog2(MAX_BURST);
    localparam int WO_AW = $clog2(WR_OUTSTANDING);
    localparam int LEN_W = $clog2(MAX_LEN) + 1;   // 0 .. MAX_LEN
    // 0 .. (BEAT_BYTES - 1 + MAX_LEN + BEAT_BYTES - 1) / BEAT_BYTES, with room to spare
    // (LEN_W - 2 at 64 bits).
    localparam int BEAT_W = LEN_W + 1 - LANE_BITS;

    localparam logic [1:0] ST_OK = 2'd0;
    localparam logic [1:0] ST_READ_ERROR = 2'd1;
    localparam logic [1:0] ST_WRITE_ERROR = 2'd2;
    localparam logic [1:0] ST_BAD_DESCRIPTOR = 2'd3;

    initial begin
        if (DATA_WIDTH < 16 || DATA_WIDTH > 512 || (DATA_WIDTH & (DATA_WIDTH - 1)) != 0) begin
            $error("dma_copy: DATA_WIDTH must be a power of two from 16 to 512");
        end
        if (MAX_BURST * BEAT_BYTES > 4096) begin
            $error("dma_copy: MAX_BURST beats of DATA_WIDTH / 8 bytes must fit in 4 KiB (no burst crosses a 4 KiB boundary)");
        end
        if (DESC_DEPTH < 2 || (DESC_DEPTH & (DESC_DEPTH - 1)) != 0) begin
            $error("dma_copy: DESC_DEPTH must be a power of two, at least 2");
        end
        if (MAX_BURST < 2 || MAX_BURST > 128 || (MAX_BURST & (MAX_BURST - 1)) != 0) begin
            $error("dma_copy: MAX_BURST must be a power of two from 2 to 128");
        end
        if (RD_FIFO_DEPTH < MAX_BURST || (RD_FIFO_DEPTH & (RD_FIFO_DEPTH - 1)) != 0) begin
            $error("dma_copy: RD_FIFO_DEPTH must be a power of two, at least MAX_BURST");
        end
        if (WR_OUTSTANDING < 2 || WR_OUTSTANDING > 64 || (WR_OUTSTANDING & (WR_OUTSTANDING - 1)) != 0) begin
            $error("dma_copy: WR_OUTSTANDING must be a power of two from 2 to 64");
        end
        if (MAX_LEN < 16 || MAX_LEN < 2 * BEAT_BYTES || MAX_LEN > (1 << 30) || (MAX_LEN & (MAX_LEN - 1)) != 0) begin
            $error("dma_copy: MAX_LEN must be a power of two from 16 (and 2 beats) to 2^30");
        end
    end

    // ================================================================ descriptor in
    // The descriptor is decoded as it is accepted and kept in four memories,
    // one per reader, all written at desc_wr_ptr. Read pointers, in order
    // cpl <= done <= wq <= wr and cpl <= done <= rd <= wr:
    //   rd   next descriptor for the read side's head register,
    //   wq   next descriptor for the write side's head register,
    //   done descriptors retired (last write response in, or nothing to write),
    //   cpl  next completion to send (frees the slot).
    logic [DESC_AW:0] desc_wr_ptr_reg, desc_rd_ptr_reg, desc_wq_ptr_reg, desc_done_ptr_reg, desc_cpl_ptr_reg;

    wire desc_full = desc_wr_ptr_reg == {~desc_cpl_ptr_reg[DESC_AW], desc_cpl_ptr_reg[DESC_AW-1:0]};
    wire desc_accept = s_desc_valid && !desc_full;
    wire [DESC_AW-1:0] desc_wr_at = desc_wr_ptr_reg[DESC_AW-1:0];

    wire in_bad = s_desc_len > 32'(MAX_LEN);
    wire [LEN_W-1:0] in_len = s_desc_len[LEN_W-1:0];
    wire in_zero = in_bad || s_desc_len == 32'd0;
    wire [LANE_BITS-1:0] in_s = s_desc_src[LANE_BITS-1:0];
    wire [LANE_BITS-1:0] in_d = s_desc_dst[LANE_BITS-1:0];
    // Beats covering len bytes from lane x (B = BEAT_BYTES): ceil((x + len) / B) =
    // len / B + (len mod B + x + B - 1) / B, the second term 0..2 from a sum of
    // LANE_BITS + 2 bits: a short add in front of the long one.
    wire [1:0] in_src_extra = 2'(({2'b0, in_len[LANE_BITS-1:0]} + {2'b0, in_s} + (LANE_BITS + 2)'(BEAT_BYTES - 1)) >> LANE_BITS);
    wire [1:0] in_dst_extra = 2'(({2'b0, in_len[LANE_BITS-1:0]} + {2'b0, in_d} + (LANE_BITS + 2)'(BEAT_BYTES - 1)) >> LANE_BITS);
    wire [BEAT_W-1:0] in_src_beats = in_zero ? '0 : BEAT_W'(in_len[LEN_W-1:LANE_BITS]) + BEAT_W'(in_src_extra);
    wire [BEAT_W-1:0] in_dst_beats = in_zero ? '0 : BEAT_W'(in_len[LEN_W-1:LANE_BITS]) + BEAT_W'(in_dst_extra);
    // One destination beat: 0 < len <= B - d.
    wire [LANE_BITS:0] in_dst_room = (LANE_BITS + 1)'(BEAT_BYTES) - {1'b0, in_d};
    wire in_dst_one = !in_zero && in_len <= LEN_W'(in_dst_room);
    // Destination byte j of beat k is source stream byte Bk + j + (s - d); with
    // s > d it lies in {beat k+1, beat k} (prime the carry with beat 0 first),
    // otherwise in {beat k, beat k-1}. Either way: offset shift of {new, carry}.
    wire in_prime = in_s > in_d;
    wire [LANE_BITS:0] in_shift = in_prime ? {1'b0, in_s - in_d}
                                           : (LANE_BITS + 1)'(BEAT_BYTES) - {1'b0, in_d - in_s};
    wire [LANE_BITS-1:0] in_last_lane = LANE_BITS'(in_d + in_len[LANE_BITS-1:0] - LANE_BITS'(1));

    // Read side's memory: source beat address, beats, nothing to read.
    logic [ADDR_BEAT_W-1:0] rdm_addr_mem [DESC_DEPTH];
    logic [BEAT_W-1:0] rdm_beats_mem [DESC_DEPTH];
    logic              rdm_zero_mem [DESC_DEPTH];
    logic [BURST_BITS:0] rdm_to_boundary_mem [DESC_DEPTH];  // beats to the next MAX_BURST boundary
    // Write side's memory.
    logic [ADDR_BEAT_W-1:0] wqm_addr_mem [DESC_DEPTH];
    logic [BEAT_W-1:0] wqm_src_beats_mem [DESC_DEPTH];
    logic [BEAT_W-1:0] wqm_dst_beats_mem [DESC_DEPTH];
    logic [LANE_BITS:0] wqm_shift_mem [DESC_DEPTH];
    logic [BEAT_BYTES-1:0] wqm_first_strb_mem [DESC_DEPTH];
    logic [BEAT_BYTES-1:0] wqm_last_strb_mem [DESC_DEPTH];
    logic [3:0]        wqm_flags_mem [DESC_DEPTH];  // {bad, zero, prime, one destination beat}
    // Completion's memories.
    logic [15:0]       cookie_mem [DESC_DEPTH];
    logic [1:0]        status_mem [DESC_DEPTH];

    always_ff @(posedge clk) begin
        if (desc_accept) begin
            rdm_addr_mem[desc_wr_at] <= s_desc_src[47:LANE_BITS];
            rdm_beats_mem[desc_wr_at] <= in_src_beats;
            rdm_zero_mem[desc_wr_at] <= in_zero;
            rdm_to_boundary_mem[desc_wr_at] <= (BURST_BITS + 1)'(MAX_BURST) - {1'b0, s_desc_src[LANE_BITS +: BURST_BITS]};
            wqm_addr_mem[desc_wr_at] <= s_desc_dst[47:LANE_BITS];
            wqm_src_beats_mem[desc_wr_at] <= in_src_beats;
            wqm_dst_beats_mem[desc_wr_at] <= in_dst_beats;
            wqm_shift_mem[desc_wr_at] <= in_shift;
            wqm_first_strb_mem[desc_wr_at] <= {BEAT_BYTES{1'b1}} << in_d;
            wqm_last_strb_mem[desc_wr_at] <= {BEAT_BYTES{1'b1}} >> (LANE_BITS'(BEAT_BYTES - 1) - in_last_lane);
            wqm_flags_mem[desc_wr_at] <= {in_bad, in_zero, in_prime, in_dst_one};
            cookie_mem[desc_wr_at] <= s_desc_cookie;
        end
    end

    // ================================================================ read side
    // Head register of the read side's memory.
    logic              rdq_valid_reg;
    logic [ADDR_BEAT_W-1:0] rdq_addr_reg;
    logic [BEAT_W-1:0] rdq_beats_reg;
    logic              rdq_zero_reg;
    logic [BURST_BITS:0] rdq_to_boundary_reg;
    // The descriptor being read: next beat address, beats left, next burst.
    logic              rd_active_reg;
    logic              rd_sized_reg;   // rd_burst_reg / rd_final_reg hold the next burst
    logic [ADDR_BEAT_W-1:0] rd_addr_reg;
    logic [BEAT_W-1:0] rd_left_reg;
    logic [BURST_BITS:0] rd_burst_reg;
    logic              rd_final_reg;   // the next burst is the descriptor's last
    logic [RDF_AW:0]   rd_room_reg;    // read-data FIFO beats not reserved (reserved: requested, not yet consumed)
    logic              rd_ret_reg;     // a beat was consumed last cycle: its room returns now
    // Read request register.
    logic              rd_valid_reg;
    logic [47:0]       rd_req_addr_reg;
    logic [7:0]        rd_req_beats_reg;

    wire rdf_pop;

    wire rd_out_free = !rd_valid_reg || m_rd_ready;
    // Room for a whole MAX_BURST burst, whatever the next one's size: a compare
    // with a constant instead of an adder in front of the issue decision.
    wire rd_credit_ok = rd_room_reg >= (RDF_AW + 1)'(MAX_BURST);
    wire rd_issue = rd_active_reg && rd_sized_reg && rd_out_free && rd_credit_ok;
    // The room's next value both ways, the issue decision only picking one.
    wire [RDF_AW:0] rd_room_kept = rd_room_reg + (RDF_AW + 1)'(rd_ret_reg);
    wire [RDF_AW:0] rd_room_less_burst = rd_room_kept - (RDF_AW + 1)'(rd_burst_reg);
    wire rd_take = rdq_valid_reg && (!rd_active_reg || (rd_issue && rd_final_reg));
    wire rdq_load = (!rdq_valid_reg || rd_take) && desc_rd_ptr_reg != desc_wr_ptr_reg;

    // First burst of a descriptor: up to the next MAX_BURST-beat boundary.
    wire rdq_fits = rdq_beats_reg <= BEAT_W'(rdq_to_boundary_reg);
    // Later bursts start on a boundary: up to MAX_BURST beats.
    wire rd_left_fits = rd_left_reg <= BEAT_W'(MAX_BURST);

    always_ff @(posedge clk) begin
        if (rdq_load) begin
            rdq_addr_reg <= rdm_addr_mem[desc_rd_ptr_reg[DESC_AW-1:0]];
            rdq_beats_reg <= rdm_beats_mem[desc_rd_ptr_reg[DESC_AW-1:0]];
            rdq_zero_reg <= rdm_zero_mem[desc_rd_ptr_reg[DESC_AW-1:0]];
            rdq_to_boundary_reg <= rdm_to_boundary_mem[desc_rd_ptr_reg[DESC_AW-1:0]];
            rdq_valid_reg <= 1'b1;
            desc_rd_ptr_reg <= desc_rd_ptr_reg + 1'b1;
        end else if (rd_take) begin
            rdq_valid_reg <= 1'b0;
        end

        if (rd_issue) begin
            rd_valid_reg <= 1'b1;
            rd_req_addr_reg <= {rd_addr_reg, LANE_BITS'(0)};
            rd_req_beats_reg <= 8'(rd_burst_reg);
            rd_addr_reg <= rd_addr_reg + ADDR_BEAT_W'(rd_burst_reg);
            rd_left_reg <= rd_left_reg - BEAT_W'(rd_burst_reg);
            rd_sized_reg <= 1'b0;
            if (rd_final_reg) begin
                rd_active_reg <= 1'b0;
            end
        end else begin
            if (m_rd_ready) begin
                rd_valid_reg <= 1'b0;
            end
            if (rd_active_reg && !rd_sized_reg) begin
                rd_burst_reg <= rd_left_fits ? (BURST_BITS + 1)'(rd_left_reg) : (BURST_BITS + 1)'(MAX_BURST);
                rd_final_reg <= rd_left_fits;
                rd_sized_reg <= 1'b1;
            end
        end
        if (rd_take && !rdq_zero_reg) begin
            rd_active_reg <= 1'b1;
            rd_sized_reg <= 1'b1;
            rd_addr_reg <= rdq_addr_reg;
            rd_left_reg <= rdq_beats_reg;
            rd_burst_reg <= rdq_fits ? (BURST_BITS + 1)'(rdq_beats_reg) : rdq_to_boundary_reg;
            rd_final_reg <= rdq_fits;
        end
        rd_room_reg <= rd_issue ? rd_room_less_burst : rd_room_kept;
        rd_ret_reg <= rdf_pop;

        if (rst) begin
            rdq_valid_reg <= 1'b0;
            rdq_addr_reg <= '0;
            rdq_beats_reg <= '0;
            rdq_zero_reg <= 1'b0;
            rdq_to_boundary_reg <= '0;
            desc_rd_ptr_reg <= '0;
            rd_valid_reg <= 1'b0;
            rd_req_addr_reg <= 48'd0;
            rd_req_beats_reg <= 8'd0;
            rd_addr_reg <= '0;
            rd_left_reg <= '0;
            rd_sized_reg <= 1'b0;
            rd_active_reg <= 1'b0;
            rd_burst_reg <= '0;
            rd_final_reg <= 1'b0;
            rd_room_reg <= (RDF_AW + 1)'(RD_FIFO_DEPTH);
            rd_ret_reg <= 1'b0;
        end
    end

    // ================================================================ read-data FIFO
    logic [DATA_WIDTH:0] rdf_mem [RD_FIFO_DEPTH];  // {error, data}
    logic [RDF_AW:0]   rdf_wr_ptr_reg, rdf_rd_ptr_reg;
    logic              rdf_head_valid_reg;
    logic [DATA_WIDTH-1:0] rdf_head_reg;
    logic              rdf_head_err_reg;

    wire rdf_full = rdf_wr_ptr_reg == {~rdf_rd_ptr_reg[RDF_AW], rdf_rd_ptr_reg[RDF_AW-1:0]};
    wire rdf_push = s_rdata_valid && !rdf_full;
    wire rdf_load = (!rdf_head_valid_reg || rdf_pop) && rdf_wr_ptr_reg != rdf_rd_ptr_reg;

    // The beat count is in the beats; last is part of the bus contract only,
    // and of the response code only the error bit matters.
    wire unused_rdata = &{1'b0, s_rdata_last, s_rdata_resp[0]};

    always_ff @(posedge clk) begin
        if (rdf_push) begin
            rdf_mem[rdf_wr_ptr_reg[RDF_AW-1:0]] <= {s_rdata_resp[1], s_rdata_data};
            rdf_wr_ptr_reg <= rdf_wr_ptr_reg + 1'b1;
        end
        if (rdf_load) begin
            {rdf_head_err_reg, rdf_head_reg} <= rdf_mem[rdf_rd_ptr_reg[RDF_AW-1:0]];
            rdf_head_valid_reg <= 1'b1;
            rdf_rd_ptr_reg <= rdf_rd_ptr_reg + 1'b1;
        end else if (rdf_pop) begin
            rdf_head_valid_reg <= 1'b0;
        end

        if (rst) begin
            rdf_wr_ptr_reg <= '0;
            rdf_rd_ptr_reg <= '0;
            rdf_head_valid_reg <= 1'b0;
            rdf_head_reg <= '0;
            rdf_head_err_reg <= 1'b0;
        end
    end

    // ================================================================ write side
    // Head register of the write side's memory.
    logic              wq_valid_reg;
    logic [ADDR_BEAT_W-1:0] wq_addr_reg;
    logic [BEAT_W-1:0] wq_src_beats_reg;
    logic [BEAT_W-1:0] wq_dst_beats_reg;
    logic [LANE_BITS:0] wq_shift_reg;
    logic [BEAT_BYTES-1:0] wq_first_strb_reg;
    logic [BEAT_BYTES-1:0] wq_last_strb_reg;
    logic              wq_bad_reg, wq_zero_reg, wq_prime_reg, wq_one_reg;
    // The descriptor being written.
    logic              wr_active_reg;
    logic              wr_primed_reg;    // carry holds the first source beat (when shift < B needs it)
    logic [BEAT_W-1:0] wr_src_left_reg;  // source beats still to pop
    logic              wr_src_done_reg;  // wr_src_left_reg == 0
    logic [BEAT_W-1:0] wr_dst_left_reg;  // destination beats still to write
    logic              wr_is_last_reg;   // wr_dst_left_reg == 1
    logic [LANE_BITS:0] wr_shift_reg;    // byte offset 1..B of the destination beat in {new, carry}
    logic [ADDR_BEAT_W-1:0] wr_addr_reg; // next destination beat address
    logic              wr_first_reg;     // next destination beat is the first
    logic [BEAT_BYTES-1:0] wr_first_strb_reg;
    logic [BEAT_BYTES-1:0] wr_last_strb_reg;
    logic              wr_rerr_reg;      // a source beat of this descriptor came back with an error
    logic [DATA_WIDTH-1:0] carry_reg;
    // Write output register.
    logic              wr_valid_reg;
    logic [47:0]       wr_out_addr_reg;
    logic [DATA_WIDTH-1:0] wr_out_data_reg;
    logic [BEAT_BYTES-1:0] wr_out_strb_reg;
    // Writes issued (into the output register) and not yet answered, and per
    // outstanding write: the descriptor's last write, and its read error.
    logic [WO_AW:0]    wo_count_reg;
    logic [WO_AW-1:0]  wo_issue_ptr_reg, wo_resp_ptr_reg;
    logic [WR_OUTSTANDING-1:0] wo_last_reg, wo_rerr_reg;
    logic              wo_werr_reg;      // a write response of the current descriptor was an error

    wire out_free = !wr_valid_reg || m_wr_ready;
    wire wo_room = !wo_count_reg[WO_AW];
    wire wo_empty = wo_count_reg == '0;

    wire wq_take = wq_valid_reg && !wr_active_reg && (!wq_zero_reg || wo_empty);
    wire wqm_load = (!wq_valid_reg || wq_take) && desc_wq_ptr_reg != desc_wr_ptr_reg;
    wire zero_retire = wq_take && wq_zero_reg;

    wire prime_pop = wr_active_reg && !wr_primed_reg && rdf_head_valid_reg;
    wire wr_emit = wr_active_reg && wr_primed_reg && out_free && wo_room
                && (wr_src_done_reg || rdf_head_valid_reg);
    assign rdf_pop = prime_pop || (wr_emit && !wr_src_done_reg);

    wire [2*DATA_WIDTH-1:0] wr_window = {rdf_head_reg, carry_reg};
    wire [DATA_WIDTH-1:0] wr_data = wr_window[{wr_shift_reg, 3'b000} +: DATA_WIDTH];
    wire wr_tainted = wr_rerr_reg || (!wr_src_done_reg && rdf_head_err_reg);
    wire [BEAT_BYTES-1:0] wr_strb = wr_tainted ? '0
        : (wr_first_reg ? wr_first_strb_reg : '1) & (wr_is_last_reg ? wr_last_strb_reg : '1);

    wire [DESC_AW-1:0] wq_at = desc_wq_ptr_reg[DESC_AW-1:0];

    always_ff @(posedge clk) begin
        if (wqm_load) begin
            wq_addr_reg <= wqm_addr_mem[wq_at];
            wq_src_beats_reg <= wqm_src_beats_mem[wq_at];
            wq_dst_beats_reg <= wqm_dst_beats_mem[wq_at];
            wq_shift_reg <= wqm_shift_mem[wq_at];
            wq_first_strb_reg <= wqm_first_strb_mem[wq_at];
            wq_last_strb_reg <= wqm_last_strb_mem[wq_at];
            {wq_bad_reg, wq_zero_reg, wq_prime_reg, wq_one_reg} <= wqm_flags_mem[wq_at];
            wq_valid_reg <= 1'b1;
            desc_wq_ptr_reg <= desc_wq_ptr_reg + 1'b1;
        end else if (wq_take) begin
            wq_valid_reg <= 1'b0;
        end

        if (wq_take && !wq_zero_reg) begin
            wr_active_reg <= 1'b1;
            wr_primed_reg <= !wq_prime_reg;
            wr_src_left_reg <= wq_src_beats_reg;
            wr_src_done_reg <= 1'b0;
            wr_dst_left_reg <= wq_dst_beats_reg;
            wr_is_last_reg <= wq_one_reg;
            wr_shift_reg <= wq_shift_reg;
            wr_addr_reg <= wq_addr_reg;
            wr_first_reg <= 1'b1;
            wr_first_strb_reg <= wq_first_strb_reg;
            wr_last_strb_reg <= wq_last_strb_reg;
            wr_rerr_reg <= 1'b0;
        end
        if (prime_pop) begin
            wr_primed_reg <= 1'b1;
            wr_src_left_reg <= wr_src_left_reg - 1'b1;
            wr_src_done_reg <= wr_src_left_reg == BEAT_W'(1);
            wr_rerr_reg <= rdf_head_err_reg;
        end
        if (rdf_pop) begin
            carry_reg <= rdf_head_reg;
        end
        if (wr_emit) begin
            wr_valid_reg <= 1'b1;
            wr_out_addr_reg <= {wr_addr_reg, LANE_BITS'(0)};
            wr_out_data_reg <= wr_data;
            wr_out_strb_reg <= wr_strb;
            wr_addr_reg <= wr_addr_reg + 1'b1;
            wr_first_reg <= 1'b0;
            wr_dst_left_reg <= wr_dst_left_reg - 1'b1;
            wr_is_last_reg <= wr_dst_left_reg == BEAT_W'(2);
            wr_rerr_reg <= wr_tainted;
            if (!wr_src_done_reg) begin
                wr_src_left_reg <= wr_src_left_reg - 1'b1;
                wr_src_done_reg <= wr_src_left_reg == BEAT_W'(1);
            end
            if (wr_is_last_reg) begin
                wr_active_reg <= 1'b0;
            end
        end else if (m_wr_ready) begin
            wr_valid_reg <= 1'b0;
        end

        if (rst) begin
            wq_valid_reg <= 1'b0;
            wq_addr_reg <= '0;
            wq_src_beats_reg <= '0;
            wq_dst_beats_reg <= '0;
            wq_shift_reg <= (LANE_BITS + 1)'(BEAT_BYTES);
            wq_first_strb_reg <= '0;
            wq_last_strb_reg <= '0;
            {wq_bad_reg, wq_zero_reg, wq_prime_reg, wq_one_reg} <= 4'd0;
            desc_wq_ptr_reg <= '0;
            wr_active_reg <= 1'b0;
            wr_primed_reg <= 1'b0;
            wr_src_left_reg <= '0;
            wr_src_done_reg <= 1'b0;
            wr_dst_left_reg <= '0;
            wr_is_last_reg <= 1'b0;
            wr_shift_reg <= (LANE_BITS + 1)'(BEAT_BYTES);
            wr_addr_reg <= '0;
            wr_first_reg <= 1'b0;
            wr_first_strb_reg <= '0;
            wr_last_strb_reg <= '0;
            wr_rerr_reg <= 1'b0;
            carry_reg <= '0;
            wr_valid_reg <= 1'b0;
            wr_out_addr_reg <= 48'd0;
            wr_out_data_reg <= '0;
            wr_out_strb_reg <= '0;
        end
    end

    // ================================================================ write responses
    wire wresp_accept = s_wresp_valid && !wo_empty;
    wire wb_last = wo_last_reg[wo_resp_ptr_reg];
    wire wb_rerr = wo_rerr_reg[wo_resp_ptr_reg];
    wire wb_werr = wo_werr_reg || s_wresp_resp[1];
    wire wb_retire = wresp_accept && wb_last;
    wire unused_wresp = &{1'b0, s_wresp_resp[0]};

    always_ff @(posedge clk) begin
        if (wr_emit) begin
            wo_last_reg[wo_issue_ptr_reg] <= wr_is_last_reg;
            wo_rerr_reg[wo_issue_ptr_reg] <= wr_tainted;
            wo_issue_ptr_reg <= wo_issue_ptr_reg + 1'b1;
        end
        if (wresp_accept) begin
            wo_resp_ptr_reg <= wo_resp_ptr_reg + 1'b1;
            wo_werr_reg <= wb_last ? 1'b0 : wb_werr;
        end
        wo_count_reg <= wo_count_reg + (WO_AW + 1)'(wr_emit) - (WO_AW + 1)'(wresp_accept);

        // Retire: the last write response of a descriptor, or a descriptor with
        // nothing to write once every earlier write is answered (never both).
        if (wb_retire) begin
            status_mem[desc_done_ptr_reg[DESC_AW-1:0]] <= wb_rerr ? ST_READ_ERROR
                                                         : wb_werr ? ST_WRITE_ERROR : ST_OK;
        end else if (zero_retire) begin
            status_mem[desc_done_ptr_reg[DESC_AW-1:0]] <= wq_bad_reg ? ST_BAD_DESCRIPTOR : ST_OK;
        end
        if (wb_retire || zero_retire) begin
            desc_done_ptr_reg <= desc_done_ptr_reg + 1'b1;
        end

        if (rst) begin
            wo_last_reg <= '0;
            wo_rerr_reg <= '0;
            wo_issue_ptr_reg <= '0;
            wo_resp_ptr_reg <= '0;
            wo_werr_reg <= 1'b0;
            wo_count_reg <= '0;
            desc_done_ptr_reg <= '0;
        end
    end

    // ================================================================ completions
    logic              cpl_valid_reg;
    logic [15:0]       cpl_cookie_reg;
    logic [1:0]        cpl_status_reg;

    wire cpl_load = (!cpl_valid_reg || m_cpl_ready) && desc_cpl_ptr_reg != desc_done_ptr_reg;

    always_ff @(posedge clk) begin
        if (desc_accept) begin
            desc_wr_ptr_reg <= desc_wr_ptr_reg + 1'b1;
        end
        if (cpl_load) begin
            cpl_valid_reg <= 1'b1;
            cpl_cookie_reg <= cookie_mem[desc_cpl_ptr_reg[DESC_AW-1:0]];
            cpl_status_reg <= status_mem[desc_cpl_ptr_reg[DESC_AW-1:0]];
            desc_cpl_ptr_reg <= desc_cpl_ptr_reg + 1'b1;
        end else if (m_cpl_ready) begin
            cpl_valid_reg <= 1'b0;
        end

        if (rst) begin
            desc_wr_ptr_reg <= '0;
            cpl_valid_reg <= 1'b0;
            cpl_cookie_reg <= 16'd0;
            cpl_status_reg <= 2'd0;
            desc_cpl_ptr_reg <= '0;
        end
    end

    // ================================================================ outputs
    assign s_desc_ready = !desc_full;
    assign m_cpl_valid = cpl_valid_reg;
    assign m_cpl_cookie = cpl_cookie_reg;
    assign m_cpl_status = cpl_status_reg;
    assign m_rd_valid = rd_valid_reg;
    assign m_rd_addr = rd_req_addr_reg;
    assign m_rd_beats = rd_req_beats_reg;
    assign s_rdata_ready = !rdf_full;
    assign m_wr_valid = wr_valid_reg;
    assign m_wr_addr = wr_out_addr_reg;
    assign m_wr_data = wr_out_data_reg;
    assign m_wr_strb = wr_out_strb_reg;
    assign s_wresp_ready = !wo_empty;

endmodule

`resetall
