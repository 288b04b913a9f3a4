// csum_offload: NIC checksum offload engine (RFC 1071 ones'-complement sum).
//
// One packet command (start, insert offset, insert enable, seed) is paired with
// each packet on s_axis, in order. The engine sums the 16-bit big-endian words of
// packet[start..] plus the seed, and emits the packet on m_axis with the final
// checksum (ones'-complement of the folded sum) written big-endian at
// packet[insert], packet[insert+1] when insert is enabled -- the virtio-net /
// Linux CHECKSUM_PARTIAL contract. The checksum also leaves on m_res, one per
// packet, in order (CHECKSUM_COMPLETE for receive), with a status.
//
// A UDP command (s_cmd_csum_udp) turns a computed checksum of 0x0000 into
// 0xFFFF, because a transmitted zero means "no checksum" (RFC 768); TCP keeps 0.
//
// What the engine cannot do it refuses rather than stalls: a packet longer than
// MAX_PACKET_BYTES, a beat with a tkeep hole (a partial beat before tlast, or a
// non-contiguous last beat), or a start / insert offset beyond the packet. The
// packet is drained to its tlast without being buffered, leaves m_axis as one
// empty beat (tkeep == 0, tlast == 1) so output packets still pair with input
// packets, and its result carries the error status with csum 0; err_count
// counts such packets. The next packet is processed normally.
//
// The insert offset may lie anywhere in the packet, including before the summed
// region, so the engine is store-and-forward: a packet leaves only once its last
// beat has been summed. The buffer holds two jumbo frames, so one packet streams
// in while the previous one streams out: one beat per cycle sustained.
//
// Every output is a register or a function of registers only (no input-to-output
// combinational path), so a driver may read ready/valid before it sets inputs.
//
// The combinational blocks are `always @*`, not `always_comb`: Icarus Verilog 11
// never settles this module's chain of always_comb blocks (beat sum -> checks ->
// status -> checksum) once a beat is offered -- simulated time stops -- while
// it settles the same logic as always @* at once; Verilator and yosys read both
// alike. IcarusReplayTest replays the block under Icarus on every cycle.
//
// Byte order: lane 0 (tdata[7:0]) carries the packet's first byte; tkeep is
// contiguous from lane 0 and only the last beat of a packet may be partial. A
// zero-length packet is one beat with tkeep == 0 and tlast == 1.
//
// See rtl/csum_offload/README.md (the datasheet) for latency and throughput.

