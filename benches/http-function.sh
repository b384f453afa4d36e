#!/usr/bin/env bash
# An OpenFaaS-style call (/function/{name} of an HTTP-ABI WASI guest that echoes the request as
# JSON) against GET /healthz of the same engine, per execution model, with wrk at 1 and 16
# connections for 10 s each (after a 5 s warm-up). Needs wrk and the test guests
# (make -C experiments testdata).
# Usage: benches/http-function.sh [PORT]   (default 18391; loopback only)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/common.sh"
use_jdk
build_if_needed
port=${1:-18391}
guest="$ROOT/experiments/build/testdata/http-echo.wasm"
[ -f "$guest" ] || die "missing $guest: run make -C experiments testdata"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), JDK $(jdk_major "$JAVA_HOME")"
for model in jit aot; do
  data=$(mktemp -d)
  log=$(mktemp)
  "$ROOT/bin/wasm-engine" --port "$port" --data-dir "$data" --preload none --execution-model "$model" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q "listening on http" "$log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; die "engine exited before listening"; }
    sleep 0.1
  done
  curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/system/functions" \
    -d "{\"service\":\"echo\",\"image\":\"$guest\"}" || { kill "$pid"; die "deploy failed"; }
  wrk -t1 -c1 -d5s "http://127.0.0.1:$port/function/echo" >/dev/null
  for connections in 1 16; do
    for path in /healthz /function/echo; do
      echo "== $model, $connections connection(s), $path"
      wrk -t1 -c"$connections" -d10s --latency "http://127.0.0.1:$port$path" | grep -E "50%|99%|Requests/sec|Non-2xx"
    done
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if grep -q "fallback runtime" "$log"; then die "GraalWasm ran without its JIT"; fi
  rm -rf "$data" "$log"
done
