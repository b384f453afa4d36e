#!/usr/bin/env bash
# The whole benchmark suite in one command (benches/README.md lists what it measures).
#   benches/run.sh            full run, at most 20 minutes on 2 cores: rewrites the tables in
#                             benches/README.md and the charts in benches/charts/
#   benches/run.sh --quick    at most 3 minutes: rough numbers in benches/results/<date>-quick/
#   --only=a,b                only these sections (instantiate_call, warm_path, compute, http,
#                             cold_start, density, concurrency)
#   --render=FILE             redraw benches/README.md's tables and the charts from a results file
# Builds what it needs; raw results always go to benches/results/<date>-<budget>.json.
# Every load stays on loopback; every run is bounded in time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/common.sh"
use_jdk
ensure_toolchains

budget=full
limit=1200
args=()
for arg in "$@"; do
  case "$arg" in
    --quick) budget=quick; limit=180 ;;
    --only=*|--render=*) args+=("$arg") ;;
    *) die "unknown option $arg (use --quick, --only=...)" ;;
  esac
done

echo "building the engine, the example functions and the bench modules..." >&2
(cd "$ROOT" && set -o pipefail && mvn -q -B -DskipTests package 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2) || die "build failed"
touch "$ROOT/target/.built"
make -s -C "$ROOT/experiments" all >/dev/null
make -s -C "$ROOT/benches" modules native >/dev/null

# 10,000 open connections need as many file descriptors, on both ends of loopback.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

classpath="$ROOT/target/test-classes:$ROOT/target/classes:$ROOT/target/lib/*:$ROOT/target/bench-lib/*"
timeout --kill-after=30 "$limit" "$JAVA_HOME/bin/java" @"$ROOT/target/jit.args" @"$ROOT/conf/jvm.options" \
  -Djava.awt.headless=true -Dwasmengine.home="$ROOT" -cp "$classpath" \
  dev.wasmengine.bench.BenchRun --home="$ROOT" --budget="$budget" "${args[@]}" \
  || die "the bench run failed or ran past its $limit s budget"
