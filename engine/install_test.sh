#!/usr/bin/env bash
# Installs Switchboard into a fresh prefix and uses it the way an embedder would:
#   1. examples/embedder, a separate CMake project, finds it with find_package(Switchboard),
#      builds, and echoes a message over a real TCPConnection through the reference server;
#   2. a tiny program compiled with `pkg-config --cflags --libs switchboard` runs script,
#      after the prefix has been moved (nothing in it may point at the build or source tree);
#   3. the installed shell runs, and a page of it with --net-log against the installed
#      switchboard-server is drawn by the installed netlog-view (on the prefix's libnode.so.108);
#   4. the man pages render from the prefix; switchboard.pc has no placeholder and no '//',
#      relocatable here and with absolute paths and no rpath when installed to /usr;
#      nothing installed has a RUNPATH into the build or source tree.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
# SWITCHBOARD_EMBEDDER_FLAGS: compiler and linker flags the embedders need besides the package's
# (a sanitizer build's library wants its runtime linked into the program first).
set -euo pipefail
build="$1"
source_dir="$2"
cmake="${CMAKE_COMMAND:-cmake}"
read -r -a extra_flags <<<"${SWITCHBOARD_EMBEDDER_FLAGS:-}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix="$work/prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log"
for file in include/switchboard/switchboard.h include/switchboard/version.h bin/switchboard-shell \
  bin/switchboard-server bin/netlog-view share/switchboard/netlog-view.js \
  share/man/man1/switchboard-shell.1 share/man/man1/switchboard-server.1 \
  share/man/man1/netlog-view.1; do
  [[ -e "$prefix/$file" ]] || fail "$file was not installed"
done
library="$(find "$prefix" -name 'libswitchboard.so' -print -quit)"
[[ -n "$library" ]] || fail "libswitchboard.so was not installed"
libdir="$(dirname "$library")"
# V8 comes from the prefix, through libswitchboard.so's RUNPATH ($ORIGIN/switchboard).
dependencies="$(ldd "$library")"
grep -qF "libnode.so.108 => $libdir/switchboard/libnode.so.108" <<<"$dependencies" ||
  fail "libswitchboard.so does not find the installed libnode.so.108: $dependencies"
# The programs find V8 in the prefix too, and nothing points back at the build or source tree.
for program in switchboard-shell netlog-view; do
  found="$(ldd "$prefix/bin/$program" | awk '$1 == "libnode.so.108" { print $3 }')"
  [[ -n "$found" && "$(realpath "$found")" == "$(realpath "$libdir/switchboard/libnode.so.108")" ]] ||
    fail "$program does not find the installed libnode.so.108: $(ldd "$prefix/bin/$program")"
done
while IFS= read -r -d '' file; do
  if [[ "$(head -c 4 "$file" | od -An -c | tr -d ' ')" == '177ELF' ]]; then
    runpath="$(readelf -d "$file" | grep -E 'R(UN)?PATH' || true)"
    for tree in "$build" "$source_dir" "$(cd "$source_dir" && pwd -P)"; do
      [[ "$runpath" != *"$tree"* ]] || fail "${file#"$prefix"/} has a RUNPATH into $tree: $runpath"
    done
  fi
done < <(find "$prefix" -type f -print0)
echo "PASS installed into $prefix"

# --- 1. find_package: examples/embedder against the reference server -------------------------
"$cmake" -S "$source_dir/examples/embedder" -B "$work/embedder" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_FLAGS="${extra_flags[*]}" -DCMAKE_EXE_LINKER_FLAGS="${extra_flags[*]}" \
  >"$work/embedder-configure.log" ||
  { cat "$work/embedder-configure.log"; fail "configuring examples/embedder"; }
"$cmake" --build "$work/embedder" >"$work/embedder-build.log" ||
  { cat "$work/embedder-build.log"; fail "building examples/embedder"; }

