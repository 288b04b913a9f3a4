// aes_gcm: AES-128 / AES-256 GCM seal and open (NIST SP 800-38D, 96-bit IV).
//
// One command per operation (seal or open, key size, AAD and text lengths in
// bytes). Per command the block takes 2 or 4 key beats, 2 IV beats, the AAD
// beats, the text beats and, for open, 2 tag beats; a driver may offer every
// channel at once and the block takes each when it needs it. Commands run one
// after another.
//
//   seal: ciphertext beats stream out on m_text as they are produced; the
//         result (ok = 1, tag) follows the last ciphertext beat taken.
//   open: the plaintext is held in a buffer until the tag is checked; the
//         result (ok; its tag fields zero, passed or failed -- the computed
//         tag never leaves the block on open) leaves first and, only when ok, the
//         plaintext beats follow once the result is taken. A failed tag drops
//         the buffered plaintext: no m_text beats at all for that command.
//         The plaintext drains while the next command already runs.
//
// What the block cannot do it refuses rather than stalls, with a status on
// m_res (as verilog-axis flags a bad frame on tuser), and counts on err_count:
//   TOO_LONG    an open whose text_len exceeds MAX_TEXT_BYTES (it could never
//               be buffered): refused when the command is taken;
//   BAD_FRAMING an AAD or text beat whose tlast or tkeep disagrees with the
//               command's length: tlast early or late, a partial beat before
//               the last, a last beat whose tkeep is not the length's.
// A refused command takes the rest of its beats (key, IV, tag by count; AAD
// and text to their tlast) without using them, then offers its result: ok = 0,
// tag fields zero, the status. No plaintext of a refused open leaves; a
// refused seal's ciphertext frame, if some of it already left (seal streams),
// is closed by one empty beat (tkeep == 0, tlast == 1) with m_text_tuser set,
// and its bad beat is never encrypted out. The next command runs as if
// nothing happened.
//
// Datapath: an AES pipeline of one round per stage (10 stages for AES-128,
// 14 for AES-256), each stage's round key a fixed entry of the round-key
// memory, that takes a block a cycle (block 0 = E_K(0) = H, block 1 = E_K(J0),
// blocks 2.. = keystream for counters 2..) into a KS_DEPTH-entry keystream
// FIFO it never overfills (a block is issued only with a free entry for it),
// and a GHASH unit that multiplies
// one 128-bit block by H in GF(2^128) digit-serially, GHASH_DIGIT_BITS of the
// operand a cycle (2 cycles a block at 64). The round keys are expanded
// once per command, one round key a cycle, into a 15-entry round-key memory.
//
// Every output is a register or a function of registers only (no input-to-output
// combinational path), so a driver may read ready/valid before it sets inputs.
//
// Byte order: lane 0 (tdata[7:0]) carries a stream's first byte. A stream of
// n > 0 bytes is ceil(n / 8) beats, tkeep full but on the last, tlast on the
// last; a zero-length AAD or text is no beats at all. m_text_tkeep is
// contiguous from lane 0 and only the last beat of a command may be partial.
//
// See rtl/aes_gcm/README.md (the datasheet) for latency and throughput.

