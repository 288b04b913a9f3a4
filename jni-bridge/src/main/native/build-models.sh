#!/usr/bin/env bash
# build-models.sh -- Verilates every block in rtl/ and links it into a shared
# library with the tb_model_abi.h glue, plus the JNI shim. Maven runs this in
# jni-bridge's compile phase; it can also be run by hand:
#
#   build-models.sh RTL_DIR OUT_DIR WORK_DIR JAVA_HOME REQUIRED
#
# Every block is rtl/<block>/<block>.sv (top module <block>) plus any other .sv
# files in that folder. A built library is cached under
#   ${TB_MODEL_CACHE:-~/.cache/andromeda-testbed/models}/<block>-<hash>/
# where the hash covers the block's sources, this script, the glue, every flag
# and the Verilator and g++ versions: an unchanged model is never rebuilt, even
# after `mvn clean`.
#
# Without Verilator the build still succeeds (the Java side reports the model
# unavailable, with the cause written to OUT_DIR/models.properties) unless
# REQUIRED is true, as under `./tb test`, when it fails with what to install.
set -euo pipefail

rtl_dir=$(cd "$1" && pwd)
out_dir=$2
work_dir=$3
java_home=$4
required=${5:-false}
here=$(cd "$(dirname "$0")" && pwd)
cache_root=${TB_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/andromeda-testbed/models}
jobs=${TB_BUILD_JOBS:-2}

# Flags, one per line, each with its reason.
verilator_flags=(
  --cc                 # C++ model only; we link it ourselves
  -O3                  # Verilator's own optimisations
  --trace              # waveforms built in, switched on at run time
  -Wall                # the blocks are lint-clean; keep them so
  --x-assign fast
  --x-initial fast
  # -fPIC for a shared library; -fno-semantic-interposition lets the compiler
  # inline and call directly inside the library (measured: 2x cycles/s here).
  # Verilator passes these to every object it builds, verilated.o included.
  -CFLAGS "-fPIC -fno-semantic-interposition"
)
make_flags=(
  OPT_FAST=-O3         # Verilator's -O3 alone leaves the model C++ at -Os
  OPT_SLOW=-O1         # construction and tracing code: build time over speed
  OPT_GLOBAL=-O2       # verilated.cpp and friends
)
link_flags=(
  -shared
  -fno-semantic-interposition
  -Wl,-Bsymbolic       # bind the model's own symbols locally, no PLT hops
  -Wl,--no-undefined
)

mkdir -p "$out_dir" "$work_dir"
status_file="$out_dir/models.properties"

unavailable() {
  local cause=$1
  if [ "$required" = "true" ]; then
    echo "[build-models] ERROR: $cause" >&2
    echo "[build-models] The RTL is required for this build (./tb test, CI=true)." >&2
    exit 1
  fi
  echo "[build-models] WARNING: $cause -- RTL backends will report themselves unavailable." >&2
  { echo "status=unavailable"; echo "cause=$cause"; } > "$status_file"
  exit 0
}

command -v verilator >/dev/null 2>&1 || unavailable "verilator not found on PATH (install it: sudo apt-get install -y verilator)"
command -v g++ >/dev/null 2>&1 || unavailable "g++ not found on PATH (install it: sudo apt-get install -y g++ make)"
command -v make >/dev/null 2>&1 || unavailable "make not found on PATH (install it: sudo apt-get install -y make)"
[ -f "$java_home/include/jni.h" ] || unavailable "no jni.h under $java_home/include (JAVA_HOME must be a JDK)"

vl_version=$(verilator --version)
vl_root=$(verilator --getenv VERILATOR_ROOT)
gxx_version=$(g++ --version | head -n 1)
glue_hash=$(cat "$here/tb_model_abi.h" "$here/tb_model_glue.cpp" "$here/tb_jni.c" "$0" | sha256sum | cut -c1-16)
flags_text="${verilator_flags[*]} ${make_flags[*]} ${link_flags[*]}"

