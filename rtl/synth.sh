#!/usr/bin/env bash
# synth.sh [BLOCK...] -- full yosys synthesis of each block (default: every block in rtl/):
# `synth -top BLOCK; check -assert; stat; ltp -noff`, the source of the cells and logic depth
# in each block's datasheet. Minutes for the larger blocks (csum_offload's store-and-forward
# buffer in flops: ~5.5 min here); the suite runs the quick structural check instead
# (YosysCheckTest). Logs in target/synth/BLOCK.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v yosys >/dev/null 2>&1 || { echo "synth.sh: yosys not found (sudo apt-get install -y yosys)" >&2; exit 1; }
out="$here/target/synth"
mkdir -p "$out"
blocks=("$@")
if [ ${#blocks[@]} -eq 0 ]; then
  for d in "$here"/*/; do b=$(basename "$d"); [ -f "$d/$b.sv" ] && blocks+=("$b"); done
fi
for b in "${blocks[@]}"; do
  [ -f "$here/$b/$b.sv" ] || { echo "synth.sh: no block '$b' (no $here/$b/$b.sv)" >&2; exit 1; }
done
printf '%-14s %10s %8s %8s\n' block cells depth seconds
for b in "${blocks[@]}"; do
  t0=$(date +%s)
  if ! yosys -q -l "$out/$b.log" -p "read_verilog -sv $here/$b/$b.sv; synth -top $b; check -assert; stat; ltp -noff" >/dev/null 2>&1; then
    echo "synth.sh: $b failed, see $out/$b.log" >&2; exit 1
  fi
  cells=$(grep -E 'Number of cells:' "$out/$b.log" | tail -1 | awk '{print $4}')
  depth=$(sed -nE 's/.*Longest topological path in .* \(length=([0-9]+)\).*/\1/p' "$out/$b.log" | tail -1)
  printf '%-14s %10s %8s %8s\n' "$b" "$cells" "$depth" "$(( $(date +%s) - t0 ))"
done
