`default_nettype none
// Place-and-route harness only: dma_copy's 400-odd port bits would not fit an
// HX8K's pins, so every input comes from a shift register fed by one pin and
// every output is folded into one registered parity pin (keeps all logic).
module dma_copy_pnr (input wire logic clk, input wire logic rst, input wire logic sin, output logic sout);
    localparam int IN_W = 1 + 48 + 48 + 32 + 16 + 1 + 1 + 1 + 64 + 2 + 1 + 1 + 1 + 2;
    logic [IN_W-1:0] sh;
    always_ff @(posedge clk) sh <= {sh[IN_W-2:0], sin};
    wire s_desc_ready, m_cpl_valid, m_rd_valid, s_rdata_ready, m_wr_valid, s_wresp_ready;
    wire [15:0] m_cpl_cookie; wire [1:0] m_cpl_status; wire [47:0] m_rd_addr; wire [7:0] m_rd_beats;
    wire [47:0] m_wr_addr; wire [63:0] m_wr_data; wire [7:0] m_wr_strb;
    dma_copy dut (.clk(clk), .rst(rst),
        .s_desc_valid(sh[0]), .s_desc_ready(s_desc_ready), .s_desc_src(sh[48:1]), .s_desc_dst(sh[96:49]),
        .s_desc_len(sh[128:97]), .s_desc_cookie(sh[144:129]),
        .m_cpl_valid(m_cpl_valid), .m_cpl_ready(sh[145]), .m_cpl_cookie(m_cpl_cookie), .m_cpl_status(m_cpl_status),
        .m_rd_valid(m_rd_valid), .m_rd_ready(sh[146]), .m_rd_addr(m_rd_addr), .m_rd_beats(m_rd_beats),
        .s_rdata_valid(sh[147]), .s_rdata_ready(s_rdata_ready), .s_rdata_data(sh[211:148]), .s_rdata_resp(sh[213:212]),
        .s_rdata_last(sh[214]),
        .m_wr_valid(m_wr_valid), .m_wr_ready(sh[215]), .m_wr_addr(m_wr_addr), .m_wr_data(m_wr_data), .m_wr_strb(m_wr_strb),
        .s_wresp_valid(sh[216]), .s_wresp_ready(s_wresp_ready), .s_wresp_resp(sh[218:217]));
    always_ff @(posedge clk) sout <= ^{s_desc_ready, m_cpl_valid, m_rd_valid, s_rdata_ready, m_wr_valid, s_wresp_ready,
        m_cpl_cookie, m_cpl_status, m_rd_addr, m_rd_beats, m_wr_addr, m_wr_data, m_wr_strb};
endmodule
