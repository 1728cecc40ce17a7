#!/usr/bin/env bash
# Runs switchboard-shell as a user would and checks its output and exit codes.
# Usage: shell_cli_test.sh SHELL TESTDATA_DIR EXAMPLES_DIR
set -uo pipefail
shell="$1"
data="$2"
examples="$3"
failures=0
work="$(mktemp -d)"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
input=/dev/null  # standard input of the next check

check() {  # check NAME EXPECTED_EXIT EXPECTED_STDOUT_FILE_OR_- STDERR_REGEX -- ARGS...
  local name="$1" expected_exit="$2" expected_stdout="$3" stderr_regex="$4"
  shift 5
  "$shell" "$@" <"$input" >"$work/stdout" 2>"$work/stderr"
  local exit_code=$?
  local ok=1
  [[ $exit_code == "$expected_exit" ]] || { echo "$name: exit $exit_code, expected $expected_exit"; ok=0; }
  if [[ "$expected_stdout" != "-" ]] && ! diff -u "$expected_stdout" "$work/stdout"; then
    echo "$name: stdout differs"; ok=0
  fi
  if [[ -n "$stderr_regex" ]] && ! grep -Eq -- "$stderr_regex" "$work/stderr"; then
    echo "$name: stderr does not match /$stderr_regex/:"; cat "$work/stderr"; ok=0
  fi
  if ((ok)); then echo "PASS $name"; else failures=$((failures + 1)); fi
}

# check_lines NAME EXPECTED_EXIT EXPECTED_STDERR_LINE... -- ARGS...: nothing on stdout, and
# exactly these lines on stderr.
check_lines() {
  local name="$1" expected_exit="$2"
  shift 2
  : >"$work/stderr.expected"
  while [[ "$1" != "--" ]]; do printf '%s\n' "$1" >>"$work/stderr.expected"; shift; done
  shift
  "$shell" "$@" <"$input" >"$work/stdout" 2>"$work/stderr"
  local exit_code=$?
  local ok=1
  [[ $exit_code == "$expected_exit" ]] || { echo "$name: exit $exit_code, expected $expected_exit"; ok=0; }
  [[ -s "$work/stdout" ]] && { echo "$name: stdout is not empty:"; cat "$work/stdout"; ok=0; }
  diff -u "$work/stderr.expected" "$work/stderr" || { echo "$name: stderr differs"; ok=0; }
  if ((ok)); then echo "PASS $name"; else failures=$((failures + 1)); fi
}

try_help="Try 'switchboard-shell --help' for more information."
usage_error() {  # usage_error MESSAGE -- ARGS...: one line, the --help hint, exit 2
  local message="$1"
  shift
  check_lines "usage error is one line and exit 2: $message" 2 "switchboard-shell: $message" \
    "$try_help" "$@"
}

fail() { echo "$1"; failures=$((failures + 1)); }

# --- Pages --------------------------------------------------------------------------------
printf '%s\n' "1 inline" "2 promise callback, before the earlier timer" "3 external script" \
  "4 inline after external" "5 microtask after the last script" "6 timer A" "7 timer B" \
  "8 timer C" "9 timer A's nested timer" >"$work/order.expected"
check "scripts, microtasks and timers run in order; exits when idle" 0 "$work/order.expected" "" -- \
  --timeout 20 "$data/order.html"

printf 'before\n' >"$work/throws.expected"
check "uncaught exception: file:line:col line and exit 1" 1 "$work/throws.expected" \
  "throws.html:6:5: Uncaught ReferenceError: undefinedFunction is not defined" -- "$data/throws.html"

check "--timeout stops a spinning script with exit 124" 124 - "timed out after 0.5 s" -- \
  --timeout 0.5 "$data/spins.js"

check_lines "a missing page file: a clear error, exit 1" 1 \
  "switchboard-shell: cannot read '$data/no-such-page.js': No such file or directory" -- \
  "$data/no-such-page.js"
check_lines "a directory as PAGE: a clear error, exit 1" 1 \
  "switchboard-shell: '$data' is a directory; PAGE is a .js or .html file, an http(s):// URL or - (standard input)" -- \
  "$data"
if [[ "$(id -u)" != 0 ]]; then  # root reads everything
  printf 'console.log("ran")\n' >"$work/unreadable.js"
  chmod 000 "$work/unreadable.js"
  check_lines "an unreadable page file: a clear error, exit 1" 1 \
    "switchboard-shell: cannot read '$work/unreadable.js': Permission denied" -- "$work/unreadable.js"
fi