`resetall
`timescale 1ns / 1ps
`default_nettype none

module csum_offload #(
    // Width of the packet streams in bits: a power of two from 16 to 512.
    parameter int DATA_WIDTH = 64,
    // Packet buffer in bytes: a power of two, at least twice MAX_PACKET_BYTES
    // for one beat per cycle sustained on back-to-back jumbo frames.
    parameter int BUFFER_BYTES = 32768,
    // Largest packet the engine is specified for (a 9,216-byte jumbo frame).
    parameter int MAX_PACKET_BYTES = 9216,
    // Commands that can be queued ahead of their packets (power of two).
    parameter int CMD_DEPTH = 4,
    // Complete packets that can wait in the buffer (power of two).
    parameter int INFO_DEPTH = 16
) (
    input  wire logic                    clk,
    input  wire logic                    rst,

    // Per-packet command.
    input  wire logic                    s_cmd_valid,
    output wire logic                    s_cmd_ready,
    input  wire logic [15:0]             s_cmd_csum_start,
    input  wire logic [15:0]             s_cmd_csum_offset,
    input  wire logic                    s_cmd_csum_enable,
    input  wire logic [15:0]             s_cmd_csum_init,
    // UDP: a computed 0x0000 is sent as 0xFFFF (RFC 768).
    input  wire logic                    s_cmd_csum_udp,

    // Packet in.
    input  wire logic [DATA_WIDTH-1:0]   s_axis_tdata,
    input  wire logic [DATA_WIDTH/8-1:0] s_axis_tkeep,
    input  wire logic                    s_axis_tvalid,
    output wire logic                    s_axis_tready,
    input  wire logic                    s_axis_tlast,

    // Packet out, checksum inserted.
    output wire logic [DATA_WIDTH-1:0]   m_axis_tdata,
    output wire logic [DATA_WIDTH/8-1:0] m_axis_tkeep,
    output wire logic                    m_axis_tvalid,
    input  wire logic                    m_axis_tready,
    output wire logic                    m_axis_tlast,

    // Checksum out, one per packet.
    output wire logic                    m_res_valid,
    input  wire logic                    m_res_ready,
    output wire logic [15:0]             m_res_csum,
    // 0 ok, 1 too long, 2 tkeep hole, 3 offset beyond the packet (see ST_*).
    output wire logic [1:0]              m_res_status,

    // Packets refused since reset (wraps at 2^32).
    output wire logic [31:0]             err_count
);

    localparam int KEEP_WIDTH = DATA_WIDTH / 8;
    localparam int WORDS = DATA_WIDTH / 16;
    localparam int DEPTH = BUFFER_BYTES / KEEP_WIDTH;
    localparam int ADDR_WIDTH = $clog2(DEPTH);
    localparam int CMD_ADDR_WIDTH = $clog2(CMD_DEPTH);
    localparam int INFO_ADDR_WIDTH = $clog2(INFO_DEPTH);

    // Result statuses; the first error a packet shows is the one reported.
    localparam logic [1:0] ST_OK = 2'd0;
    localparam logic [1:0] ST_TOO_LONG = 2'd1;
    localparam logic [1:0] ST_BAD_KEEP = 2'd2;
    localparam logic [1:0] ST_BAD_OFFSET = 2'd3;

    initial begin
        if (DATA_WIDTH < 16 || DATA_WIDTH > 512 || (DATA_WIDTH & (DATA_WIDTH - 1)) != 0) begin
            $error("csum_offload: DATA_WIDTH must be a power of two from 16 to 512");
        end
        if ((BUFFER_BYTES & (BUFFER_BYTES - 1)) != 0 || BUFFER_BYTES < 2 * MAX_PACKET_BYTES) begin
            $error("csum_offload: BUFFER_BYTES must be a power of two of at least 2 * MAX_PACKET_BYTES");
        end
        if (MAX_PACKET_BYTES < 1 || MAX_PACKET_BYTES > 65535) begin
            $error("csum_offload: MAX_PACKET_BYTES must be 1..65535 (16-bit offsets)");
        end
        if (CMD_DEPTH < 2 || (CMD_DEPTH & (CMD_DEPTH - 1)) != 0) begin
            $error("csum_offload: CMD_DEPTH must be a power of two, at least 2");
        end
        if (INFO_DEPTH < 2 || (INFO_DEPTH & (INFO_DEPTH - 1)) != 0) begin
            $error("csum_offload: INFO_DEPTH must be a power of two, at least 2");
        end
    end

    // ---------------------------------------------------------------- state
    // Command FIFO.
    logic [15:0] cmd_start_mem [CMD_DEPTH];
    logic [15:0] cmd_offset_mem [CMD_DEPTH];
    logic        cmd_enable_mem [CMD_DEPTH];
    logic [15:0] cmd_init_mem [CMD_DEPTH];
    logic        cmd_udp_mem [CMD_DEPTH];
    logic [CMD_ADDR_WIDTH:0] cmd_wr_ptr_reg, cmd_rd_ptr_reg;

    // Input side: byte position of the current beat and the running sum.
    logic [15:0] in_pos_reg;
    logic [31:0] in_acc_reg;
    // Error seen so far in the packet coming in; once set, its beats are
    // dropped and in_pos_reg stops (so it cannot wrap on a huge packet).
    logic [1:0]  in_status_reg;

    // Packet buffer.
    logic [DATA_WIDTH-1:0] buf_data_mem [DEPTH];
    logic [KEEP_WIDTH-1:0] buf_keep_mem [DEPTH];
    logic                  buf_last_mem [DEPTH];
    logic [ADDR_WIDTH:0]   buf_wr_ptr_reg, buf_rd_ptr_reg;
    // Where the packet coming in started: a refused packet's beats are
    // discarded by writing its empty beat here.
    logic [ADDR_WIDTH:0]   buf_base_ptr_reg;

    // Completed packets waiting to leave: checksum and where to insert it.
    logic [15:0] info_csum_mem [INFO_DEPTH];
    logic [15:0] info_offset_mem [INFO_DEPTH];
    logic        info_enable_mem [INFO_DEPTH];
    logic [1:0]  info_status_mem [INFO_DEPTH];
    logic [INFO_ADDR_WIDTH:0] info_wr_ptr_reg, info_rd_ptr_reg;

    // Output side.
    logic [15:0]           out_pos_reg;
    logic                  out_valid_reg;
    logic [DATA_WIDTH-1:0] out_data_reg;
    logic [KEEP_WIDTH-1:0] out_keep_reg;
    logic                  out_last_reg;
    logic                  res_valid_reg;
    logic [15:0]           res_csum_reg;
    logic [1:0]            res_status_reg;
    logic [31:0]           err_count_reg;

    // ---------------------------------------------------------- flags (state only)
    wire cmd_empty = cmd_wr_ptr_reg == cmd_rd_ptr_reg;
    wire cmd_full = cmd_wr_ptr_reg == {~cmd_rd_ptr_reg[CMD_ADDR_WIDTH], cmd_rd_ptr_reg[CMD_ADDR_WIDTH-1:0]};
    wire buf_full = buf_wr_ptr_reg == {~buf_rd_ptr_reg[ADDR_WIDTH], buf_rd_ptr_reg[ADDR_WIDTH-1:0]};
    wire info_empty = info_wr_ptr_reg == info_rd_ptr_reg;
    wire info_full = info_wr_ptr_reg == {~info_rd_ptr_reg[INFO_ADDR_WIDTH], info_rd_ptr_reg[INFO_ADDR_WIDTH-1:0]};

    wire [CMD_ADDR_WIDTH-1:0]  cmd_head = cmd_rd_ptr_reg[CMD_ADDR_WIDTH-1:0];
    wire [ADDR_WIDTH-1:0]      buf_head = buf_rd_ptr_reg[ADDR_WIDTH-1:0];
    wire [INFO_ADDR_WIDTH-1:0] info_head = info_rd_ptr_reg[INFO_ADDR_WIDTH-1:0];

    assign s_cmd_ready = !cmd_full;
    assign s_axis_tready = !cmd_empty && !buf_full && !info_full;
    assign m_axis_tdata = out_data_reg;
    assign m_axis_tkeep = out_keep_reg;
    assign m_axis_tvalid = out_valid_reg;
    assign m_axis_tlast = out_last_reg;
    assign m_res_valid = res_valid_reg;
    assign m_res_csum = res_csum_reg;
    assign m_res_status = res_status_reg;
    assign err_count = err_count_reg;

    // ---------------------------------------------------------- input side
    wire cmd_accept = s_cmd_valid && !cmd_full;
    wire in_accept = s_axis_tvalid && s_axis_tready;
    wire [15:0] start = cmd_start_mem[cmd_head];

    // Sum of this beat's 16-bit words, counting only bytes at or past start.
    // Lane 2k is the high byte of word k, lane 2k+1 the low byte (big-endian).
    logic [31:0] beat_sum;
    always @* begin
        beat_sum = 32'd0;
        for (int k = 0; k < WORDS; k++) begin
            logic [16:0] hi_pos, lo_pos;
            logic [7:0] hi, lo;
            hi_pos = {1'b0, in_pos_reg} + 17'(2 * k);
            lo_pos = hi_pos + 17'd1;
            hi = (s_axis_tkeep[2 * k] && hi_pos >= {1'b0, start}) ? s_axis_tdata[16 * k +: 8] : 8'd0;
            lo = (s_axis_tkeep[2 * k + 1] && lo_pos >= {1'b0, start}) ? s_axis_tdata[16 * k + 8 +: 8] : 8'd0;
            beat_sum = beat_sum + {16'd0, hi, lo};
        end
    end

    // Checks of the beat being accepted. A beat before tlast must be full; a
    // last beat contiguous from lane 0, and empty only for a 0-byte packet.
    // Too long: a kept byte at position MAX_PACKET_BYTES or beyond.
    logic keep_contiguous;
    logic beat_bad_keep;
    logic beat_too_long;
    logic [7:0] keep_count;
    always @* begin
        keep_contiguous = ((s_axis_tkeep + 1'b1) & s_axis_tkeep) == '0;
        beat_bad_keep = s_axis_tlast ? (!keep_contiguous || (s_axis_tkeep == '0 && in_pos_reg != 16'd0))
                                     : !(&s_axis_tkeep);
        beat_too_long = 1'b0;
        keep_count = 8'd0;
        for (int l = 0; l < KEEP_WIDTH; l++) begin
            if (s_axis_tkeep[l] && {1'b0, in_pos_reg} + 17'(l) >= 17'(MAX_PACKET_BYTES)) begin
                beat_too_long = 1'b1;
            end
            keep_count = keep_count + {7'd0, s_axis_tkeep[l]};
        end
    end

    // The packet's status with this beat; at tlast also the offsets against its length.
    logic [1:0]  beat_status;
    logic [16:0] pkt_length;
    logic        offsets_bad;
    logic [1:0]  last_status;
    always @* begin
        if (in_status_reg != ST_OK) begin
            beat_status = in_status_reg;
        end else if (beat_bad_keep) begin
            beat_status = ST_BAD_KEEP;
        end else if (beat_too_long) begin
            beat_status = ST_TOO_LONG;
        end else begin
            beat_status = ST_OK;
        end
        pkt_length = {1'b0, in_pos_reg} + {9'd0, keep_count};
        offsets_bad = {1'b0, start} > pkt_length
                   || (cmd_enable_mem[cmd_head] && {1'b0, cmd_offset_mem[cmd_head]} + 17'd2 > pkt_length);
        last_status = (beat_status == ST_OK && offsets_bad) ? ST_BAD_OFFSET : beat_status;
    end

    // Final checksum of the packet whose last beat is being accepted.
    // Words are paired by lane (even byte position = high byte). When start is
    // odd, the packet's words pair the other way; by RFC 1071's byte-order
    // independence their sum is this sum with its bytes swapped. The seed is
    // added after the swap, then the result is folded and inverted.
    logic [31:0] total;
    logic [16:0] fold1;
    logic [15:0] fold2;
    logic [15:0] aligned;
    logic [16:0] seeded;
    logic [15:0] folded;
    always @* begin
        total = in_acc_reg + beat_sum;
        fold1 = {1'b0, total[15:0]} + {1'b0, total[31:16]};
        fold2 = fold1[15:0] + {15'd0, fold1[16]};
        aligned = start[0] ? {fold2[7:0], fold2[15:8]} : fold2;
        seeded = {1'b0, aligned} + {1'b0, cmd_init_mem[cmd_head]};
        folded = seeded[15:0] + {15'd0, seeded[16]};
    end
    // ~folded, except that UDP sends a computed zero (folded == 0xFFFF) as 0xFFFF.
    wire [15:0] final_csum = (cmd_udp_mem[cmd_head] && folded == 16'hFFFF) ? 16'hFFFF : ~folded;

    // ---------------------------------------------------------- output side
    wire head_last = buf_last_mem[buf_head];
    wire out_load = !info_empty
                 && (!out_valid_reg || m_axis_tready)
                 && (!head_last || !res_valid_reg || m_res_ready);

    // The head beat with the checksum patched in where the insert offset falls.
    logic [DATA_WIDTH-1:0] patched;
    always @* begin
        patched = buf_data_mem[buf_head];
        for (int l = 0; l < KEEP_WIDTH; l++) begin
            logic [16:0] pos;
            pos = {1'b0, out_pos_reg} + 17'(l);
            if (info_enable_mem[info_head] && pos == {1'b0, info_offset_mem[info_head]}) begin
                patched[8 * l +: 8] = info_csum_mem[info_head][15:8];
            end
            if (info_enable_mem[info_head] && pos == {1'b0, info_offset_mem[info_head]} + 17'd1) begin
                patched[8 * l +: 8] = info_csum_mem[info_head][7:0];
            end
        end
    end

    // ---------------------------------------------------------- registers
    always_ff @(posedge clk) begin
        if (cmd_accept) begin
            cmd_start_mem[cmd_wr_ptr_reg[CMD_ADDR_WIDTH-1:0]] <= s_cmd_csum_start;
            cmd_offset_mem[cmd_wr_ptr_reg[CMD_ADDR_WIDTH-1:0]] <= s_cmd_csum_offset;
            cmd_enable_mem[cmd_wr_ptr_reg[CMD_ADDR_WIDTH-1:0]] <= s_cmd_csum_enable;
            cmd_init_mem[cmd_wr_ptr_reg[CMD_ADDR_WIDTH-1:0]] <= s_cmd_csum_init;
            cmd_udp_mem[cmd_wr_ptr_reg[CMD_ADDR_WIDTH-1:0]] <= s_cmd_csum_udp;
            cmd_wr_ptr_reg <= cmd_wr_ptr_reg + 1'b1;
        end

        if (in_accept && !s_axis_tlast) begin
            if (beat_status == ST_OK) begin
                buf_data_mem[buf_wr_ptr_reg[ADDR_WIDTH-1:0]] <= s_axis_tdata;
                buf_keep_mem[buf_wr_ptr_reg[ADDR_WIDTH-1:0]] <= s_axis_tkeep;
                buf_last_mem[buf_wr_ptr_reg[ADDR_WIDTH-1:0]] <= 1'b0;
                buf_wr_ptr_reg <= buf_wr_ptr_reg + 1'b1;
                in_pos_reg <= in_pos_reg + 16'(KEEP_WIDTH);
                in_acc_reg <= in_acc_reg + beat_sum;
            end
            in_status_reg <= beat_status;
        end

        if (in_accept && s_axis_tlast) begin
            if (last_status == ST_OK) begin
                buf_data_mem[buf_wr_ptr_reg[ADDR_WIDTH-1:0]] <= s_axis_tdata;
                buf_keep_mem[buf_wr_ptr_reg[ADDR_WIDTH-1:0]] <= s_axis_tkeep;
                buf_last_mem[buf_wr_ptr_reg[ADDR_WIDTH-1:0]] <= 1'b1;
                buf_wr_ptr_reg <= buf_wr_ptr_reg + 1'b1;
                buf_base_ptr_reg <= buf_wr_ptr_reg + 1'b1;
                info_csum_mem[info_wr_ptr_reg[INFO_ADDR_WIDTH-1:0]] <= final_csum;
                info_enable_mem[info_wr_ptr_reg[INFO_ADDR_WIDTH-1:0]] <= cmd_enable_mem[cmd_head];
            end else begin
                // Refused: the beats written so far are given back; one empty beat stands for the packet.
                buf_data_mem[buf_base_ptr_reg[ADDR_WIDTH-1:0]] <= s_axis_tdata;
                buf_keep_mem[buf_base_ptr_reg[ADDR_WIDTH-1:0]] <= '0;
                buf_last_mem[buf_base_ptr_reg[ADDR_WIDTH-1:0]] <= 1'b1;
                buf_wr_ptr_reg <= buf_base_ptr_reg + 1'b1;
                buf_base_ptr_reg <= buf_base_ptr_reg + 1'b1;
                info_csum_mem[info_wr_ptr_reg[INFO_ADDR_WIDTH-1:0]] <= 16'd0;
                info_enable_mem[info_wr_ptr_reg[INFO_ADDR_WIDTH-1:0]] <= 1'b0;
                err_count_reg <= err_count_reg + 1'b1;
            end
            info_offset_mem[info_wr_ptr_reg[INFO_ADDR_WIDTH-1:0]] <= cmd_offset_mem[cmd_head];
            info_status_mem[info_wr_ptr_reg[INFO_ADDR_WIDTH-1:0]] <= last_status;
            info_wr_ptr_reg <= info_wr_ptr_reg + 1'b1;
            cmd_rd_ptr_reg <= cmd_rd_ptr_reg + 1'b1;
            in_pos_reg <= 16'd0;
            in_acc_reg <= 32'd0;
            in_status_reg <= ST_OK;
        end

        if (out_load) begin
            out_valid_reg <= 1'b1;
            out_data_reg <= patched;
            out_keep_reg <= buf_keep_mem[buf_head];
            out_last_reg <= head_last;
            buf_rd_ptr_reg <= buf_rd_ptr_reg + 1'b1;
            if (head_last) begin
                out_pos_reg <= 16'd0;
                info_rd_ptr_reg <= info_rd_ptr_reg + 1'b1;
                res_valid_reg <= 1'b1;
                res_csum_reg <= info_csum_mem[info_head];
                res_status_reg <= info_status_mem[info_head];
            end else begin
                out_pos_reg <= out_pos_reg + 16'(KEEP_WIDTH);
                if (m_res_ready) begin
                    res_valid_reg <= 1'b0;
                end
            end
        end else begin
            if (m_axis_tready) begin
                out_valid_reg <= 1'b0;
            end
            if (m_res_ready) begin
                res_valid_reg <= 1'b0;
            end
        end

        if (rst) begin
            cmd_wr_ptr_reg <= '0;
            cmd_rd_ptr_reg <= '0;
            in_pos_reg <= 16'd0;
            in_acc_reg <= 32'd0;
            in_status_reg <= ST_OK;
            buf_wr_ptr_reg <= '0;
            buf_rd_ptr_reg <= '0;
            buf_base_ptr_reg <= '0;
            info_wr_ptr_reg <= '0;
            info_rd_ptr_reg <= '0;
            out_pos_reg <= 16'd0;
            out_valid_reg <= 1'b0;
            out_data_reg <= '0;
            out_keep_reg <= '0;
            out_last_reg <= 1'b0;
            res_valid_reg <= 1'b0;
            res_csum_reg <= 16'd0;
            res_status_reg <= ST_OK;
            err_count_reg <= 32'd0;
        end
    end

endmodule

`resetall
