#!/usr/bin/env bash
# build-model.sh -- Verilates one top module from any Verilog sources and links
# it with the tb_model_abi.h glue into libtbmodel_<top>.so. The one build
# mechanism of the testbed: build-models.sh runs it for every rtl/<block>/model.yaml,
# `tb rtl build` for a user's own sources.
#
#   build-model.sh [--manifest FILE] [--top TOP] [--src FILE|DIR]... [-I DIR]...
#                  [-G NAME=VALUE]... [--define X[=Y]]... [--clock NAME]
#                  [--reset NAME|none] [--reset-active-low] [--lint-fatal]
#                  [--coverage] --out DIR [--work DIR] [--cache DIR]
#
# A manifest is a small YAML file; paths in it are relative to its folder:
#
#   top: acc
#   sources: [acc.v, lib/]      # files (.v, .sv) or folders (their .v and .sv)
#   include_dirs: [inc]
#   parameters: {WIDTH: 16}     # or one "NAME: VALUE" a line, indented
#   defines: {USE_FAST: 1}
#   clock: aclk                 # default clk
#   reset: aresetn              # default rst; none for a model without one
#   reset_active_low: true      # default false
#   lint_fatal: false           # true: a -Wall warning fails the build
#   coverage: false             # true: the coverage variant (as --coverage)
#
# --coverage builds the coverage variant: Verilator's --coverage (line, toggle and the
# design's own `cover property` points), its counters written by the model when it closes
# (tb_model_abi.h, coverage_write). It is part of the cache key, so the variant and the
# plain model sit side by side in the cache; the plain model stays free of counters.
#
# Options on the command line add to the manifest's lists and override its scalars.
# The library is cached under CACHE/<top>-<hash>/ (<top>-cov-<hash>/ for the coverage
# variant) where the hash covers the
# sources' and include files' contents (and, for the coverage variant, the sources' paths,
# which its coverage points record), every manifest field, the flags, the glue,
# this script and the Verilator and g++ versions. OUT receives the library and
# <top>.model.properties (top, ports with widths and directions, clock, reset,
# parameters, hash, lint warnings).
#
# Exit status: 0 built (or cached), 2 bad input (one "error:" line), 1 the model
# cannot be built (Verilator's or the compiler's own messages are printed).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
say() { echo "[rtl build] $*"; }
bad() { echo "error: $*" >&2; exit 2; }

top="" clock="" reset="" reset_low="" lint_fatal="" coverage="" out="" work="" manifest=""
cache=${TB_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/andromeda-testbed/models}
jobs=${TB_BUILD_JOBS:-2}
srcs=() incs=() params=() defines=()

