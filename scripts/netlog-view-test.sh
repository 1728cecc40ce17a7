#!/usr/bin/env bash
# The net log as a developer uses it: switchboard-shell --net-log on a page with five
# connections to the real reference server (an echo that disconnects, a refused port, a 404
# instead of the 101, TLS with a test certificate, a server that pushes frames and closes),
# then scripts/netlog-view. Checks that the log is valid JSON Lines with the expected outcome
# per connection, that the SVG and HTML are well-formed with one row per connection, and that
# a log cut off mid-line still draws. Then a page served over http with two scripts and three
# connections: its loads and connections are drawn as one waterfall (the README's picture:
# OUTPUT_DIR/page-netlog.svg).
# Usage: netlog-view-test.sh SHELL SERVER [OUTPUT_DIR]   (OUTPUT_DIR keeps log and pictures)
set -euo pipefail
shell="$1"
server="$2"
here="$(cd "$(dirname "$0")" && pwd)"
view="$here/netlog-view"
work="$(mktemp -d)"
output_dir="${3:-$work}"
server_pid=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  if [[ -n "$server_pid" ]]; then wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A self-signed certificate for 127.0.0.1, trusted through --ca-file.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/O=Switchboard/CN=net log test server" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# The reference server; it exits when its stdin (fd 3 here) closes.
mkfifo "$work/server-stdin"
mkdir "$work/site"
"$server" --port 0 --address 127.0.0.1 --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" \
  --root "$work/site" \
  --exit-when-stdin-closes <"$work/server-stdin" >"$work/server-stdout" 2>"$work/server-stderr" &
server_pid=$!
exec 3>"$work/server-stdin"
for _ in $(seq 100); do
  grep -q '^ready' "$work/server-stdout" 2>/dev/null && break
  sleep 0.1
done
port="$(awk '$1 == "listening" && $2 == "http" { print $4; exit }' "$work/server-stdout")"
tls_port="$(awk '$1 == "listening" && $2 == "https" { print $4; exit }' "$work/server-stdout")"
[[ -n "$port" && -n "$tls_port" ]] || fail "the reference server did not start: $(cat "$work/server-stderr")"
# A port nothing listens on: the server's own port after it is gone would race; use a port
# from a socket bound and closed at once.
refused_port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"

cat >"$work/page.js" <<EOF
// Five connections, each logging its events; the page ends when all have closed.
function connect(name, url, onOpen, onRead) {
  const connection = new TCPConnection(url);
  connection.onopen = () => { console.log(name + ": open"); if (onOpen) onOpen(connection); };
  connection.onread = (event) => { if (onRead) onRead(connection, event.data); };
  connection.onerror = () => console.log(name + ": error");
  connection.onclose = () => console.log(name + ": close");
  return connection;
}
let echoed = 0;
connect("echo", "http://127.0.0.1:${port}/echo",
        (c) => { c.send("one"); c.send("two"); c.send("three"); },
        (c) => { if (++echoed === 3) c.disconnect(); });
connect("refused", "http://127.0.0.1:${refused_port}/");
connect("not-found", "http://127.0.0.1:${port}/status?code=404");
connect("tls", "https://127.0.0.1:${tls_port}/access-control?allow=<*>",
        (c) => c.send("over TLS"), (c) => c.disconnect());
connect("push", "http://127.0.0.1:${port}/push?count=20&size=200&interval=5");
EOF

log="$output_dir/netlog-test.jsonl"
"$shell" --timeout 30 --origin "http://127.0.0.1:${port}" --ca-file "$work/cert.pem" \
  --net-log "$log" "$work/page.js" >"$work/page-output" 2>&1 || {
  cat "$work/page-output"
  fail "the shell failed"
}
grep -q "echo: close" "$work/page-output" || fail "the page did not run: $(cat "$work/page-output")"

# The log: JSON Lines, header first, log_end last, time never backwards, and per connection
# the expected outcome.
node - "$log" <<'EOF' || fail "the log is not what was expected"
const assert = require('node:assert');
const text = require('node:fs').readFileSync(process.argv[2], 'utf8');
assert.ok(text.endsWith('\n'), 'ends with a newline');
const events = text.trimEnd().split('\n').map((line) => JSON.parse(line));
assert.strictEqual(events[0].type, 'log_start');
assert.strictEqual(events.at(-1).type, 'log_end');
let last = 0;
for (const event of events.slice(1)) {
  assert.ok(event.t >= last, `time runs backwards at ${JSON.stringify(event)}`);
  last = event.t;
}
const of = (id) => events.filter((event) => event.connection === id);
const closeOf = (id) => {
  const closes = of(id).filter((event) => event.type === 'close');
  assert.strictEqual(closes.length, 1, `connection ${id}: one close`);
  assert.strictEqual(of(id).at(-1).type, 'close', `connection ${id}: close is last`);
  return closes[0].params;
};
assert.deepStrictEqual([...new Set(events.map((e) => e.connection).filter((id) => id))],
                       [1, 2, 3, 4, 5]);
