#!/usr/bin/env bash
# lint.sh [REQUIRED] -- verilator --lint-only -Wall on every block in rtl/,
# at the default parameters and at every line of the block's lint-widths file
# (if any): a bare number is a DATA_WIDTH, a line of NAME=VALUE words sets
# those parameters (e.g. "GHASH_DIGIT_BITS=16 MAX_TEXT_BYTES=2048"); # starts
# a comment. Fails on any warning.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
required=${1:-false}
if ! command -v verilator >/dev/null 2>&1; then
  if [ "$required" = "true" ]; then
    echo "[lint] ERROR: verilator not found (install it: sudo apt-get install -y verilator)" >&2
    exit 1
  fi
  echo "[lint] WARNING: verilator not found; RTL lint skipped" >&2
  exit 0
fi
status=0
for dir in "$here"/*/; do
  block=$(basename "$dir")
  [ -f "$dir/$block.sv" ] || continue
  widths=("")
  if [ -f "$dir/lint-widths" ]; then
    while read -r w; do
      w=${w%%#*}; w=$(echo $w)
      [ -n "$w" ] && widths+=("$w")
    done < "$dir/lint-widths"
  fi
  for w in "${widths[@]}"; do
    param=()
    label="defaults"
    if [[ "$w" =~ ^[0-9]+$ ]]; then
      param=("-GDATA_WIDTH=$w"); label="DATA_WIDTH=$w"
    elif [ -n "$w" ]; then
      for kv in $w; do param+=("-G$kv"); done
      label="$w"
    fi
    # A block that instantiates others lists their folders in lint-deps (one a line).
    deps=()
    if [ -f "$dir/lint-deps" ]; then
      while read -r d; do [ -n "$d" ] && deps+=("$here/$d"/*.sv); done < "$dir/lint-deps"
    fi
    if verilator --lint-only -Wall "${param[@]}" --top-module "$block" "$dir"/*.sv "${deps[@]}"; then
      echo "[lint] $block ($label): clean"
    else
      echo "[lint] $block ($label): FAILED" >&2
      status=1
    fi
  done
done
exit $status
