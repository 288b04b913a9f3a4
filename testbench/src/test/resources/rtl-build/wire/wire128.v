// A 128-bit AXI-stream wire: every output is an input, combinationally, both ways
// (m_axis_* from s_axis_*, s_axis_tready from m_axis_tready) -- a design a driver must
// let settle before it reads a handshake. No clock logic at all but the ports.
module wire128 (
    input  wire         clk,
    input  wire [127:0] s_axis_tdata,
    input  wire [15:0]  s_axis_tkeep,
    input  wire         s_axis_tlast,
    input  wire [2:0]   s_axis_tuser,
    input  wire [3:0]   s_axis_tdest,
    input  wire         s_axis_tvalid,
    output wire         s_axis_tready,
    output wire [127:0] m_axis_tdata,
    output wire [15:0]  m_axis_tkeep,
    output wire         m_axis_tlast,
    output wire [2:0]   m_axis_tuser,
    output wire [3:0]   m_axis_tdest,
    output wire         m_axis_tvalid,
    input  wire         m_axis_tready
);
    assign m_axis_tdata  = s_axis_tdata;
    assign m_axis_tkeep  = s_axis_tkeep;
    assign m_axis_tlast  = s_axis_tlast;
    assign m_axis_tuser  = s_axis_tuser;
    assign m_axis_tdest  = s_axis_tdest;
    assign m_axis_tvalid = s_axis_tvalid;
    assign s_axis_tready = m_axis_tready;
    wire unused_clk = clk;
endmodule