let close = closeOf(1);
assert.ok(close.clean && close.cause === 'disconnect()' && close.frames_sent === 3 &&
          close.frames_received === 3, JSON.stringify(close));
close = closeOf(2);
assert.ok(!close.clean && close.stage === 'connect' && close.before_open, JSON.stringify(close));
close = closeOf(3);
assert.ok(!close.clean && close.stage === 'handshake', JSON.stringify(close));
const response = of(3).find((event) => event.type === 'handshake_response').params;
assert.strictEqual(response.status, 404);
close = closeOf(4);
assert.ok(close.clean && close.frames_sent === 1 && close.frames_received === 1, JSON.stringify(close));
const tls = of(4).find((event) => event.type === 'tls_end').params;
assert.ok(tls.ok && /^TLSv1\.[23]$/.test(tls.version) && tls.cipher, JSON.stringify(tls));
assert.ok(tls.peer_subject.includes('CN=net log test server'), JSON.stringify(tls));
assert.strictEqual(tls.verification, 'ok');
close = closeOf(5);
assert.ok(close.clean && close.cause === 'server closed' && close.frames_received === 20,
          JSON.stringify(close));
assert.strictEqual(of(5).filter((event) => event.type === 'frame_received').length, 20);
EOF
echo "PASS the log parses, with the expected outcome per connection"

