#!/usr/bin/env bash
# The layering rule of architecture.md, checked: only net/ touches the network. engine/ and
# bindings/ — their tests included — make no libcurl call and no socket call; their tests reach
# servers through net/testing/. Prints each offending line; exit status 1 when there is one.
# Usage: scripts/check-layers.sh [SOURCE_ROOT]
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"
pattern='curl_[a-z]|<curl/|CURL[A-Z_]*OPT|<sys/socket\.h>|<netinet/|<arpa/inet\.h>|(^|[^_.>a-zA-Z])(socket|connect|accept4?|bind|listen|recv|send|shutdown|getsockopt|setsockopt|getsockname|getpeername)\('
# JavaScript inside C++ string literals (connection.send(...)) is script, and send() in a
# comment is the API's name: neither is a socket call.
offenders="$(grep -rnE "$pattern" engine bindings --include='*.cc' --include='*.h' |
  grep -vE '\.(send|connect)\(|"[^"]*(send|connect)\(|(send|connect)\(\)' || true)"
if [[ -n "$offenders" ]]; then
  echo "engine/ or bindings/ touch the network (only net/ may):"
  echo "$offenders"
  exit 1
fi
echo "PASS engine/ and bindings/ make no libcurl or socket call"
