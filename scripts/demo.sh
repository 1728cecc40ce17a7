#!/usr/bin/env bash
# Sets up (idempotently), builds, and runs switchboard-shell on the bundled example page.
set -euo pipefail
root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root_dir"

scripts/bootstrap.sh
cmake --preset default >/dev/null
cmake --build --preset default --target switchboard-shell

echo "demo: running build/bin/switchboard-shell examples/hello/index.html"
build/bin/switchboard-shell --timeout 30 examples/hello/index.html