# The server prints "listening http 127.0.0.1 PORT" and "ready", and exits when its stdin closes.
# The installed reference server.
coproc server_process { exec "$prefix/bin/switchboard-server" --port 0 --address 127.0.0.1 \
  --root "$source_dir/engine/testdata" --exit-when-stdin-closes; }
server_pid=$server_process_PID
port=""
while read -r -t 10 line <&"${server_process[0]}"; do
  if [[ "$line" =~ ^listening\ http\ 127\.0\.0\.1\ ([0-9]+) ]]; then port="${BASH_REMATCH[1]}"; fi
  [[ "$line" == ready* ]] && break
done
[[ -n "$port" ]] || fail "the reference server did not start"

output="$("$work/embedder/embedder" "http://127.0.0.1:$port/echo" "install test" 2>&1)" ||
  { echo "$output"; fail "embedder exited with an error"; }
echo "$output"
grep -qxF "[console.log] echo: hello from examples/embedder: install test" <<<"$output" ||
  fail "no echo from the embedder"
grep -qxF "[console.info] closed" <<<"$output" || fail "the connection did not close"
echo "PASS examples/embedder (find_package) echoed over TCPConnection"

# --- 2. pkg-config, from a moved prefix ---------------------------------------------------
mv "$prefix" "$work/moved"
prefix="$work/moved"
libdir="${libdir/$work\/prefix/$prefix}"
cat >"$work/tiny.cc" <<'CC'
#include <cstdio>
#include <switchboard/switchboard.h>
int main() {
  switchboard::embed::Engine engine;
  auto page = switchboard::embed::Page::Create();
  page->DefineFunction("twice", [](std::span<const switchboard::embed::Value> arguments) {
    return switchboard::embed::Value(2 * std::get<double>(arguments[0]));
  });
  page->Evaluate("setTimeout(() => console.log('timer', twice(21)), 10)");
  page->RunUntilIdle();
  std::printf("%s %s\n", SWITCHBOARD_VERSION_STRING, page->Evaluate("[1 + 2]").inspected.c_str());
}
CC
export PKG_CONFIG_PATH="$libdir/pkgconfig"
flags="$(pkg-config --cflags --libs switchboard)" || fail "pkg-config does not know switchboard"
# What a distribution would ship: no placeholder (URL:, example.*) and no doubled slash.
check_pc() {  # FILE FLAGS
  if grep -nE '//|example\.|^URL:' "$1"; then fail "$1 has a placeholder or '//'"; fi
  [[ "$2" != *//* && "$2" != *example.* ]] || fail "pkg-config flags for $1: $2"
}
check_pc "$libdir/pkgconfig/switchboard.pc" "$flags"
[[ "$flags" == *"-I$prefix/include"* || "$flags" == *"-I$libdir/pkgconfig/../../include"* ]] ||
  fail "pkg-config flags do not point into the prefix: $flags"
[[ "$(pkg-config --modversion switchboard)" == "$(grep -oP 'SWITCHBOARD_VERSION_STRING "\K[^"]+' \
  "$prefix/include/switchboard/version.h")" ]] || fail "pkg-config version mismatch"
# shellcheck disable=SC2086
c++ -std=c++20 "${extra_flags[@]}" "$work/tiny.cc" -o "$work/tiny" $flags || fail "compiling with pkg-config flags"
tiny_output="$("$work/tiny")" || fail "the pkg-config program failed"
expected="timer 42
$(pkg-config --modversion switchboard) [ 3 ]"
[[ "$tiny_output" == "$expected" ]] || fail "pkg-config program printed: $tiny_output"
echo "PASS pkg-config program ($flags) from the moved prefix"

# V8's own API through the installed headers and libnode.so.108 (switchboard/v8.h).
cat >"$work/with_v8.cc" <<'CC'
#include <cstdio>
#include <switchboard/v8.h>
int main() {
  switchboard::embed::Engine engine;
  auto page = switchboard::embed::Page::Create();
  {
    v8::HandleScope scope(page->isolate());
    v8::Local<v8::Context> context = page->context();
    context->Global()->Set(context, v8::String::NewFromUtf8Literal(page->isolate(), "seven"),
                           v8::Number::New(page->isolate(), 7)).Check();
  }
  std::printf("%s\n", page->Evaluate("seven * 6").inspected.c_str());
}
CC
# shellcheck disable=SC2086
c++ -std=c++20 "${extra_flags[@]}" "$work/with_v8.cc" -o "$work/with_v8" $flags -I"$prefix/include/switchboard/v8" \
  "$libdir/switchboard/libnode.so.108" -Wl,-rpath,"$libdir/switchboard" ||
  fail "compiling against the installed V8 headers"
[[ "$("$work/with_v8")" == "42" ]] || fail "the V8-level program failed"
echo "PASS switchboard/v8.h with the installed V8 headers and libnode.so.108"

# --- 3. the installed shell ----------------------------------------------------------------
echo 'console.log("shell", 6 * 7)' >"$work/page.js"
[[ "$("$prefix/bin/switchboard-shell" "$work/page.js")" == "shell 42" ]] ||
  fail "the installed shell did not run a page"
echo "PASS installed switchboard-shell"

# A page's connection to the installed server, logged with --net-log and drawn by netlog-view.
cat >"$work/logged.js" <<JS
const tcp = new TCPConnection("http://127.0.0.1:$port/echo");
tcp.onopen = () => tcp.send("logged");
tcp.onread = (event) => { console.log("echo", event.data); tcp.disconnect(); };
JS
"$prefix/bin/switchboard-shell" --timeout 30 --origin "http://127.0.0.1:$port" \
  --net-log "$work/page.netlog" "$work/logged.js" \
  >"$work/logged-output" 2>&1 || { cat "$work/logged-output"; fail "the logged page failed"; }
grep -qxF "echo logged" "$work/logged-output" || fail "no echo: $(cat "$work/logged-output")"
"$prefix/bin/netlog-view" "$work/page.netlog" -o "$work/page.svg" >"$work/view-output" 2>&1 ||
  { cat "$work/view-output"; fail "the installed netlog-view failed"; }
grep -q "1 connection" "$work/view-output" || fail "netlog-view said: $(cat "$work/view-output")"
grep -q '^<svg' "$work/page.svg" || fail "netlog-view wrote no SVG"
echo "PASS installed netlog-view drew the installed shell's net log: $(cat "$work/view-output")"

# --- 4. man pages, and switchboard.pc as a Debian package (prefix /usr) has it -------------
for page in switchboard-shell switchboard-server netlog-view; do
  rendered="$(MANWIDTH=80 MANPATH="$prefix/share/man" man --warnings -E UTF-8 "$page" 2>"$work/man-errors")" ||
    fail "man $page from the prefix failed: $(cat "$work/man-errors")"
  [[ ! -s "$work/man-errors" ]] || fail "man $page warned: $(cat "$work/man-errors")"
  grep -q "^NAME" <<<"$rendered" || fail "man $page rendered no NAME section"
done
echo "PASS man switchboard-shell, switchboard-server and netlog-view from the prefix"

DESTDIR="$work/destdir" "$cmake" --install "$build" --prefix /usr >"$work/install-usr.log"
usr_pc="$(find "$work/destdir/usr" -name switchboard.pc -print -quit)"
[[ -n "$usr_pc" ]] || fail "no switchboard.pc installed under /usr"
grep -qx 'prefix=/usr' "$usr_pc" || fail "$usr_pc: $(cat "$usr_pc")"
if grep -v '^#' "$usr_pc" | grep -q 'rpath'; then fail "$usr_pc has an rpath into /usr: $(grep Libs "$usr_pc")"; fi
usr_flags="$(PKG_CONFIG_PATH="$(dirname "$usr_pc")" pkg-config --cflags --libs switchboard)"
check_pc "$usr_pc" "$usr_flags"
echo "PASS switchboard.pc for /usr: $usr_flags"
