#!/usr/bin/env bash
# Installs everything the test suite uses on a fresh Debian/Ubuntu machine (as root): the Debian packages the
# tests start or call (a real registry, dockerd, skopeo, buildah, zstd, pre-commit, mmdebstrap), the npm dependencies,
# the build, and the real-image corpus (built once into $BALLAST_CORPUS by shared/corpus/build.sh when that script is present;
# BALLAST_CORPUS_BUILD=0 skips it, and the corpus tests then say loudly that they were skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(zstd skopeo docker-registry docker.io buildah umoci podman apache2-utils openssl ca-certificates rpm tmux chromium pre-commit mmdebstrap)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund
npm run build

CORPUS=${BALLAST_CORPUS:-/var/tmp/ballast-corpus}
BUILDER=${BALLAST_CORPUS_BUILDER:-../shared/corpus/build.sh}
if [ "${BALLAST_CORPUS_BUILD:-1}" != 0 ] && [ ! -d "$CORPUS/stats" ] && [ -f "$BUILDER" ]; then
  echo "building the real-image corpus into $CORPUS (about 10 minutes, 12 GB)"
  CORPUS_OUT="$CORPUS" bash "$BUILDER" || echo "corpus build failed: the corpus tests will be skipped" >&2
fi
