// axi_burst_copy -- a minimal AXI4 master, the testbed's example of a block that reaches
// memory (rtl-testkit's AxiMemory serves it; AxiBurstCopyTest checks it).
//
// On start (while idle) it copies BEATS full-width beats from SRC to DST: one INCR read
// burst (ARLEN = BEATS - 1, ARSIZE = the data width), the beats kept in a buffer, then one
// INCR write burst of them. With data_first = 1 it sends every W beat before AW (AXI4 lets
// data lead its address). A beat read with an error is written with strobes 0 (nothing of a
// failed read reaches memory). err is the worst RRESP/BRESP of the copy; busy is high from
// the edge that takes start to the edge that takes B. stall holds rready low (a slow master).
// Addresses are byte addresses, aligned to the data width; a burst must not cross 4 KiB
// (the caller's job, as in any AXI4 master).
// Plain Verilog-2001, own clock and reset names (aclk, aresetn: active low, synchronous).
module axi_burst_copy #(
    parameter DATA_BYTES = 8,          // bytes a beat (a power of two, 1..64)
    parameter MAX_BEATS = 16,          // longest copy in beats (a power of two, 2..256)
    parameter ID = 5                   // the ARID/AWID it uses (4 bits)
) (
    input  wire                    aclk,
    input  wire                    aresetn,
    input  wire                    start,
    input  wire [31:0]             src,
    input  wire [31:0]             dst,
    input  wire [8:0]              beats,      // 1..MAX_BEATS
    input  wire                    data_first,
    input  wire                    stall,
    output reg                     busy,
    output reg  [1:0]              err,

    output reg  [3:0]              m_axi_arid,
    output reg  [31:0]             m_axi_araddr,
    output reg  [7:0]              m_axi_arlen,
    output wire [2:0]              m_axi_arsize,
    output wire [1:0]              m_axi_arburst,
    output reg                     m_axi_arvalid,
    input  wire                    m_axi_arready,
    input  wire [3:0]              m_axi_rid,
    input  wire [8*DATA_BYTES-1:0] m_axi_rdata,
    input  wire [1:0]              m_axi_rresp,
    input  wire                    m_axi_rlast,
    input  wire                    m_axi_rvalid,
    output wire                    m_axi_rready,

    output reg  [3:0]              m_axi_awid,
    output reg  [31:0]             m_axi_awaddr,
    output reg  [7:0]              m_axi_awlen,
    output wire [2:0]              m_axi_awsize,
    output wire [1:0]              m_axi_awburst,
    output reg                     m_axi_awvalid,
    input  wire                    m_axi_awready,
    output wire [8*DATA_BYTES-1:0] m_axi_wdata,
    output wire [DATA_BYTES-1:0]   m_axi_wstrb,
    output wire                    m_axi_wlast,
    output reg                     m_axi_wvalid,
    input  wire                    m_axi_wready,
    input  wire [3:0]              m_axi_bid,
    input  wire [1:0]              m_axi_bresp,
    input  wire                    m_axi_bvalid,
    output wire                    m_axi_bready
);
    localparam [2:0] IDLE = 3'd0, AR = 3'd1, R = 3'd2, WR = 3'd3, B = 3'd4;
    localparam [2:0] SIZE = DATA_BYTES == 1 ? 3'd0 : DATA_BYTES == 2 ? 3'd1 : DATA_BYTES == 4 ? 3'd2 :
                            DATA_BYTES == 8 ? 3'd3 : DATA_BYTES == 16 ? 3'd4 : DATA_BYTES == 32 ? 3'd5 : 3'd6;

    localparam IW = $clog2(MAX_BEATS);

    reg [2:0] state;
    reg [8*DATA_BYTES-1:0] buffer [0:MAX_BEATS-1];
    reg [MAX_BEATS-1:0] bad;          // beat k came back with an error
    reg [8:0] count;                  // beats read, then beats written
    reg [8:0] total;
    reg aw_done;

    assign m_axi_arsize = SIZE;
    assign m_axi_awsize = SIZE;
    assign m_axi_arburst = 2'b01;     // INCR
    assign m_axi_awburst = 2'b01;
    assign m_axi_rready = state == R && !stall;
    assign m_axi_bready = state == B;
    assign m_axi_wdata = buffer[count[IW-1:0]];
    assign m_axi_wstrb = bad[count[IW-1:0]] ? {DATA_BYTES{1'b0}} : {DATA_BYTES{1'b1}};
    assign m_axi_wlast = count == total - 9'd1;

    // In order, one ID: the response IDs need no matching (the checker checks them).
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_ids = ^{m_axi_rid, m_axi_bid};
    /* verilator lint_on UNUSEDSIGNAL */

    wire r_take = m_axi_rvalid && m_axi_rready;
    wire w_take = m_axi_wvalid && m_axi_wready;
    wire aw_take = m_axi_awvalid && m_axi_awready;

    function [1:0] worst(input [1:0] a, input [1:0] b);
        worst = a > b ? a : b;
    endfunction

    always @(posedge aclk) begin
        if (!aresetn) begin
            state <= IDLE;
            busy <= 1'b0;
            err <= 2'b00;
            m_axi_arvalid <= 1'b0;
            m_axi_awvalid <= 1'b0;
            m_axi_wvalid <= 1'b0;
            m_axi_arid <= 4'd0;
            m_axi_awid <= 4'd0;
            m_axi_araddr <= 32'd0;
            m_axi_awaddr <= 32'd0;
            m_axi_arlen <= 8'd0;
            m_axi_awlen <= 8'd0;
            bad <= {MAX_BEATS{1'b0}};
            count <= 9'd0;
            total <= 9'd0;
            aw_done <= 1'b0;
        end else begin
            case (state)
                IDLE: if (start) begin
                    state <= AR;
                    busy <= 1'b1;
                    err <= 2'b00;
                    bad <= {MAX_BEATS{1'b0}};
                    count <= 9'd0;
                    total <= beats;
                    m_axi_arid <= ID[3:0];
                    m_axi_araddr <= src;
                    m_axi_arlen <= beats[7:0] - 8'd1;
                    m_axi_awid <= ID[3:0];
                    m_axi_awaddr <= dst;
                    m_axi_awlen <= beats[7:0] - 8'd1;
                    m_axi_arvalid <= 1'b1;
                end
                AR: if (m_axi_arready) begin
                    m_axi_arvalid <= 1'b0;
                    state <= R;
                end
                R: if (r_take) begin
                    buffer[count[IW-1:0]] <= m_axi_rdata;
                    bad[count[IW-1:0]] <= m_axi_rresp[1];
                    err <= worst(err, m_axi_rresp);
                    if (m_axi_rlast) begin
                        state <= WR;
                        count <= 9'd0;
                        aw_done <= 1'b0;
                        m_axi_awvalid <= !data_first;
                        m_axi_wvalid <= 1'b1;
                    end else begin
                        count <= count + 9'd1;
                    end
                end
                WR: begin
                    if (aw_take) begin
                        m_axi_awvalid <= 1'b0;
                        aw_done <= 1'b1;
                    end
                    if (w_take) begin
                        count <= count + 9'd1;
                        if (m_axi_wlast) begin
                            m_axi_wvalid <= 1'b0;
                            // Data first: the address goes once the last beat is taken.
                            if (data_first) m_axi_awvalid <= 1'b1;
                        end
                    end
                    // Both address and every data beat taken: wait for the response.
                    if ((aw_done || aw_take) && !m_axi_wvalid) begin
                        state <= B;
                    end
                end
                B: if (m_axi_bvalid) begin
                    err <= worst(err, m_axi_bresp);
                    busy <= 1'b0;
                    state <= IDLE;
                end
                default: state <= IDLE;
            endcase
        end
    end
endmodule