# The manifest: a YAML subset (scalars, [a, b] / "- a" lists, {K: V} / indented
# "K: V" maps, # comments), flattened by awk into "key<TAB>value" lines, a list
# item as "key[]<TAB>item", a map entry as "key{}<TAB>NAME=VALUE".
read_manifest() {
  local file=$1 dir
  [ -f "$file" ] || bad "no such manifest: $file"
  dir=$(cd "$(dirname "$file")" && pwd)
  local flat
  flat=$(awk -v F="$file" '
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    function unq(s) { s = trim(s); if (s ~ /^".*"$/ || s ~ /^\x27.*\x27$/) s = substr(s, 2, length(s) - 2); return s }
    function fail(msg) { printf "error: %s:%d: %s\n", F, NR, msg > "/dev/stderr"; failed = 1; exit 2 }
    function inline(key, body, kind,   n, parts, i, kv, p) {
      n = split(body, parts, ",")
      for (i = 1; i <= n; i++) {
        p = trim(parts[i]); if (p == "") continue
        if (kind == "map") {
          if (p !~ /:/) fail("expected NAME: VALUE in " key)
          kv = index(p, ":"); printf "%s{}\t%s=%s\n", key, unq(substr(p, 1, kv - 1)), unq(substr(p, kv + 1))
        } else printf "%s[]\t%s\n", key, unq(p)
      }
    }
    {
      line = $0; sub(/[ \t]+#.*$/, "", line); if (line ~ /^[ \t]*#/) line = ""
      if (trim(line) == "") next
      if (line ~ /^[A-Za-z_][A-Za-z0-9_]*[ \t]*:/) {
        c = index(line, ":"); key = trim(substr(line, 1, c - 1)); val = trim(substr(line, c + 1))
        if (val ~ /^\[.*\]$/) { inline(key, substr(val, 2, length(val) - 2), "list"); cur = "" }
        else if (val ~ /^\{.*\}$/) { inline(key, substr(val, 2, length(val) - 2), "map"); cur = "" }
        else if (val == "") cur = key
        else { printf "%s\t%s\n", key, unq(val); cur = "" }
      } else if (cur != "" && line ~ /^[ \t]+-[ \t]*/) {
        v = line; sub(/^[ \t]+-[ \t]*/, "", v); printf "%s[]\t%s\n", cur, unq(v)
      } else if (cur != "" && line ~ /^[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*:/) {
        c = index(line, ":"); printf "%s{}\t%s=%s\n", cur, trim(substr(line, 1, c - 1)), unq(substr(line, c + 1))
      } else fail("cannot read this line (a YAML subset: key: value, lists, maps)")
    }' "$file") || exit 2
  local key val
  while IFS=$'\t' read -r key val; do
    case "$key" in
      top) top=$val ;;
      clock) clock=$val ;;
      reset) reset=$val ;;
      reset_active_low) reset_low=$val ;;
      lint_fatal) lint_fatal=$val ;;
      coverage) coverage=$val ;;
      "sources[]") srcs+=("$(cd "$dir" && realpath -m -- "$val")") ;;
      "include_dirs[]") incs+=("$(cd "$dir" && realpath -m -- "$val")") ;;
      "parameters{}") params+=("$val") ;;
      "defines{}") defines+=("$val") ;;
      sources|include_dirs|parameters|defines) ;;  # written empty
      *) bad "$file: unknown key '$key' (top, sources, include_dirs, parameters, defines, clock, reset, reset_active_low, lint_fatal, coverage)" ;;
    esac
  done <<< "$flat"
}

# The manifest first, wherever it is given, so the command line adds to it.
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[i]}" = "--manifest" ]; then
    [ $((i + 1)) -lt ${#args[@]} ] || bad "--manifest needs a file"
    manifest=$(realpath -m -- "${args[i + 1]}")
    read_manifest "$manifest"
  fi
done
need() { [ $# -ge 2 ] || bad "$1 needs a value"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --manifest) need "$@"; shift 2 ;;
    --top) need "$@"; top=$2; shift 2 ;;
    --src) need "$@"; srcs+=("$(realpath -m -- "$2")"); shift 2 ;;
    -I) need "$@"; incs+=("$(realpath -m -- "$2")"); shift 2 ;;
    -I*) incs+=("$(realpath -m -- "${1#-I}")"); shift ;;
    -G) need "$@"; params+=("$2"); shift 2 ;;
    -G*) params+=("${1#-G}"); shift ;;
    --define) need "$@"; defines+=("$2"); shift 2 ;;
    --clock) need "$@"; clock=$2; shift 2 ;;
    --reset) need "$@"; reset=$2; shift 2 ;;
    --reset-active-low) reset_low=true; shift ;;
    --lint-fatal) lint_fatal=true; shift ;;
    --coverage) coverage=true; shift ;;
    --out) need "$@"; out=$2; shift 2 ;;
    --work) need "$@"; work=$2; shift 2 ;;
    --cache) need "$@"; cache=$2; shift 2 ;;
    *) bad "unknown option '$1'" ;;
  esac
done

