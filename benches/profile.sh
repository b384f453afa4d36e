#!/usr/bin/env bash
# Where an engine spends its time under HTTP load: starts the engine with Java Flight Recorder
# on, loads one function with wrk for a while (after a warm-up), and prints JFR's hot methods
# and the heaviest stacks. Loopback only; bounded in time.
# Usage: benches/profile.sh MODEL FUNCTION [SECONDS] [CONNECTIONS] [POLICY]
#   e.g. benches/profile.sh jit gcd 20 16 fresh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/common.sh"
use_jdk
build_if_needed
model=${1:?model: jit or aot}
function=${2:?function: gcd or authentication}
seconds=${3:-20}
connections=${4:-16}
policy=${5:-fresh}
case "$function" in
  gcd) body='{"function_name":"gcd","args":{"a":"12","b":"18"}}' ;;
  authentication) body='{"function_name":"authentication","args":{"arg_uri":"yes","arg_body":"yes","arg_secret":"12345"}}' ;;
  *) die "function must be gcd or authentication" ;;
esac
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
printf '{"invoke": {"instance_policy": "%s", "queue_per_function": 2000, "queue_total": 20000}}' "$policy" > "$work/config.json"
recording="$ROOT/benches/results/profile-$model-$function-$policy.jfr"
mkdir -p "$ROOT/benches/results"
"$JAVA_HOME/bin/java" @"$ROOT/target/jit.args" @"$ROOT/conf/jvm.options" -Dwasmengine.home="$ROOT" \
  -XX:StartFlightRecording=filename="$recording",settings=profile,delay=$((seconds / 2))s,duration=${seconds}s \
  -cp "$ROOT/target/classes:$ROOT/target/lib/*" dev.wasmengine.Main \
  --port 0 --data-dir "$work/data" --execution-model "$model" --config "$work/config.json" > "$work/engine.log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's#^listening on http://127.0.0.1:\([0-9]*\)$#\1#p' "$work/engine.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || die "engine did not start: $(cat "$work/engine.log")"
# The recording starts after half the run (warm-up) and lasts one run's length.
timeout $((seconds * 2 + 30)) wrk -t 2 -c "$connections" -d "$((seconds + seconds / 2 + 2))s" \
  -s "$ROOT/benches/wrk/invoke.lua" "http://127.0.0.1:$port/function/invoke" -- "$body" | tail -1
kill "$pid"; wait "$pid" 2>/dev/null || true
echo "== hot methods ($recording)"
"$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$recording" | head -40
echo "== where samples fall, by the first frame outside the JDK, Netty and Vert.x internals"
"$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample --stack-depth 40 "$recording" \
  | awk '/stackTrace = \[/ {inside=1; picked=""; top=""; next}
         inside && /^ *\]/ {inside=0; key=(picked!="" ? picked : top); if (key!="") count[key]++; next}
         inside && /line:/ {
           frame=$0; gsub(/^[ \t]+/, "", frame); sub(/\(.*$/, "", frame)
           if (top=="") top=frame
           if (picked=="" && frame ~ /^(dev\.wasmengine|com\.dylibso|org\.graalvm|com\.oracle|jdk\.graal)/) picked=frame
         }
         END {for (k in count) print count[k] "\t" k}' \
  | sort -rn | head -25