# A small XML well-formedness check (balanced tags, quoted attributes, escaped text), so the
# test needs no XML library; xmllint also runs when it is installed.
cat >"$work/check-xml.js" <<'EOF'
const text = require('node:fs').readFileSync(process.argv[2], 'utf8');
const isHtml = process.argv[2].endsWith('.html');
const body = isHtml ? text.slice(text.indexOf('<svg'), text.indexOf('</svg>') + 6) : text;
const stack = [];
const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->/g;
let position = 0;
for (let match; (match = tag.exec(body));) {
  const between = body.slice(position, match.index);
  if (/<|&(?!(amp|lt|gt|quot|#\d+);)/.test(between)) throw new Error(`bad text: ${between}`);
  position = tag.lastIndex;
  if (match[0].startsWith('<!--')) continue;
  const [, closing, name, , selfClosing] = match;
  if (closing) {
    const open = stack.pop();
    if (open !== name) throw new Error(`</${name}> closes <${open}>`);
  } else if (!selfClosing) {
    stack.push(name);
  }
}
if (stack.length || body.slice(position).trim()) throw new Error(`unclosed: ${stack}`);
const rows = (body.match(/<g class="connection"/g) || []).length;
console.log(rows);
EOF
for format in svg html; do
  picture="$output_dir/netlog-test.$format"
  "$view" "$log" -o "$picture" >"$work/view-output" || fail "netlog-view -o .$format failed"
  grep -q "5 connections" "$work/view-output" || fail "netlog-view output: $(cat "$work/view-output")"
  rows="$(node "$work/check-xml.js" "$picture")" || fail "$picture is not well-formed"
  [[ "$rows" == 5 ]] || fail "$picture has $rows connection rows, expected 5"
  if [[ $format == svg ]] && command -v xmllint >/dev/null; then
    xmllint --noout "$picture" || fail "xmllint rejects $picture"
  fi
done
grep -q 'class="phase tls"' "$output_dir/netlog-test.svg" || fail "no TLS phase drawn"
[[ "$(grep -c 'class="frame received"' "$output_dir/netlog-test.svg")" -ge 24 ]] ||
  fail "fewer frame ticks than frames received"
[[ "$(grep -c '<details>' "$output_dir/netlog-test.html")" == 5 ]] || fail "HTML event lists"
echo "PASS netlog-view draws well-formed SVG and HTML, one row per connection"

# A log cut off mid-line (the process was killed): still drawn, the cut line ignored.
last_close="$(grep -b '"type":"close"' "$log" | tail -1 | cut -d: -f1)"
head -c "$((last_close + 20))" "$log" >"$work/cut.jsonl"
"$view" "$work/cut.jsonl" -o "$work/cut.svg" 2>"$work/cut-stderr" || fail "a cut log does not draw"
node "$work/check-xml.js" "$work/cut.svg" >/dev/null || fail "cut.svg is not well-formed"
grep -q "no close event" "$work/cut.svg" || fail "a connection without close is not marked"
echo "PASS a log cut off mid-line still draws"

# A page over http with two scripts and three connections: every load and every connection
# in the log, one picture.
cat >"$work/site/page.html" <<'EOF'
<!doctype html>
<title>A page with two scripts and three connections</title>
<script src="/connect.js"></script>
<script src="/app.js"></script>
EOF
cat >"$work/site/connect.js" <<'EOF'
// connect(name, url, onOpen, onRead): a TCPConnection that logs its events.
function connect(name, url, onOpen, onRead) {
  const connection = new TCPConnection(url);
  connection.onopen = () => { console.log(name + ": open"); if (onOpen) onOpen(connection); };
  connection.onread = (event) => { if (onRead) onRead(connection, event.data); };
  connection.onclose = () => console.log(name + ": close");
  return connection;
}
EOF
cat >"$work/site/app.js" <<EOF
let echoed = 0;
connect("echo", "/echo", (c) => { c.send("one"); c.send("two"); },
        (c) => { if (++echoed === 2) c.disconnect(); });
connect("tls", "https://127.0.0.1:${tls_port}/access-control?allow=<*>",
        (c) => c.send("over TLS"), (c) => c.disconnect());
connect("push", "/push?count=12&size=200&interval=10");
EOF
page_log="$output_dir/page-netlog.jsonl"
"$shell" --timeout 30 --ca-file "$work/cert.pem" --net-log "$page_log" \
  "http://127.0.0.1:${port}/page.html" >"$work/page-output" 2>&1 || {
  cat "$work/page-output"
  fail "the shell failed on the http page"
}
grep -q "push: close" "$work/page-output" || fail "the http page did not run: $(cat "$work/page-output")"
node - "$page_log" <<'EOF' || fail "the page's log is not what was expected"
const assert = require('node:assert');
const text = require('node:fs').readFileSync(process.argv[2], 'utf8');
const events = text.trimEnd().split('\n').map((line) => JSON.parse(line));
const loads = [...new Set(events.map((e) => e.load).filter((id) => id))];
assert.deepStrictEqual(loads, [1, 2, 3]);
const ends = events.filter((e) => e.type === 'load_end').map((e) => e.params);
assert.deepStrictEqual(ends.map((p) => [p.ok, p.status, new URL(p.url).pathname]),
                       [[true, 200, '/page.html'], [true, 200, '/connect.js'], [true, 200, '/app.js']]);
const starts = events.filter((e) => e.type === 'load_start').map((e) => e.params.destination);
assert.deepStrictEqual(starts, ['document', 'script', 'script']);
const transfers = events.filter((e) => e.type === 'http_transfer_end').map((e) => e.params);
for (const t of transfers) {
  assert.ok(Number(t.total_ms) >= Number(t.first_byte_ms) && t.body_bytes > 0, JSON.stringify(t));
}
const request = events.find((e) => e.type === 'http_request' && e.load === 1).params.headers;
assert.strictEqual(request[0], 'GET /page.html HTTP/1.1');
assert.deepStrictEqual([...new Set(events.map((e) => e.connection).filter((id) => id))], [1, 2, 3]);
EOF
echo "PASS a page's loads and connections are in its net log"
picture="$output_dir/page-netlog.svg"
"$view" "$page_log" -o "$picture" >"$work/view-output" || fail "netlog-view failed on the page's log"
grep -q "3 loads, 3 connections" "$work/view-output" || fail "netlog-view output: $(cat "$work/view-output")"
node "$work/check-xml.js" "$picture" >/dev/null || fail "$picture is not well-formed"
[[ "$(grep -c '<g class="load"' "$picture")" == 3 ]] || fail "$picture: not one row per load"
for phase in waiting receiving; do
  grep -q "class=\"phase $phase\"" "$picture" || fail "$picture: no $phase phase drawn"
done
echo "PASS netlog-view draws loads and connections on one waterfall"

set +e
"$view" >/dev/null 2>&1
[[ $? == 2 ]] || fail "no log given: exit status 2 expected"
"$view" "$log" -o "$work/picture.png" >/dev/null 2>&1
[[ $? == 2 ]] || fail "unknown output format: exit status 2 expected"
echo "PASS bad command lines exit 2"
