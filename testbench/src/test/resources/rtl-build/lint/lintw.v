// Builds, but -Wall flags the unused input 'spare' (UNUSED).
module lintw (input wire clk, input wire rst, input wire [3:0] d, input wire spare, output reg [3:0] q);
  always @(posedge clk) q <= rst ? 4'd0 : d;
endmodule
