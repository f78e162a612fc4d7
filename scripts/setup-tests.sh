#!/usr/bin/env bash
# Makes a fresh Debian/Ubuntu machine ready for the whole test suite: the Debian packages the tests start or call
# (a real registry, dockerd, skopeo, buildah, zstd, rpm, tmux, chromium, pre-commit, ...), the npm dependencies, the build, and the real-image
# corpus: scripts/corpus/build.sh into $BALLAST_CORPUS (default /var/tmp/ballast-corpus), linked as .corpus in this
# checkout, which is where the tests look when BALLAST_CORPUS is not set.
#
# Runs as root (no sudo needed: containers, CI) or as a user with sudo (then only apt and the corpus builder run
# as root; npm runs as the user). Environment:
#   BALLAST_CORPUS            where the corpus is built (default /var/tmp/ballast-corpus)
#   BALLAST_CORPUS_BUILD=0    do not build it: the corpus tests are then skipped, and the run fails unless
#                             BALLAST_ALLOW_SKIP=1
#   BALLAST_CORPUS_REBUILD=1  build it again even if it is there
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { bash scripts/as-root.sh "$@"; }

APT_PACKAGES=(zstd shellcheck skopeo docker-registry docker.io buildah umoci podman apache2-utils openssl ca-certificates rpm tmux chromium pre-commit mmdebstrap)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund
npm run build

CORPUS=${BALLAST_CORPUS:-/var/tmp/ballast-corpus}
if [ "${BALLAST_CORPUS_BUILD:-1}" != 0 ]; then
  if [ ! -d "$CORPUS/stats" ] || [ "${BALLAST_CORPUS_REBUILD:-0}" = 1 ]; then
    echo "building the real-image corpus into $CORPUS (about 8 GB; minutes on idle cores, an hour or more on a loaded machine; log: $CORPUS/build.log)"
    as_root bash scripts/corpus/build.sh "$CORPUS"
  elif [ "$(cat "$CORPUS/builder.sha256" 2>/dev/null)" != "$(bash scripts/corpus/build.sh --fingerprint)" ]; then
    echo "note: the corpus in $CORPUS was built by another version of scripts/corpus/; BALLAST_CORPUS_REBUILD=1 rebuilds it"
  fi
  ln -sfn "$CORPUS" .corpus
fi
