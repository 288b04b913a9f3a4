#!/usr/bin/env bash
# build-models.sh -- builds every block in rtl/ that has a model.yaml through
# build-model.sh (the same mechanism as tb rtl build), plus the JNI shim. Maven runs this in
# jni-bridge's compile phase; it can also be run by hand:
#
#   build-models.sh RTL_DIR OUT_DIR WORK_DIR JAVA_HOME REQUIRED
#
# Every block is rtl/<block>/model.yaml (top, sources, clock, reset; see
# build-model.sh). A built library is cached under
#   ${TB_MODEL_CACHE:-~/.cache/andromeda-testbed/models}/<block>-<hash>/
# where the hash covers the block's sources, its manifest's fields, the glue,
# build-model.sh, every flag and the Verilator and g++ versions: an unchanged
# model is never rebuilt, even after `mvn clean`.
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

gxx_version=$(g++ --version | head -n 1)
vl_version=$(verilator --version)

# Each block's model through the one build mechanism, from its manifest.
built=()
for manifest in "$rtl_dir"/*/model.yaml; do
  [ -f "$manifest" ] || continue
  block=$(basename "$(dirname "$manifest")")
  TB_MODEL_CACHE="$cache_root" TB_BUILD_JOBS="$jobs" "$here/build-model.sh" --manifest "$manifest" \
    --out "$out_dir" --work "$work_dir/$block"
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
