#!/usr/bin/env bash
# The extra latency of a routed call: three engines in one cluster on loopback; on node a, wrk
# calls a function that runs on a itself, then one whose constraints send it to b, then
# GET /healthz as the baseline (10 s each after a 5 s warm-up, 1 connection, then 16).
# Also prints how long a deploy on a takes to be answered (once b and c hold the function too).
# Usage: [MODEL=aot] benches/cluster-latency.sh   (ports 18601-18603 HTTP, 15801-15803 cluster; loopback only)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/common.sh"
use_jdk
build_if_needed
guest="$ROOT/experiments/build/testdata/http-plain.wasm"
[ -f "$guest" ] || die "missing $guest: run make -C experiments testdata"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), JDK $(jdk_major "$JAVA_HOME")"
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
members=127.0.0.1:15801,127.0.0.1:15802,127.0.0.1:15803
names=(a b c)
for i in 1 2 3; do
  name=${names[$((i - 1))]}
  "$ROOT/bin/wasm-engine" --cluster --cluster-members "$members" --cluster-port "1580$i" --node-name "$name" \
    --port "1860$i" --data-dir "$work/$name" --preload none --execution-model "${MODEL:-jit}" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do
    grep -q "listening on http" "$work/$name.log" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/$name.log"; die "node $name exited before listening"; }
    sleep 0.1
  done
done
a=http://127.0.0.1:18601
# A deploy is answered once every node holds the function (peers fetch the module from a).
for target in here:a there:b; do
  took=$(curl -sf -o /dev/null -w "%{time_total}" -X POST "$a/system/functions" \
    -d "{\"service\":\"${target%%:*}\",\"image\":\"$guest\",\"constraints\":[\"node.name==${target##*:}\"]}")
  echo "deploy of ${target%%:*} answered after ${took} s"
done
echo "here runs on: $(curl -si -X POST $a/function/here | sed -n 's/^X-Served-By: //Ip' | tr -d '\r')," \
  "there runs on: $(curl -si -X POST $a/function/there | sed -n 's/^X-Served-By: //Ip' | tr -d '\r')"
wrk -t1 -c1 -d5s "$a/function/here" >/dev/null
wrk -t1 -c1 -d5s "$a/function/there" >/dev/null
for connections in 1 16; do
  for path in /healthz /function/here /function/there; do
    echo "== $connections connection(s), $path on a"
    wrk -t1 -c"$connections" -d10s --latency "$a$path" | grep -E "50%|99%|Requests/sec|Non-2xx"
  done
done
if grep -q "fallback runtime" "$work"/*.log; then die "GraalWasm ran without its JIT"; fi
