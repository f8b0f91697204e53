#!/usr/bin/env bash
# Benchmarks: ferrospec-codegen vs progenitor 0.15, and the client vs plain reqwest and serde.
#
#   bash bench/run.sh [--quick] [--items 1,2,3,4,5,6,7,8]
#
#   1. generation time (read + parse + lower + emit + format) on llama-cloud.yaml, nexus.json and
#      api.github.com.json, in the release and the dev profile (build scripts use the latter);
#   2. the generated code for nexus.json: size, and `cargo check` / `cargo build` of the generated
#      crate alone (wall, CPU, peak RSS);
#   3. a user's clean build: (a) llama-cloud with its build-time generator (feature codegen),
#      (b) llama-cloud with default features (the committed copy), (c) a progenitor client for
#      the same document, each with a one-call program; (d) and (e) are (b) and (c) with a
#      program that calls every operation. CLEAN_VARIANTS picks some (default a,b,c,d,e).
#      llama-cloud comes from this repository's HEAD commit as a git dependency, compiled as a
#      crates.io dependency is; the item runs twice, as is and with CARGO_INCREMENTAL=0 (CI);
#   4. the generated crate for GitHub's REST description (api.github.com.json, 1,223 operations):
#      `cargo check` / `cargo build` of the crate alone, as in item 2 (progenitor panics on it);
#   5. end to end against the `cargo progenitor` command on nexus.json (needs
#      `cargo install cargo-progenitor --locked`): both write a crate; 7 paired runs, alternating;
#   6. requests through the client vs plain reqwest (`cargo bench --bench http`, HTTP_RUNS runs);
#   7. decoding a 10,000-item page vs hand-written serde (`cargo bench --bench decode`, DECODE_RUNS).
#   8. tag features on api.github.com.json: the crate with only `issues` against all features
#      (`cargo check`, `cargo build`), and a program calling three issue operations built against
#      each (FEATURE_RUNS paired runs, default 7).
#
# Runs: GEN_RUNS (default 10), COMPILE_RUNS (3), CLEAN_RUNS (2), HTTP_RUNS (11), DECODE_RUNS (15),
# FEATURE_RUNS (7);
# --quick sets them all to 1 (proves the harness works; its numbers are not measurements).
# Everything is built and written under bench/target/ (work/ holds the generated crates,
# results/ a copy of each report); items 6 and 7 build in the main workspace's target/.
# Measure on an otherwise idle machine: the numbers are wall times.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
TARGET="$BENCH/target"
WORK="$TARGET/work"
CORPUS="${CORPUS:-/work/shared/corpus/progenitor}"

GEN_RUNS="${GEN_RUNS:-10}"
COMPILE_RUNS="${COMPILE_RUNS:-3}"
CLEAN_RUNS="${CLEAN_RUNS:-2}"
CLEAN_VARIANTS="${CLEAN_VARIANTS:-a,b,c,d,e}"
HTTP_RUNS="${HTTP_RUNS:-11}"
DECODE_RUNS="${DECODE_RUNS:-15}"
FEATURE_RUNS="${FEATURE_RUNS:-7}"
ITEMS="1,2,3,4,5,6,7,8"
QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --items) ITEMS="${2:?--items needs a list like 1,3}"; shift ;;
    -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument '$1' (usage: bench/run.sh [--quick] [--items 1,2,3,4,5,6,7,8])" >&2; exit 2 ;;
  esac
  shift
