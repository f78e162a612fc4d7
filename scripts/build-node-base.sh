#!/usr/bin/env bash
# Builds a stand-in for the `node:20-slim` base image as a rootfs tarball, for machines that cannot pull from a
# registry (only Debian and npm reachable): Debian minbase from mmdebstrap plus this machine's Node.js binary and
# npm, laid out like the official image (/usr/local/bin/node, npm, npx; user `node`, uid 1000). The test of ballast's
# own Dockerfile imports it and builds with `--build-arg NODE_IMAGE=<it>`. Needs root, mmdebstrap and Node.js 20.
# Usage: bash scripts/build-node-base.sh OUT.tar
set -euo pipefail
OUT=${1:?usage: build-node-base.sh OUT.tar}
NODE=$(command -v node)
NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
[ -f "$NPM_DIR/package.json" ] || { echo "error: npm not found next to $(command -v npm)" >&2; exit 2; }
SUITE=${BALLAST_BASE_SUITE:-bookworm}
TMP="$OUT.partial"
# Docs, man pages and locales are dropped while unpacking, as the official slim images do.
mmdebstrap --variant=minbase --format=tar --quiet \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --customize-hook="copy-in $NODE /usr/local/bin" \
  --customize-hook='mkdir -p "$1/usr/local/lib/node_modules"' \
  --customize-hook="copy-in $NPM_DIR /usr/local/lib/node_modules" \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"' \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
  --customize-hook='chroot "$1" groupadd --gid 1000 node' \
  --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/log/*.log' \
  "$SUITE" "$TMP"
mv "$TMP" "$OUT"
