#!/usr/bin/env bash
# Installs everything Switchboard needs on Debian 12, idempotently:
#   1. Debian packages for building and testing (only the missing ones are installed),
#   2. V8 from Debian's libnode108 + libnode-dev, unpacked into third_party/v8
#      (apt-installing libnode-dev would conflict with the machine's Node.js),
#   3. the JavaScript tooling's npm packages (npm ci), when package-lock.json changed.
# With --bench (what bench/run passes) also what the benchmarks compare against and need.
# A second run changes nothing and takes a few seconds.
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root_dir"

log() { printf 'bootstrap: %s\n' "$*"; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# --- 1. Debian packages ------------------------------------------------------------------
packages=(
  # build
  cmake ninja-build g++ pkg-config clang-format
  libcurl4-openssl-dev libssl-dev libc-ares-dev libuv1-dev
  libgtest-dev libgmock-dev libgumbo-dev libidn2-dev
  # the shell's REPL: line editing and history (BSD libedit, not GPL readline)
  libedit-dev
  # V8 (libnode.so.108) run-time dependencies; the JavaScript that Debian's libnode loads from
  # /usr/share/nodejs when it runs Node itself (netlog-view, engine/packaging/netlog_view_main.cc)
  libicu72 libuv1 libc-ares2 libnghttp2-14 libbrotli1 zlib1g
  node-acorn node-cjs-module-lexer node-undici
  # packaging: man pages checked with man and groff, `cpack -G DEB` (dpkg-shlibdeps, file)
  man-db groff-base dpkg-dev file
  # test servers and tools: certificates, the real DNS server, the seed's Perl server
  openssl dnsmasq-base perl curl libpsl-dev tinyproxy squid nginx
  # fuzzing (scripts/fuzz.sh): clang and its libFuzzer runtime
  clang-14 libclang-rt-14-dev
  # real Chrome DevTools on a page (engine.devtools_frontend, scripts/devtools-screenshot.sh)
  chromium
)
# bench/run (scripts/bootstrap.sh --bench): the other clients, micro-benchmarks, plots, profiles.
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(iperf3 libbenchmark-dev gnuplot-nox linux-perf)
fi
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "Debian packages: all present"
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if ((node_major < 18)); then
  echo "bootstrap: Node.js 18 or newer is required (found $(node --version))" >&2
  exit 1
fi

# --- 2. V8 from Debian's libnode ---------------------------------------------------------
v8_dir="$root_dir/third_party/v8"
v8_version="$(apt-cache policy libnode108 | awk '/Candidate:/ {print $2}')"
if [[ -z "$v8_version" || "$v8_version" == "(none)" ]]; then
  echo "bootstrap: Debian's libnode108 package is not available from apt" >&2
  exit 1
fi
if [[ -f "$v8_dir/.version" && "$(cat "$v8_dir/.version")" == "$v8_version" ]]; then
  log "V8 (libnode $v8_version): present in third_party/v8"
else
  log "unpacking V8 from libnode108 + libnode-dev $v8_version into third_party/v8"
  download_dir="$(mktemp -d)"
  trap 'rm -rf "$download_dir"' EXIT
  (cd "$download_dir" && chmod 777 . && apt-get download -qq "libnode108=$v8_version" "libnode-dev=$v8_version")
  rm -rf "$v8_dir"
  mkdir -p "$v8_dir"
  for deb in "$download_dir"/*.deb; do
    dpkg -x "$deb" "$v8_dir"
  done
  echo "$v8_version" >"$v8_dir/.version"
fi

# --- 3. npm packages for the JavaScript tooling ------------------------------------------
if [[ -f package-lock.json ]]; then
  if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
    log "npm packages: up to date"
  else
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi

log "done"
