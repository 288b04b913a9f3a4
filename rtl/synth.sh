#!/usr/bin/env bash
# synth.sh [-G NAME=VALUE]... [--own] [--pnr hx8k|up5k] [BLOCK...]
#
# Full yosys synthesis of each block (default: every block in rtl/), the source of the
# cells and logic depth in each block's datasheet:
#
#   read_verilog -sv (the block's model.yaml `sources:`, as Verilator builds it);
#   chparam (each -G); synth -flatten -top BLOCK -run begin:fine;
#   memory_map on ROMs and on memories with an asynchronous read port;
#   the rest of synth's `fine` script (opt, techmap, abc -fast); check -assert; stat; ltp -noff
#
# Generic `synth` would map every memory to flip-flops (it has no RAM library), which makes
# a block-RAM buffer tens of thousands of flops and did not finish in 9 minutes for aes_gcm's.
# Here a RAM whose read ports are all synchronous stays one $mem_v2 cell -- what an FPGA
# flow maps to block RAM (synth_ice40 below does) -- and `stat` counts it apart; ROMs (an
# S-box case statement) and asynchronously read memories are mapped to logic as before, so
# their depth is in `ltp`. `ltp -noff` cuts paths at flip-flops and at $mem_v2 cells.
# A block that instantiates others (the NIC: csum_offload) is flattened, so `ltp` follows a
# path through an instance's logic; unflattened, each module counts alone and an instance is
# one level. A block of one module is the same either way.
#
# -G NAME=VALUE   set a parameter of the top (chparam), e.g. -G MAX_TEXT_BYTES=1024; repeatable.
# --own           the block's own logic only: every block it instantiates (its model.yaml
#                 sources outside its folder) is read as a black box (read_verilog -lib), so
#                 its cells and depth are not counted (an instance is one cell; ltp reads only
#                 yosys's own cells, t:$*, so a path stops at an instance as at a flip-flop:
#                 counted as a level, a path through aes_gcm's black box in the NIC made 88
#                 levels where the flattened whole has 67). The suite's way (FullSynthesisTest):
#                 each block's logic synthesized once.
# --pnr DEVICE    also place and route on an iCE40 (hx8k: --hx8k --package ct256; up5k:
#                 --up5k --package sg48): synth_ice40 of the block's pin-saving harness
#                 rtl/BLOCK/pnr/BLOCK_pnr.sv (one serial input pin feeding every input, the
#                 outputs folded into one registered pin, so no logic is optimized away),
#                 then nextpnr-ice40 --freq 100 --seed 1; prints its resource use and Fmax.
#                 The block's -G parameters are passed to the harness's `dut` instance.
# Logs in rtl/target/synth/BLOCK[-NAME=VALUE].log (.rams: the RAMs kept; .ice40.log, .pnr.log).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage() { echo "usage: synth.sh [-G NAME=VALUE]... [--own] [--pnr hx8k|up5k] [BLOCK...]" >&2; exit 1; }
params=()
pnr=""
own=false
blocks=()
while [ $# -gt 0 ]; do
  case "$1" in
    -G) [ $# -ge 2 ] || usage; params+=("$2"); shift 2 ;;
    -G*) params+=("${1#-G}"); shift ;;
    --pnr) [ $# -ge 2 ] || usage; pnr="$2"; shift 2 ;;
    --own) own=true; shift ;;
    -h|--help) usage ;;
    -*) echo "synth.sh: unknown option '$1'" >&2; usage ;;
    *) blocks+=("$1"); shift ;;
  esac
done
for p in "${params[@]+"${params[@]}"}"; do
  [[ "$p" =~ ^[A-Za-z_][A-Za-z0-9_]*=[0-9]+$ ]] || { echo "synth.sh: -G wants NAME=INTEGER, got '$p'" >&2; exit 1; }
done
case "$pnr" in
  "") ;;
  hx8k) pnr_args=(--hx8k --package ct256) ;;
  up5k) pnr_args=(--up5k --package sg48) ;;
  *) echo "synth.sh: --pnr wants hx8k or up5k, got '$pnr'" >&2; exit 1 ;;
