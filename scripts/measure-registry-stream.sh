#!/usr/bin/env bash
# Measures `ballast analyze` of the corpus `big` image pulled from a loopback docker-registry (cold blob cache,
# and --no-cache) against the same image read from its OCI layout, runs interleaved to even out machine load.
# Usage: scripts/measure-registry-stream.sh [ROUNDS]   (needs `npm run build`, docker-registry, skopeo, the corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
layout=.corpus/big.oci
[ -d "$layout" ] || { echo "error: $layout is missing (hint: build the corpus, see scripts/corpus/)" >&2; exit 2; }
work=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
cat >"$work/config.yml" <<YAML
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $work/data } }
http: { addr: 127.0.0.1:$port }
YAML
docker-registry serve "$work/config.yml" 2>/dev/null &
registry_pid=$!
trap 'kill "$registry_pid" 2>/dev/null; wait "$registry_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.2; done
skopeo copy -q --dest-tls-verify=false --preserve-digests "oci:$layout" "docker://127.0.0.1:$port/big:latest"

run() { # name, args...
  local name=$1; shift
  local out
  out=$( { /usr/bin/time -f '%e %U %S %M' node bin/run.js analyze "$@" --json >/dev/null; } 2>&1 | tail -1)
  read -r wall user sys rss <<<"$out"
  echo "$name wall_s=$wall cpu_s=$(echo "$user + $sys" | bc) max_rss_kb=$rss"
}
for round in $(seq "$rounds"); do
  run "layout --no-cache      " "$layout" --no-cache
  run "registry --no-cache    " "docker://127.0.0.1:$port/big:latest" --no-cache
  XDG_CACHE_HOME="$work/cache-$round" run "registry cold cache     " "docker://127.0.0.1:$port/big:latest"
  XDG_CACHE_HOME="$work/cache-$round" run "registry warm cache     " "docker://127.0.0.1:$port/big:latest"
done
