#!/usr/bin/env bash
# Warm invoke latency through HTTP on each execution model, and engine start time.
# Starts a real engine (bin/wasm-engine, examples preloaded) per execution model on a free
# loopback port with a throw-away data dir, then runs InvokeLatency.java against it.
# Usage: benches/invoke-latency.sh [WARMUP] [MEASURED]   (defaults 3000 5000; bounded to 120 s per model)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/common.sh"
use_jdk
build_if_needed
warmup=${1:-3000}
measured=${2:-5000}

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), JDK $(jdk_major "$JAVA_HOME")"
for model in jit aot; do
  data=$(mktemp -d)
  log=$(mktemp)
  started=$(date +%s%N)
  "$ROOT/bin/wasm-engine" --port 0 --data-dir "$data" --execution-model "$model" >"$log" 2>&1 &
  pid=$!
  port=""
  for _ in $(seq 1 600); do
    port=$(sed -n 's#^listening on http://127.0.0.1:\([0-9]*\)$#\1#p' "$log")
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; die "engine exited before listening"; }
    sleep 0.1
  done
  [ -n "$port" ] || { kill "$pid"; die "engine did not listen within 60 s"; }
  ready=$(date +%s%N)
  echo
  echo "== execution model $model: process start to 'listening on' $(( (ready - started) / 1000000 )) ms ($(grep -o 'engine started in [0-9]* ms' "$log"))"
  "$JAVA_HOME/bin/java" "$ROOT/benches/InvokeLatency.java" "$port" "$warmup" "$measured" 120 || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if grep -q "fallback runtime" "$log"; then die "GraalWasm ran without its JIT"; fi
  rm -rf "$data" "$log"
done
