// axil_regs -- an AXI4-Lite register file, the testbed's example of a register block of
// your own (rtl-testkit's AxiLiteMaster drives it; AxilRegsTest checks it).
//
// Registers (32 bits, byte address, low 2 bits ignored):
//   0x00 CTRL     read/write, byte strobes honoured
//   0x04 SCRATCH  read/write, byte strobes honoured
//   0x08 ID       read-only: the ID parameter; a write answers SLVERR and changes nothing
//   0x0C WRITES   read-only: writes that answered OKAY, counted; a write answers SLVERR
//   0x10 SUM      read-only: CTRL + SCRATCH (mod 2^32); a write answers SLVERR
//   0x1C LOCKED   any access answers SLVERR (a register the slave refuses)
//   others        DECERR (nothing decodes there)
//
// AW and W are taken independently (each held until both are there), so the master may
// send either first; one write and one read at a time. Every output is a register.
// Plain Verilog-2001, own clock and reset names (aclk, aresetn: active low, synchronous).
module axil_regs #(
    parameter ADDR_WIDTH = 8,              // address bits (at least 5: the map above)
    parameter [31:0] ID = 32'hA11C_0DE5    // the value of register ID
) (
    input  wire                  aclk,
    input  wire                  aresetn,
    input  wire [ADDR_WIDTH-1:0] s_axil_awaddr,
    input  wire [2:0]            s_axil_awprot,
    input  wire                  s_axil_awvalid,
    output reg                   s_axil_awready,
    input  wire [31:0]           s_axil_wdata,
    input  wire [3:0]            s_axil_wstrb,
    input  wire                  s_axil_wvalid,
    output reg                   s_axil_wready,
    output reg  [1:0]            s_axil_bresp,
    output reg                   s_axil_bvalid,
    input  wire                  s_axil_bready,
    input  wire [ADDR_WIDTH-1:0] s_axil_araddr,
    input  wire [2:0]            s_axil_arprot,
    input  wire                  s_axil_arvalid,
    output reg                   s_axil_arready,
    output reg  [31:0]           s_axil_rdata,
    output reg  [1:0]            s_axil_rresp,
    output reg                   s_axil_rvalid,
    input  wire                  s_axil_rready
);
    localparam [1:0] OKAY = 2'b00, SLVERR = 2'b10, DECERR = 2'b11;

    reg [31:0] ctrl, scratch, writes;
    reg [ADDR_WIDTH-1:0] aw_addr;     // a taken write address, waiting for its data
    reg        aw_full;
    reg [31:0] w_data;                // a taken write data beat, waiting for its address
    reg [3:0]  w_strb;
    reg        w_full;

    wire [ADDR_WIDTH-1:0] wa = aw_addr;
    // Protection bits are part of the interface; this block does not use them.
    /* verilator lint_off UNUSEDSIGNAL */
    wire unused_prot = ^{s_axil_awprot, s_axil_arprot};
    /* verilator lint_on UNUSEDSIGNAL */
    wire do_write = aw_full && w_full && (!s_axil_bvalid || s_axil_bready);
    wire aw_take = s_axil_awvalid && s_axil_awready;
    wire w_take  = s_axil_wvalid && s_axil_wready;
    wire ar_take = s_axil_arvalid && s_axil_arready;

    function [31:0] merge(input [31:0] old, input [31:0] data, input [3:0] strb);
        merge = {strb[3] ? data[31:24] : old[31:24], strb[2] ? data[23:16] : old[23:16],
                 strb[1] ? data[15:8] : old[15:8], strb[0] ? data[7:0] : old[7:0]};
    endfunction

    function [1:0] write_resp(input [ADDR_WIDTH-1:0] a);
        if ((a >> 2) == 0 || (a >> 2) == 1) write_resp = OKAY;
        else if ((a >> 2) >= 2 && (a >> 2) <= 4) write_resp = SLVERR;   // read-only
        else if ((a >> 2) == 7) write_resp = SLVERR;                     // LOCKED
        else write_resp = DECERR;
    endfunction

    always @(posedge aclk) begin
        if (!aresetn) begin
            ctrl <= 32'd0;
            scratch <= 32'd0;
            writes <= 32'd0;
            aw_full <= 1'b0;
            w_full <= 1'b0;
            aw_addr <= {ADDR_WIDTH{1'b0}};
            w_data <= 32'd0;
            w_strb <= 4'd0;
            s_axil_awready <= 1'b0;
            s_axil_wready <= 1'b0;
            s_axil_bvalid <= 1'b0;
            s_axil_bresp <= OKAY;
            s_axil_arready <= 1'b0;
            s_axil_rvalid <= 1'b0;
            s_axil_rresp <= OKAY;
            s_axil_rdata <= 32'd0;
        end else begin
            // Write: hold address and data until both are here, then apply and answer.
            if (aw_take) begin
                aw_addr <= s_axil_awaddr;
            end
            if (w_take) begin
                w_data <= s_axil_wdata;
                w_strb <= s_axil_wstrb;
            end
            if (s_axil_bvalid && s_axil_bready) begin
                s_axil_bvalid <= 1'b0;
            end
            if (do_write) begin
                s_axil_bvalid <= 1'b1;
                s_axil_bresp <= write_resp(wa);
                if (write_resp(wa) == OKAY) begin
                    writes <= writes + 32'd1;
                    if ((wa >> 2) == 0) ctrl <= merge(ctrl, w_data, w_strb);
                    if ((wa >> 2) == 1) scratch <= merge(scratch, w_data, w_strb);
                end
            end
            aw_full <= (aw_full && !do_write) || aw_take;
            w_full <= (w_full && !do_write) || w_take;
            // Ready for the next address (data) once the last one is used or about to be.
            s_axil_awready <= !((aw_full && !do_write) || aw_take);
            s_axil_wready <= !((w_full && !do_write) || w_take);

            // Read: one at a time, answered the cycle after the address.
            if (s_axil_rvalid && s_axil_rready) begin
                s_axil_rvalid <= 1'b0;
            end
            if (ar_take) begin
                s_axil_rvalid <= 1'b1;
                s_axil_rresp <= OKAY;
                case (s_axil_araddr >> 2)
                    0: s_axil_rdata <= ctrl;
                    1: s_axil_rdata <= scratch;
                    2: s_axil_rdata <= ID;
                    3: s_axil_rdata <= writes;
                    4: s_axil_rdata <= ctrl + scratch;
                    7: begin s_axil_rdata <= 32'd0; s_axil_rresp <= SLVERR; end
                    default: begin s_axil_rdata <= 32'd0; s_axil_rresp <= DECERR; end
                endcase
            end
            s_axil_arready <= !(ar_take || (s_axil_rvalid && !s_axil_rready));
        end
    end
endmodule
