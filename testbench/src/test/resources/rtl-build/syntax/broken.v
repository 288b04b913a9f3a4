module broken (input wire clk, input wire rst, output wire y);
  assign y = ;
endmodule