done
if [ "$QUICK" = 1 ]; then GEN_RUNS=1; COMPILE_RUNS=1; CLEAN_RUNS=1; HTTP_RUNS=1; DECODE_RUNS=1; FEATURE_RUNS=1; fi
want() { case ",$ITEMS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

log() { printf '\n==> %s\n' "$*" >&2; }

# /usr/bin/time -v gives the peak RSS (Debian's `time` package; bash's builtin can't).
if ! [ -x /usr/bin/time ]; then
  log "installing Debian's time package for /usr/bin/time"
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

log "building the harness (release and dev) and ferrospec-codegen (release)"
cargo build --release --manifest-path "$BENCH/Cargo.toml" --target-dir "$TARGET" --bins
cargo build --manifest-path "$BENCH/Cargo.toml" --target-dir "$TARGET" --bin generation
# --locked: the main workspace's Cargo.lock is read, never written.
cargo build --release --locked --manifest-path "$ROOT/codegen/Cargo.toml" --target-dir "$TARGET/codegen" \
  --bin ferrospec-codegen
CODEGEN="$TARGET/codegen/release/ferrospec-codegen"

mkdir -p "$WORK" "$TARGET/results"
REPORT="$TARGET/results/$(date -u +%Y%m%dT%H%M%SZ)$([ "$QUICK" = 1 ] && echo -quick || true).md"
exec > >(tee "$REPORT")

echo "# Benchmarks: ferrospec-codegen vs progenitor 0.15"
echo
if [ "$QUICK" = 1 ]; then
  echo "**Quick mode: one run of everything. These numbers only show that the harness works.**"
  echo
fi
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
dirty="$(git -C "$ROOT" status --porcelain -- . ':!bench' 2>/dev/null | grep -q . && echo ' (with uncommitted changes)' || true)"
echo "- $(date -u '+%Y-%m-%d %H:%M UTC'); commit $commit$dirty"
echo "- $(rustc --version); $(nproc) cores; $(free -g | awk '/^Mem:/ {print $2 " GiB"}'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- runs: generation $GEN_RUNS, compile $COMPILE_RUNS, clean build $CLEAN_RUNS, http $HTTP_RUNS, decode $DECODE_RUNS"
echo

if want 1; then
  log "item 1: generation time"
  echo "## 1. Generation time"
  echo
  STRIPPED="$WORK/llama-cloud.progenitor.json"
  "$TARGET/release/strip-spec" "$ROOT/spec/llama-cloud.yaml" "$STRIPPED"
  echo "The extra row \"llama-cloud.yaml (stripped)\" runs both generators on that copy (as JSON), so"
  echo "there is a progenitor number for our own document."
  echo
  SPECS=(
    --spec "llama-cloud.yaml=$ROOT/spec/llama-cloud.yaml"
    --spec "llama-cloud.yaml (stripped)=$STRIPPED"
    --spec "nexus.json=$CORPUS/nexus.json"
    --spec "api.github.com.json=$CORPUS/api.github.com.json"
  )
  "$TARGET/release/generation" --runs "$GEN_RUNS" "${SPECS[@]}"
  "$TARGET/debug/generation" --runs "$GEN_RUNS" "${SPECS[@]}"
fi

status=0
if want 2; then
  log "item 2: the generated crate for nexus.json"
  echo "## 2. Generated code for nexus.json"
  echo
  echo "Each crate's dependencies are built first; each run then touches src/lib.rs and times"
  echo "cargo with CARGO_INCREMENTAL=0 (a full recompile of that crate only). Peak RSS is the"
  echo "largest single process (rustc), from /usr/bin/time -v."
  echo
  "$TARGET/release/compile" --codegen "$CODEGEN" --runs "$COMPILE_RUNS" --spec "$CORPUS/nexus.json" \
    --work "$WORK/compile" || status=1
fi

if want 4; then
  log "item 4: the generated crate for api.github.com.json"
  echo "## 4. Generated code for api.github.com.json"
  echo
  "$TARGET/release/compile" --codegen "$CODEGEN" --runs "$COMPILE_RUNS" --spec "$CORPUS/api.github.com.json" \
    --work "$WORK/compile-github" || true
fi

if want 8; then
  log "item 8: tag features on api.github.com.json"
  echo "## 8. Tag features (api.github.com.json)"
  echo
  "$TARGET/release/features" --codegen "$CODEGEN" --runs "$FEATURE_RUNS" --spec "$CORPUS/api.github.com.json" \
    --work "$WORK/features" || status=1
fi

if want 5; then
  log "item 5: end to end against cargo-progenitor on nexus.json"
  echo "## 5. End to end against cargo-progenitor (nexus.json)"
  echo
  if cargo progenitor --help >/dev/null 2>&1; then
    ratios=(); ours_ms=(); theirs_ms=()
    for i in 1 2 3 4 5 6 7; do
      rm -rf "$WORK/e2e-ours" "$WORK/e2e-progenitor"
      t0=$(date +%s%N); "$CODEGEN" generate "$CORPUS/nexus.json" --crate "$WORK/e2e-ours" --name nexus 2>/dev/null
      t1=$(date +%s%N); cargo progenitor -i "$CORPUS/nexus.json" -o "$WORK/e2e-progenitor" -n nexus -v 0.1.0 --interface builder >/dev/null 2>&1
      t2=$(date +%s%N)
      ours_ms+=($(( (t1 - t0) / 1000000 ))); theirs_ms+=($(( (t2 - t1) / 1000000 )))
      ratios+=("$(awk -v a=$((t1 - t0)) -v b=$((t2 - t1)) 'BEGIN { printf "%.3f", a / b }')")
    done
    median() { printf '%s\n' "$@" | sort -g | sed -n 4p; }
    echo "| ours (ms) | cargo-progenitor (ms) | paired ratio |"
    echo "|---:|---:|---:|"
    echo "| $(median "${ours_ms[@]}") | $(median "${theirs_ms[@]}") | $(median "${ratios[@]}") |"
  else
    echo "cargo-progenitor is not installed (cargo install cargo-progenitor --locked); skipped."
  fi
  echo
fi

if want 3; then
  log "item 3: a user's clean build"
  echo "## 3. A user's clean build"
  echo
  # Each client as its users get it (llama-cloud from HEAD, as from crates.io), then as in CI.
  "$TARGET/release/clean-build" --runs "$CLEAN_RUNS" --root "$ROOT" --work "$WORK/clean-build" \
    --variants "$CLEAN_VARIANTS" || status=1
  echo
  "$TARGET/release/clean-build" --runs "$CLEAN_RUNS" --root "$ROOT" --work "$WORK/clean-build" \
    --variants "$CLEAN_VARIANTS" --ci || status=1
fi

# Items 6 and 7 are the main workspace's own benches: item, heading, bench name, runs.
cargo_bench_item() {
  log "item $1: $2"
  echo "## $1. $2"
  echo
  (cd "$ROOT" && cargo bench -q --locked --bench "$3" -- --runs "$4" $([ "$QUICK" = 1 ] && echo --quick)) || status=1
  echo
}
if want 6; then cargo_bench_item 6 "Requests through the client vs plain reqwest" http "$HTTP_RUNS"; fi
if want 7; then cargo_bench_item 7 "Decoding a 10,000-item page" decode "$DECODE_RUNS"; fi

log "report written to $REPORT"
exit "$status"
