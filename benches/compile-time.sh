#!/usr/bin/env bash
# Compile time per module on each execution model, for the example modules and a large one:
# the add_one example built with debug info and no optimisation (several MB, like real-world
# modules that ship with debug names). Each runtime compiles each module once, in one JVM, in
# the order given (the first compile also pays for loading the compilers).
# Usage: benches/compile-time.sh [MODULE.wasm...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/common.sh"
use_jdk
build_if_needed
make -s -C "$ROOT/experiments" large >/dev/null
if [ $# -eq 0 ]; then
  set -- "$ROOT"/experiments/dist/*.wasm "$ROOT"/experiments/build/large/*.wasm
fi
exec "$JAVA_HOME/bin/java" @"$ROOT/target/jit.args" -Xss4m \
  -cp "$ROOT/target/classes:$ROOT/target/lib/*" "$ROOT/benches/CompileTime.java" "$@"