built=()
for block_dir in "$rtl_dir"/*/; do
  block=$(basename "$block_dir")
  [ -f "$block_dir/$block.sv" ] || continue
  sources=("$block_dir"/*.sv)
  hash=$( { cat "${sources[@]}"; echo "$glue_hash $flags_text $vl_version $gxx_version"; } | sha256sum | cut -c1-16)
  cached="$cache_root/$block-$hash/libtbmodel_$block.so"
  if [ -f "$cached" ]; then
    echo "[build-models] $block: cached ($hash), not rebuilt"
  else
    echo "[build-models] $block: building with $vl_version ($hash)"
    obj="$work_dir/$block"
    rm -rf "$obj"
    mkdir -p "$obj"
    verilator "${verilator_flags[@]}" --Mdir "$obj" --top-module "$block" "${sources[@]}"
    # Port list for the glue, from the generated class: VL_IN8(&name,msb,lsb) ...
    sed -n -E 's/^ *VL_(IN|OUT)(8|16|64|W)?\(&([A-Za-z0-9_]+),([0-9]+),([0-9]+)(,[0-9]+)?\);.*/\1 \3 \4 \5/p' \
        "$obj/V$block.h" \
      | awk '{ dir = ($1 == "IN") ? 0 : 1; printf "TB_PORT(%s, %d, %d)\n", $2, $3 - $4 + 1, dir }' \
      > "$obj/tb_ports.inc"
    [ -s "$obj/tb_ports.inc" ] || { echo "[build-models] $block: no ports found in V$block.h" >&2; exit 1; }
    make -s -j"$jobs" -C "$obj" -f "V$block.mk" "${make_flags[@]}" \
      "V${block}__ALL.a" verilated.o verilated_vcd_c.o verilated_threads.o >/dev/null
    g++ -std=gnu++17 -O2 -fPIC -fno-semantic-interposition -fvisibility=hidden \
      -DTB_MODEL="$block" -include "$obj/V$block.h" \
      -I"$obj" -I"$here" -I"$vl_root/include" -I"$vl_root/include/vltstd" \
      -DVM_TRACE=1 -DVM_TRACE_VCD=1 \
      -c "$here/tb_model_glue.cpp" -o "$obj/tb_model_glue.o"
    g++ "${link_flags[@]}" -o "$obj/libtbmodel_$block.so" \
      "$obj/tb_model_glue.o" "$obj/V${block}__ALL.a" \
      "$obj/verilated.o" "$obj/verilated_vcd_c.o" "$obj/verilated_threads.o" \
      -lpthread -latomic
    mkdir -p "$(dirname "$cached")"
    cp "$obj/libtbmodel_$block.so" "$cached.tmp" && mv "$cached.tmp" "$cached"
  fi
  cp "$cached" "$out_dir/libtbmodel_$block.so"
  built+=("$block")
done

# The JNI shim is model-independent.
jni_hash=$( { cat "$here/tb_jni.c" "$here/tb_model_abi.h"; "$java_home/bin/java" -version 2>&1; echo "$gxx_version"; } | sha256sum | cut -c1-16)
jni_cached="$cache_root/jni-$jni_hash/libtb_jni.so"
if [ ! -f "$jni_cached" ]; then
  echo "[build-models] JNI shim: building ($jni_hash)"
  mkdir -p "$(dirname "$jni_cached")"
  gcc -std=c11 -O2 -fPIC -shared -Wall -Wextra -Werror \
    -I"$java_home/include" -I"$java_home/include/linux" -I"$here" \
    -o "$jni_cached.tmp" "$here/tb_jni.c" -ldl
  mv "$jni_cached.tmp" "$jni_cached"
else
  echo "[build-models] JNI shim: cached ($jni_hash)"
fi
cp "$jni_cached" "$out_dir/libtb_jni.so"

{
  echo "status=ok"
  echo "verilator=$vl_version"
  echo "models=$(IFS=,; echo "${built[*]}")"
} > "$status_file"
echo "[build-models] models: ${built[*]}"
