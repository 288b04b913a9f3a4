// dma_copy: DMA copy engine (Intel QuickData-like memory-to-memory copy).
//
// A descriptor (source, destination, length in bytes, cookie) asks for
// len bytes at src to be copied to dst. Completions leave one per descriptor,
// in descriptor order, each only after every write of its descriptor was
// accepted by memory (writes are posted: memory applies a write when it takes
// it). A zero-length descriptor just completes.
//
// Two halves share a descriptor FIFO:
//   - the read side turns each descriptor into read bursts of 8-byte beats
//     covering [src rounded down to 8, src + len rounded up to 8), at most
//     MAX_BURST beats each and never crossing a MAX_BURST * 8-byte boundary
//     (so never a 4 KiB one). It keeps issuing while earlier bursts are in
//     flight, as long as the beats it has reserved in the read-data FIFO
//     (issued and not yet consumed) plus the new burst fit in RD_FIFO_DEPTH.
//     Read data therefore always has room: s_rdata_ready stays high.
//   - the write side pops source beats from the FIFO and realigns them to the
//     destination through a carry register: every destination beat is the
//     8 bytes at a fixed byte offset of the 16-byte window {new beat, carry}.
//     The destination's first and last beats carry byte strobes so that bytes
//     around the destination are never written.
//
// Read data must come back in the order of the requests. The engine counts
// beats; s_rdata_last is accepted but not needed.
//
// Every output is a register or a function of registers only (no input-to-
// output combinational path), so a driver may read ready/valid before it sets
// inputs.
//
// Byte order: the byte at address A is lane A mod 8 (lane 0 = data[7:0]) of
// the beat at address A rounded down to 8.
//
// See rtl/dma_copy/README.md (the datasheet) for latency and throughput.

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_copy #(
    // Width of the data paths in bits. Fixed at 64 in this version (8-byte
    // beats, 8-bit strobes); the parameter exists for the port contract.
    parameter int DATA_WIDTH = 64,
    // Descriptors held from acceptance until their completion leaves
    // (power of two, at least 2).
    parameter int DESC_DEPTH = 16,
    // Longest read burst in beats (power of two, 2..128: m_rd_beats is 8 bits).
    parameter int MAX_BURST = 32,
    // Read-data FIFO in beats (power of two, at least MAX_BURST). It bounds the
    // reads in flight: at 1 beat per cycle a memory latency of L cycles needs
    // about L + MAX_BURST beats, so 256 covers L = 100 with bursts of 32.
    parameter int RD_FIFO_DEPTH = 256
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

    // Memory read requests (bursts of 8-byte beats, 8-byte aligned).
    output wire logic        m_rd_valid,
    input  wire logic        m_rd_ready,
    output wire logic [47:0] m_rd_addr,
    output wire logic [7:0]  m_rd_beats,

    // Read data, in request order.
    input  wire logic        s_rdata_valid,
    output wire logic        s_rdata_ready,
    input  wire logic [63:0] s_rdata_data,
    input  wire logic        s_rdata_last,

    // Memory writes, one beat each, with byte strobes.
    output wire logic        m_wr_valid,
    input  wire logic        m_wr_ready,
    output wire logic [47:0] m_wr_addr,
    output wire logic [63:0] m_wr_data,
    output wire logic [7:0]  m_wr_strb
);

    localparam int DESC_AW = $clog2(DESC_DEPTH);
    localparam int RDF_AW = $clog2(RD_FIFO_DEPTH);
    localparam int BURST_BITS = $clog2(MAX_BURST);

    initial begin
        if (DATA_WIDTH != 64) begin
            $error("dma_copy: DATA_WIDTH must be 64 in this version");
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
    end

    // ---------------------------------------------------------------- state
    // Descriptor FIFO. One write pointer and four read pointers, in order
    // cpl <= done <= wq <= rd <= wr:
    //   rd   next descriptor for the read side,
    //   wq   next descriptor for the write side,
    //   done descriptors whose writes were all accepted,
    //   cpl  next completion to send (frees the slot).
    logic [47:0] desc_src_mem [DESC_DEPTH];
    logic [47:0] desc_dst_mem [DESC_DEPTH];
    logic [31:0] desc_len_mem [DESC_DEPTH];
    logic [15:0] desc_cookie_mem [DESC_DEPTH];
    logic [DESC_AW:0] desc_wr_ptr_reg, desc_rd_ptr_reg, desc_wq_ptr_reg, desc_done_ptr_reg, desc_cpl_ptr_reg;

    // Read side: the next beat address and beats still to request.
    logic [47:0]       rd_addr_reg;
    logic [31:0]       rd_left_reg;
    logic [RDF_AW:0]   rd_credit_reg;  // FIFO beats reserved: requested, not yet consumed
    logic              rd_valid_reg;
    logic [47:0]       rd_req_addr_reg;
    logic [7:0]        rd_req_beats_reg;

    // Read-data FIFO.
    logic [63:0]       rdf_mem [RD_FIFO_DEPTH];
    logic [RDF_AW:0]   rdf_wr_ptr_reg, rdf_rd_ptr_reg;

    // Write side: the descriptor being written.
    logic              wr_active_reg;
    logic              wr_primed_reg;   // carry holds the first source beat (when shift < 8 needs it)
    logic [31:0]       wr_src_left_reg; // source beats still to pop
    logic [31:0]       wr_dst_left_reg; // destination beats still to write
    logic [3:0]        wr_shift_reg;    // byte offset 1..8 of the destination beat in {new, carry}
    logic [47:0]       wr_addr_reg;     // next destination beat address
    logic              wr_first_reg;    // next destination beat is the first
    logic [7:0]        wr_first_strb_reg;
    logic [7:0]        wr_last_strb_reg;
    logic [63:0]       carry_reg;

    // Write output register.
    logic              wr_valid_reg;
    logic [47:0]       wr_out_addr_reg;
    logic [63:0]       wr_out_data_reg;
    logic [7:0]        wr_out_strb_reg;
    logic              wr_out_last_reg;  // the descriptor's last write

    // Completion output register.
    logic              cpl_valid_reg;
    logic [15:0]       cpl_cookie_reg;

    // ---------------------------------------------------------- flags (state only)
    wire desc_full = desc_wr_ptr_reg == {~desc_cpl_ptr_reg[DESC_AW], desc_cpl_ptr_reg[DESC_AW-1:0]};
    wire rdf_full = rdf_wr_ptr_reg == {~rdf_rd_ptr_reg[RDF_AW], rdf_rd_ptr_reg[RDF_AW-1:0]};
    wire rdf_empty = rdf_wr_ptr_reg == rdf_rd_ptr_reg;

    assign s_desc_ready = !desc_full;
    assign m_cpl_valid = cpl_valid_reg;
    assign m_cpl_cookie = cpl_cookie_reg;
    assign m_cpl_status = 2'd0;  // 0 = ok; no error is detected in this version
    assign m_rd_valid = rd_valid_reg;
    assign m_rd_addr = rd_req_addr_reg;
    assign m_rd_beats = rd_req_beats_reg;
    assign s_rdata_ready = !rdf_full;
    assign m_wr_valid = wr_valid_reg;
    assign m_wr_addr = wr_out_addr_reg;
    assign m_wr_data = wr_out_data_reg;
    assign m_wr_strb = wr_out_strb_reg;

    // The beat count is in the beats; last is part of the bus contract only.
    wire unused_last = s_rdata_last;

    // ---------------------------------------------------------- descriptor in
    wire desc_accept = s_desc_valid && !desc_full;

    // ---------------------------------------------------------- read side
    wire [DESC_AW-1:0] rd_desc_at = desc_rd_ptr_reg[DESC_AW-1:0];
    wire [47:0] rd_desc_src = desc_src_mem[rd_desc_at];
    wire [31:0] rd_desc_len = desc_len_mem[rd_desc_at];
    wire [31:0] rd_desc_beats = (rd_desc_len == 32'd0) ? 32'd0
        : 32'(({30'd0, rd_desc_src[2:0]} + {1'b0, rd_desc_len} + 33'd7) >> 3);
    wire rd_load = rd_left_reg == 32'd0 && desc_rd_ptr_reg != desc_wr_ptr_reg;

    // Next burst: up to MAX_BURST beats, not crossing a MAX_BURST-beat boundary.
    wire [BURST_BITS:0] rd_to_boundary = (BURST_BITS + 1)'(MAX_BURST) - {1'b0, rd_addr_reg[3 +: BURST_BITS]};
    wire [31:0] rd_burst = (rd_left_reg < 32'(rd_to_boundary)) ? rd_left_reg : 32'(rd_to_boundary);
    wire rd_issue = rd_left_reg != 32'd0
                 && (!rd_valid_reg || m_rd_ready)
                 && 32'(rd_credit_reg) + rd_burst <= 32'(RD_FIFO_DEPTH);

    wire rdf_push = s_rdata_valid && !rdf_full;
    wire [63:0] rdf_head = rdf_mem[rdf_rd_ptr_reg[RDF_AW-1:0]];

    // ---------------------------------------------------------- write side
    wire out_free = !wr_valid_reg || m_wr_ready;

    // The write side's next descriptor, decoded for loading.
    wire [DESC_AW-1:0] wq_at = desc_wq_ptr_reg[DESC_AW-1:0];
    wire [2:0]  wq_s = desc_src_mem[wq_at][2:0];
    wire [47:0] wq_dst = desc_dst_mem[wq_at];
    wire [2:0]  wq_d = wq_dst[2:0];
    wire [31:0] wq_len = desc_len_mem[wq_at];
    wire wq_zero = wq_len == 32'd0;
    wire [31:0] wq_src_beats = 32'(({30'd0, wq_s} + {1'b0, wq_len} + 33'd7) >> 3);
    wire [31:0] wq_dst_beats = 32'(({30'd0, wq_d} + {1'b0, wq_len} + 33'd7) >> 3);
    // Destination byte j of beat k is source stream byte 8k + j + (s - d); with
    // s > d it lies in {beat k+1, beat k} (prime the carry with beat 0 first),
    // otherwise in {beat k, beat k-1}. Either way: offset shift of {new, carry}.
    wire wq_prime = wq_s > wq_d;
    wire [3:0] wq_shift = wq_prime ? {1'b0, wq_s - wq_d} : 4'd8 - {1'b0, wq_d - wq_s};
    wire [2:0] wq_last_lane = 3'(wq_d + wq_len[2:0] - 3'd1);
    // The write side takes a descriptor once the read side has; a zero-length
    // one retires at once, but only when no earlier write is still waiting in
    // the output register, so completions never overtake writes.
    wire wq_load = !wr_active_reg && desc_wq_ptr_reg != desc_rd_ptr_reg && (!wq_zero || out_free);
    wire zero_retire = wq_load && wq_zero;

    wire prime_pop = wr_active_reg && !wr_primed_reg && !rdf_empty;
    wire wr_emit = wr_active_reg && wr_primed_reg && out_free
                && (wr_src_left_reg == 32'd0 || !rdf_empty);
    wire wr_has_src = wr_src_left_reg != 32'd0;
    wire rdf_pop = prime_pop || (wr_emit && wr_has_src);
    wire wr_is_last = wr_dst_left_reg == 32'd1;

    wire [63:0] wr_new = wr_has_src ? rdf_head : 64'd0;
    wire [127:0] wr_window = {wr_new, carry_reg};
    wire [63:0] wr_data = wr_window[{wr_shift_reg, 3'b000} +: 64];
    wire [7:0] wr_strb = (wr_first_reg ? wr_first_strb_reg : 8'hFF) & (wr_is_last ? wr_last_strb_reg : 8'hFF);

    wire wr_last_accept = wr_valid_reg && m_wr_ready && wr_out_last_reg;

    // ---------------------------------------------------------- completions
    wire cpl_load = (!cpl_valid_reg || m_cpl_ready) && desc_cpl_ptr_reg != desc_done_ptr_reg;

    // ---------------------------------------------------------- registers
    always_ff @(posedge clk) begin
        if (desc_accept) begin
            desc_src_mem[desc_wr_ptr_reg[DESC_AW-1:0]] <= s_desc_src;
            desc_dst_mem[desc_wr_ptr_reg[DESC_AW-1:0]] <= s_desc_dst;
            desc_len_mem[desc_wr_ptr_reg[DESC_AW-1:0]] <= s_desc_len;
            desc_cookie_mem[desc_wr_ptr_reg[DESC_AW-1:0]] <= s_desc_cookie;
            desc_wr_ptr_reg <= desc_wr_ptr_reg + 1'b1;
        end

        // Read side.
        if (rd_load) begin
            rd_addr_reg <= {rd_desc_src[47:3], 3'b000};
            rd_left_reg <= rd_desc_beats;
            desc_rd_ptr_reg <= desc_rd_ptr_reg + 1'b1;
        end
        if (rd_issue) begin
            rd_valid_reg <= 1'b1;
            rd_req_addr_reg <= rd_addr_reg;
            rd_req_beats_reg <= 8'(rd_burst);
            rd_addr_reg <= rd_addr_reg + {13'd0, rd_burst[31:0], 3'b000};
            rd_left_reg <= rd_left_reg - rd_burst;
        end else if (m_rd_ready) begin
            rd_valid_reg <= 1'b0;
        end
        rd_credit_reg <= rd_credit_reg + (rd_issue ? (RDF_AW + 1)'(rd_burst) : '0)
                       - (rdf_pop ? (RDF_AW + 1)'(1) : '0);

        // Read-data FIFO.
        if (rdf_push) begin
            rdf_mem[rdf_wr_ptr_reg[RDF_AW-1:0]] <= s_rdata_data;
            rdf_wr_ptr_reg <= rdf_wr_ptr_reg + 1'b1;
        end
        if (rdf_pop) begin
            rdf_rd_ptr_reg <= rdf_rd_ptr_reg + 1'b1;
            carry_reg <= rdf_head;
        end

        // Write side.
        if (wq_load) begin
            desc_wq_ptr_reg <= desc_wq_ptr_reg + 1'b1;
            wr_active_reg <= !wq_zero;
            wr_primed_reg <= !wq_prime;
            wr_src_left_reg <= wq_src_beats;
            wr_dst_left_reg <= wq_dst_beats;
            wr_shift_reg <= wq_shift;
            wr_addr_reg <= {wq_dst[47:3], 3'b000};
            wr_first_reg <= 1'b1;
            wr_first_strb_reg <= 8'hFF << wq_d;
            wr_last_strb_reg <= 8'hFF >> (3'd7 - wq_last_lane);
        end
        if (prime_pop) begin
            wr_primed_reg <= 1'b1;
            wr_src_left_reg <= wr_src_left_reg - 32'd1;
        end
        if (wr_emit) begin
            wr_valid_reg <= 1'b1;
            wr_out_addr_reg <= wr_addr_reg;
            wr_out_data_reg <= wr_data;
            wr_out_strb_reg <= wr_strb;
            wr_out_last_reg <= wr_is_last;
            wr_addr_reg <= wr_addr_reg + 48'd8;
            wr_first_reg <= 1'b0;
            wr_dst_left_reg <= wr_dst_left_reg - 32'd1;
            if (wr_has_src) begin
                wr_src_left_reg <= wr_src_left_reg - 32'd1;
            end
            if (wr_is_last) begin
                wr_active_reg <= 1'b0;
            end
        end else if (m_wr_ready) begin
            wr_valid_reg <= 1'b0;
        end
        desc_done_ptr_reg <= desc_done_ptr_reg + (DESC_AW + 1)'(wr_last_accept) + (DESC_AW + 1)'(zero_retire);

        // Completions.
        if (cpl_load) begin
            cpl_valid_reg <= 1'b1;
            cpl_cookie_reg <= desc_cookie_mem[desc_cpl_ptr_reg[DESC_AW-1:0]];
            desc_cpl_ptr_reg <= desc_cpl_ptr_reg + 1'b1;
        end else if (m_cpl_ready) begin
            cpl_valid_reg <= 1'b0;
        end

        if (rst) begin
            desc_wr_ptr_reg <= '0;
            desc_rd_ptr_reg <= '0;
            desc_wq_ptr_reg <= '0;
            desc_done_ptr_reg <= '0;
            desc_cpl_ptr_reg <= '0;
            rd_addr_reg <= 48'd0;
            rd_left_reg <= 32'd0;
            rd_credit_reg <= '0;
            rd_valid_reg <= 1'b0;
            rd_req_addr_reg <= 48'd0;
            rd_req_beats_reg <= 8'd0;
            rdf_wr_ptr_reg <= '0;
            rdf_rd_ptr_reg <= '0;
            wr_active_reg <= 1'b0;
            wr_primed_reg <= 1'b0;
            wr_src_left_reg <= 32'd0;
            wr_dst_left_reg <= 32'd0;
            wr_shift_reg <= 4'd8;
            wr_addr_reg <= 48'd0;
            wr_first_reg <= 1'b0;
            wr_first_strb_reg <= 8'd0;
            wr_last_strb_reg <= 8'd0;
            carry_reg <= 64'd0;
            wr_valid_reg <= 1'b0;
            wr_out_addr_reg <= 48'd0;
            wr_out_data_reg <= 64'd0;
            wr_out_strb_reg <= 8'd0;
            wr_out_last_reg <= 1'b0;
            cpl_valid_reg <= 1'b0;
            cpl_cookie_reg <= 16'd0;
        end
    end

endmodule

`resetall