# --- Usage errors: one line and the --help hint, exit 2 ------------------------------------
usage_error "unknown option '--frobnicate'" -- --frobnicate x.js
usage_error "unknown option '-x'" -- -x x.js
usage_error "more than one PAGE: 'b.js'" -- a.js b.js
usage_error "PAGE is empty" -- ""
usage_error "option --timeout needs a value" -- x.js --timeout
usage_error "option --help takes no value" -- --help=yes
usage_error "--repl reads standard input, so PAGE cannot be - as well" -- --repl -
usage_error "--origin must be 'null' or scheme://host[:port], not 'example.com'" -- --origin example.com x.js
usage_error "--dns-server wants HOST:PORT[,...], not '127.0.0.1'" -- --dns-server 127.0.0.1 x.js
usage_error "--inspect wants [HOST:]PORT with HOST an IP address or localhost and PORT from 0 to 65535, not '65536'" -- \
  --inspect=65536 x.js
# Numeric options: the message states the range that is really accepted.
usage_error "--handshake-timeout wants seconds from 0.001 to 86400, not '0'" -- --handshake-timeout 0 x.js
usage_error "--disconnect-timeout wants seconds from 0.001 to 86400, not '86401'" -- --disconnect-timeout 86401 x.js
usage_error "--load-timeout wants seconds from 0.001 to 86400, not 'soon'" -- --load-timeout soon x.js
usage_error "--timeout wants seconds from 0.001 to 31536000, not '0'" -- --timeout 0 x.js
usage_error "--max-connections wants a number from 1 to 1000000, not '0'" -- --max-connections 0 x.js
usage_error "--max-frame-bytes wants a number of bytes from 1 to 1073741824, not '0'" -- --max-frame-bytes 0 x.js
printf 'console.log("ran")\n' >"$work/ran.js"
printf 'ran\n' >"$work/ran.expected"
check "the smallest --handshake-timeout the message names is accepted" 0 "$work/ran.expected" "" -- \
  --handshake-timeout 0.001 "$work/ran.js"

# --- Help and version ---------------------------------------------------------------------
check "--help: the usage on stdout, exit 0" 0 - "" -- --help
head -1 "$work/stdout" | grep -q '^Usage: switchboard-shell \[options\] PAGE$' || fail "--help prints no usage"
cp "$work/stdout" "$work/help"
check "-h is --help" 0 "$work/help" "" -- -h
check "--version exits 0" 0 - "" -- --version
# One line: our version, V8, libcurl with its TLS library, c-ares, libuv — no curl features.
if [[ "$(wc -l <"$work/stdout")" != 1 ]] ||
  ! grep -Eq '^switchboard-shell [0-9]+\.[0-9]+\.[0-9]+ \(V8 [0-9][^ ,]*, libcurl/[0-9][^ ]* [A-Za-z]+/[0-9][^ ]* c-ares/[0-9][^ ]* libuv/[0-9][^ ]*\)$' "$work/stdout"; then
  fail "--version is not one line of Switchboard, V8, libcurl+TLS, c-ares and libuv:"
  cat "$work/stdout"
fi

# --- A script on standard input -----------------------------------------------------------
printf 'setTimeout(() => console.log("timer"), 0);\nconsole.log(1 + 1);\n' >"$work/two.js"
printf '2\ntimer\n' >"$work/two.expected"
input="$work/two.js"
check "- runs the script on standard input" 0 "$work/two.expected" "" -- -
check "no PAGE and standard input not a terminal: the script on it runs (like node)" 0 \
  "$work/two.expected" "" --
check "options before -" 0 "$work/two.expected" "" -- --timeout 20 --max-connections 5 -
printf '1 + 1\n' >"$work/line.js"
input="$work/line.js"
check "--repl without a terminal reads lines from standard input instead" 0 - "" -- --repl
grep -qx '2' <(tr -d '>' <"$work/stdout" | tr -s ' ' | sed 's/^ //') ||
  { fail "--repl from a pipe did not print 2:"; cat "$work/stdout"; }
printf 'console.log("ok");\nthrow new Error("boom");\n' >"$work/boom.js"
printf 'ok\n' >"$work/boom.expected"
input="$work/boom.js"
check "an uncaught exception on standard input is named [stdin]:line:col, exit 1" 1 \
  "$work/boom.expected" '^\[stdin\]:2:1: Uncaught Error: boom$' -- -
# Relative URLs resolve against the working directory as a file: URL.
printf 'console.log(location.href); console.log(new URL("x.js", location.href).href);\n' >"$work/where.js"
mkdir "$work/cwd"
printf 'file://%s/\nfile://%s/x.js\n' "$work/cwd" "$work/cwd" >"$work/where.expected"
input="$work/where.js"
cd "$work/cwd" || exit 1
check "standard input's page is the working directory as a file: URL" 0 "$work/where.expected" "" -- -
cd - >/dev/null || exit 1
printf 'a'%.0s {1..20} >"$work/big.js"
input="$work/big.js"
check_lines "standard input is bounded by --max-resource-bytes" 1 \
  "switchboard-shell: the script on standard input is larger than 10 bytes (--max-resource-bytes)" -- \
  --max-resource-bytes 10 -
