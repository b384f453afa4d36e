#!/usr/bin/env bash
# Writes a C program with N small distinct functions (default 4000) and a main that calls them
# all: a module with a large code section, for compile-time measurements.
set -euo pipefail
n=${1:-4000}
echo '#include <stdio.h>'
for i in $(seq 0 $((n - 1))); do
  echo "__attribute__((noinline)) static unsigned f$i(unsigned x) { x ^= x << $((i % 13 + 1)); x += $i; return x % 1000003u + (x >> $((i % 7 + 1))); }"
done
echo 'int main(void) {'
echo '  unsigned acc = 1;'
for i in $(seq 0 $((n - 1))); do
  echo "  acc = f$i(acc);"
done
echo '  printf("%u\n", acc);'
echo '  return 0;'
echo '}'
