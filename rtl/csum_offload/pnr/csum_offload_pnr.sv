`default_nettype none
// Place-and-route harness only (rtl/synth.sh --pnr): csum_offload's ~270 port bits
// would not fit an iCE40's pins, so every input comes from a shift register fed by one
// pin and every output is folded into one registered parity pin (keeps all logic).
// Outside the block's folder so the model build (every .sv beside csum_offload.sv) skips it.
module csum_offload_pnr (input wire logic clk, input wire logic rst, input wire logic sin, output logic sout);
    localparam int IN_W = 1 + 16 + 16 + 1 + 16 + 1 + 64 + 8 + 1 + 1 + 1 + 1;
    logic [IN_W-1:0] sh;
    always_ff @(posedge clk) sh <= {sh[IN_W-2:0], sin};
    wire s_cmd_ready, s_axis_tready, m_axis_tvalid, m_axis_tlast, m_res_valid;
    wire [63:0] m_axis_tdata; wire [7:0] m_axis_tkeep; wire [15:0] m_res_csum; wire [1:0] m_res_status;
    wire [31:0] err_count;
    csum_offload dut (.clk(clk), .rst(rst),
        .s_cmd_valid(sh[0]), .s_cmd_ready(s_cmd_ready), .s_cmd_csum_start(sh[16:1]), .s_cmd_csum_offset(sh[32:17]),
        .s_cmd_csum_enable(sh[33]), .s_cmd_csum_init(sh[49:34]), .s_cmd_csum_udp(sh[50]),
        .s_axis_tdata(sh[114:51]), .s_axis_tkeep(sh[122:115]), .s_axis_tvalid(sh[123]), .s_axis_tready(s_axis_tready),
        .s_axis_tlast(sh[124]),
        .m_axis_tdata(m_axis_tdata), .m_axis_tkeep(m_axis_tkeep), .m_axis_tvalid(m_axis_tvalid),
        .m_axis_tready(sh[125]), .m_axis_tlast(m_axis_tlast),
        .m_res_valid(m_res_valid), .m_res_ready(sh[126]), .m_res_csum(m_res_csum), .m_res_status(m_res_status),
        .err_count(err_count));
    always_ff @(posedge clk) sout <= ^{s_cmd_ready, s_axis_tready, m_axis_tvalid, m_axis_tlast, m_res_valid,
        m_axis_tdata, m_axis_tkeep, m_res_csum, m_res_status, err_count};
endmodule
