#!/usr/bin/env bash
# Proves what `ballast lint --fix --unsafe-fixes` saves on the corpus's bloated.Dockerfile: builds the original and the
# fixed Dockerfile with buildah from the same demo-app context, analyzes both images with ballast, prints the
# reclaimable bytes (analyze's findingBytes) and wasted bytes of each and the share of the bloated image's reclaimable
# bytes the fix removed, and checks that the fixed image has the same entrypoint/command/user and still serves its
# /healthz as before. Writes the numbers as JSON to OUT (default: WORK/result.json) and exits 1 when less than 75% of
# the reclaimable bytes are gone or the smoke run fails.
#
#   bash scripts/verify-bloated-fix.sh [OUT]
#
# Needs: root, buildah, skopeo, git, npm, python3, the corpus (.corpus or BALLAST_CORPUS_DIR: debian-base.oci) and a
# built ballast (npm run build). apt inside the build uses the base image's sources (the Debian mirror the corpus was
# built with). Private container storage in a temp dir (BALLAST_VERIFY_WORK to keep it somewhere else), removed at the
# end; nothing is written to the corpus.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${BALLAST_CORPUS_DIR:-$ROOT/.corpus}
[ -d "$CORPUS/debian-base.oci" ] || { echo "verify-bloated-fix: no corpus at $CORPUS (set BALLAST_CORPUS_DIR)" >&2; exit 2; }
[ -f "$ROOT/dist/src/commands/index.js" ] || { echo "verify-bloated-fix: run npm run build first" >&2; exit 2; }
WORK=${BALLAST_VERIFY_WORK:-$(mktemp -d /var/tmp/ballast-verify.XXXXXX)}
mkdir -p "$WORK"
OUT=${1:-$WORK/result.json}
BALLAST=(node "$ROOT/bin/run.js")
export BUILDAH_ISOLATION=chroot
bh() { buildah --root "$WORK/storage" --runroot "$WORK/run" --storage-driver overlay "$@"; }
STORE="containers-storage:[overlay@$WORK/storage+$WORK/run]"
CONTAINERS=()
cleanup() {
  local c
  for c in "${CONTAINERS[@]}"; do bh rm "$c" >/dev/null 2>&1 || true; done
  if [ -z "${BALLAST_VERIFY_WORK:-}" ]; then
    bh rmi --all --force >/dev/null 2>&1 || true
    awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" || true; done
    [ "$OUT" = "$WORK/result.json" ] && cp "$OUT" "/var/tmp/ballast-verify-result.json" 2>/dev/null || true
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
say() { printf '[verify %4ss] %s\n' "$SECONDS" "$*" >&2; }

# The demo app as a careless developer's checkout, made as the corpus builder makes it.
say "demo app context"
CTX=$WORK/app
# shellcheck source=corpus/app-context.sh
source "$ROOT/scripts/corpus/app-context.sh"
app_context "$CTX"

say "load debian-base into private storage"
skopeo copy -q "oci:$CORPUS/debian-base.oci:latest" "${STORE}localhost/corpus/debian-base:latest"

# Both builds see the same context: the original build runs before the fix writes .dockerignore into it.
say "build the original"
bh bud --pull=never --layers -f "$ROOT/scripts/corpus/dockerfiles/bloated.Dockerfile" -t localhost/verify/before:latest "$CTX" >"$WORK/before.log" 2>&1
say "ballast lint --fix --unsafe-fixes"
cp "$ROOT/scripts/corpus/dockerfiles/bloated.Dockerfile" "$WORK/fixed.Dockerfile"
"${BALLAST[@]}" lint "$WORK/fixed.Dockerfile" --context "$CTX" --fix --unsafe-fixes --fail-on none >"$WORK/lint-after.txt" || true
diff -u "$ROOT/scripts/corpus/dockerfiles/bloated.Dockerfile" "$WORK/fixed.Dockerfile" >"$WORK/fix.diff" || true
[ -s "$WORK/fix.diff" ] || { echo "verify-bloated-fix: --fix changed nothing" >&2; exit 1; }
say "build the fixed Dockerfile"
bh bud --pull=never --layers -f "$WORK/fixed.Dockerfile" -t localhost/verify/after:latest "$CTX" >"$WORK/after.log" 2>&1

for name in before after; do
  skopeo copy -q "${STORE}localhost/verify/$name:latest" "oci:$WORK/$name.oci:latest"
  say "analyze $name"
  "${BALLAST[@]}" analyze "$WORK/$name.oci" --json >"$WORK/$name.json"
done

# Smoke run: the image's own command (USER, WORKDIR, CMD from its config) on a free loopback port, then /healthz.
smoke() {
  local image=$1 port=$2 ctr cmd
  ctr=$(bh from --pull-never "localhost/verify/$image:latest")
  CONTAINERS+=("$ctr")
  cmd=$(bh inspect --format '{{range .OCIv1.Config.Entrypoint}}{{.}} {{end}}{{range .OCIv1.Config.Cmd}}{{.}} {{end}}' "$ctr")
  bh run --env "PORT=$port" "$ctr" -- sh -c "$cmd >/dev/null 2>&1 & pid=\$!; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.5; out=\$(curl -fsS http://127.0.0.1:$port/healthz) && break; done; kill \$pid; echo \"\$out\""
}
config() { bh inspect --format 'entrypoint={{.OCIv1.Config.Entrypoint}} cmd={{.OCIv1.Config.Cmd}} user={{.OCIv1.Config.User}} workdir={{.OCIv1.Config.WorkingDir}}' --type image "localhost/verify/$1:latest"; }
say "smoke runs"
port=$((20000 + RANDOM % 20000))
before_health=$(smoke before "$port")
after_health=$(smoke after "$((port + 1))")
before_config=$(config before)
after_config=$(config after)
say "before: $before_health $before_config"
say "after:  $after_health $after_config"

python3 - "$WORK" "$OUT" "$before_health" "$after_health" "$before_config" "$after_config" <<'PY'
import json, sys
work, out, bh, ah, bc, ac = sys.argv[1:]
b = json.load(open(f"{work}/before.json"))["summary"]
a = json.load(open(f"{work}/after.json"))["summary"]
gone = 1 - a["findingBytes"] / b["findingBytes"]
result = {
    "before": {k: b[k] for k in ("layers", "uncompressedBytes", "finalFileBytes", "wastedBytes", "findingBytes")},
    "after": {k: a[k] for k in ("layers", "uncompressedBytes", "finalFileBytes", "wastedBytes", "findingBytes")},
    "reclaimableGoneShare": round(gone, 4),
    "healthBefore": bh, "healthAfter": ah, "configBefore": bc, "configAfter": ac,
}
result["ok"] = gone >= 0.75 and ah.startswith('{"ok": true') and bh == ah and bc == ac
json.dump(result, open(out, "w"), indent=1)
print(json.dumps(result, indent=1))
sys.exit(0 if result["ok"] else 1)
PY
