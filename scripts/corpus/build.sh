#!/usr/bin/env bash
# Builds the real-image test corpus into OUT, with real tools only: mmdebstrap makes a Debian 12 rootfs, buildah
# builds the Dockerfiles in dockerfiles/, skopeo writes every image as an OCI layout, OCI archive, docker-archive
# (and zstd variants), umoci edits a layer by hand, and a private Docker Engine builds two of the Dockerfiles again
# and `docker save`s them. Then reference.py (Python, independent of the TypeScript code) measures every artifact
# into OUT/stats/*.json, which is what the corpus tests compare against.
#
#   bash scripts/corpus/build.sh OUT [--no-docker] [--no-multiarch] [--keep-work]
#   bash scripts/corpus/build.sh --fingerprint    prints the hash of the builder's files (OUT/builder.sha256)
#
# Must run as root (buildah, dockerd, mmdebstrap, binfmt_misc). Needs apt access to a Debian mirror and the npm
# registry (`npm ci` of the demo app's lockfile). Scratch space (container storage, rootfs tarballs, dockerd) goes to
# $BALLAST_CORPUS_WORK (default OUT.work), removed at the end unless --keep-work. Other environment:
#   BALLAST_CORPUS_APT_SOURCES  apt sources file for mmdebstrap (default: the host's debian.sources/sources.list)
#   BALLAST_CORPUS_SUITE        Debian suite (default bookworm)
#   SOURCE_DATE_EPOCH           rootfs mtimes (default 1735689600, 2025-01-01)
# Every process it starts (dockerd) is stopped by PID on exit.
set -Eeuo pipefail

SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The builder's fingerprint, written next to the corpus so that setup-tests.sh can tell a corpus made by an
# older builder.
fingerprint() { (cd "$SELF" && find . -type f ! -path '*/__pycache__/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1); }
OUT=
DOCKER=1 MULTIARCH=1 KEEP_WORK=0
for arg in "$@"; do
  case "$arg" in
    --no-docker) DOCKER=0 ;;
    --no-multiarch) MULTIARCH=0 ;;
    --keep-work) KEEP_WORK=1 ;;
    --fingerprint) fingerprint; exit 0 ;;
    -h | --help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
    *) [ -z "$OUT" ] || { echo "build.sh: one OUT directory only" >&2; exit 2; }; OUT=$arg ;;
  esac
done
[ -n "$OUT" ] || { echo "usage: build.sh OUT [--no-docker] [--no-multiarch] [--keep-work]" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "build.sh: run as root (sudo bash $0 $*)" >&2; exit 2; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=${BALLAST_CORPUS_WORK:-$OUT.work}
SUITE=${BALLAST_CORPUS_SUITE:-bookworm}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}
export DEBIAN_FRONTEND=noninteractive
# One layer per RUN/COPY like `docker build`; chroot isolation because the OCI runtimes cannot manage cgroups in
# some sandboxes (nested containers, hybrid cgroups) while chroot works everywhere we run as root.
export BUILDAH_LAYERS=true BUILDAH_ISOLATION=chroot
TAG=localhost/corpus   # the Dockerfiles' FROM lines name localhost/corpus/debian-base
LOG=$OUT/build.log
STARTED=$(date +%s)

say() { printf '[corpus %4ss] %s\n' "$(( $(date +%s) - STARTED ))" "$*" | tee -a "$LOG" >&2; }
# step NAME CMD...: runs CMD with its output in build.log and its duration in timings.tsv; stops the build on failure.
step() {
  local name=$1 t0 rc
  shift
  say "$name"
  t0=$(date +%s)
  # a subshell with errexit, outside any || list, so that the first failing command inside CMD stops it
  set +e
  (set -e; "$@") >>"$LOG" 2>&1
  rc=$?
  set -e
  printf '%s\t%s\n' "$name" "$(( $(date +%s) - t0 ))" >>"$OUT/timings.tsv"
  if [ "$rc" != 0 ]; then say "FAILED: $name (exit $rc); the last lines of $LOG:"; tail -25 "$LOG" >&2; exit "$rc"; fi
}
bh() { buildah --root "$WORK/storage" --runroot "$WORK/run" --storage-driver overlay "$@"; }
STORE="containers-storage:[overlay@$WORK/storage+$WORK/run]"

