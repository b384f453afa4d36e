#!/usr/bin/env bash
# Fixed worker pool versus virtual threads for guest code, per execution model, under 16 and
# 10,000 concurrent calls of gcd through the event-bus API (Scheduling.java).
# Usage: benches/scheduling.sh [WARMUP_S] [MEASURE_S]   (defaults 8 and 10; 8 runs, about 3 minutes)
# The warm-up must outlast the first wave of 10,000 calls, or no call both starts and ends in the window.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/common.sh"
use_jdk
build_if_needed
echo "machine: $(nproc) cores, JDK $(jdk_major "$JAVA_HOME"); function: gcd (ABI 1), fresh instance per call"
exec "$JAVA_HOME/bin/java" @"$ROOT/target/jit.args" @"$ROOT/conf/jvm.options" -Xmx4g \
  -cp "$ROOT/target/classes:$ROOT/target/lib/*" "$ROOT/benches/Scheduling.java" \
  "$ROOT" "$ROOT/experiments/dist/gcd.wasm" "${1:-8}" "${2:-10}" 2>/dev/null
