`define MAGIC 8'h5A