# ------------------------------------------------------------------------------------------------------ tools
install_tools() {
  local want=(mmdebstrap buildah skopeo umoci zstd python3 git npm ca-certificates uidmap)
  [ "$DOCKER" = 1 ] && want+=(docker.io)
  [ "$MULTIARCH" = 1 ] && want+=(qemu-user-static binfmt-support arch-test)
  local missing=() p
  for p in "${want[@]}"; do
    # npm may come from Node's own installer rather than Debian: only ask apt for it when there is none at all.
    if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

enable_arm64_emulation() {
  [ -e /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64
  [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]
}

# ------------------------------------------------------------------------------------------------------ scratch
DOCKERD_DIR=$WORK/dockerd
stop_dockerd() {
  [ -f "$DOCKERD_DIR/pid" ] || return 0
  local pid
  pid=$(cat "$DOCKERD_DIR/pid")
  # Only the daemon this script started: its PID, and its own data root on the command line.
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--data-root $DOCKERD_DIR/data"; then
    kill "$pid"
    for _ in $(seq 1 100); do [ -e "/proc/$pid" ] || break; sleep 0.2; done
  fi
  rm -f "$DOCKERD_DIR/pid"
}

remove_work() {
  [ -d "$WORK" ] || return 0
  if [ -d "$WORK/storage" ]; then bh rmi --all --force >/dev/null 2>&1 || true; fi
  # overlay mounts left by buildah or dockerd, innermost first
  awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
  rm -rf "$WORK"
}

finish() {
  stop_dockerd || true
  if [ "$KEEP_WORK" = 0 ]; then remove_work || true; fi
}
trap finish EXIT

# ------------------------------------------------------------------------------------------------------ inputs
apt_sources_file() {
  local f
  for f in "${BALLAST_CORPUS_APT_SOURCES:-}" /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    [ -n "$f" ] && [ -s "$f" ] && grep -qE '^[^#]*(URIs:|deb )' "$f" && { echo "$f"; return; }
  done
  return 0
}

# rootfs ARCH TARBALL: a Debian minbase rootfs, as the official debian images are made (no /dev entries).
rootfs() {
  local sources
  sources=$(apt_sources_file)
  mmdebstrap --variant=minbase --arch="$1" --skip=output/dev --format=tar "$SUITE" "$2" ${sources:+"$sources"}
}

# app_context DIR: the demo app's build context (app-context.sh; scripts/verify-bloated-fix.sh makes it the same way).
# shellcheck source=app-context.sh
source "$SELF/app-context.sh"

# ------------------------------------------------------------------------------------------------------ buildah
# bud NAME CONTEXT [buildah bud flags...]: builds dockerfiles/NAME.Dockerfile as localhost/corpus/NAME:latest
bud() {
  local name=$1 ctx=$2
  shift 2
  bh bud --pull=never --layers -f "$SELF/dockerfiles/$name.Dockerfile" -t "$TAG/$name:latest" "$@" "$ctx"
}

build_images() {
  step "mmdebstrap amd64" rootfs amd64 "$WORK/base-amd64/rootfs.tar"
  step "buildah debian-base" bud debian-base "$WORK/base-amd64" --platform linux/amd64
  step "demo app context" app_context "$WORK/app"
  step "buildah bloated" bud bloated "$WORK/app"
  step "buildah slim" bud slim "$WORK/app"
  mkdir -p "$WORK/empty"
  step "buildah big" bud big "$WORK/empty"
  step "buildah toolchain" bud toolchain "$WORK/empty"
  if [ "$MULTIARCH" = 1 ]; then
    # multiarch.Dockerfile starts FROM debian-base:$TARGETARCH: one base per platform.
    step "tag debian-base:amd64" bh tag "$TAG/debian-base:latest" "$TAG/debian-base:amd64"
    step "mmdebstrap arm64 (qemu)" rootfs arm64 "$WORK/base-arm64/rootfs.tar"
    step "buildah debian-base arm64" bh bud --pull=never --layers --platform linux/arm64 \
      -f "$SELF/dockerfiles/debian-base.Dockerfile" -t "$TAG/debian-base:arm64" "$WORK/base-arm64"
    step "buildah multiarch" bh bud --pull=never --layers --platform linux/amd64,linux/arm64 \
      --manifest "$TAG/multiarch:latest" -f "$SELF/dockerfiles/multiarch.Dockerfile" "$WORK/empty"
  fi
}

# ------------------------------------------------------------------------------------------------------ exports
# every_layer_is_zstd LAYOUT: skopeo silently keeps gzip when it cannot recompress; the zstd artifacts must be zstd.
every_layer_is_zstd() {
  python3 - "$1" <<'EOF'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
def doc(digest):
    return json.loads((root / "blobs" / digest.replace(":", "/", 1)).read_text())
todo = [d["digest"] for d in json.loads((root / "index.json").read_text())["manifests"]]
while todo:
    m = doc(todo.pop())
    todo += [d["digest"] for d in m.get("manifests", [])]
    for layer in m.get("layers", []):
        if not layer["mediaType"].endswith("+zstd"):
            sys.exit(f"{root}: {layer['digest']} is {layer['mediaType']}")
EOF
}

export_formats() { # NAME
  local n=$1 src="$STORE$TAG/$1:latest"
  rm -rf "${OUT:?}/$n".*
  step "$n -> oci" skopeo copy -q "$src" "oci:$OUT/$n.oci:latest"
  # --preserve-digests: the archive holds exactly the layout's blobs, so both give the same digests
  step "$n -> oci-archive" skopeo copy -q --preserve-digests "oci:$OUT/$n.oci:latest" "oci-archive:$OUT/$n.oci.tar:latest"
  step "$n -> docker-archive" skopeo copy -q "$src" "docker-archive:$OUT/$n.docker.tar:$TAG/$n:latest"
  case "$n" in
    bloated | big)
      step "$n -> oci (zstd)" skopeo copy -q --dest-compress-format zstd "$src" "oci:$OUT/$n.zstd.oci:latest"
      step "$n zstd check" every_layer_is_zstd "$OUT/$n.zstd.oci"
      step "$n -> oci-archive (zstd)" skopeo copy -q --preserve-digests "oci:$OUT/$n.zstd.oci:latest" "oci-archive:$OUT/$n.zstd.oci.tar:latest"
      ;;
  esac
}

# export_rule_image NAME: an image for one rule's tests, as an OCI layout under OUT/rules/ only: outside the
# artifact globs below, so reference.py does not measure it and the corpus-wide tests do not iterate over it.
export_rule_image() {
  rm -rf "${OUT:?}/rules/$1.oci"
  mkdir -p "$OUT/rules"
  skopeo copy -q "$STORE$TAG/$1:latest" "oci:$OUT/rules/$1.oci:latest"
}

# umoci_edit: a layer written by a third tar writer, from edits made on an unpacked rootfs: a directory and a file
# deleted, a file rewritten, a mode-only change, a 16 MiB file with a hard link to it, and a symlink.
umoci_edit() {
  local u=$WORK/umoci root
  rm -rf "$u"
  mkdir -p "$u"
  skopeo copy -q --preserve-digests "oci:$OUT/debian-base.oci:latest" "oci:$u/image:latest"
  umoci unpack --image "$u/image:latest" "$u/bundle"
  root=$u/bundle/rootfs
  rm -r "$root/usr/share/doc"
  rm "$root/etc/motd"
  printf 'Debian GNU/Linux 12 (edited by umoci) \\n \\l\n' >"$root/etc/issue"
  chmod 600 "$root/etc/debian_version"
  mkdir -p "$root/opt/data"
  python3 -c 'import random, sys; sys.stdout.buffer.write(random.Random(5).randbytes(16 << 20))' >"$root/opt/data/blob.bin"
  ln "$root/opt/data/blob.bin" "$root/opt/data/blob-hardlink.bin"
  ln -s /opt/data/blob.bin "$root/usr/local/bin/blob"
  umoci repack --image "$u/image:latest" "$u/bundle"
  umoci config --image "$u/image:latest" --author "corpus umoci-edit" --config.cmd /bin/bash \
    --config.label org.opencontainers.image.title=corpus-umoci-edit
  umoci gc --layout "$u/image"
  rm -rf "$OUT"/umoci-edit.*
  skopeo copy -q --preserve-digests "oci:$u/image:latest" "oci:$OUT/umoci-edit.oci:latest"
  skopeo copy -q --preserve-digests "oci:$u/image:latest" "oci-archive:$OUT/umoci-edit.oci.tar:latest"
  skopeo copy -q "oci:$u/image:latest" "docker-archive:$OUT/umoci-edit.docker.tar:$TAG/umoci-edit:latest"
}

export_multiarch() {
  rm -rf "$OUT"/multiarch.*
  bh manifest push --all --format oci "$TAG/multiarch:latest" "oci:$OUT/multiarch.oci:latest"
  skopeo copy -q --all --preserve-digests "oci:$OUT/multiarch.oci:latest" "oci-archive:$OUT/multiarch.oci.tar:latest"
}

# ------------------------------------------------------------------------------------------------------ docker
# A private dockerd: own data and exec roots and socket under WORK, no bridge, no iptables, so it touches no other
# daemon and no network configuration. The Debian CLI (/usr/bin/docker) is used because it still drives both the
# classic builder and BuildKit without the buildx plugin.
dk() { DOCKER_HOST="unix://$DOCKERD_DIR/sock" /usr/bin/docker "$@"; }

start_dockerd() {
  mkdir -p "$DOCKERD_DIR"
  setsid dockerd --data-root "$DOCKERD_DIR/data" --exec-root "$DOCKERD_DIR/exec" --pidfile "$DOCKERD_DIR/pid" \
    -H "unix://$DOCKERD_DIR/sock" --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --storage-driver overlay2 </dev/null >"$DOCKERD_DIR/log" 2>&1 &
  for _ in $(seq 1 120); do
    dk version >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "dockerd did not answer; its log:"
  tail -20 "$DOCKERD_DIR/log"
  return 1
}

docker_engine() {
  local d=$OUT/docker-engine
  rm -rf "$d"
  mkdir -p "$d"
  step "dockerd start" start_dockerd
  step "docker load debian-base" dk load -i "$OUT/debian-base.docker.tar"
  step "docker build bloated (classic)" env DOCKER_BUILDKIT=0 DOCKER_HOST="unix://$DOCKERD_DIR/sock" /usr/bin/docker build \
    --network host -f "$SELF/dockerfiles/bloated.Dockerfile" -t "$TAG/bloated:docker-classic" "$WORK/app"
  step "docker build slim (BuildKit)" env DOCKER_BUILDKIT=1 DOCKER_HOST="unix://$DOCKERD_DIR/sock" /usr/bin/docker build \
    --progress plain --network host -f "$SELF/dockerfiles/slim.Dockerfile" -t "$TAG/slim:docker-buildkit" "$WORK/app"
  step "docker save bloated" dk save -o "$d/bloated.docker-classic.tar" "$TAG/bloated:docker-classic"
  step "docker save slim" dk save -o "$d/slim.docker-buildkit.tar" "$TAG/slim:docker-buildkit"
  step "docker save base+slim" dk save -o "$d/base+slim.multi-image.tar" "$TAG/debian-base:latest" "$TAG/slim:docker-buildkit"
  chmod 644 "$d"/*.tar # docker save writes 0600; the tests may run as another user
  dk version --format 'docker engine {{.Server.Version}}' >>"$OUT/versions.txt"
  step "dockerd stop" stop_dockerd
}

# ------------------------------------------------------------------------------------------------------ reference
# stats: reference.py over every artifact, two at a time. The file name is the artifact path with / as __.
stats() {
  local a name pids=()
  rm -rf "$OUT/stats.tmp"
  mkdir -p "$OUT/stats.tmp"
  for a in "$OUT"/*.oci "$OUT"/*.oci.tar "$OUT"/*.docker.tar "$OUT"/docker-engine/*.tar; do
    [ -e "$a" ] || continue
    name=${a#"$OUT/"}
    python3 "$SELF/reference.py" --json "$OUT/stats.tmp/${name//\//__}.json" "$a" >/dev/null &
    pids+=($!)
    if [ "${#pids[@]}" = 2 ]; then wait "${pids[0]}"; pids=("${pids[1]}"); fi
  done
  for p in "${pids[@]}"; do wait "$p"; done
  # stats/ appears only when complete: the tests take its presence to mean "corpus ready".
  rm -rf "$OUT/stats"
  mv "$OUT/stats.tmp" "$OUT/stats"
}

# ------------------------------------------------------------------------------------------------------ main
rm -rf "$OUT/stats" # no stale "ready" marker while rebuilding
: >"$LOG"
: >"$OUT/timings.tsv"
say "building the corpus into $OUT (scratch: $WORK)"
step "install tools" install_tools
step "remove old scratch" remove_work
mkdir -p "$WORK/base-amd64" "$WORK/base-arm64"
{
  echo "date: $(date -u +%FT%TZ)"
  echo "kernel: $(uname -srm)"
  dpkg-query -W mmdebstrap buildah skopeo umoci zstd docker.io qemu-user-static 2>/dev/null || true
  echo "npm: $(npm --version)"
} >"$OUT/versions.txt"
if [ "$MULTIARCH" = 1 ] && ! enable_arm64_emulation >>"$LOG" 2>&1; then
  say "no binfmt_misc/qemu-aarch64 here: building without the multiarch image"
  MULTIARCH=0
fi

build_images
for image in debian-base bloated slim big; do export_formats "$image"; done
step "toolchain -> rules/toolchain.oci" export_rule_image toolchain
step "umoci-edit" umoci_edit
if [ "$MULTIARCH" = 1 ]; then step "multiarch -> oci, oci-archive" export_multiarch; fi
if [ "$DOCKER" = 1 ]; then docker_engine; fi
step "reference numbers (reference.py)" stats
fingerprint >"$OUT/builder.sha256"
printf 'total\t%s\n' "$(( $(date +%s) - STARTED ))" >>"$OUT/timings.tsv"
say "done: $(ls "$OUT/stats" | wc -l) artifacts measured in $OUT/stats"
