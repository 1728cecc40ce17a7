#!/usr/bin/env bash
# The Debian package (cpack -G DEB, README.md "Packaging") on a fresh Debian 12, as a user gets
# it: a minimal bookworm root made by debootstrap, `apt-get install ./switchboard_*.deb` in a
# chroot of it, then there:
#   - man switchboard-shell / switchboard-server / netlog-view render, without warnings;
#   - the installed programs find the package's private libnode.so.108;
#   - examples/embedder, compiled with g++ and `pkg-config --cflags --libs switchboard`, echoes
#     over a TCPConnection through the installed switchboard-server;
#   - switchboard-shell runs a page against that server with --net-log, and netlog-view draws it;
#   - `apt-get purge switchboard` removes it all.
# Needs root and the Debian mirror of this machine's apt sources (networked, a few minutes;
# not part of ctest). The base root is cached (debootstrap once) and copied for every run, so
# each run starts from a clean root; it and the run's root live under /var/tmp, never the repo.
#
# Usage: scripts/deb-test.sh [--fresh] [--keep] [DEB]
#   DEB      the package (default: build/switchboard_*.deb)
#   --fresh  debootstrap the cached base root again
#   --keep   keep the run's root (its path is printed)
# Environment: SWITCHBOARD_DEB_BASE (default /var/tmp/switchboard-bookworm-base), the cached
# base root; SWITCHBOARD_DEB_MIRROR, the Debian mirror (default: the first of apt's sources).
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fresh=0
keep=0
deb=""
for argument in "$@"; do
  case "$argument" in
    --fresh) fresh=1 ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "deb-test: unknown option $argument" >&2; exit 2 ;;
    *) deb="$argument" ;;
  esac
