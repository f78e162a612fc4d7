#!/usr/bin/env bash
# Makes a fresh Debian/Ubuntu machine ready for the whole test suite: the Debian packages the tests start or call
# (a real registry, dockerd, skopeo, buildah, zstd, rpm, tmux, chromium, pre-commit, cmark-gfm to render the Markdown
# reports as GitHub does, git and patch to apply --fix-dry-run's patch, ...), the npm dependencies, the build, and the
# real-image corpus: scripts/corpus/build.sh into $BALLAST_CORPUS (default /var/tmp/ballast-corpus), linked as .corpus
# in this checkout, which is where the tests look when BALLAST_CORPUS is not set.
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

APT_PACKAGES=(zstd shellcheck bsdutils git patch skopeo docker-registry docker.io buildah umoci podman apache2-utils openssl ca-certificates rpm tmux chromium pre-commit mmdebstrap cmark-gfm)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
# Network steps are bounded: a stalled download must fail and retry, not hold the run until CI's time limit.
APT_NET=(-o Acquire::http::Timeout=60 -o Acquire::https::Timeout=60 -o Acquire::Retries=3)
if [ "${#missing[@]}" -gt 0 ]; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get "${APT_NET[@]}" update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get "${APT_NET[@]}" install -y -qq --no-install-recommends "${missing[@]}"
fi

# The npm registry has been seen to stall a tarball mid-body, and `npm ci` then waits forever (a CI run was killed at
# its 90-minute limit inside it, two partial tarballs in npm's cache). Each attempt is bounded (a normal one takes 1-2
# minutes here) and killed with its install scripts (timeout signals its whole process group); what finished stays in
# npm's cache for the next attempt.
npm_ci() {
  local attempt
  for attempt in 1 2 3; do
    if timeout --kill-after=20s 600 npm ci --no-audit --no-fund --fetch-timeout=60000 --fetch-retries=4; then
      return 0
    fi
    echo "npm ci: attempt $attempt failed or stalled; trying again" >&2
  done
  echo "error: npm ci failed 3 times (hint: check that the npm registry is reachable)" >&2
  return 1
}
npm_ci
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
