// SystemVerilog with an include folder (MAGIC) and a define (INVERT) set at build time.
`include "consts.svh"
module incdef (
  input  logic       clk,
  input  logic       rst,
  input  logic [7:0] a,
  output logic [7:0] y
);
  always_ff @(posedge clk) begin
`ifdef INVERT
    y <= rst ? 8'h00 : ~a ^ `MAGIC;
`else
    y <= rst ? 8'h00 : a ^ `MAGIC;
`endif
  end
endmodule
