#!/usr/bin/env bash
# Runs switchboard-shell as a user would and checks its output and exit codes.
# Usage: shell_cli_test.sh SHELL TESTDATA_DIR
set -uo pipefail
shell="$1"
data="$2"
failures=0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

check() {  # check NAME EXPECTED_EXIT EXPECTED_STDOUT_FILE_OR_- STDERR_REGEX -- ARGS...
  local name="$1" expected_exit="$2" expected_stdout="$3" stderr_regex="$4"
  shift 5
  "$shell" "$@" >"$work/stdout" 2>"$work/stderr"
  local exit_code=$?
  local ok=1
  [[ $exit_code == "$expected_exit" ]] || { echo "$name: exit $exit_code, expected $expected_exit"; ok=0; }
  if [[ "$expected_stdout" != "-" ]] && ! diff -u "$expected_stdout" "$work/stdout"; then
    echo "$name: stdout differs"; ok=0
  fi
  if [[ -n "$stderr_regex" ]] && ! grep -Eq "$stderr_regex" "$work/stderr"; then
    echo "$name: stderr does not match /$stderr_regex/:"; cat "$work/stderr"; ok=0
  fi
  if ((ok)); then echo "PASS $name"; else failures=$((failures + 1)); fi
}

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
check "unknown option: usage and exit 2" 2 - "unknown option '--frobnicate'" -- --frobnicate x.js
check "missing page file: clear error, exit 1" 1 - "cannot read '.*no-such-page.js'" -- "$data/no-such-page.js"
check "--help exits 0" 0 - "" -- --help
check "--version names V8" 0 - "" -- --version

if ((failures)); then
  echo "$failures shell CLI check(s) failed"
  exit 1
fi
