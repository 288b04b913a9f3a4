// axis_filter -- an AXI4-Stream packet filter, the testbed's example of your own RTL.
//
// Passes every frame whose first byte is not DROP_BYTE and drops (takes, but does not
// send on) every frame whose first byte is DROP_BYTE, counting the dropped frames.
// Plain Verilog-2001, with its own clock and reset names (aclk, aresetn: active low,
// synchronous) and parameters, as a block from elsewhere would have.
//
// Timing: one output register; s_axis_tready = !m_axis_tvalid || m_axis_tready, a
// combinational path from m_axis_tready (full throughput: one beat a cycle).
module axis_filter #(
    parameter DATA_BYTES = 4,          // bytes a beat
    parameter DROP_BYTE = 255          // frames starting with this byte are dropped
) (
    input  wire                    aclk,
    input  wire                    aresetn,
    input  wire [8*DATA_BYTES-1:0] s_axis_tdata,
    input  wire [DATA_BYTES-1:0]   s_axis_tkeep,
    input  wire                    s_axis_tlast,
    input  wire                    s_axis_tvalid,
    output wire                    s_axis_tready,
    output reg  [8*DATA_BYTES-1:0] m_axis_tdata,
    output reg  [DATA_BYTES-1:0]   m_axis_tkeep,
    output reg                     m_axis_tlast,
    output reg                     m_axis_tvalid,
    input  wire                    m_axis_tready,
    output reg  [31:0]             dropped
);
    reg  in_frame;     // beats of the current frame were taken already
    reg  dropping;     // the current frame is being dropped
    wire take = s_axis_tvalid && s_axis_tready;
    wire drop_beat = in_frame ? dropping : (s_axis_tdata[7:0] == DROP_BYTE[7:0]);

    assign s_axis_tready = !m_axis_tvalid || m_axis_tready;

`ifdef VERILATOR
    // A user cover point, counted by the coverage build (tb coverage's "user" column): the
    // first beat of a dropped frame, once per dropped frame. Verilator's own; other tools skip it.
    cover property (@(posedge aclk) aresetn && take && drop_beat && !in_frame);
`endif

    always @(posedge aclk) begin
        if (!aresetn) begin
            in_frame      <= 1'b0;
            dropping      <= 1'b0;
            m_axis_tdata  <= {8*DATA_BYTES{1'b0}};
            m_axis_tkeep  <= {DATA_BYTES{1'b0}};
            m_axis_tlast  <= 1'b0;
            m_axis_tvalid <= 1'b0;
            dropped       <= 32'd0;
        end else begin
            if (m_axis_tvalid && m_axis_tready) begin
                m_axis_tvalid <= 1'b0;
            end
            if (take) begin
                in_frame <= !s_axis_tlast;
                dropping <= drop_beat;
                if (!drop_beat) begin
                    m_axis_tdata  <= s_axis_tdata;
                    m_axis_tkeep  <= s_axis_tkeep;
                    m_axis_tlast  <= s_axis_tlast;
                    m_axis_tvalid <= 1'b1;
                end else if (!in_frame) begin
                    dropped <= dropped + 32'd1;
                end
            end
        end
    end
endmodule
