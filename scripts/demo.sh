#!/usr/bin/env bash
# Sets up (idempotently), builds, starts the bundled reference server on a free port, runs
# switchboard-shell on the bundled example page (a TCPConnection to the server's /echo), and
# stops the server.
set -euo pipefail
root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root_dir"

scripts/bootstrap.sh
cmake --preset default >/dev/null
cmake --build --preset default --target switchboard-shell switchboard-server

# The server stops by itself when its stdin closes, i.e. when this script ends.
coproc SERVER { exec build/bin/switchboard-server --root examples --port 0 --address 127.0.0.1; }
port=""
while read -r -u "${SERVER[0]}" word kind address listening_port; do
  if [[ "$word" == "listening" && "$kind" == "http" ]]; then port="$listening_port"; fi
  [[ "$word" == "ready" ]] && break
done
if [[ -z "$port" ]]; then
  echo "demo: the server did not start" >&2
  exit 1
fi
page="http://127.0.0.1:$port/echo/index.html"
echo "demo: switchboard-server serves examples/ on port $port"
echo "demo: build/bin/switchboard-shell --timeout 30 $page"
echo
build/bin/switchboard-shell --timeout 30 "$page"
