#!/usr/bin/env bash
# Refreshes the README's screenshot of Chrome DevTools showing a page's TCPConnection (issue 16):
# Debian's Chromium, headless, opens its bundled DevTools frontend pointed at
# `switchboard-shell --inspect-wait` running examples/echo/ against the bundled server, shows the
# Network panel and the connection's Messages tab, checks what it shows, and saves the picture.
#
#   scripts/devtools-screenshot.sh [FILE.png]    # default: engine/inspector/devtools-network-panel.png
set -euo pipefail
root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root_dir"
output="$(realpath -m "${1:-engine/inspector/devtools-network-panel.png}")"

scripts/bootstrap.sh
cmake --preset default >/dev/null
cmake --build --preset default --target switchboard-shell switchboard-server
node engine/inspector/testing/devtools_frontend_test.js build/bin/switchboard-shell \
  build/bin/switchboard-server examples --screenshot "$output"
