#!/usr/bin/env bash
# Rebuilds examples/demo/demo.tar, the demo image, with real tools only: Debian's busybox-static for the
# rootfs, buildah (chroot isolation, one layer per instruction) to build, skopeo's docker-archive writer
# (via `buildah push`) to save. Needs root on Debian/Ubuntu with apt access. Usage: bash examples/demo/build.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /var/tmp/ballast-demo.XXXXXX)
trap 'buildah --root "$WORK/storage" --runroot "$WORK/run" rm --all >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
export DEBIAN_FRONTEND=noninteractive
for p in buildah busybox-static; do
  dpkg -s "$p" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$p"; }
done

# Build context: a minimal busybox rootfs plus the app.
CTX="$WORK/context"
mkdir -p "$CTX/rootfs/bin" "$CTX/rootfs/tmp" "$CTX/rootfs/etc"
cp /bin/busybox "$CTX/rootfs/bin/busybox"
for applet in sh ls cat echo mkdir rm chmod head cp mv; do ln -s busybox "$CTX/rootfs/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/app:/bin/sh\n' > "$CTX/rootfs/etc/passwd"
chmod 1777 "$CTX/rootfs/tmp"
cp -r "$HERE/context-src/app" "$CTX/app"
mkdir -p "$CTX/app/static"
# A stand-in for a front-end bundle, big enough that the chmod copy of /app shows.
head -c 300000 /dev/urandom | base64 > "$CTX/app/static/bundle.js"
chmod 0644 "$CTX/app/run.sh" "$CTX/app/static/bundle.js"

B=(buildah --root "$WORK/storage" --runroot "$WORK/run" --storage-driver vfs)
"${B[@]}" bud --isolation chroot --layers --timestamp 1735689600 -f "$HERE/Dockerfile" -t localhost/ballast-demo:latest "$CTX"
rm -f "$HERE/demo.tar"
"${B[@]}" push localhost/ballast-demo:latest "docker-archive:$HERE/demo.tar:ballast-demo:latest"
ls -l "$HERE/demo.tar"
