// No reset input at all (reset: none): the glue's reset() only clocks.
module norst (input wire clk, input wire [7:0] d, output reg [7:0] q);
  always @(posedge clk) q <= q + d;
endmodule