input=/dev/null

# --- Path options are checked before anything runs -----------------------------------------
mkdir "$work/dir"
printf 'not a certificate\n' >"$work/empty.pem"
path_error() {  # path_error MESSAGE -- ARGS...: exit 2, one line, the page never ran
  local message="$1"
  shift 2
  check_lines "a path that cannot work stops the shell first: $message" 2 \
    "switchboard-shell: $message" -- "$@" "$work/ran.js"
}
path_error "--net-log '$work/dir' is a directory, not a file" -- --net-log "$work/dir"
path_error "--net-log '$work/missing/log.json' cannot be created: directory '$work/missing' does not exist" -- \
  --net-log "$work/missing/log.json"
path_error "--cookie-jar '$work/dir' is a directory, not a file" -- --cookie-jar "$work/dir"
path_error "--cookie-jar '$work/missing/jar.txt' cannot be created: directory '$work/missing' does not exist" -- \
  --cookie-jar "$work/missing/jar.txt"
path_error "--ca-file '$work/missing.pem' cannot be read: No such file or directory" -- \
  --ca-file "$work/missing.pem"
path_error "--ca-file '$work/dir' is a directory, not a file" -- --ca-file "$work/dir"
path_error "--ca-file '$work/empty.pem' holds no certificate that can be loaded (it wants PEM: -----BEGIN CERTIFICATE-----)" -- \
  --ca-file "$work/empty.pem"
# A net log that cannot be written must not even be started elsewhere: nothing was created.
[[ -e "$work/missing" ]] && fail "a refused path option created '$work/missing'"
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" -days 1 \
  -subj /CN=switchboard-shell-cli-test >/dev/null 2>&1; then
  # (A file page without connections starts no network, so it writes no net log.)
  check "path options that can work: the page runs and the jar is written" 0 \
    "$work/ran.expected" "" -- --ca-file "$work/ca.pem" --net-log "$work/log.json" \
    --cookie-jar "$work/jar.txt" "$work/ran.js"
  [[ -e "$work/jar.txt" ]] || fail "the cookie jar was not written"
else
  fail "openssl could not make a CA file for the test"
fi

# --- A page run as a file that needs http: the shell says how to serve it -------------------
check "an example page run as a file says how to serve it over http" 1 - \
  "scheme 'file' is not supported" -- --timeout 20 "$examples/echo/index.html"
server_command="$(grep -E '^  .*switchboard-server --root ' "$work/stderr" | head -1)"
shell_command="$(grep -E '^  .*switchboard-shell http://127\.0\.0\.1:8080/' "$work/stderr" | head -1)"
if [[ -z "$server_command" || -z "$shell_command" ]]; then
  fail "no serve-it-over-http commands after the failure:"
  cat "$work/stderr"
else
  # Run exactly what the hint says, on a free port instead of 8080.
  server_command="${server_command% &}"
  eval "set -- $server_command"
  [[ "$1" -ef "$(dirname "$shell")/switchboard-server" ]] || fail "the hint names the server as '$1'"
  "$@" --port 0 --no-exit-when-stdin-closes --idle-timeout 60 </dev/null >"$work/server.out" 2>&1 &
  server_pid=$!
  for ((i = 0; i < 600; i++)); do
    grep -q '^ready$' "$work/server.out" && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  port="$(awk '$1 == "listening" && $2 == "http" && $3 == "127.0.0.1" { print $4; exit }' "$work/server.out")"
  if [[ -z "$port" ]]; then
    fail "the hint's server command did not start:"
    cat "$work/server.out"
  else
    eval "set -- ${shell_command//:8080\//:$port\/}"
    "$@" --timeout 20 >"$work/served.out" 2>&1 </dev/null ||
      { fail "the hint's shell command failed:"; cat "$work/served.out"; }
    if grep -q "^read from 127.0.0.1:$port: Bye.$" "$work/served.out"; then
      echo "PASS the hint's commands serve the example page, and its connection works"
    else
      fail "the served example page did not echo:"
      cat "$work/served.out"
    fi
  fi
  kill "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=""
fi
printf 'new TCPConnection("/echo");\n' >"$work/relative.js"
input="$work/relative.js"
check "a relative TCPConnection URL from standard input says to use http(s)" 1 - \
  "a script on standard input runs at the working directory, .*give it an http\(s\):// URL" -- -
input=/dev/null

if ((failures)); then
  echo "$failures shell CLI check(s) failed"
  exit 1
fi
echo "all shell CLI checks passed"
