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
// Pipelined so that no path holds more than one add or compare: stage 0 accepts and checks a
// beat, stage 1 checks the offsets and adds half the words each, stage 2 writes the buffer and
// adds the halves, stage 3 accumulates, stages 4 and 5 fold and write the result into the info
// FIFO. The buffer has one write port and one synchronous read port (into head_*_reg), the
// shape of a simple dual-port block RAM. Each packet's first beat leaves 5 cycles later than
// it would unpipelined; throughput stays one beat a cycle.
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
    // Byte lane within a beat: a beat's first byte position is a multiple of KEEP_WIDTH, so a
    // position splits into a beat number (upper bits) and a lane (LANE_BITS lower bits).
    localparam int LANE_BITS = $clog2(KEEP_WIDTH);
    localparam int WORDS = DATA_WIDTH / 16;
    // The beat's words are summed in two halves, then the halves: one add per stage.
    localparam int HALF_WORDS = (WORDS + 1) / 2;
    // A sum of up to WORDS 16-bit words.
    localparam int SUM_WIDTH = 17 + $clog2(WORDS);
    localparam int DEPTH = BUFFER_BYTES / KEEP_WIDTH;
    localparam int ADDR_WIDTH = $clog2(DEPTH);
    localparam int CMD_ADDR_WIDTH = $clog2(CMD_DEPTH);
    localparam int INFO_ADDR_WIDTH = $clog2(INFO_DEPTH);
    localparam int MAX_BEATS = (MAX_PACKET_BYTES + KEEP_WIDTH - 1) / KEEP_WIDTH;
    // s_axis_tready asks for this many free buffer beats. A beat is written two cycles after it
    // is accepted (stage 2), and the room flag is judged on an occupancy two cycles old
    // (buf_used_reg, then buf_room_reg), so up to four accepted beats are not yet counted when a
    // beat is accepted; the fifth slot is its own.
    localparam int BUF_SLACK = 5;
    localparam logic [ADDR_WIDTH:0] BUF_USED_MAX = (ADDR_WIDTH + 1)'(DEPTH - BUF_SLACK);

    // in_late_reg at position 0, and as in_pos_reg moves on a beat (see in_late_reg).
    function automatic logic [KEEP_WIDTH-1:0] late_lanes_at_zero();
        logic [KEEP_WIDTH-1:0] late;
        for (int l = 0; l < KEEP_WIDTH; l++) begin
            late[l] = MAX_PACKET_BYTES <= l;
        end
        late_lanes_at_zero = late;
    endfunction
    localparam logic [KEEP_WIDTH-1:0] LATE_AT_ZERO = late_lanes_at_zero();

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
        if (DEPTH - BUF_SLACK < MAX_BEATS) begin
            $error("csum_offload: BUFFER_BYTES must hold a largest packet plus 5 beats of pipeline slack");
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
    // Command FIFO (small: distributed RAM, read asynchronously at its head).
    logic [15:0] cmd_start_mem [CMD_DEPTH];
    logic [15:0] cmd_offset_mem [CMD_DEPTH];
    // offset + 2, the length the packet needs for the insert (added as the command lands).
    logic [16:0] cmd_offset2_mem [CMD_DEPTH];
    logic        cmd_enable_mem [CMD_DEPTH];
    logic [15:0] cmd_init_mem [CMD_DEPTH];
    logic        cmd_udp_mem [CMD_DEPTH];
    logic [CMD_ADDR_WIDTH:0] cmd_wr_ptr_reg, cmd_rd_ptr_reg;

    // Stage 0 (the beat being accepted): byte position of the beat, and the error seen so far
    // in the packet; once set, its beats are not buffered and in_pos_reg stops (no wrap).
    logic [15:0] in_pos_reg;
    logic [1:0]  in_status_reg;
    // Bit l: in_pos_reg + l >= MAX_PACKET_BYTES, i.e. lane l of this beat is too long. Computed
    // whenever in_pos_reg is (from the old in_pos_reg: a compare with a constant), so the check
    // of a beat is one AND per lane rather than a compare after in_pos_reg.
    logic [KEEP_WIDTH-1:0] in_late_reg;

    // Stage 1: the accepted beat, which of its lanes are summed, and its checks.
    logic                    s1_valid_reg;
    logic                    s1_last_reg;
    logic [DATA_WIDTH-1:0]   s1_data_reg;
    logic [KEEP_WIDTH-1:0]   s1_keep_reg;
    logic [KEEP_WIDTH-1:0]   s1_sum_lanes_reg;
    logic                    s1_odd_reg;
    logic                    s1_first_reg;
    logic [1:0]              s1_status_reg;
    logic [LANE_BITS:0]      s1_count_reg;
    logic [17:0]             s1_start_rem_reg;
    logic [17:0]             s1_offset2_rem_reg;
    logic                    s1_enable_reg;
    logic [15:0]             s1_offset_reg;
    logic [15:0]             s1_init_reg;
    logic                    s1_udp_reg;

    // Stage 2: the beat as it is written to the buffer, its half sums.
    logic                    s2_valid_reg;
    logic                    s2_last_reg;
    logic [DATA_WIDTH-1:0]   s2_data_reg;
    logic [KEEP_WIDTH-1:0]   s2_keep_reg;
    logic                    s2_write_reg;
    logic                    s2_refused_reg;
    logic [1:0]              s2_status_reg;
    logic [SUM_WIDTH-1:0]    s2_sum_lo_reg, s2_sum_hi_reg;
    logic                    s2_first_reg;
    logic                    s2_enable_reg;
    logic [15:0]             s2_offset_reg;
    logic [15:0]             s2_offset1_reg;
    logic [15:0]             s2_init_reg;
    logic                    s2_udp_reg;

    // Stage 3: the beat sum, accumulated into acc_reg.
    logic                    s3_valid_reg;
    logic                    s3_last_reg;
    logic [SUM_WIDTH-1:0]    s3_sum_reg;
    logic                    s3_first_reg;
    logic [1:0]              s3_status_reg;
    logic                    s3_enable_reg;
    logic [15:0]             s3_offset_reg;
    logic [15:0]             s3_offset1_reg;
    logic [15:0]             s3_init_reg;
    logic                    s3_udp_reg;
    logic [31:0]             acc_reg;

    // Stage 4: a packet's total is in acc_reg (one cycle); its fields ride along to stage 5.
    logic                    s4_valid_reg;
    logic [1:0]              s4_status_reg;
    logic                    s4_enable_reg;
    logic [15:0]             s4_offset_reg;
    logic [15:0]             s4_offset1_reg;
    logic                    s4_udp_reg;

    // Stage 5: first fold of the total; the checksum goes into the info FIFO.
    logic                    s5_valid_reg;
    logic [16:0]             s5_fold1_reg;
    logic [1:0]              s5_status_reg;
    logic                    s5_enable_reg;
    logic [15:0]             s5_offset_reg;
    logic [15:0]             s5_offset1_reg;
    logic                    s5_udp_reg;

    // Packet buffer: one write port (stage 2), one synchronous read port into the head register
    // -- the shape of a simple dual-port block RAM.
    logic [DATA_WIDTH-1:0] buf_data_mem [DEPTH];
    logic [KEEP_WIDTH-1:0] buf_keep_mem [DEPTH];
    logic                  buf_last_mem [DEPTH];
    logic [ADDR_WIDTH:0]   buf_wr_ptr_reg, buf_rd_ptr_reg;
    // Where the packet coming in started: beats before it are committed (may be read out), and a
    // refused packet's beats are given back by writing its empty beat here.
    logic [ADDR_WIDTH:0]   buf_base_ptr_reg;
    // Occupancy, and whether s_axis may take a beat: registered (see BUF_SLACK).
    logic [ADDR_WIDTH:0]   buf_used_reg;
    logic                  buf_room_reg;

    // Completed packets waiting to leave: checksum and where to insert it (offset and offset + 1).
    logic [15:0] info_csum_mem [INFO_DEPTH];
    logic [15:0] info_offset_mem [INFO_DEPTH];
    logic [15:0] info_offset1_mem [INFO_DEPTH];
    logic        info_enable_mem [INFO_DEPTH];
    logic [1:0]  info_status_mem [INFO_DEPTH];
    // info_res_ptr_reg counts entries reserved when a packet's last beat is accepted (stage 0);
    // info_wr_ptr_reg those written (stage 5), so "full" is exact and "empty" means written.
    logic [INFO_ADDR_WIDTH:0] info_res_ptr_reg, info_wr_ptr_reg, info_rd_ptr_reg;

    // Output side: the head beat read from the buffer, then the output register.
    logic                  head_valid_reg;
    logic [DATA_WIDTH-1:0] head_data_reg;
    logic [KEEP_WIDTH-1:0] head_keep_reg;
    logic                  head_last_reg;
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
    wire info_empty = info_wr_ptr_reg == info_rd_ptr_reg;
    wire info_full = info_res_ptr_reg == {~info_rd_ptr_reg[INFO_ADDR_WIDTH], info_rd_ptr_reg[INFO_ADDR_WIDTH-1:0]};
    wire buf_committed = buf_rd_ptr_reg != buf_base_ptr_reg;

    wire [CMD_ADDR_WIDTH-1:0]  cmd_head = cmd_rd_ptr_reg[CMD_ADDR_WIDTH-1:0];
    wire [ADDR_WIDTH-1:0]      buf_head = buf_rd_ptr_reg[ADDR_WIDTH-1:0];
    wire [INFO_ADDR_WIDTH-1:0] info_head = info_rd_ptr_reg[INFO_ADDR_WIDTH-1:0];

    assign s_cmd_ready = !cmd_full;
    assign s_axis_tready = !cmd_empty && buf_room_reg && !info_full;
    assign m_axis_tdata = out_data_reg;
    assign m_axis_tkeep = out_keep_reg;
    assign m_axis_tvalid = out_valid_reg;
    assign m_axis_tlast = out_last_reg;
    assign m_res_valid = res_valid_reg;
    assign m_res_csum = res_csum_reg;
    assign m_res_status = res_status_reg;
    assign err_count = err_count_reg;

    // ---------------------------------------------------------- stage 0: accept
    wire cmd_accept = s_cmd_valid && !cmd_full;
    wire in_accept = s_axis_tvalid && s_axis_tready;
    wire [15:0] start = cmd_start_mem[cmd_head];

    // The lanes summed: kept bytes at or past start. A lane is at or past start when its beat
    // lies past start's beat, or is start's beat and the lane is at or past start's lane.
    logic [KEEP_WIDTH-1:0] sum_lanes;
    always @* begin
        for (int l = 0; l < KEEP_WIDTH; l++) begin
            sum_lanes[l] = s_axis_tkeep[l]
                        && (in_pos_reg[15:LANE_BITS] > start[15:LANE_BITS]
                            || (in_pos_reg[15:LANE_BITS] == start[15:LANE_BITS]
                                && LANE_BITS'(l) >= start[LANE_BITS-1:0]));
        end
    end

    // Checks of the beat being accepted. A beat before tlast must be full; a
    // last beat contiguous from lane 0, and empty only for a 0-byte packet.
    // Too long: a kept byte at position MAX_PACKET_BYTES or beyond.
    logic keep_contiguous;
    logic beat_bad_keep;
    logic beat_too_long;
    logic [LANE_BITS:0] keep_count;
    logic [1:0] beat_status;
    logic [KEEP_WIDTH-1:0] late_next;
    always @* begin
        keep_contiguous = ((s_axis_tkeep + 1'b1) & s_axis_tkeep) == '0;
        beat_bad_keep = s_axis_tlast ? (!keep_contiguous || (s_axis_tkeep == '0 && in_pos_reg != 16'd0))
                                     : !(&s_axis_tkeep);
        beat_too_long = (s_axis_tkeep & in_late_reg) != '0;
        keep_count = '0;
        for (int l = 0; l < KEEP_WIDTH; l++) begin
            keep_count = keep_count + {{LANE_BITS{1'b0}}, s_axis_tkeep[l]};
            // Lane l of the next beat, at in_pos_reg + KEEP_WIDTH, is late.
            late_next[l] = MAX_PACKET_BYTES <= KEEP_WIDTH + l
                        || {16'd0, in_pos_reg} >= 32'(MAX_PACKET_BYTES - KEEP_WIDTH - l);
        end
        if (in_status_reg != ST_OK) begin
            beat_status = in_status_reg;
        end else if (beat_bad_keep) begin
            beat_status = ST_BAD_KEEP;
        end else if (beat_too_long) begin
            beat_status = ST_TOO_LONG;
        end else begin
            beat_status = ST_OK;
        end
    end

    // ---------------------------------------------------------- stage 1: offsets, half sums
    // At tlast the offsets are checked against the packet's length, in_pos + count:
    // start > length is start - in_pos > count, and offset + 2 > length is
    // offset + 2 - in_pos > count (the differences, 18-bit two's complement, were taken in
    // stage 0). A difference d exceeds count (0..KEEP_WIDTH) when it is not negative and either
    // is at least 2 * KEEP_WIDTH or its low LANE_BITS + 1 bits exceed count: a narrow compare.
    logic               start_past_end;
    logic               insert_past_end;
    logic               offsets_bad;
    logic [1:0]         last_status;
    logic [DATA_WIDTH-1:0] s1_words;
    logic [SUM_WIDTH-1:0] sum_lo, sum_hi;
    always @* begin
        start_past_end = !s1_start_rem_reg[17]
                      && (s1_start_rem_reg[16:LANE_BITS+1] != '0 || s1_start_rem_reg[LANE_BITS:0] > s1_count_reg);
        insert_past_end = !s1_offset2_rem_reg[17]
                       && (s1_offset2_rem_reg[16:LANE_BITS+1] != '0 || s1_offset2_rem_reg[LANE_BITS:0] > s1_count_reg);
        offsets_bad = start_past_end || (s1_enable_reg && insert_past_end);
        last_status = (s1_status_reg == ST_OK && offsets_bad) ? ST_BAD_OFFSET : s1_status_reg;
        // The beat's 16-bit words, summed lanes only. Lane 2k is the high byte of word k, lane
        // 2k+1 the low byte (big-endian). When start is odd the packet's words pair the other
        // way; by RFC 1071's byte-order independence their sum is the sum of these words with
        // their bytes swapped, so each word is swapped here and the sum needs no swap later.
        for (int k = 0; k < WORDS; k++) begin
            logic [7:0] hi, lo;
            hi = s1_sum_lanes_reg[2 * k] ? s1_data_reg[16 * k +: 8] : 8'd0;
            lo = s1_sum_lanes_reg[2 * k + 1] ? s1_data_reg[16 * k + 8 +: 8] : 8'd0;
            s1_words[16 * k +: 16] = s1_odd_reg ? {lo, hi} : {hi, lo};
        end
        sum_lo = '0;
        sum_hi = '0;
        for (int k = 0; k < WORDS; k++) begin
            if (k < HALF_WORDS) begin
                sum_lo = sum_lo + {{(SUM_WIDTH - 16){1'b0}}, s1_words[16 * k +: 16]};
            end else begin
                sum_hi = sum_hi + {{(SUM_WIDTH - 16){1'b0}}, s1_words[16 * k +: 16]};
            end
        end
    end

    // ---------------------------------------------------------- stage 2: buffer write
    // A refused packet's last beat goes where the packet started, giving back its beats.
    wire [ADDR_WIDTH:0] buf_wr_at = s2_refused_reg ? buf_base_ptr_reg : buf_wr_ptr_reg;

    // ---------------------------------------------------------- stage 5: final checksum
    // fold2 is the end-around-carry fold of the total; it is 0xFFFF (a computed checksum of
    // zero) exactly when fold1 is 0x0FFFF or 0x1FFFE, tested beside the add rather than after it.
    logic [15:0] fold2;
    logic        fold2_ones;
    logic [15:0] final_csum;
    always @* begin
        fold2 = s5_fold1_reg[15:0] + {15'd0, s5_fold1_reg[16]};
        fold2_ones = s5_fold1_reg[16] ? s5_fold1_reg[15:0] == 16'hFFFE : s5_fold1_reg[15:0] == 16'hFFFF;
        // ~fold2, except that UDP sends a computed zero as 0xFFFF; a refused packet's is 0.
        if (s5_status_reg != ST_OK) begin
            final_csum = 16'd0;
        end else if (s5_udp_reg && fold2_ones) begin
            final_csum = 16'hFFFF;
        end else begin
            final_csum = ~fold2;
        end
    end

    // ---------------------------------------------------------- output side
    wire out_load = head_valid_reg && !info_empty
                 && (!out_valid_reg || m_axis_tready)
                 && (!head_last_reg || !res_valid_reg || m_res_ready);
    // The head register is refilled from committed beats whenever it is empty or moves on.
    wire head_load = buf_committed && (!head_valid_reg || out_load);

    // The head beat with the checksum patched in where the insert offset falls: lane l of the
    // beat at out_pos_reg is position offset when the beat numbers match and l is offset's lane.
    logic [DATA_WIDTH-1:0] patched;
    always @* begin
        patched = head_data_reg;
        for (int l = 0; l < KEEP_WIDTH; l++) begin
            if (info_enable_mem[info_head] && out_pos_reg[15:LANE_BITS] == info_offset_mem[info_head][15:LANE_BITS]
                    && LANE_BITS'(l) == info_offset_mem[info_head][LANE_BITS-1:0]) begin
                patched[8 * l +: 8] = info_csum_mem[info_head][15:8];
            end
            if (info_enable_mem[info_head] && out_pos_reg[15:LANE_BITS] == info_offset1_mem[info_head][15:LANE_BITS]
                    && LANE_BITS'(l) == info_offset1_mem[info_head][LANE_BITS-1:0]) begin
                patched[8 * l +: 8] = info_csum_mem[info_head][7:0];
            end
        end
    end

    // ---------------------------------------------------------- registers
    always_ff @(posedge clk) begin
        if (cmd_accept) begin
            cmd_start_mem[cmd_wr_ptr_reg[CMD_ADDR_WIDTH-1:0]] <= s_cmd_csum_start;
            cmd_offset_mem[cmd_wr_ptr_reg[CMD_ADDR_WIDTH-1:0]] <= s_cmd_csum_offset;
            cmd_offset2_mem[cmd_wr_ptr_reg[CMD_ADDR_WIDTH-1:0]] <= {1'b0, s_cmd_csum_offset} + 17'd2;
            cmd_enable_mem[cmd_wr_ptr_reg[CMD_ADDR_WIDTH-1:0]] <= s_cmd_csum_enable;
            cmd_init_mem[cmd_wr_ptr_reg[CMD_ADDR_WIDTH-1:0]] <= s_cmd_csum_init;
            cmd_udp_mem[cmd_wr_ptr_reg[CMD_ADDR_WIDTH-1:0]] <= s_cmd_csum_udp;
            cmd_wr_ptr_reg <= cmd_wr_ptr_reg + 1'b1;
        end

        // Stage 0 -> 1. The data registers load every cycle (s1_valid_reg says whether it was a
        // beat), which keeps an enable off these paths.
        s1_valid_reg <= in_accept;
        s1_last_reg <= s_axis_tlast;
        s1_data_reg <= s_axis_tdata;
        s1_keep_reg <= s_axis_tkeep;
        s1_sum_lanes_reg <= sum_lanes;
        s1_odd_reg <= start[0];
        s1_first_reg <= in_pos_reg == 16'd0;
        s1_status_reg <= beat_status;
        s1_count_reg <= keep_count;
        s1_start_rem_reg <= {2'b0, start} - {2'b0, in_pos_reg};
        s1_offset2_rem_reg <= {1'b0, cmd_offset2_mem[cmd_head]} - {2'b0, in_pos_reg};
        s1_enable_reg <= cmd_enable_mem[cmd_head];
        s1_offset_reg <= cmd_offset_mem[cmd_head];
        s1_init_reg <= cmd_init_mem[cmd_head];
        s1_udp_reg <= cmd_udp_mem[cmd_head];
        if (in_accept) begin
            if (s_axis_tlast) begin
                cmd_rd_ptr_reg <= cmd_rd_ptr_reg + 1'b1;
                info_res_ptr_reg <= info_res_ptr_reg + 1'b1;
                in_pos_reg <= 16'd0;
                in_late_reg <= LATE_AT_ZERO;
                in_status_reg <= ST_OK;
            end else begin
                if (beat_status == ST_OK) begin
                    in_pos_reg <= in_pos_reg + 16'(KEEP_WIDTH);
                    in_late_reg <= late_next;
                end
                in_status_reg <= beat_status;
            end
        end

        // Stage 1 -> 2. A beat before tlast is buffered while its packet is good; a last beat
        // always is (at the packet's start with tkeep 0 when refused).
        s2_valid_reg <= s1_valid_reg;
        s2_last_reg <= s1_last_reg;
        s2_data_reg <= s1_data_reg;
        s2_keep_reg <= s1_keep_reg;
        s2_write_reg <= s1_valid_reg && (s1_last_reg || s1_status_reg == ST_OK);
        s2_refused_reg <= s1_last_reg && last_status != ST_OK;
        s2_status_reg <= s1_last_reg ? last_status : s1_status_reg;
        s2_sum_lo_reg <= sum_lo;
        s2_sum_hi_reg <= sum_hi;
        s2_first_reg <= s1_first_reg;
        s2_enable_reg <= s1_enable_reg;
        s2_offset_reg <= s1_offset_reg;
        s2_offset1_reg <= s1_offset_reg + 16'd1;
        s2_init_reg <= s1_init_reg;
        s2_udp_reg <= s1_udp_reg;

        // Stage 2: the buffer write; stage 2 -> 3: the beat sum.
        if (s2_write_reg) begin
            buf_data_mem[buf_wr_at[ADDR_WIDTH-1:0]] <= s2_data_reg;
            buf_keep_mem[buf_wr_at[ADDR_WIDTH-1:0]] <= s2_refused_reg ? '0 : s2_keep_reg;
            buf_last_mem[buf_wr_at[ADDR_WIDTH-1:0]] <= s2_last_reg;
            buf_wr_ptr_reg <= buf_wr_at + 1'b1;
            if (s2_last_reg) begin
                buf_base_ptr_reg <= buf_wr_at + 1'b1;
            end
        end
        s3_valid_reg <= s2_valid_reg;
        s3_last_reg <= s2_last_reg;
        s3_sum_reg <= s2_sum_lo_reg + s2_sum_hi_reg;
        s3_first_reg <= s2_first_reg;
        s3_status_reg <= s2_status_reg;
        s3_enable_reg <= s2_enable_reg;
        s3_offset_reg <= s2_offset_reg;
        s3_offset1_reg <= s2_offset1_reg;
        s3_init_reg <= s2_init_reg;
        s3_udp_reg <= s2_udp_reg;

        // Stage 3: accumulate (a packet's first beat starts from its seed).
        if (s3_valid_reg) begin
            acc_reg <= (s3_first_reg ? {16'd0, s3_init_reg} : acc_reg) + {{(32 - SUM_WIDTH){1'b0}}, s3_sum_reg};
        end
        s4_valid_reg <= s3_valid_reg && s3_last_reg;
        s4_status_reg <= s3_status_reg;
        s4_enable_reg <= s3_enable_reg;
        s4_offset_reg <= s3_offset_reg;
        s4_offset1_reg <= s3_offset1_reg;
        s4_udp_reg <= s3_udp_reg;

        // Stage 4 -> 5: first fold of the packet's total.
        s5_valid_reg <= s4_valid_reg;
        s5_fold1_reg <= {1'b0, acc_reg[15:0]} + {1'b0, acc_reg[31:16]};
        s5_status_reg <= s4_status_reg;
        s5_enable_reg <= s4_enable_reg;
        s5_offset_reg <= s4_offset_reg;
        s5_offset1_reg <= s4_offset1_reg;
        s5_udp_reg <= s4_udp_reg;

        // Stage 5: the packet's result into the info FIFO.
        if (s5_valid_reg) begin
            info_csum_mem[info_wr_ptr_reg[INFO_ADDR_WIDTH-1:0]] <= final_csum;
            info_enable_mem[info_wr_ptr_reg[INFO_ADDR_WIDTH-1:0]] <= s5_status_reg == ST_OK && s5_enable_reg;
            info_offset_mem[info_wr_ptr_reg[INFO_ADDR_WIDTH-1:0]] <= s5_offset_reg;
            info_offset1_mem[info_wr_ptr_reg[INFO_ADDR_WIDTH-1:0]] <= s5_offset1_reg;
            info_status_mem[info_wr_ptr_reg[INFO_ADDR_WIDTH-1:0]] <= s5_status_reg;
            info_wr_ptr_reg <= info_wr_ptr_reg + 1'b1;
            if (s5_status_reg != ST_OK) begin
                err_count_reg <= err_count_reg + 1'b1;
            end
        end

        // Buffer room for s_axis_tready, two cycles behind (BUF_SLACK covers it).
        buf_used_reg <= buf_wr_ptr_reg - buf_rd_ptr_reg;
        buf_room_reg <= buf_used_reg <= BUF_USED_MAX;

        // Output side: the synchronous buffer read into the head register.
        if (head_load) begin
            head_data_reg <= buf_data_mem[buf_head];
            head_keep_reg <= buf_keep_mem[buf_head];
            head_last_reg <= buf_last_mem[buf_head];
            buf_rd_ptr_reg <= buf_rd_ptr_reg + 1'b1;
            head_valid_reg <= 1'b1;
        end else if (out_load) begin
            head_valid_reg <= 1'b0;
        end

        if (out_load) begin
            out_valid_reg <= 1'b1;
            out_data_reg <= patched;
            out_keep_reg <= head_keep_reg;
            out_last_reg <= head_last_reg;
            if (head_last_reg) begin
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

        // The head beat's data registers are not reset (a block RAM's output register is not);
        // head_valid_reg guards them.
        if (rst) begin
            cmd_wr_ptr_reg <= '0;
            cmd_rd_ptr_reg <= '0;
            in_pos_reg <= 16'd0;
            in_late_reg <= LATE_AT_ZERO;
            in_status_reg <= ST_OK;
            s1_valid_reg <= 1'b0;
            s2_valid_reg <= 1'b0;
            s2_write_reg <= 1'b0;
            s3_valid_reg <= 1'b0;
            s4_valid_reg <= 1'b0;
            s5_valid_reg <= 1'b0;
            acc_reg <= 32'd0;
            buf_wr_ptr_reg <= '0;
            buf_rd_ptr_reg <= '0;
            buf_base_ptr_reg <= '0;
            buf_used_reg <= '0;
            buf_room_reg <= 1'b1;
            info_res_ptr_reg <= '0;
            info_wr_ptr_reg <= '0;
            info_rd_ptr_reg <= '0;
            head_valid_reg <= 1'b0;
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
