// A block that never answers: it takes the first beat, then holds s_axis_tready low for good.
module stall (
    input  wire        clk,
    input  wire        rst,
    input  wire [7:0]  s_axis_tdata,
    input  wire        s_axis_tvalid,
    output reg         s_axis_tready,
    input  wire        s_axis_tlast,
    output wire [7:0]  m_axis_tdata,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready
);
    always @(posedge clk) begin
        if (rst) s_axis_tready <= 1'b1;
        else if (s_axis_tvalid && s_axis_tready) s_axis_tready <= 1'b0;
    end
    assign m_axis_tdata = 8'd0;
    assign m_axis_tvalid = 1'b0;
    wire unused = &{s_axis_tdata, s_axis_tlast, m_axis_tready, 1'b0};
endmodule