esac
if [ "$own" = true ] && [ -n "$pnr" ]; then
  echo "synth.sh: --own and --pnr do not mix (place and route needs every block inside)" >&2; exit 1
fi
command -v yosys >/dev/null 2>&1 || { echo "synth.sh: yosys not found (sudo apt-get install -y yosys)" >&2; exit 1; }
if [ -n "$pnr" ]; then
  command -v nextpnr-ice40 >/dev/null 2>&1 \
    || { echo "synth.sh: nextpnr-ice40 not found (sudo apt-get install -y nextpnr-ice40 fpga-icestorm)" >&2; exit 1; }
fi
out="$here/target/synth"
mkdir -p "$out"
if [ ${#blocks[@]} -eq 0 ]; then
  for d in "$here"/*/; do b=$(basename "$d"); [ -f "$d/$b.sv" ] && blocks+=("$b"); done
fi
for b in "${blocks[@]}"; do
  [ -f "$here/$b/$b.sv" ] || { echo "synth.sh: no block '$b' (no $here/$b/$b.sv)" >&2; exit 1; }
  if [ -n "$pnr" ] && [ ! -f "$here/$b/pnr/${b}_pnr.sv" ]; then
    echo "synth.sh: no place-and-route harness for '$b' ($here/$b/pnr/${b}_pnr.sv)" >&2; exit 1
  fi
done

# The block's Verilog files, one a line: its model.yaml's `sources:` (an inline [a, b] list or
# "- a" lines; entries relative to the block's folder, a folder standing for its .v and .sv
# files), as build-model.sh reads it for Verilator; without a manifest, the block's folder.
sources_of() {
  local dir="$here/$1" entries e p
  if [ ! -f "$dir/model.yaml" ]; then
    find "$dir" -maxdepth 1 -type f \( -name '*.v' -o -name '*.sv' \) | LC_ALL=C sort
    return
  fi
  entries=$(awk '
    function trim(s) { gsub(/^[ \t"\x27]+|[ \t"\x27]+$/, "", s); return s }
    { sub(/(^|[ \t]+)#.*$/, "") }
    /^[A-Za-z_][A-Za-z0-9_]*[ \t]*:/ {
      c = index($0, ":"); key = trim(substr($0, 1, c - 1)); val = trim(substr($0, c + 1)); list = 0
      if (key == "sources" && val ~ /^\[.*\]$/) {
        n = split(substr(val, 2, length(val) - 2), a, ",")
        for (i = 1; i <= n; i++) if (trim(a[i]) != "") print trim(a[i])
      } else if (key == "sources" && val == "") list = 1
      next
    }
    list && /^[ \t]+-/ { sub(/^[ \t]+-/, ""); if (trim($0) != "") print trim($0) }' "$dir/model.yaml")
  [ -n "$entries" ] || { echo "synth.sh: $dir/model.yaml: no sources" >&2; return 1; }
  for e in $entries; do
    p=$(cd "$dir" && realpath -m -- "$e")
    if [ -d "$p" ]; then
      find "$p" -maxdepth 1 -type f \( -name '*.v' -o -name '*.sv' \) | LC_ALL=C sort
    elif [ -f "$p" ]; then
      echo "$p"
    else
      echo "synth.sh: $dir/model.yaml: no source '$e'" >&2; return 1
    fi
  done | awk '!seen[$0]++'
}

tag=""
for p in "${params[@]+"${params[@]}"}"; do tag+="-${p%%=*}=${p#*=}"; done
[ "$own" = true ] && tag+="-own"

printf '%-14s %10s %6s %10s %8s  %s\n' block cells mems mem_bits depth seconds
for b in "${blocks[@]}"; do
  t0=$(date +%s)
  log="$out/$b$tag.log"
  all=$(sources_of "$b") || exit 1
  srcs=$(echo "$all" | tr '\n' ' ')
  libs=""
  if [ "$own" = true ]; then
    mine="$(cd "$here/$b" && pwd -P)/"  # as realpath wrote the sources
    srcs=$(echo "$all" | grep -F "$mine" | tr '\n' ' ' || true)
    libs=$(echo "$all" | grep -vF "$mine" | tr '\n' ' ' || true)
    [ -n "$libs" ] && libs="read_verilog -sv -lib $libs;"
  fi
  # One chparam for all: each would otherwise elaborate (and check) the block on its own.
  chparam=""
  for p in "${params[@]+"${params[@]}"}"; do chparam+="-set ${p%%=*} ${p#*=} "; done
  [ -n "$chparam" ] && chparam="chparam $chparam$b;"
  script="read_verilog -sv $srcs; $libs $chparam
synth -flatten -top $b -run begin:fine
memory_map t:\$mem_v2 r:WR_PORTS=0 %i t:\$mem_v2 r:RD_CLK_ENABLE=0 %i %u
opt -fast -full; memory_map t:\$mem_v2 r:WR_PORTS=0 %i; opt -full; techmap; opt -fast; abc -fast; opt -fast
hierarchy -check; check -assert; stat; tee -q -o $log.mems dump t:\$mem_v2; ltp -noff t:\$* w:* %u"
  if ! yosys -q -l "$log" -p "$script" >/dev/null 2>&1; then
    echo "synth.sh: $b failed, see $log" >&2; exit 1
  fi
  cells=$(grep -E 'Number of cells:' "$log" | tail -1 | awk '{print $4}')
  mems=$(grep -E '\$mem_v2 ' "$log" | tail -1 | awk '{print $2}')
  # Each RAM kept whole: name, words x bits, read ports clocked (all are, or it was mapped).
  awk '/^  cell \$mem_v2 /{name=$3} /parameter .SIZE /{size=$3} /parameter .WIDTH /{w=$3}
       /^  end/{if(name!=""){printf "%s %d %d\n", name, size, w; name=""}}' "$log.mems" > "$log.rams"
  mem_bits=$(awk '{s+=$2*$3} END{print s+0}' "$log.rams")
  depth=$(sed -nE 's/.*Longest topological path in .* \(length=([0-9]+)\).*/\1/p' "$log" | tail -1)
  printf '%-14s %10s %6s %10s %8s  %s\n' "$b" "$cells" "${mems:-0}" "${mem_bits:-0}" "$depth" "$(( $(date +%s) - t0 ))"
  awk '{printf "    RAM %s: %d x %d bits\n", $1, $2, $3}' "$log.rams"

  if [ -n "$pnr" ]; then
    t0=$(date +%s)
    json="$out/$b$tag.$pnr.json"
    if ! yosys -q -l "$out/$b$tag.ice40.log" \
        -p "read_verilog -sv $srcs $here/$b/pnr/${b}_pnr.sv; $chparam synth_ice40 -top ${b}_pnr -json $json" \
        >/dev/null 2>&1; then
      echo "synth.sh: synth_ice40 of $b failed, see $out/$b$tag.ice40.log" >&2; exit 1
    fi
    # nextpnr exits non-zero when the design misses --freq or does not fit; its log says which.
    nextpnr-ice40 "${pnr_args[@]}" --json "$json" --freq 100 --seed 1 > "$out/$b$tag.$pnr.pnr.log" 2>&1 || true
    echo "  $b on iCE40 $pnr (nextpnr-ice40 ${pnr_args[*]} --freq 100 --seed 1), $(( $(date +%s) - t0 )) s:"
    # Utilisation, then the last Fmax line: nextpnr's figure after routing (the first is its estimate).
    grep -E 'ICESTORM_LC:|ICESTORM_RAM:|SB_IO:' "$out/$b$tag.$pnr.pnr.log" | head -3 | sed -E 's/^Info:[[:space:]]+/    /' || true
    grep -E 'Max frequency for clock' "$out/$b$tag.$pnr.pnr.log" | tail -1 | sed -E 's/^(Info|ERROR): /    after routing: /' || true
    grep -E '^ERROR' "$out/$b$tag.$pnr.pnr.log" | grep -v 'Max frequency' | sed -E 's/^/    /' | head -3 || true
  fi
done
