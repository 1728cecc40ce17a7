#!/usr/bin/env bash
# examples.embedder_poll: runs examples/embedder-poll against the reference server with a few
# lines on its standard input, and checks that it did what it says — the timer chain, the
# echoes, the lines — while calling RunOnce no more than a small multiple of the events it
# handled: the page's loop ran inside the example's poll() without spinning (issue 18; a
# RunOnce busy loop makes thousands of calls for this page).
# Usage: run_test.sh EMBEDDER_POLL SERVER_BINARY SERVER_ROOT
set -euo pipefail
example="$1"
server="$2"
root="$3"
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

# The server prints "listening http 127.0.0.1 PORT" and "ready", and exits when its stdin closes.
coproc server_process { exec "$server" --port 0 --address 127.0.0.1 --root "$root" \
  --exit-when-stdin-closes; }
server_pid=$server_process_PID
port=""
while read -r -t 30 line <&"${server_process[0]}"; do
  if [[ "$line" =~ ^listening\ http\ 127\.0\.0\.1\ ([0-9]+) ]]; then port="${BASH_REMATCH[1]}"; fi
  [[ "$line" == ready* ]] && break
done
[[ -n "$port" ]] || fail "the reference server did not start"

cat >"$work/lines.js" <<'JS'
console.log("line", 6 * 7)
setTimeout(() => console.log("a timer from a line"), 30)
typeof TCPConnection
ticks >= 0
JS
status=0
output="$(timeout 60 "$example" "http://127.0.0.1:$port/echo" <"$work/lines.js" 2>&1)" || status=$?
echo "$output"
((status == 0)) || fail "embedder-poll exited with status $status"
grep -qxF "timers: done after 10 ticks" <<<"$output" || fail "the timer chain did not finish"
grep -qxF "echo: message 4" <<<"$output" || fail "the fifth echo did not come back"
grep -qxF "connection: closed" <<<"$output" || fail "the connection did not close"
grep -qxF "line 42" <<<"$output" || fail "the first input line was not evaluated"
grep -qxF "a timer from a line" <<<"$output" || fail "a timer started by a line did not run"
grep -qxF "'function'" <<<"$output" || fail "the third line's value was not printed"

summary="$(grep -E '^events: [0-9]+ ' <<<"$output")" || fail "no event count"
events="$(sed -E 's/^events: ([0-9]+) .*/\1/' <<<"$summary")"
run_once="$(grep -E '^RunOnce calls: [0-9]+' <<<"$output" | sed -E 's/^RunOnce calls: ([0-9]+),.*/\1/')"
[[ -n "$run_once" ]] || fail "no RunOnce count"
# Each event is one wake-up, sometimes two (a coarse clock wakes a timer's poll a millisecond
# early; the network thread's deliveries can land in two batches), plus a few at the start.
limit=$((2 * events + 10))
((events >= 21)) || fail "only $events events"
((run_once <= limit)) || fail "$run_once RunOnce calls for $events events (limit $limit): the loop spins"
echo "PASS embedder-poll: $run_once RunOnce calls for $events events (limit $limit)"

# For comparison only (not checked: it depends on the machine's speed): the same page driven by
# a RunOnce busy loop, as an embedder without PollFd/PollTimeout must.
busy="$(timeout 60 "$example" "http://127.0.0.1:$port/echo" --busy-loop <"$work/lines.js" 2>&1 |
  grep -E '^RunOnce calls: ' || true)"
echo "for comparison, --busy-loop: ${busy:-did not finish}"
