#!/usr/bin/env bash
# Benchmarks: llama-cloud-codegen vs progenitor 0.15 (issue "Benchmarks", items 1–3).
#
#   bash bench/run.sh [--quick] [--items 1,2,3]
#
#   1. generation time (read + parse + lower + emit + format) on llama-cloud.yaml, nexus.json and
#      api.github.com.json, in the release and the dev profile (build scripts use the latter);
#   2. the generated code for nexus.json: size, and `cargo check` / `cargo build` of the generated
#      crate alone (wall, CPU, peak RSS);
#   3. a user's clean build of a one-call program: (a) llama-cloud with its build-time generator
#      (feature codegen), (b) llama-cloud with default features (the committed copy), (c) a
#      progenitor client for the same document;
#   4. the generated crate for GitHub's REST description (api.github.com.json, 1,223 operations):
#      `cargo check` / `cargo build` of the crate alone, as in item 2 (progenitor panics on it).
#
# Runs: GEN_RUNS (default 10), COMPILE_RUNS (3), CLEAN_RUNS (2); --quick sets all three to 1
# (proves the harness works; its numbers are not measurements). Everything is built and written
# under bench/target/ (work/ holds the generated crates, results/ a copy of each report).
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
ITEMS="1,2,3,4"
QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --items) ITEMS="${2:?--items needs a list like 1,3}"; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument '$1' (usage: bench/run.sh [--quick] [--items 1,2,3,4])" >&2; exit 2 ;;
  esac
  shift
done
if [ "$QUICK" = 1 ]; then GEN_RUNS=1; COMPILE_RUNS=1; CLEAN_RUNS=1; fi
want() { case ",$ITEMS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

log() { printf '\n==> %s\n' "$*" >&2; }

# /usr/bin/time -v gives the peak RSS (Debian's `time` package; bash's builtin can't).
if ! [ -x /usr/bin/time ]; then
  log "installing Debian's time package for /usr/bin/time"
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

log "building the harness (release and dev) and llama-cloud-codegen (release)"
cargo build --release --manifest-path "$BENCH/Cargo.toml" --target-dir "$TARGET" --bins
cargo build --manifest-path "$BENCH/Cargo.toml" --target-dir "$TARGET" --bin generation
# --locked: the main workspace's Cargo.lock is read, never written.
cargo build --release --locked --manifest-path "$ROOT/codegen/Cargo.toml" --target-dir "$TARGET/codegen" \
  --bin llama-cloud-codegen
CODEGEN="$TARGET/codegen/release/llama-cloud-codegen"

mkdir -p "$WORK" "$TARGET/results"
REPORT="$TARGET/results/$(date -u +%Y%m%dT%H%M%SZ)$([ "$QUICK" = 1 ] && echo -quick || true).md"
exec > >(tee "$REPORT")

echo "# Benchmarks: llama-cloud-codegen vs progenitor 0.15"
echo
if [ "$QUICK" = 1 ]; then
  echo "**Quick mode: one run of everything. These numbers only show that the harness works.**"
  echo
fi
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
dirty="$(git -C "$ROOT" status --porcelain -- . ':!bench' 2>/dev/null | grep -q . && echo ' (with uncommitted changes)' || true)"
echo "- $(date -u '+%Y-%m-%d %H:%M UTC'); commit $commit$dirty"
echo "- $(rustc --version); $(nproc) cores; $(free -g | awk '/^Mem:/ {print $2 " GiB"}'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- runs: generation $GEN_RUNS, compile $COMPILE_RUNS, clean build $CLEAN_RUNS"
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

if want 3; then
  log "item 3: a user's clean build"
  echo "## 3. A user's clean build"
  echo
  "$TARGET/release/clean-build" --runs "$CLEAN_RUNS" --root "$ROOT" --work "$WORK/clean-build" || status=1
fi

log "report written to $REPORT"
exit "$status"