done
log() { printf 'deb-test: %s\n' "$*"; }
fail() { printf 'deb-test: FAIL: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "needs root (debootstrap, chroot, mount)"
if [[ -z "$deb" ]]; then
  shopt -s nullglob
  candidates=("$root_dir"/build/switchboard_*.deb)
  shopt -u nullglob
  ((${#candidates[@]} == 1)) || fail "no single build/switchboard_*.deb: run 'cpack -G DEB' in build/ or name the .deb"
  deb="${candidates[0]}"
fi
[[ -f "$deb" ]] || fail "$deb does not exist"
deb="$(realpath "$deb")"

base="${SWITCHBOARD_DEB_BASE:-/var/tmp/switchboard-bookworm-base}"
mirror="${SWITCHBOARD_DEB_MIRROR:-}"
if [[ -z "$mirror" ]]; then
  mirror="$(grep -h -m1 -oP '^URIs:\s*\K\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 || true)"
fi
if [[ -z "$mirror" ]]; then
  mirror="$(grep -h -m1 -oP '^deb\s+(\[[^]]*\]\s+)?\K\S+' /etc/apt/sources.list 2>/dev/null | head -1 || true)"
fi

if ((fresh)) || [[ ! -x "$base/usr/bin/apt-get" ]]; then
  [[ -n "$mirror" ]] || fail "no Debian mirror in apt's sources; set SWITCHBOARD_DEB_MIRROR"
  command -v debootstrap >/dev/null || {
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  log "debootstrap --variant=minbase bookworm $base $mirror"
  rm -rf "$base"
  debootstrap --variant=minbase bookworm "$base" "$mirror" >"/var/tmp/switchboard-debootstrap.log" ||
    fail "debootstrap failed: see /var/tmp/switchboard-debootstrap.log"
fi

root="$(mktemp -d /var/tmp/switchboard-deb-root.XXXXXX)"
mounted=()
cleanup() {
  local status=$?
  for ((i = ${#mounted[@]} - 1; i >= 0; --i)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
  if ((keep)); then log "kept the root: $root"; else rm -rf "$root"; fi
  exit "$status"
}
trap cleanup EXIT
log "a clean root: a copy of $base in $root"
cp -a "$base/." "$root/"
for mount_point in proc dev dev/pts; do
  mkdir -p "$root/$mount_point"
done
mount -t proc proc "$root/proc" && mounted+=("$root/proc")
mount --bind /dev "$root/dev" && mounted+=("$root/dev")
mount --bind /dev/pts "$root/dev/pts" && mounted+=("$root/dev/pts")
# The machine's apt sources (bookworm, its updates and security: the .deb was built against
# them) and name resolution.
if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
  rm -f "$root/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

work="$root/tmp/switchboard"
mkdir -p "$work"
cp "$deb" "$work/"
cp "$root_dir/examples/embedder/main.cc" "$work/embedder.cc"
cat >"$work/inside.sh" <<'INSIDE'
#!/bin/bash
# Runs in the chroot, from /tmp/switchboard.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
fail() { printf 'deb-test: FAIL: %s\n' "$*" >&2; exit 1; }
step() { printf '\n### %s\n' "$*"; }
cd /tmp/switchboard

step "apt-get install ./$(ls switchboard_*.deb)"
apt-get update -qq
apt-get install -y ./switchboard_*.deb 2>&1 | grep -E '^(Note|Setting up switchboard|The following NEW|  )' || true
dpkg -s switchboard | grep -E '^(Status|Version|Depends):'
[[ "$(dpkg-query -W -f='${Status}' switchboard)" == "install ok installed" ]] || fail "switchboard is not installed"

step "man switchboard-shell (and the other two pages); installing man-db first"
apt-get install -y -qq man-db >/dev/null 2>&1 || fail "installing man-db"
for page in switchboard-shell switchboard-server netlog-view; do
  MANWIDTH=80 man --warnings -P cat "$page" >"man-$page.txt" 2>"man-$page.err" || fail "man $page: $(cat "man-$page.err")"
  [[ ! -s "man-$page.err" ]] || fail "man $page warned: $(cat "man-$page.err")"
  echo "man $page: $(wc -l <"man-$page.txt") lines, no warnings; $(man -w "$page")"
done
sed -n '1,12p' man-switchboard-shell.txt
grep -q -- '--net-log FILE' man-switchboard-shell.txt || fail "the shell's man page lacks --net-log"

step "the programs use the package's private libnode.so.108"
for program in switchboard-shell netlog-view; do
  ldd "/usr/bin/$program" | grep 'libnode.so.108' | sed "s/^/$program: /"
  found="$(ldd "/usr/bin/$program" | awk '$1 == "libnode.so.108" { print $3 }')"
  [[ -n "$found" && "$(realpath "$found")" == /usr/lib/switchboard/libnode.so.108 ]] ||
    fail "$program does not find /usr/lib/switchboard/libnode.so.108"
  ! ldd "/usr/bin/$program" | grep -q 'not found' || fail "$program: $(ldd "/usr/bin/$program" | grep 'not found')"
done
echo "switchboard.pc: $(grep -v '^#' /usr/lib/pkgconfig/switchboard.pc | grep -E '^(prefix|Libs)')"

step "examples/embedder, built with pkg-config against the package"
apt-get install -y -qq g++ pkg-config >/dev/null 2>&1 || fail "installing g++ and pkg-config"
flags="$(pkg-config --cflags --libs switchboard)"
echo "pkg-config --cflags --libs switchboard: $flags"
[[ "$flags" != *//* ]] || fail "doubled slash in $flags"
# shellcheck disable=SC2086
g++ -std=c++20 embedder.cc -o embedder $flags || fail "compiling examples/embedder"
coproc server { exec switchboard-server --port 0 --address 127.0.0.1 --exit-when-stdin-closes; }
server_pid=$server_PID  # (bash unsets server_PID once the coprocess has exited)
port=""
while read -r -t 10 line <&"${server[0]}"; do
  if [[ "$line" =~ ^listening\ http\ 127\.0\.0\.1\ ([0-9]+) ]]; then port="${BASH_REMATCH[1]}"; fi
  [[ "$line" == ready* ]] && break
done
[[ -n "$port" ]] || fail "the installed switchboard-server did not start"
echo "switchboard-server listening on 127.0.0.1:$port"
output="$(./embedder "http://127.0.0.1:$port/echo" "fresh Debian 12" 2>&1)" || { echo "$output"; fail "embedder failed"; }
echo "$output"
grep -qxF "[console.log] echo: hello from examples/embedder: fresh Debian 12" <<<"$output" ||
  fail "no echo from the embedder"

step "switchboard-shell with --net-log against the installed server, drawn by netlog-view"
cat >page.js <<JS
const tcp = new TCPConnection("http://127.0.0.1:$port/echo");
tcp.onopen = () => tcp.send("from the package");
tcp.onread = (event) => { console.log("echo:", event.data); tcp.disconnect(); };
JS
switchboard-shell --timeout 30 --origin "http://127.0.0.1:$port" --net-log page.netlog page.js | tee shell-output
grep -qxF "echo: from the package" shell-output || fail "the shell got no echo"
netlog-view page.netlog -o page.html
grep -q '<svg' page.html || fail "netlog-view wrote no picture"
eval "exec ${server[1]}>&-"  # the server exits when its stdin closes
wait "$server_pid" 2>/dev/null || true

step "apt-get purge switchboard"
apt-get purge -y -qq switchboard >/dev/null 2>&1 || fail "purge failed"
for file in /usr/bin/switchboard-shell /usr/lib/switchboard/libnode.so.108 /usr/share/man/man1/switchboard-shell.1.gz \
            /usr/share/man/man1/switchboard-shell.1; do
  [[ ! -e "$file" ]] || fail "$file is still there after purge"
done
echo "removed"
echo
echo "PASS the .deb installs on a fresh Debian 12, its man pages render, the embedder example builds with pkg-config and echoes, the shell and netlog-view run"
INSIDE
chmod +x "$work/inside.sh"

log "chroot $root /tmp/switchboard/inside.sh"
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb \
  /bin/bash /tmp/switchboard/inside.sh
