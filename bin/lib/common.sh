# Shared by the bin/ scripts: the project root, a JDK 25, the toolchain packages, the build.
# Sourced, not executed.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# Prints the major version of the JDK at $1, from its release file (no JVM start needed).
jdk_major() {
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  echo "${v:-0}"
}

# Prints the home of a JDK 25 or newer: JAVA_HOME when it is one, else the first under /usr/lib/jvm.
find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    if [ "$(jdk_major "$candidate")" -ge 25 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

use_jdk() {
  JAVA_HOME=$(find_jdk) || die "no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm/*); install Temurin 25 or set JAVA_HOME"
  export JAVA_HOME
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven 3.8's bundled Guava calls sun.misc.Unsafe, which JDK 25 warns about at every build.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}

# Debian packages that build the example functions and run the tests (see experiments/README.md).
TOOLCHAIN_PACKAGES="clang lld wasi-libc libclang-rt-dev-wasm32 rustc libstd-rust-dev-wasm32 wabt binaryen nodejs skopeo jq make docker-registry apache2-utils buildah openssl wrk"

# Installs the missing toolchain packages when running as root; otherwise says which are missing.
ensure_toolchains() {
  local missing=() p
  for p in $TOOLCHAIN_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})"
  fi
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Builds classes, run-time libraries and target/jit.args unless they are newer than every source.
build_if_needed() {
  local stamp="$ROOT/target/.built"
  if [ -f "$stamp" ] && [ -z "$(find "$ROOT/src/main" "$ROOT/conf" "$ROOT/pom.xml" -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  echo "building WasmEngine (mvn package, tests skipped)..." >&2
  # Maven 3.8 prints ANSI resets even in batch mode; strip them from the quiet build's output.
  (cd "$ROOT" && set -o pipefail && mvn -q -B -DskipTests package 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2) \
    || die "build failed"
  touch "$stamp"
}