`resetall
`timescale 1ns / 1ps
`default_nettype none

module aes_gcm #(
    // Bits of the GHASH operand the digit-serial GF(2^128) multiplier takes per
    // cycle: 8, 16, 32 or 64; a 16-byte block takes 128 / GHASH_DIGIT_BITS
    // cycles. At 64 that is 2 cycles, the rate the 64-bit streams deliver blocks.
    parameter int GHASH_DIGIT_BITS = 64,
    // Largest text an open can buffer, in bytes: a power of two, 16..65536.
    // Seal streams and is not limited by it (text_len is 16 bits).
    parameter int MAX_TEXT_BYTES = 16384
) (
    input  wire logic        clk,
    input  wire logic        rst,

    // One command per operation.
    input  wire logic        s_cmd_valid,
    output wire logic        s_cmd_ready,
    input  wire logic        s_cmd_open,
    input  wire logic        s_cmd_aes256,
    input  wire logic [15:0] s_cmd_aad_len,
    input  wire logic [15:0] s_cmd_text_len,

    // Key: 2 (AES-128) or 4 (AES-256) beats, key byte 0 in [7:0] of beat 0.
    input  wire logic [63:0] s_key_tdata,
    input  wire logic        s_key_tvalid,
    output wire logic        s_key_tready,

    // IV: beat 0 = IV bytes 0..7, beat 1 = IV bytes 8..11 in [31:0].
    input  wire logic [63:0] s_iv_tdata,
    input  wire logic        s_iv_tvalid,
    output wire logic        s_iv_tready,

    // AAD: ceil(aad_len / 8) beats.
    input  wire logic [63:0] s_aad_tdata,
    input  wire logic [7:0]  s_aad_tkeep,
    input  wire logic        s_aad_tvalid,
    output wire logic        s_aad_tready,
    input  wire logic        s_aad_tlast,

    // Text in (plaintext for seal, ciphertext for open): ceil(text_len / 8) beats.
    input  wire logic [63:0] s_text_tdata,
    input  wire logic [7:0]  s_text_tkeep,
    input  wire logic        s_text_tvalid,
    output wire logic        s_text_tready,
    input  wire logic        s_text_tlast,

    // Tag in, open only: 2 beats, tag byte 0 in [7:0] of beat 0.
    input  wire logic [63:0] s_tag_tdata,
    input  wire logic        s_tag_tvalid,
    output wire logic        s_tag_tready,

    // Text out (ciphertext for seal, plaintext for open).
    output wire logic [63:0] m_text_tdata,
    output wire logic [7:0]  m_text_tkeep,
    output wire logic        m_text_tvalid,
    input  wire logic        m_text_tready,
    output wire logic        m_text_tlast,
    // 1 on the empty beat that closes a refused seal's ciphertext frame.
    output wire logic        m_text_tuser,

    // One result per command.
    output wire logic        m_res_valid,
    input  wire logic        m_res_ready,
    output wire logic        m_res_ok,
    output wire logic [63:0] m_res_tag_lo,
    output wire logic [63:0] m_res_tag_hi,
    // 0 ok (m_res_ok says whether an open's tag matched), 1 too long,
    // 2 bad framing (see ST_*).
    output wire logic [1:0]  m_res_status,

    // Commands refused since reset (wraps at 2^32); a failed tag is not a refusal.
    output wire logic [31:0] err_count
);

    // Text buffer: two largest texts, so an open's plaintext can wait for its
    // tag while the previous command's text still drains.
    localparam int DEPTH = MAX_TEXT_BYTES / 4;
    localparam int ADDR_WIDTH = $clog2(DEPTH);
    // Keystream FIFO entries: blocks in the pipeline plus blocks waiting. The
    // text takes a block every 2 cycles and a freed entry's next block arrives
    // 15 cycles (AES-256) after its issue, so 8 would lose a cycle in 17; 16
    // keeps the stream fed.
    localparam int KS_DEPTH = 16;
    // What a pipeline stage carries.
    localparam logic [1:0] KIND_H = 2'd0;    // E_K(0) = H
    localparam logic [1:0] KIND_J0 = 2'd1;   // E_K(J0), for the tag
    localparam logic [1:0] KIND_KS = 2'd2;   // keystream for a counter block

    initial begin
        if (GHASH_DIGIT_BITS != 8 && GHASH_DIGIT_BITS != 16 && GHASH_DIGIT_BITS != 32 && GHASH_DIGIT_BITS != 64) begin
            $error("aes_gcm: GHASH_DIGIT_BITS must be 8, 16, 32 or 64");
        end
        if (MAX_TEXT_BYTES < 16 || MAX_TEXT_BYTES > 65536 || (MAX_TEXT_BYTES & (MAX_TEXT_BYTES - 1)) != 0) begin
            $error("aes_gcm: MAX_TEXT_BYTES must be a power of two from 16 to 65536");
        end
    end

    // Command states.
    localparam logic [2:0] S_IDLE = 3'd0;    // waiting for a command
    localparam logic [2:0] S_KEY = 3'd1;     // taking key beats (and IV, tag)
    localparam logic [2:0] S_EXPAND = 3'd2;  // expanding the key, one round key a cycle
    localparam logic [2:0] S_RUN = 3'd3;     // H, E(J0), AAD, text, length block, tag
    localparam logic [2:0] S_RES = 3'd4;     // result offered on m_res
    localparam logic [2:0] S_DRAIN = 3'd5;   // refused: taking the rest of its beats

    // Result statuses, the codes csum_offload uses for the same faults.
    localparam logic [1:0] ST_OK = 2'd0;
    localparam logic [1:0] ST_TOO_LONG = 2'd1;
    localparam logic [1:0] ST_BAD_FRAMING = 2'd2;

    // AES S-box as a case statement: an unpacked-array localparam with '{...}
    // does not parse in Icarus 11 or yosys 0.23; a case does in every tool.
    function automatic logic [7:0] sbox(input logic [7:0] x);
        case (x)
            8'h00: sbox = 8'h63; 8'h01: sbox = 8'h7c; 8'h02: sbox = 8'h77; 8'h03: sbox = 8'h7b;
            8'h04: sbox = 8'hf2; 8'h05: sbox = 8'h6b; 8'h06: sbox = 8'h6f; 8'h07: sbox = 8'hc5;
            8'h08: sbox = 8'h30; 8'h09: sbox = 8'h01; 8'h0a: sbox = 8'h67; 8'h0b: sbox = 8'h2b;
            8'h0c: sbox = 8'hfe; 8'h0d: sbox = 8'hd7; 8'h0e: sbox = 8'hab; 8'h0f: sbox = 8'h76;
            8'h10: sbox = 8'hca; 8'h11: sbox = 8'h82; 8'h12: sbox = 8'hc9; 8'h13: sbox = 8'h7d;
            8'h14: sbox = 8'hfa; 8'h15: sbox = 8'h59; 8'h16: sbox = 8'h47; 8'h17: sbox = 8'hf0;
            8'h18: sbox = 8'had; 8'h19: sbox = 8'hd4; 8'h1a: sbox = 8'ha2; 8'h1b: sbox = 8'haf;
            8'h1c: sbox = 8'h9c; 8'h1d: sbox = 8'ha4; 8'h1e: sbox = 8'h72; 8'h1f: sbox = 8'hc0;
            8'h20: sbox = 8'hb7; 8'h21: sbox = 8'hfd; 8'h22: sbox = 8'h93; 8'h23: sbox = 8'h26;
            8'h24: sbox = 8'h36; 8'h25: sbox = 8'h3f; 8'h26: sbox = 8'hf7; 8'h27: sbox = 8'hcc;
            8'h28: sbox = 8'h34; 8'h29: sbox = 8'ha5; 8'h2a: sbox = 8'he5; 8'h2b: sbox = 8'hf1;
            8'h2c: sbox = 8'h71; 8'h2d: sbox = 8'hd8; 8'h2e: sbox = 8'h31; 8'h2f: sbox = 8'h15;
            8'h30: sbox = 8'h04; 8'h31: sbox = 8'hc7; 8'h32: sbox = 8'h23; 8'h33: sbox = 8'hc3;
            8'h34: sbox = 8'h18; 8'h35: sbox = 8'h96; 8'h36: sbox = 8'h05; 8'h37: sbox = 8'h9a;
            8'h38: sbox = 8'h07; 8'h39: sbox = 8'h12; 8'h3a: sbox = 8'h80; 8'h3b: sbox = 8'he2;
            8'h3c: sbox = 8'heb; 8'h3d: sbox = 8'h27; 8'h3e: sbox = 8'hb2; 8'h3f: sbox = 8'h75;
            8'h40: sbox = 8'h09; 8'h41: sbox = 8'h83; 8'h42: sbox = 8'h2c; 8'h43: sbox = 8'h1a;
            8'h44: sbox = 8'h1b; 8'h45: sbox = 8'h6e; 8'h46: sbox = 8'h5a; 8'h47: sbox = 8'ha0;
            8'h48: sbox = 8'h52; 8'h49: sbox = 8'h3b; 8'h4a: sbox = 8'hd6; 8'h4b: sbox = 8'hb3;
            8'h4c: sbox = 8'h29; 8'h4d: sbox = 8'he3; 8'h4e: sbox = 8'h2f; 8'h4f: sbox = 8'h84;
            8'h50: sbox = 8'h53; 8'h51: sbox = 8'hd1; 8'h52: sbox = 8'h00; 8'h53: sbox = 8'hed;
            8'h54: sbox = 8'h20; 8'h55: sbox = 8'hfc; 8'h56: sbox = 8'hb1; 8'h57: sbox = 8'h5b;
            8'h58: sbox = 8'h6a; 8'h59: sbox = 8'hcb; 8'h5a: sbox = 8'hbe; 8'h5b: sbox = 8'h39;
            8'h5c: sbox = 8'h4a; 8'h5d: sbox = 8'h4c; 8'h5e: sbox = 8'h58; 8'h5f: sbox = 8'hcf;
            8'h60: sbox = 8'hd0; 8'h61: sbox = 8'hef; 8'h62: sbox = 8'haa; 8'h63: sbox = 8'hfb;
            8'h64: sbox = 8'h43; 8'h65: sbox = 8'h4d; 8'h66: sbox = 8'h33; 8'h67: sbox = 8'h85;
            8'h68: sbox = 8'h45; 8'h69: sbox = 8'hf9; 8'h6a: sbox = 8'h02; 8'h6b: sbox = 8'h7f;
            8'h6c: sbox = 8'h50; 8'h6d: sbox = 8'h3c; 8'h6e: sbox = 8'h9f; 8'h6f: sbox = 8'ha8;
            8'h70: sbox = 8'h51; 8'h71: sbox = 8'ha3; 8'h72: sbox = 8'h40; 8'h73: sbox = 8'h8f;
            8'h74: sbox = 8'h92; 8'h75: sbox = 8'h9d; 8'h76: sbox = 8'h38; 8'h77: sbox = 8'hf5;
            8'h78: sbox = 8'hbc; 8'h79: sbox = 8'hb6; 8'h7a: sbox = 8'hda; 8'h7b: sbox = 8'h21;
            8'h7c: sbox = 8'h10; 8'h7d: sbox = 8'hff; 8'h7e: sbox = 8'hf3; 8'h7f: sbox = 8'hd2;
            8'h80: sbox = 8'hcd; 8'h81: sbox = 8'h0c; 8'h82: sbox = 8'h13; 8'h83: sbox = 8'hec;
            8'h84: sbox = 8'h5f; 8'h85: sbox = 8'h97; 8'h86: sbox = 8'h44; 8'h87: sbox = 8'h17;
            8'h88: sbox = 8'hc4; 8'h89: sbox = 8'ha7; 8'h8a: sbox = 8'h7e; 8'h8b: sbox = 8'h3d;
            8'h8c: sbox = 8'h64; 8'h8d: sbox = 8'h5d; 8'h8e: sbox = 8'h19; 8'h8f: sbox = 8'h73;
            8'h90: sbox = 8'h60; 8'h91: sbox = 8'h81; 8'h92: sbox = 8'h4f; 8'h93: sbox = 8'hdc;
            8'h94: sbox = 8'h22; 8'h95: sbox = 8'h2a; 8'h96: sbox = 8'h90; 8'h97: sbox = 8'h88;
            8'h98: sbox = 8'h46; 8'h99: sbox = 8'hee; 8'h9a: sbox = 8'hb8; 8'h9b: sbox = 8'h14;
            8'h9c: sbox = 8'hde; 8'h9d: sbox = 8'h5e; 8'h9e: sbox = 8'h0b; 8'h9f: sbox = 8'hdb;
            8'ha0: sbox = 8'he0; 8'ha1: sbox = 8'h32; 8'ha2: sbox = 8'h3a; 8'ha3: sbox = 8'h0a;
            8'ha4: sbox = 8'h49; 8'ha5: sbox = 8'h06; 8'ha6: sbox = 8'h24; 8'ha7: sbox = 8'h5c;
            8'ha8: sbox = 8'hc2; 8'ha9: sbox = 8'hd3; 8'haa: sbox = 8'hac; 8'hab: sbox = 8'h62;
            8'hac: sbox = 8'h91; 8'had: sbox = 8'h95; 8'hae: sbox = 8'he4; 8'haf: sbox = 8'h79;
            8'hb0: sbox = 8'he7; 8'hb1: sbox = 8'hc8; 8'hb2: sbox = 8'h37; 8'hb3: sbox = 8'h6d;
            8'hb4: sbox = 8'h8d; 8'hb5: sbox = 8'hd5; 8'hb6: sbox = 8'h4e; 8'hb7: sbox = 8'ha9;
            8'hb8: sbox = 8'h6c; 8'hb9: sbox = 8'h56; 8'hba: sbox = 8'hf4; 8'hbb: sbox = 8'hea;
            8'hbc: sbox = 8'h65; 8'hbd: sbox = 8'h7a; 8'hbe: sbox = 8'hae; 8'hbf: sbox = 8'h08;
            8'hc0: sbox = 8'hba; 8'hc1: sbox = 8'h78; 8'hc2: sbox = 8'h25; 8'hc3: sbox = 8'h2e;
            8'hc4: sbox = 8'h1c; 8'hc5: sbox = 8'ha6; 8'hc6: sbox = 8'hb4; 8'hc7: sbox = 8'hc6;
            8'hc8: sbox = 8'he8; 8'hc9: sbox = 8'hdd; 8'hca: sbox = 8'h74; 8'hcb: sbox = 8'h1f;
            8'hcc: sbox = 8'h4b; 8'hcd: sbox = 8'hbd; 8'hce: sbox = 8'h8b; 8'hcf: sbox = 8'h8a;
            8'hd0: sbox = 8'h70; 8'hd1: sbox = 8'h3e; 8'hd2: sbox = 8'hb5; 8'hd3: sbox = 8'h66;
            8'hd4: sbox = 8'h48; 8'hd5: sbox = 8'h03; 8'hd6: sbox = 8'hf6; 8'hd7: sbox = 8'h0e;
            8'hd8: sbox = 8'h61; 8'hd9: sbox = 8'h35; 8'hda: sbox = 8'h57; 8'hdb: sbox = 8'hb9;
            8'hdc: sbox = 8'h86; 8'hdd: sbox = 8'hc1; 8'hde: sbox = 8'h1d; 8'hdf: sbox = 8'h9e;
            8'he0: sbox = 8'he1; 8'he1: sbox = 8'hf8; 8'he2: sbox = 8'h98; 8'he3: sbox = 8'h11;
            8'he4: sbox = 8'h69; 8'he5: sbox = 8'hd9; 8'he6: sbox = 8'h8e; 8'he7: sbox = 8'h94;
            8'he8: sbox = 8'h9b; 8'he9: sbox = 8'h1e; 8'hea: sbox = 8'h87; 8'heb: sbox = 8'he9;
            8'hec: sbox = 8'hce; 8'hed: sbox = 8'h55; 8'hee: sbox = 8'h28; 8'hef: sbox = 8'hdf;
            8'hf0: sbox = 8'h8c; 8'hf1: sbox = 8'ha1; 8'hf2: sbox = 8'h89; 8'hf3: sbox = 8'h0d;
            8'hf4: sbox = 8'hbf; 8'hf5: sbox = 8'he6; 8'hf6: sbox = 8'h42; 8'hf7: sbox = 8'h68;
            8'hf8: sbox = 8'h41; 8'hf9: sbox = 8'h99; 8'hfa: sbox = 8'h2d; 8'hfb: sbox = 8'h0f;
            8'hfc: sbox = 8'hb0; 8'hfd: sbox = 8'h54; 8'hfe: sbox = 8'hbb; 8'hff: sbox = 8'h16;
            default: sbox = 8'h00;
        endcase
    endfunction


    // ------------------------------------------------------------ functions
    // Each function assigns its result to its name: yosys 0.23 does not read `return`.
    function automatic logic [7:0] xtime(input logic [7:0] b);
        xtime = {b[6:0], 1'b0} ^ (b[7] ? 8'h1b : 8'h00);
    endfunction

    function automatic logic [31:0] sub_word(input logic [31:0] w);
        sub_word = {sbox(w[31:24]), sbox(w[23:16]), sbox(w[15:8]), sbox(w[7:0])};
    endfunction

    // One AES round on a state whose byte i (column-major) is s[8i+:8]:
    // SubBytes, ShiftRows, MixColumns unless last, AddRoundKey.
    function automatic logic [127:0] aes_round(input logic [127:0] s, input logic [127:0] rk, input logic last);
        logic [127:0] t;
        logic [127:0] m;
        for (int c = 0; c < 4; c++) begin
            for (int r = 0; r < 4; r++) begin
                t[8 * (r + 4 * c) +: 8] = sbox(s[8 * (r + 4 * ((c + r) % 4)) +: 8]);
            end
        end
        if (last) begin
            m = t;
        end else begin
            for (int c = 0; c < 4; c++) begin
                logic [7:0] a0, a1, a2, a3;
                a0 = t[32 * c +: 8];
                a1 = t[32 * c + 8 +: 8];
                a2 = t[32 * c + 16 +: 8];
                a3 = t[32 * c + 24 +: 8];
                m[32 * c +: 8] = xtime(a0) ^ xtime(a1) ^ a1 ^ a2 ^ a3;
                m[32 * c + 8 +: 8] = a0 ^ xtime(a1) ^ xtime(a2) ^ a2 ^ a3;
                m[32 * c + 16 +: 8] = a0 ^ a1 ^ xtime(a2) ^ xtime(a3) ^ a3;
                m[32 * c + 24 +: 8] = xtime(a0) ^ a0 ^ a1 ^ a2 ^ xtime(a3);
            end
        end
        aes_round = m ^ rk;
    endfunction

    // v * x^k in GF(2^128), GCM's bit order (bit 127 is the coefficient of x^0,
    // the first bit of the block; R = 11100001 || 0^120), for 0 <= k <= 120: the
    // k bits shifted out (x^128 .. x^(127+k)) are reduced in one pass, as
    // x^128 = 1 + x + x^2 + x^7, so each result bit is an XOR of at most five
    // bits of v -- not the k-step chain a bit-serial reduction would be.
    function automatic logic [127:0] gf_mulx(input logic [127:0] v, input int k);
        logic [255:0] w;
        w = {v, 128'd0} >> k;  // w[127:0]: the bits shifted out, v[j] at 128 - k + j
        gf_mulx = w[255:128] ^ w[127:0] ^ (w[127:0] >> 1) ^ (w[127:0] >> 2) ^ (w[127:0] >> 7);
    endfunction

    function automatic logic [63:0] bswap64(input logic [63:0] w);
        logic [63:0] b;
        for (int i = 0; i < 8; i++) begin
            b[8 * i +: 8] = w[8 * (7 - i) +: 8];
        end
        bswap64 = b;
    endfunction

    // Stream order (byte i in [8i+:8]) <-> GCM's big-endian 128-bit integer.
    function automatic logic [127:0] bswap128(input logic [127:0] w);
        bswap128 = {bswap64(w[63:0]), bswap64(w[127:64])};
    endfunction

    function automatic logic [63:0] lane_mask(input logic [3:0] bytes);
        logic [63:0] m;
        for (int l = 0; l < 8; l++) begin
            m[8 * l +: 8] = (4'(l) < bytes) ? 8'hff : 8'h00;
        end
        lane_mask = m;
    endfunction

    // ---------------------------------------------------------------- state
    logic [2:0]   state_reg;
    logic         open_reg;
    logic         aes256_reg;
    logic [15:0]  aad_len_reg, text_len_reg;
    logic [15:0]  aad_rem_reg, text_rem_reg;     // bytes still to take
    logic [255:0] key_reg;
    logic [2:0]   key_cnt_reg;
    logic [1:0]   status_reg;                     // the command's status (ST_*)
    logic         aad_end_reg, text_end_reg;      // the command's AAD / text frame is over (tlast taken, or none)
    logic [95:0]  iv_reg;
    logic [1:0]   iv_cnt_reg;
    logic [127:0] tag_in_reg;
    logic [1:0]   tag_cnt_reg;

    // Key expansion. The round keys are registers, not a RAM: every pipeline
    // stage reads its own round key every cycle (15 reads at once, at fixed
    // addresses), which no block RAM offers. Round key i is rk_reg[128*i +: 128].
    logic [128*15-1:0] rk_reg;
    logic [3:0]   exp_r_reg;                      // next round key to write
    logic [127:0] exp_prev_reg, exp_prev2_reg;    // round keys r-1 and r-2

    // AES pipeline: stage i (1..14) holds a block after round i, in
    // pipe_st_reg[128*(i-1) +: 128] (flat, as every tool reads a flat vector).
    logic [128*14-1:0] pipe_st_reg;
    logic [13:0]  pipe_v_reg;                     // stage i holds a block: bit i-1
    logic [2*14-1:0] pipe_kind_reg;               // its KIND_*
    logic [12:0]  core_k_reg;                     // next block to issue: 0 = H, 1 = J0, k = counter k

    logic [127:0] h_reg;                          // H, big-endian integer
    logic         h_valid_reg;
    logic [127:0] ej0_reg;                        // E_K(J0), stream order
    logic         ej0_valid_reg;
    // Keystream FIFO: a RAM with one write port and one synchronous read port
    // (no reset, its own always_ff), read every cycle at the next cycle's head;
    // a block written this cycle at that head is passed round the RAM.
    logic [127:0] ks_mem [KS_DEPTH];
    logic [127:0] ks_rd_data_reg;                 // ks_mem[head], read last cycle
    logic [127:0] ks_byp_data_reg;                // the block written last cycle
    logic         ks_byp_reg;                     // it was written at this cycle's head
    logic [4:0]   ks_wr_ptr_reg, ks_rd_ptr_reg;
    logic [4:0]   ks_used_reg;                    // entries taken: in the pipeline or in the FIFO

    // Beat pairing into 16-byte blocks (AAD, then text).
    logic         half_reg;                       // 1: the next beat is a block's second
    logic [63:0]  hold_reg;                       // the block's first beat (masked)

    // GHASH: a one-entry input slot and a digit-serial multiplier that
    // computes gh_y = (gh_y ^ gh_x) * H over GH_STEPS cycles.
    logic         gh_pend_reg;                    // gh_x_reg waits to be absorbed
    logic [127:0] gh_x_reg;                       // big-endian integer
    logic [127:0] gh_y_reg;                       // big-endian integer; the partial product while busy
    logic         gh_busy_reg;                    // a multiply is past its first step
    logic [3:0]   gh_cnt_reg;                     // its next step
    logic [127:0] gh_a_reg;                       // the operand's digits still to take, next at the top
    logic [127:0] gh_v_reg;                       // H * x^(GHASH_DIGIT_BITS * gh_cnt_reg)
    logic         len_done_reg;                   // length block loaded

    // Text out buffer: one RAM of {last, keep, data} with a write port and a
    // synchronous read port whose register (buf_q_reg, enable out_load, no
    // reset) is the m_text output register -- what yosys infers as a $mem and
    // maps to block RAM (verilog-axis style: the RAM in its own always_ff,
    // apart from reset; the tdata/tkeep/tlast outputs read zero while
    // m_text_tvalid is low, so nothing reads the RAM's unreset register).
    localparam int BUF_WIDTH = 64 + 8 + 1;
    logic [BUF_WIDTH-1:0] buf_mem [DEPTH];
    logic [BUF_WIDTH-1:0] buf_q_reg;
    logic [ADDR_WIDTH:0] buf_wr_ptr_reg, buf_rd_ptr_reg;
    logic [ADDR_WIDTH:0] buf_rel_ptr_reg;         // beats before it may leave

    logic         out_valid_reg;
    logic         res_ok_reg;
    logic [127:0] res_tag_reg;
    logic [31:0]  err_count_reg;

    // ---------------------------------------------------------- flags (state only)
    wire buf_empty = buf_wr_ptr_reg == buf_rd_ptr_reg;
    wire buf_full = buf_wr_ptr_reg == {~buf_rd_ptr_reg[ADDR_WIDTH], buf_rd_ptr_reg[ADDR_WIDTH-1:0]};
    wire [3:0] nr = aes256_reg ? 4'd14 : 4'd10;
    wire running = state_reg == S_RUN;
    wire draining = state_reg == S_DRAIN;
    wire [2:0] key_beats = aes256_reg ? 3'd4 : 3'd2;
    // An open must fit the buffer whole before its tag is known.
    wire cmd_too_long = s_cmd_open && {1'b0, s_cmd_text_len} > 17'(MAX_TEXT_BYTES);
    wire [12:0] core_end = 13'((({1'b0, text_len_reg} + 17'd15) >> 4) + 17'd2);
    wire ks_valid = ks_wr_ptr_reg != ks_rd_ptr_reg;
    wire [127:0] ks_head = ks_byp_reg ? ks_byp_data_reg : ks_rd_data_reg;
    localparam int GH_STEPS = 128 / GHASH_DIGIT_BITS;
    // The GHASH slot can take a block this cycle: it is empty, or its block
    // starts its multiply now (the multiplier is idle).
    wire gh_free = !gh_pend_reg || !gh_busy_reg;

    assign s_cmd_ready = state_reg == S_IDLE;
    assign s_key_tready = state_reg == S_KEY || (draining && key_cnt_reg != key_beats);
    assign s_iv_tready = (state_reg == S_KEY || state_reg == S_EXPAND || draining) && iv_cnt_reg != 2'd2;
    assign s_tag_tready = open_reg && tag_cnt_reg != 2'd2
                       && (state_reg == S_KEY || state_reg == S_EXPAND || running || draining);
    assign s_aad_tready = (running && h_valid_reg && aad_rem_reg != 16'd0 && gh_free) || (draining && !aad_end_reg);
    assign s_text_tready = (running && aad_rem_reg == 16'd0 && text_rem_reg != 16'd0 && ks_valid && !buf_full
                            && gh_free)
                        || (draining && !text_end_reg);
    assign m_text_tdata = out_valid_reg ? buf_q_reg[63:0] : 64'd0;
    assign m_text_tkeep = out_valid_reg ? buf_q_reg[71:64] : 8'd0;
    assign m_text_tvalid = out_valid_reg;
    assign m_text_tlast = out_valid_reg && buf_q_reg[72];
    // Only a refused seal's closing beat is empty.
    assign m_text_tuser = out_valid_reg && buf_q_reg[71:64] == 8'd0;
    assign m_res_valid = state_reg == S_RES;
    assign m_res_ok = res_ok_reg;
    assign m_res_tag_lo = res_tag_reg[63:0];
    assign m_res_tag_hi = res_tag_reg[127:64];
    assign m_res_status = status_reg;
    assign err_count = err_count_reg;

    // The IV's upper beat bits are not used.
    wire unused_ok = &{1'b0, s_iv_tdata[63:32]};

    // ---------------------------------------------------------- handshakes
    wire cmd_fire = s_cmd_valid && s_cmd_ready;
    wire key_fire = s_key_tvalid && s_key_tready;
    wire iv_fire = s_iv_tvalid && s_iv_tready;
    wire tag_fire = s_tag_tvalid && s_tag_tready;
    wire aad_fire = s_aad_tvalid && s_aad_tready;
    wire text_fire = s_text_tvalid && s_text_tready;

    // ---------------------------------------------------------- AAD / text beats
    logic [15:0]  rem;
    logic [3:0]   beat_bytes;
    logic [63:0]  mask;
    logic [63:0]  text_out;
    logic [63:0]  g_word;
    logic         last_beat;
    logic         block_done;
    logic [127:0] blk;
    logic         beat_bad;
    logic         aad_take;
    logic         text_take;
    logic         close_frame;
    logic         data_load;
    logic         len_load;
    logic         gh_load;
    logic [127:0] gh_load_val;
    always_comb begin
        rem = aad_fire ? aad_rem_reg : text_rem_reg;
        beat_bytes = rem >= 16'd8 ? 4'd8 : rem[3:0];
        mask = lane_mask(beat_bytes);
        text_out = (s_text_tdata ^ (half_reg ? ks_head[127:64] : ks_head[63:0])) & mask;
        if (aad_fire) begin
            g_word = s_aad_tdata & mask;
        end else if (open_reg) begin
            g_word = s_text_tdata & mask;
        end else begin
            g_word = text_out;
        end
        last_beat = rem <= 16'd8;
        // A running command's beat must be framed as its length says: tlast on
        // the last beat only, tkeep full but on the last, there exactly the rest.
        beat_bad = running && (aad_fire || text_fire)
                && ((aad_fire ? s_aad_tlast : s_text_tlast) != last_beat
                    || (aad_fire ? s_aad_tkeep : s_text_tkeep) != 8'hff >> (4'd8 - beat_bytes));
        aad_take = aad_fire && running && !beat_bad;
        text_take = text_fire && running && !beat_bad;
        // A seal whose ciphertext already began to leave ends its frame with an empty beat.
        close_frame = text_fire && running && beat_bad && !open_reg && text_rem_reg != text_len_reg;
        block_done = half_reg || last_beat;
        blk = half_reg ? {g_word, hold_reg} : {64'd0, g_word};
        data_load = (aad_take || text_take) && block_done;
        len_load = running && h_valid_reg && aad_rem_reg == 16'd0 && text_rem_reg == 16'd0 && !len_done_reg
                && gh_free;
        gh_load = data_load || len_load;
        gh_load_val = len_load ? {45'd0, aad_len_reg, 3'd0, 45'd0, text_len_reg, 3'd0} : bswap128(blk);
    end

    // ---------------------------------------------------------- GHASH
    // Step i of a multiply adds digit i of the operand (its bits 127 - D*i down,
    // D = GHASH_DIGIT_BITS) times H * x^(D*i): bit 127 - D*i - k contributes
    // H * x^(D*i + k). The D partial products are summed by a balanced XOR tree,
    // so a step is ~3 + log2(D) + 2 gate levels, not the 128-step chain of a
    // one-cycle multiply. The first step reads gh_y ^ gh_x and H directly, so a
    // block takes GH_STEPS cycles and blocks follow back to back.
    logic         gh_start;
    logic         gh_step;
    logic         gh_last;
    logic [3:0]   gh_idx;
    logic [127:0] gh_op;
    logic [127:0] gh_v;
    logic [127:0] gh_z_next;
    logic [127:0] gh_v_next;
    logic [128*GHASH_DIGIT_BITS-1:0] gh_terms;
    always_comb begin
        gh_start = running && gh_pend_reg && !gh_busy_reg;
        gh_step = running && (gh_busy_reg || gh_pend_reg);
        gh_idx = gh_busy_reg ? gh_cnt_reg : 4'd0;
        gh_last = gh_idx == 4'(GH_STEPS - 1);
        gh_op = gh_busy_reg ? gh_a_reg : (gh_y_reg ^ gh_x_reg);
        gh_v = gh_busy_reg ? gh_v_reg : h_reg;
        for (int k = 0; k < GHASH_DIGIT_BITS; k++) begin
            gh_terms[128 * k +: 128] = gh_op[127 - k] ? gf_mulx(gh_v, k) : 128'd0;
        end
        // Pairwise sums, level by level: term i of a level is terms 2i and 2i+1 of the last.
        // (Constant loop bounds and a +1 step: what Icarus 11 synthesizes in an always_comb.)
        for (int lvl = 0; lvl < $clog2(GHASH_DIGIT_BITS); lvl++) begin
            for (int i = 0; i < GHASH_DIGIT_BITS / 2; i++) begin
                if (i < (GHASH_DIGIT_BITS >> (lvl + 1))) begin
                    gh_terms[128 * i +: 128] = gh_terms[256 * i +: 128] ^ gh_terms[256 * i + 128 +: 128];
                end
            end
        end
        gh_z_next = (gh_busy_reg ? gh_y_reg : 128'd0) ^ gh_terms[127:0];
        gh_v_next = gf_mulx(gh_v, GHASH_DIGIT_BITS);
    end

    // ---------------------------------------------------------- key expansion
    logic         exp_active;
    logic [127:0] exp_new;
    always_comb begin
        logic [31:0] t;
        logic [31:0] sub;
        logic [127:0] base;
        logic [3:0] rc_idx;
        logic [7:0] rcon;
        exp_active = state_reg == S_EXPAND && exp_r_reg <= nr;
        t = exp_prev_reg[127:96];
        rc_idx = aes256_reg ? {1'b0, exp_r_reg[3:1]} : exp_r_reg;
        case (rc_idx)
            4'd1: rcon = 8'h01;
            4'd2: rcon = 8'h02;
            4'd3: rcon = 8'h04;
            4'd4: rcon = 8'h08;
            4'd5: rcon = 8'h10;
            4'd6: rcon = 8'h20;
            4'd7: rcon = 8'h40;
            4'd8: rcon = 8'h80;
            4'd9: rcon = 8'h1b;
            4'd10: rcon = 8'h36;
            default: rcon = 8'h00;
        endcase
        if (!aes256_reg || !exp_r_reg[0]) begin
            // RotWord (byte 0 of the word is in [7:0]), SubWord, Rcon into byte 0.
            sub = sub_word({t[7:0], t[31:8]}) ^ {24'd0, rcon};
        end else begin
            sub = sub_word(t);
        end
        base = aes256_reg ? exp_prev2_reg : exp_prev_reg;
        exp_new[31:0] = base[31:0] ^ sub;
        exp_new[63:32] = base[63:32] ^ exp_new[31:0];
        exp_new[95:64] = base[95:64] ^ exp_new[63:32];
        exp_new[127:96] = base[127:96] ^ exp_new[95:64];
        if (exp_r_reg == 4'd0) begin
            exp_new = key_reg[127:0];
        end else if (exp_r_reg == 4'd1 && aes256_reg) begin
            exp_new = key_reg[255:128];
        end
    end

    // ---------------------------------------------------------- AES pipeline
    // One round per stage, stage i with round key i (a fixed register, no
    // round-key mux in the path); the initial AddRoundKey is folded into
    // stage 1. Stage 10 is AES-128's last round (no MixColumns), stage 14
    // AES-256's; a block leaves from stage 10 or 14. H and E_K(J0) go to their
    // registers, keystream blocks into the FIFO, whose entry was taken at issue.
    logic         core_issue;
    logic [127:0] core_in;
    logic [1:0]   core_in_kind;
    logic [128*14-1:0] pipe_next;
    logic         pipe_out_v;
    logic [1:0]   pipe_out_kind;
    logic [127:0] pipe_out_x;
    logic         ks_pop;
    always_comb begin
        core_issue = running && core_k_reg < core_end && (core_k_reg < 13'd2 || ks_used_reg < 5'(KS_DEPTH));
        // Block 0 is the zero block; block k > 0 is IV || [k]32.
        core_in = (core_k_reg == 13'd0 ? 128'd0 : {8'(core_k_reg), 3'd0, core_k_reg[12:8], 16'd0, iv_reg}) ^ rk_reg[127:0];
        core_in_kind = core_k_reg == 13'd0 ? KIND_H : (core_k_reg == 13'd1 ? KIND_J0 : KIND_KS);
        pipe_next[127:0] = aes_round(core_in, rk_reg[255:128], 1'b0);
        for (int i = 1; i < 14; i++) begin
            pipe_next[128 * i +: 128] = aes_round(pipe_st_reg[128 * (i - 1) +: 128], rk_reg[128 * (i + 1) +: 128],
                                                  i == 9 ? !aes256_reg : i == 13);
        end
        pipe_out_v = aes256_reg ? pipe_v_reg[13] : pipe_v_reg[9];
        pipe_out_kind = aes256_reg ? pipe_kind_reg[27:26] : pipe_kind_reg[19:18];
        pipe_out_x = aes256_reg ? pipe_st_reg[128 * 13 +: 128] : pipe_st_reg[128 * 9 +: 128];
        ks_pop = text_take && block_done;
    end

    // ---------------------------------------------------------- result
    wire [127:0] tag = bswap128(gh_y_reg) ^ ej0_reg;
    wire final_ready = running && len_done_reg && !gh_pend_reg && !gh_busy_reg && ej0_valid_reg
                    && (open_reg ? tag_cnt_reg == 2'd2 : (buf_empty && !out_valid_reg));
    // A refused command has taken all its beats (and a seal's closed frame has left).
    wire drained = key_cnt_reg == key_beats && iv_cnt_reg == 2'd2 && (!open_reg || tag_cnt_reg == 2'd2)
                && aad_end_reg && text_end_reg && (open_reg || (buf_empty && !out_valid_reg));

    // ---------------------------------------------------------- output side
    // Beats up to buf_rel_ptr_reg are released: a seal's as they are written,
    // an open's when its result is taken with ok. An open's plaintext waits
    // behind it, so the next command's text streams in while the last drains.
    wire [ADDR_WIDTH-1:0] buf_head = buf_rd_ptr_reg[ADDR_WIDTH-1:0];
    wire out_load = buf_rd_ptr_reg != buf_rel_ptr_reg && (!out_valid_reg || m_text_tready);

    // ---------------------------------------------------------- RAMs
    // Written and read here only, never reset: block RAM (the text buffer) or
    // a small RAM (the keystream FIFO), both read synchronously.
    wire                  buf_we = text_take || close_frame;
    wire [BUF_WIDTH-1:0]  buf_wdata = close_frame ? {1'b1, 8'd0, 64'd0}
                                                  : {last_beat, 8'hff >> (4'd8 - beat_bytes), text_out};
    wire                  ks_we = pipe_out_v && !cmd_fire && pipe_out_kind != KIND_H && pipe_out_kind != KIND_J0;
    // The head the FIFO will have next cycle (its pointer's next value). ks_pop comes late
    // (through the beat's framing check), so both candidates and their bypass compares are
    // formed from registers in parallel and ks_pop only selects: one mux after it, not an adder
    // and a compare.
    wire [3:0]            ks_rd_next1 = ks_rd_ptr_reg[3:0] + 4'd1;
    wire                  ks_restart = rst || cmd_fire;
    wire [3:0]            ks_raddr = ks_restart ? 4'd0 : (ks_pop ? ks_rd_next1 : ks_rd_ptr_reg[3:0]);
    wire                  ks_byp_hit = ks_restart ? ks_wr_ptr_reg[3:0] == 4'd0
                                     : (ks_pop ? ks_wr_ptr_reg[3:0] == ks_rd_next1
                                               : ks_wr_ptr_reg[3:0] == ks_rd_ptr_reg[3:0]);
    always_ff @(posedge clk) begin
        if (buf_we) begin
            buf_mem[buf_wr_ptr_reg[ADDR_WIDTH-1:0]] <= buf_wdata;
        end
        if (out_load) begin
            buf_q_reg <= buf_mem[buf_head];
        end
    end
    always_ff @(posedge clk) begin
        if (ks_we) begin
            ks_mem[ks_wr_ptr_reg[3:0]] <= pipe_out_x;
        end
        ks_rd_data_reg <= ks_mem[ks_raddr];
    end
    always_ff @(posedge clk) begin
        ks_byp_reg <= ks_we && ks_byp_hit;
        ks_byp_data_reg <= pipe_out_x;
    end

    // ---------------------------------------------------------- registers
    always_ff @(posedge clk) begin
        case (state_reg)
            S_IDLE: begin
                if (cmd_fire) begin
                    state_reg <= cmd_too_long ? S_DRAIN : S_KEY;
                    status_reg <= cmd_too_long ? ST_TOO_LONG : ST_OK;
                    aad_end_reg <= s_cmd_aad_len == 16'd0;
                    text_end_reg <= s_cmd_text_len == 16'd0;
                    open_reg <= s_cmd_open;
                    aes256_reg <= s_cmd_aes256;
                    aad_len_reg <= s_cmd_aad_len;
                    text_len_reg <= s_cmd_text_len;
                    aad_rem_reg <= s_cmd_aad_len;
                    text_rem_reg <= s_cmd_text_len;
                    key_cnt_reg <= 3'd0;
                    iv_cnt_reg <= 2'd0;
                    tag_cnt_reg <= 2'd0;
                    exp_r_reg <= 4'd0;
                    core_k_reg <= 13'd0;
                    h_valid_reg <= 1'b0;
                    ej0_valid_reg <= 1'b0;
                    // A refused command's blocks still in flight are dropped.
                    pipe_v_reg <= 14'd0;
                    ks_wr_ptr_reg <= 5'd0;
                    ks_rd_ptr_reg <= 5'd0;
                    ks_used_reg <= 5'd0;
                    half_reg <= 1'b0;
                    len_done_reg <= 1'b0;
                end
            end
            S_KEY: begin
                if (key_fire && key_cnt_reg == key_beats - 3'd1) begin
                    state_reg <= S_EXPAND;
                end
            end
            S_EXPAND: begin
                if (exp_r_reg > nr && iv_cnt_reg == 2'd2) begin
                    state_reg <= S_RUN;
                end
            end
            S_RUN: begin
                if (beat_bad) begin
                    state_reg <= S_DRAIN;
                    status_reg <= ST_BAD_FRAMING;
                end else if (final_ready) begin
                    state_reg <= S_RES;
                    res_ok_reg <= !open_reg || tag == tag_in_reg;
                    // An open's result says pass or fail only: a tag computed over a forged
                    // packet, if it left the block, would be the tag that makes it pass.
                    res_tag_reg <= open_reg ? 128'd0 : tag;
                end
            end
            S_DRAIN: begin
                if (drained) begin
                    state_reg <= S_RES;
                    res_ok_reg <= 1'b0;
                    res_tag_reg <= 128'd0;
                    err_count_reg <= err_count_reg + 1'b1;
                end
            end
            S_RES: begin
                if (m_res_ready) begin
                    state_reg <= S_IDLE;
                    if (open_reg && res_ok_reg) begin
                        buf_rel_ptr_reg <= buf_wr_ptr_reg;  // release the plaintext
                    end else if (open_reg) begin
                        buf_wr_ptr_reg <= buf_rel_ptr_reg;  // drop it (failed tag or refused)
                    end
                end
            end
            default: state_reg <= S_IDLE;
        endcase

        if (key_fire) begin
            key_reg[64 * key_cnt_reg[1:0] +: 64] <= s_key_tdata;
            key_cnt_reg <= key_cnt_reg + 3'd1;
        end
        if (iv_fire) begin
            if (iv_cnt_reg == 2'd0) begin
                iv_reg[63:0] <= s_iv_tdata;
            end else begin
                iv_reg[95:64] <= s_iv_tdata[31:0];
            end
            iv_cnt_reg <= iv_cnt_reg + 2'd1;
        end
        if (tag_fire) begin
            tag_in_reg[64 * tag_cnt_reg[0] +: 64] <= s_tag_tdata;
            tag_cnt_reg <= tag_cnt_reg + 2'd1;
        end

        if (exp_active) begin
            // One enable per round key (constant indices): no 1,920-bit shifter.
            for (int i = 0; i < 15; i++) begin
                if (exp_r_reg == 4'(i)) begin
                    rk_reg[128 * i +: 128] <= exp_new;
                end
            end
            exp_prev2_reg <= exp_prev_reg;
            exp_prev_reg <= exp_new;
            exp_r_reg <= exp_r_reg + 4'd1;
        end

        // A command's clears (S_IDLE above) win: the shift and the writes skip that cycle.
        if (!cmd_fire) begin
            pipe_v_reg <= {pipe_v_reg[12:0], core_issue};
        end
        pipe_kind_reg <= {pipe_kind_reg[2*13-1:0], core_in_kind};
        pipe_st_reg <= pipe_next;
        if (core_issue) begin
            core_k_reg <= core_k_reg + 13'd1;
        end
        if (pipe_out_v && !cmd_fire) begin
            case (pipe_out_kind)
                KIND_H: begin
                    h_reg <= bswap128(pipe_out_x);
                    h_valid_reg <= 1'b1;
                end
                KIND_J0: begin
                    ej0_reg <= pipe_out_x;
                    ej0_valid_reg <= 1'b1;
                end
                default: begin
                    ks_wr_ptr_reg <= ks_wr_ptr_reg + 5'd1;
                end
            endcase
        end
        if (ks_pop) begin
            ks_rd_ptr_reg <= ks_rd_ptr_reg + 5'd1;
        end
        if (core_issue && core_k_reg >= 13'd2 && !ks_pop) begin
            ks_used_reg <= ks_used_reg + 5'd1;
        end else if (ks_pop && !(core_issue && core_k_reg >= 13'd2)) begin
            ks_used_reg <= ks_used_reg - 5'd1;
        end

        if (aad_take) begin
            aad_rem_reg <= aad_rem_reg - 16'(beat_bytes);
        end
        if (text_take) begin
            text_rem_reg <= text_rem_reg - 16'(beat_bytes);
        end
        if (buf_we) begin
            buf_wr_ptr_reg <= buf_wr_ptr_reg + 1'b1;
            if (!open_reg) begin
                buf_rel_ptr_reg <= buf_wr_ptr_reg + 1'b1;
            end
        end
        // A frame is over at its tlast, good or bad, running or draining.
        if (aad_fire && s_aad_tlast) begin
            aad_end_reg <= 1'b1;
        end
        if (text_fire && s_text_tlast) begin
            text_end_reg <= 1'b1;
        end
        if (aad_take || text_take) begin
            half_reg <= !block_done;
            if (!block_done) begin
                hold_reg <= g_word;
            end
        end

        // The multiplier steps only while running: a refused command's half-done
        // multiply stops, and the next command starts from a clean GHASH.
        if (gh_step) begin
            gh_y_reg <= gh_z_next;
            gh_busy_reg <= !gh_last;
            gh_cnt_reg <= gh_idx + 4'd1;
            gh_a_reg <= gh_op << GHASH_DIGIT_BITS;
            gh_v_reg <= gh_v_next;
        end
        if (gh_load) begin
            gh_pend_reg <= 1'b1;
            gh_x_reg <= gh_load_val;
        end else if (gh_start) begin
            gh_pend_reg <= 1'b0;
        end
        if (cmd_fire) begin
            gh_pend_reg <= 1'b0;
            gh_busy_reg <= 1'b0;
            gh_y_reg <= 128'd0;
        end
        if (len_load) begin
            len_done_reg <= 1'b1;
        end

        if (out_load) begin
            out_valid_reg <= 1'b1;
            buf_rd_ptr_reg <= buf_rd_ptr_reg + 1'b1;
        end else if (m_text_tready) begin
            out_valid_reg <= 1'b0;
        end

        if (rst) begin
            state_reg <= S_IDLE;
            open_reg <= 1'b0;
            aes256_reg <= 1'b0;
            aad_len_reg <= 16'd0;
            text_len_reg <= 16'd0;
            aad_rem_reg <= 16'd0;
            text_rem_reg <= 16'd0;
            key_cnt_reg <= 3'd0;
            status_reg <= ST_OK;
            aad_end_reg <= 1'b1;
            text_end_reg <= 1'b1;
            iv_cnt_reg <= 2'd0;
            tag_cnt_reg <= 2'd0;
            exp_r_reg <= 4'd0;
            core_k_reg <= 13'd0;
            h_valid_reg <= 1'b0;
            ej0_valid_reg <= 1'b0;
            pipe_v_reg <= 14'd0;
            ks_wr_ptr_reg <= 5'd0;
            ks_rd_ptr_reg <= 5'd0;
            ks_used_reg <= 5'd0;
            half_reg <= 1'b0;
            gh_pend_reg <= 1'b0;
            gh_busy_reg <= 1'b0;
            gh_cnt_reg <= 4'd0;
            gh_y_reg <= 128'd0;
            len_done_reg <= 1'b0;
            buf_wr_ptr_reg <= '0;
            buf_rd_ptr_reg <= '0;
            buf_rel_ptr_reg <= '0;
            out_valid_reg <= 1'b0;
            res_ok_reg <= 1'b0;
            res_tag_reg <= 128'd0;
            err_count_reg <= 32'd0;
        end
    end

endmodule

`resetall
