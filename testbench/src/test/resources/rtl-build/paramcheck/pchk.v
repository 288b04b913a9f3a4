// A design that checks its own parameter at time 0, as the built-in blocks do
// ($error in an initial block: Verilator runs it on the first evaluation).
module pchk #(parameter DEPTH = 4) (
  input  wire       clk,
  input  wire       rst,
  output reg  [7:0] q
);
  initial begin
    if (DEPTH < 2 || (DEPTH & (DEPTH - 1)) != 0) begin
      $error("pchk: DEPTH must be a power of two, at least 2");
    end
  end
  always @(posedge clk) q <= rst ? 8'd0 : q + 8'(DEPTH);
endmodule
