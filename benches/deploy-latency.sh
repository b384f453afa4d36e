#!/usr/bin/env bash
# Deploy request to first invoke response, for a ~100 KB module pulled from a loopback registry
# (a real docker-registry started here), on each execution model, beside the same module
# deployed from a local file (the baseline) in the same run. Needs docker-registry and skopeo.
# Usage: benches/deploy-latency.sh [ROUNDS] [WARMUP]   (defaults 30 and 5; bounded to 300 s per model)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/common.sh"
use_jdk
build_if_needed
rounds=${1:-30}
warmup=${2:-5}
work=$(mktemp -d)
cleanup() { [ -n "${registry_pid:-}" ] && kill "$registry_pid" 2>/dev/null; [ -n "${engine_pid:-}" ] && kill "$engine_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# A WASI command of 60 small functions and printf: about 100 KB.
"$ROOT/experiments/large/gen-many-functions.sh" 60 > "$work/fn.c"
clang --target=wasm32-wasi --sysroot=/usr -O0 "$work/fn.c" -o "$work/fn.wasm"
echo "module: $(stat -c %s "$work/fn.wasm") bytes"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<YAML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/v2/" && break; sleep 0.1; done
"$ROOT/experiments/make-oci.sh" "$work/fn.wasm" "$work/layout-image" v1 image >/dev/null
"$ROOT/experiments/make-oci.sh" "$work/fn.wasm" "$work/layout-artifact" v1 artifact >/dev/null
skopeo copy -q --dest-tls-verify=false "oci:$work/layout-image:v1" "docker://127.0.0.1:$port/bench/fn:image"
skopeo copy -q --dest-tls-verify=false "oci:$work/layout-artifact:v1" "docker://127.0.0.1:$port/bench/fn:artifact"

for model in jit aot; do
  log="$work/engine-$model.log"
  "$ROOT/bin/wasm-engine" --port 0 --data-dir "$work/data-$model" --preload none --execution-model "$model" >"$log" 2>&1 &
  engine_pid=$!
  engine_port=""
  for _ in $(seq 1 600); do
    engine_port=$(sed -n 's#^listening on http://127.0.0.1:\([0-9]*\)$#\1#p' "$log")
    [ -n "$engine_port" ] && break
    sleep 0.1
  done
  [ -n "$engine_port" ] || die "engine did not start: $(cat "$log")"
  echo
  echo "== execution model $model"
  "$JAVA_HOME/bin/java" "$ROOT/benches/DeployLatency.java" "$engine_port" "$warmup" "$rounds" 300 \
    "file=$work/fn.wasm" "artifact=127.0.0.1:$port/bench/fn:artifact" "image=127.0.0.1:$port/bench/fn:image"
  kill "$engine_pid"; wait "$engine_pid" 2>/dev/null || true; engine_pid=""
done
