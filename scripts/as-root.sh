#!/usr/bin/env bash
# as-root.sh CMD...: runs CMD as root: directly when already root (containers, CI, where sudo may not even be
# installed), else through sudo, keeping PATH (the same node and npm) and the test suite's BALLAST_* settings.
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: bash scripts/as-root.sh CMD [ARG...]" >&2; exit 2; }
if [ "$(id -u)" = 0 ]; then exec "$@"; fi
if ! command -v sudo >/dev/null; then
  echo "error: $1 needs root, and this user is not root and has no sudo (hint: run it as root)" >&2
  exit 2
fi
keep=("PATH=$PATH")
while IFS='=' read -r name value; do keep+=("$name=$value"); done < <(env | grep '^BALLAST_' || true)
exec sudo env "${keep[@]}" "$@"
