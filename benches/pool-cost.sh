#!/usr/bin/env bash
# Cold start versus warm pool, per execution model (PoolCost.java), and resident idle instances
# of a 1-page module in a 4 GiB heap (Density.java, one JVM per model, -Xmx4g).
# Usage: benches/pool-cost.sh [ROUNDS]   (default 5000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/common.sh"
use_jdk
build_if_needed
make -s -C "$ROOT/experiments" testdata >/dev/null
rounds=${1:-5000}
module="$ROOT/experiments/build/testdata/counter.wasm"
cp="$ROOT/target/classes:$ROOT/target/lib/*"
echo "machine: $(nproc) cores, JDK $(jdk_major "$JAVA_HOME"); module: counter.wasm (1 page)"
"$JAVA_HOME/bin/java" @"$ROOT/target/jit.args" @"$ROOT/conf/jvm.options" -cp "$cp" \
  "$ROOT/benches/PoolCost.java" "$ROOT" "$module" "$rounds" 2>/dev/null
for model in jit aot; do
  timeout 900 "$JAVA_HOME/bin/java" @"$ROOT/target/jit.args" -Xms4g -Xmx4g -XX:+UseParallelGC -cp "$cp" \
    "$ROOT/benches/Density.java" "$module" "$model" 4096 2>/dev/null || echo "$model: density run did not finish in 900 s"
done