# Cheap checks before Verilator starts.
clock=${clock:-clk}
reset=${reset:-rst}
case "${reset_low:-false}" in true|yes) reset_low=true ;; false|no) reset_low=false ;; *) bad "reset_active_low must be true or false, not '$reset_low'" ;; esac
case "${lint_fatal:-false}" in true|yes) lint_fatal=true ;; false|no) lint_fatal=false ;; *) bad "lint_fatal must be true or false, not '$lint_fatal'" ;; esac
case "${coverage:-false}" in true|yes) coverage=true ;; false|no) coverage=false ;; *) bad "coverage must be true or false, not '$coverage'" ;; esac
[ -n "$top" ] || bad "no top module (--top TOP, or top: in the manifest)"
[[ "$top" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || bad "top '$top' is not a Verilog identifier"
[ -n "$out" ] || bad "no output folder (--out DIR)"
[ ${#srcs[@]} -gt 0 ] || bad "no sources (--src FILE|DIR, or sources: in the manifest)"
files=()
for s in "${srcs[@]}"; do
  if [ -d "$s" ]; then
    found=0
    while IFS= read -r f; do files+=("$f"); found=1; done < <(find "$s" -maxdepth 1 -type f \( -name '*.v' -o -name '*.sv' \) | LC_ALL=C sort)
    [ $found = 1 ] || bad "no .v or .sv files in $s"
  elif [ -f "$s" ]; then
    case "$s" in *.v|*.sv) files+=("$s") ;; *) bad "$s: a source must be a .v or .sv file (headers go in an include folder, -I)" ;; esac
  else
    bad "no such file or folder: $s"
  fi
done
for d in ${incs[@]+"${incs[@]}"}; do [ -d "$d" ] || bad "no such include folder: $d"; done
for p in ${params[@]+"${params[@]}"}; do
  [[ "$p" =~ ^[A-Za-z_][A-Za-z0-9_]*=.+$ ]] || bad "bad parameter '$p' (expected NAME=VALUE, e.g. -G WIDTH=16)"
done
for d in ${defines[@]+"${defines[@]}"}; do
  [[ "$d" =~ ^[A-Za-z_][A-Za-z0-9_]*(=.*)?$ ]] || bad "bad define '$d' (expected X or X=Y)"
done
for n in "$clock" "$reset"; do
  [[ "$n" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || bad "port name '$n' is not a Verilog identifier"
done
grep -qsE "^[[:space:]]*module[[:space:]]+$top([^A-Za-z0-9_\$]|$)" "${files[@]}" \
  || bad "no module '$top' in the sources ($(printf '%s ' "${files[@]##*/}" | sed 's/ $//'))"
command -v verilator >/dev/null 2>&1 || bad "verilator not found on PATH (install it: sudo apt-get install -y verilator)"
command -v g++ >/dev/null 2>&1 || bad "g++ not found on PATH (install it: sudo apt-get install -y g++ make)"
command -v make >/dev/null 2>&1 || bad "make not found on PATH (install it: sudo apt-get install -y make)"

# Flags, one per line, each with its reason.
verilator_flags=(
  --cc                 # C++ model only; we link it ourselves
  -O3                  # Verilator's own optimisations
  --trace              # waveforms built in, switched on at run time
  -Wall                # every lint warning is printed (and counted)
  --x-assign fast
  --x-initial fast
  # -fPIC for a shared library; -fno-semantic-interposition lets the compiler
  # inline and call directly inside the library (measured: 2x cycles/s here).
  # Verilator passes these to every object it builds, verilated.o included.
  -CFLAGS "-fPIC -fno-semantic-interposition"
)
# A warning stops the build only where asked (the built-in blocks: lint-clean, kept so).
[ "$lint_fatal" = true ] || verilator_flags+=(-Wno-fatal)
# The coverage variant: line, toggle and user (`cover property`) points, counted in the
# model and written when it closes. Only here: the counters cost cycles/s in the plain model.
cov_objs=() cov_defs=()
if [ "$coverage" = true ]; then
  verilator_flags+=(--coverage)
  cov_objs=(verilated_cov.o)   # VerilatedCovContext::write, the .dat writer
  cov_defs=(-DVM_COVERAGE=1)   # the glue's coverage_write is compiled in
fi
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
model_flags=()
for d in ${incs[@]+"${incs[@]}"}; do model_flags+=("-I$d"); done
for p in ${params[@]+"${params[@]}"}; do model_flags+=("-G$p"); done
for d in ${defines[@]+"${defines[@]}"}; do model_flags+=("-D$d"); done
reset_active=1; [ "$reset_low" = true ] && reset_active=0

vl_version=$(verilator --version)
vl_root=$(verilator --getenv VERILATOR_ROOT)
gxx_version=$(g++ --version | head -n 1)
settings="top=$top clock=$clock reset=$reset reset_active=$reset_active lint_fatal=$lint_fatal coverage=$coverage"
settings+=" params=${params[*]-} defines=${defines[*]-}"
# Include files are hashed by name and content, wherever they sit under an include folder.
inc_files=()
for d in ${incs[@]+"${incs[@]}"}; do
  while IFS= read -r f; do inc_files+=("$f"); done < <(find "$d" -type f | LC_ALL=C sort)
done
hash=$( {
  for f in "${files[@]}" ${inc_files[@]+"${inc_files[@]}"}; do echo "== ${f##*/}"; cat "$f"; done
  # A coverage model records its sources' paths in every coverage point (verilator_coverage
  # --annotate reads the sources from there): the same sources in another folder are another model.
  if [ "$coverage" = true ]; then
    for f in "${files[@]}"; do echo "at $(readlink -f "$f")"; done
  fi
  cat "$here/tb_model_abi.h" "$here/tb_model_glue.cpp" "$0"
  echo "$settings | ${verilator_flags[*]} | ${make_flags[*]} | ${link_flags[*]} | $vl_version | $gxx_version"
} | sha256sum | cut -c1-16)
lib=libtbmodel_$top.so
variant=$top; [ "$coverage" = true ] && variant=$top-cov
cached_dir="$cache/$variant-$hash"
cached="$cached_dir/$lib"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Verilator's lint lines, printed on every build and replayed from the cache.
report_lint() {
  local log=$1 n
  n=$(grep -c '^%Warning' "$log" || true)
  if [ "$n" -gt 0 ]; then
    grep -v '^%Error: Exiting due to' "$log" >&2 || true
    say "$top: $n lint warning(s) from verilator -Wall (above)"
  else
    say "$top: lint clean (verilator -Wall)"
  fi
  lint_count=$n
}

# The design's own checks of its parameters ($error or $fatal in an initial block, e.g.
# "DATA_WIDTH must be a power of two"): Verilator does not run them when it verilates,
# only when the model is first evaluated, and then aborts the process (vl_stop). So the
# new library is created once here, in a child process, before it is cached: a -G value
# (or a manifest's parameters:) the design refuses is one error line and exit 2 now,
# never an abort of the JVM that loads the model later (tb sim, tb cosim, the tests).
check_parameters() {
  cat > "$obj/tb_model_check.cpp" <<'CHECK'
// Creates (and so first evaluates) a model and destroys it: build-model.sh's check.
#include <dlfcn.h>
#include <stdio.h>
#include "tb_model_abi.h"
int main(int argc, char **argv) {
    if (argc != 3) return 3;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "%s\n", dlerror()); return 3; }
    typedef const tb_model_abi *(*abi_fn)(void);
    abi_fn abi = (abi_fn) dlsym(lib, argv[2]);
    if (!abi) { fprintf(stderr, "%s\n", dlerror()); return 3; }
    const tb_model_abi *a = abi();
    void *m = a->create(); // evaluates the model once: its initial blocks run here
    if (!m) { fprintf(stderr, "out of memory creating the model\n"); return 3; }
    a->destroy(m);
    return 0;
}
CHECK
  g++ -O0 -I"$here" -o "$obj/tb_model_check" "$obj/tb_model_check.cpp" -ldl
  say "$top: running the design's own checks (a first evaluation, in a child process)"
  # The inner shell's "Aborted" notice goes to /dev/null; the log has Verilator's lines.
  if ( timeout 120 "$obj/tb_model_check" "$obj/$lib" "tb_model_abi_$top" > "$obj/check.log" 2>&1
       exit $? ) 2>/dev/null; then
    return 0
  fi
  # Verilator's line: "[0] %Error: f.sv:155: Assertion failed in top.x: <the message>".
  local first where msg given
  first=$(grep -m1 -E '%(Error|Fatal)' "$obj/check.log" || true)
  if [ -z "$first" ]; then
    cat "$obj/check.log" >&2
    say "$top: the model failed its first evaluation (messages above); not cached"
    exit 1
  fi
  where=$(sed -E 's/^(\[[0-9]+\] )?%(Error|Fatal): ([^ ]+):.*/\3/' <<< "$first")
  msg=$(sed -E 's/^(\[[0-9]+\] )?%(Error|Fatal): [^ ]+: //; s/^Assertion failed in [^ ]+: //' <<< "$first")
  given=${params[*]-}
  # Kept under the hash, so the same refused build is refused at once next time.
  mkdir -p "$cached_dir"
  echo "$top refuses its parameters${given:+ (-G ${given// /, -G })} at $where: $msg" \
    > "$cached_dir/refused"
  bad "$(cat "$cached_dir/refused")"
}

start=$SECONDS
[ -f "$cached_dir/refused" ] && bad "$(cat "$cached_dir/refused")"
if [ -f "$cached" ] && [ -f "$cached_dir/ports" ]; then
  say "$top: cached ($hash), not rebuilt"
  report_lint "$cached_dir/verilator.log"
else
  obj=${work:-$cache/work/$variant-$hash-$$}
  rm -rf "$obj"
  # A scratch folder of our own goes, built or not; a --work folder stays to be read.
  [ -n "$work" ] || trap 'rm -rf "$obj"' EXIT
  mkdir -p "$obj"
  say "$top: verilating ${#files[@]} source(s) with $vl_version ($hash)"
  if ! verilator "${verilator_flags[@]}" ${model_flags[@]+"${model_flags[@]}"} --Mdir "$obj" \
      --top-module "$top" "${files[@]}" > "$obj/verilator.log" 2>&1; then
    cat "$obj/verilator.log" >&2
    say "$top: verilator failed (messages above); not built"
    exit 1
  fi
  report_lint "$obj/verilator.log"
  # Port list for the glue, from the generated class: VL_IN8(&name,msb,lsb) ...
  sed -n -E 's/^ *VL_(IN|OUT)(8|16|64|W)?\(&([A-Za-z0-9_]+),([0-9]+),([0-9]+)(,[0-9]+)?\);.*/\1 \3 \4 \5/p' \
      "$obj/V$top.h" \
    | awk '{ dir = ($1 == "IN") ? 0 : 1; printf "TB_PORT(%s, %d, %d)\n", $2, $3 - $4 + 1, dir }' \
    > "$obj/tb_ports.inc"
  [ -s "$obj/tb_ports.inc" ] || { echo "error: $top has no ports the testbed can drive (V$top.h)" >&2; exit 1; }
  n_ports=$(wc -l < "$obj/tb_ports.inc")
  [ "$n_ports" -le 64 ] || bad "$top has $n_ports ports; the glue drives at most 64 (tb_model_glue.cpp, Model::ports)"
  has_in() { grep -qE "^TB_PORT\($1, 1, 0\)$" "$obj/tb_ports.inc"; }
  ports_list=$(sed -E 's/^TB_PORT\(([^,]+), ([0-9]+), ([01])\)$/\1/' "$obj/tb_ports.inc" | paste -sd, | sed 's/,/, /g')
  has_in "$clock" || bad "$top has no 1-bit input '$clock' for the clock (--clock NAME); its ports: $ports_list"
  if [ "$reset" != none ]; then
    has_in "$reset" || bad "$top has no 1-bit input '$reset' for the reset (--reset NAME, or none); its ports: $ports_list"
  fi
  say "$top: compiling the model's C++ (make -j$jobs)"
  if ! make -s -j"$jobs" -C "$obj" -f "V$top.mk" "${make_flags[@]}" \
      "V${top}__ALL.a" verilated.o verilated_vcd_c.o verilated_threads.o ${cov_objs[@]+"${cov_objs[@]}"} \
      > "$obj/make.log" 2>&1; then
    cat "$obj/make.log" >&2
    say "$top: compiling the Verilated C++ failed (messages above); not built"
    exit 1
  fi
  say "$top: linking $lib"
  reset_defs=(-DTB_RESET="$reset" -DTB_RESET_ACTIVE="$reset_active")
  [ "$reset" = none ] && reset_defs=(-DTB_NO_RESET=1)
  g++ -std=gnu++17 -O2 -fPIC -fno-semantic-interposition -fvisibility=hidden \
    -DTB_MODEL="$top" -DTB_CLOCK="$clock" "${reset_defs[@]}" -include "$obj/V$top.h" \
    -I"$obj" -I"$here" -I"$vl_root/include" -I"$vl_root/include/vltstd" \
    -DVM_TRACE=1 -DVM_TRACE_VCD=1 ${cov_defs[@]+"${cov_defs[@]}"} \
    -c "$here/tb_model_glue.cpp" -o "$obj/tb_model_glue.o"
  g++ "${link_flags[@]}" -o "$obj/$lib" \
    "$obj/tb_model_glue.o" "$obj/V${top}__ALL.a" \
    "$obj/verilated.o" "$obj/verilated_vcd_c.o" "$obj/verilated_threads.o" \
    ${cov_objs[@]+"${cov_objs[@]/#/$obj/}"} \
    -lpthread -latomic
  check_parameters
  mkdir -p "$cached_dir"
  # The port table as "name width in|out", one a line, for the description.
  sed -E 's/^TB_PORT\(([^,]+), ([0-9]+), 0\)$/\1 \2 in/; s/^TB_PORT\(([^,]+), ([0-9]+), 1\)$/\1 \2 out/' \
    "$obj/tb_ports.inc" > "$cached_dir/ports.tmp"
  cp "$obj/verilator.log" "$cached_dir/verilator.log"
  cp "$obj/$lib" "$cached.tmp"
  mv "$cached_dir/ports.tmp" "$cached_dir/ports"
  mv "$cached.tmp" "$cached"
  say "$top: built in $((SECONDS - start)) s$([ "$coverage" = true ] && echo ' (coverage variant)')"
fi

# Into OUT by rename, so a process that has the previous library loaded keeps its copy.
cp "$cached" "$out/$lib.tmp.$$" && mv "$out/$lib.tmp.$$" "$out/$lib"
{
  echo "# Written by build-model.sh (tb rtl build): the model in $lib"
  echo "top=$top"
  echo "library=$lib"
  echo "hash=$hash"
  echo "clock=$clock"
  echo "reset=$reset"
  echo "reset_active_low=$reset_low"
  echo "parameters=$(IFS=,; echo "${params[*]-}")"
  echo "defines=$(IFS=,; echo "${defines[*]-}")"
  echo "sources=$(IFS=,; echo "${files[*]}")"
  echo "include_dirs=$(IFS=,; echo "${incs[*]-}")"
  echo "lint_warnings=$lint_count"
  echo "coverage=$coverage"
  echo "verilator=$vl_version"
  echo "ports=$(awk '{ printf "%s%s:%s:%s", (NR > 1 ? "," : ""), $1, $3, $2 }' "$cached_dir/ports")"
} > "$out/$top.model.properties.tmp.$$"
mv "$out/$top.model.properties.tmp.$$" "$out/$top.model.properties"
say "$top: $out/$lib ($(wc -l < "$cached_dir/ports") ports, description $top.model.properties)"
