# shellcheck shell=bash
# Sourced by build.sh and scripts/verify-bloated-fix.sh: app_context DIR makes the demo app's build context.
# The app's sources, next to this file:
APP_CONTEXT_SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/app

# app_context DIR: the demo app as a careless developer's checkout: dependencies installed, bytecode compiled,
# a .env with (fake) secrets, and a git history holding an 8 MiB file that was committed and later removed.
app_context() {
  local dir=$1
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -r "$APP_CONTEXT_SOURCE/." "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  python3 -m compileall -q "$dir/app.py" "$dir/tools" "$dir/tests"
  printf '%s\n' 'DATABASE_URL=postgres://app:corpus-not-a-real-password@db:5432/app' 'API_TOKEN=corpus-fake-token-0000000000' >"$dir/.env"
  (
    cd "$dir" || exit
    export GIT_AUTHOR_NAME=corpus GIT_COMMITTER_NAME=corpus GIT_AUTHOR_EMAIL=corpus@example.invalid GIT_COMMITTER_EMAIL=corpus@example.invalid
    commit_on() { export GIT_AUTHOR_DATE="$1T00:00:00Z" GIT_COMMITTER_DATE="$1T00:00:00Z"; shift; git commit -q -m "$*"; }
    git init -q -b main .
    git add -A
    commit_on 2025-01-01 initial import
    python3 -c 'import random, sys; sys.stdout.buffer.write(random.Random(3).randbytes(8 << 20))' >demo-video.bin
    git add demo-video.bin
    commit_on 2025-01-02 add demo video
    git rm -q demo-video.bin
    commit_on 2025-01-03 'remove demo video (too big)'
  )
}
