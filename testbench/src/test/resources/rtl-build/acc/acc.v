// A parameterised accumulator in plain Verilog-2001: clock aclk, reset aresetn (active low).
module acc #(parameter WIDTH = 8) (
  input  wire              aclk,
  input  wire              aresetn,
  input  wire              en,
  input  wire [WIDTH-1:0]  din,
  input  wire [95:0]       wide_in,
  output reg  [WIDTH-1:0]  sum,
  output reg  [95:0]       wide_out,
  output reg  [31:0]       count
);
  always @(posedge aclk) begin
    if (!aresetn) begin
      sum <= {WIDTH{1'b0}};
      wide_out <= 96'd0;
      count <= 32'd0;
    end else if (en) begin
      sum <= sum + din;
      wide_out <= wide_out ^ {wide_in[94:0], wide_in[95]};
      count <= count + 32'd1;
    end
  end
endmodule
