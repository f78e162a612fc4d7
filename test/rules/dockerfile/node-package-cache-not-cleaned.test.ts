import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/node-package-cache-not-cleaned.js';

// Inserts `--package-import-method=copy` into each pnpm command but `pnpm store`: pnpm then copies the store's files
// into node_modules, and the store's place and cleanup decide.
const copying = (code: string) => code.replace(/(?<=^|[\s&;(|])pnpm (?!store)/gm, 'pnpm --package-import-method=copy ');
// Stores removed or mounted: clean whether pnpm links or copies.
const pnpmValid = [
  'FROM node:20\nENV PNPM_HOME=/pnpm\nRUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile',
  // A cache mount on the store or a directory above it.
  'FROM node:20\nRUN --mount=type=cache,target=/root/.local/share/pnpm pnpm install',
  'FROM node:20\nUSER 1000\nRUN --mount=type=cache,target=/home/node/.local/share/pnpm/store,uid=1000 pnpm install',
  'FROM node:20\nRUN --mount=type=cache,target=/tmp/s pnpm install --store-dir /tmp/s',
  // The store where pnpm reads it: --store-dir, npm_config_store_dir (on the command, exported before it, ENV/ARG),
  // else $PNPM_HOME/store (the same).
  'FROM node:20\nRUN npm_config_store_dir=/tmp/s pnpm install && rm -rf /tmp/s',
  'FROM node:20\nENV NPM_CONFIG_STORE_DIR=/tmp/s\nRUN pnpm install && rm -rf /tmp/s',
  'FROM node:20\nRUN PNPM_HOME=/pnpm pnpm install && rm -rf /pnpm/store',
  'FROM node:20\nRUN export PNPM_HOME=/pnpm && pnpm install && rm -rf /pnpm',
  'FROM node:20\nRUN export npm_config_store_dir=/tmp/s && export PNPM_HOME=/pnpm && pnpm install && rm -rf /tmp/s',
  // An rm of the store (or a directory above it, not /): the user's ~/.local/share/pnpm/store, $PNPM_HOME/store, or
  // the --store-dir given.
  'FROM node:20\nRUN pnpm install && rm -rf /root/.local/share/pnpm/store',
  'FROM node:20\nUSER node\nRUN pnpm install && rm -rf ~/.local/share/pnpm',
  'FROM node:20\nENV PNPM_HOME=/pnpm\nRUN pnpm install && rm -rf /pnpm/store',
  'FROM node:20\nRUN pnpm install --store-dir /tmp/s && rm -rf /tmp/s',
  // A relative store is under the WORKDIR (or where a `cd` in effect went), and XDG_DATA_HOME on the command or
  // exported moves the default store as one from ENV/ARG does.
  'FROM node:20\nWORKDIR /app\nRUN pnpm install --store-dir .s && rm -rf /app/.s',
  'FROM node:20\nWORKDIR /app\nRUN --mount=type=cache,target=/app/.s pnpm install --store-dir .s',
  'FROM node:20\nWORKDIR /app\nRUN cd web && pnpm install --store-dir .s && rm -rf .s',
  // pnpm runs as if in its --dir (-C): a relative store is read from there.
  'FROM node:20\nWORKDIR /app\nRUN pnpm -C web install --store-dir .s && rm -rf web/.s',
  'FROM node:20\nWORKDIR /app\nRUN pnpm --dir=web install --store-dir .s && rm -rf /app/web/.s',
  'FROM node:20\nRUN XDG_DATA_HOME=/tmp/x pnpm install && rm -rf /tmp/x/pnpm',
  'FROM node:20\nRUN export XDG_DATA_HOME=/tmp/x && pnpm install && rm -rf /tmp/x',
  'FROM node:20 AS build\nWORKDIR /app\nRUN pnpm install --store-dir /opt/s\nFROM node:20\nCOPY --from=build /app /app',
  'FROM node:20\nRUN pnpm install && rm -rf /root/.local/*',
];
// Stores left in the layer (see the invalid rows, where pnpm copies).
const pnpmLeft = [
  // `pnpm store prune` removes only packages no project uses (pnpm's docs): right after an install, whose project
  // uses them all, it leaves the store as it was, even the store it itself uses.
  'RUN pnpm install && pnpm store prune',
  'RUN pnpm install --store-dir /tmp/s && pnpm store prune --store-dir=/tmp/s',
  'RUN export npm_config_store_dir=/tmp/s && pnpm install && pnpm store prune',
  'WORKDIR /app\nRUN cd web && pnpm install --store-dir .s && pnpm store prune --store-dir .s',
  'WORKDIR /app\nRUN pnpm --dir web install --store-dir .s && pnpm --dir web store prune --store-dir .s',
  'RUN pnpm install && rm -rf /usr/local/bin/pnpm',
  'RUN pnpm install && rm -rf node_modules/.pnpm',
  'RUN pnpm install && rm -rf /root/.cache/pnpm',
  'USER node\nRUN pnpm install && rm -rf /root/.local/share/pnpm',
  'RUN pnpm install --store-dir /tmp/s && rm -rf /root/.local/share/pnpm/store',
  'RUN pnpm install && rm -rf /',
  // A mount beside the store, or a prune or rm of another store than the one pnpm used.
  'RUN --mount=type=cache,target=/root/.cache/pnpm pnpm install',
  'RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile',
  'RUN pnpm install --store-dir /tmp/s && pnpm store prune',
  'RUN pnpm install && pnpm store prune --store-dir /tmp/s',
  'RUN npm_config_store_dir=/tmp/s pnpm install && rm -rf /root/.local/share/pnpm/store',
  'RUN export PNPM_HOME=/pnpm && pnpm install && rm -rf /root/.local/share/pnpm',
  'RUN (export PNPM_HOME=/pnpm; pnpm install) && pnpm install && rm -rf /pnpm',
  // Regression (fix sweep s35): a relative store was not resolved (an `rm` after another `cd` counted, the stage
  // shipping the WORKDIR did not), and XDG_DATA_HOME was read from ENV/ARG only.
  'WORKDIR /app\nRUN cd web && pnpm install --store-dir .s && cd .. && rm -rf .s',
  'WORKDIR /app\nRUN cd web && pnpm install --store-dir .s && cd .. && pnpm store prune --store-dir .s',
  'RUN XDG_DATA_HOME=/tmp/x pnpm install && rm -rf /root/.local/share/pnpm',
  'RUN export XDG_DATA_HOME=/tmp/x && pnpm install && rm -rf /root/.local',
  'AS build\nWORKDIR /app\nRUN pnpm install --store-dir .s\nFROM node:20\nCOPY --from=build /app /app',
  'AS build\nRUN XDG_DATA_HOME=/opt/x pnpm install\nFROM node:20\nCOPY --from=build /opt/x /opt/x',
  // Regression (fix sweep s36): pnpm's --dir (-C) hid the install, and a relative store was read from the WORKDIR.
  'WORKDIR /app\nRUN pnpm -C web install --store-dir .s && rm -rf .s',
  'RUN pnpm install',
  'RUN pnpm --dir web install',
  'USER 1000\nRUN pnpm add x',
  'USER node:node\nRUN pnpm install',
  // Regression (fix sweep s35): a `*` in an `rm` was read as matching dot-directories, which the shell's `*` does not.
  'RUN pnpm install && rm -rf /root/*',
  // Regression (fix sweep s36): removing a sub-directory of the store (or its contents by glob) was read as removing
  // the store; its other files stay.
  'RUN pnpm install --store-dir /tmp/s && rm -rf /tmp/s/v3/*',
];

ruleTester.run(rule, {
  valid: [
    ...pnpmValid,
    ...pnpmValid.map(copying),
    // pnpm's default package-import-method hard-links the store's files into node_modules (one filesystem in a RUN
    // without a cache mount): the store's files are node_modules' files, and only its index adds to the layer.
    ...pnpmLeft.map((run) => `FROM node:20${run.startsWith('AS ') ? ' ' : '\n'}${run}`),
    // Told to link or clone (clone falls back to nothing on overlayfs, hardlink links), or to copy only by a setting
    // that does not reach pnpm: the option wins over the variable, an export after pnpm or in an ended subshell.
    'FROM node:20\nRUN pnpm install --package-import-method hardlink',
    'FROM node:20\nRUN pnpm install --package-import-method=clone',
    'FROM node:20\nRUN npm_config_package_import_method=auto pnpm install',
    'FROM node:20\nENV NPM_CONFIG_PACKAGE_IMPORT_METHOD=copy\nRUN pnpm install --package-import-method=hardlink',
    'FROM node:20\nENV NPM_CONFIG_PACKAGE_IMPORT_METHOD=copy\nRUN npm_config_package_import_method=hardlink pnpm install',
    'FROM node:20\nRUN pnpm install && export npm_config_package_import_method=copy',
    'FROM node:20\nRUN (export npm_config_package_import_method=copy) && pnpm install',
    'FROM node:20\nRUN npm ci && rm -rf ~/.npm',
    'FROM node:20\nRUN npm ci --cache /tmp/npm-cache && rm -rf /tmp/npm-cache',
    'FROM node:20\nENV npm_config_cache=/tmp/.npm\nRUN npm ci && rm -rf /tmp/.npm',
    'FROM node:20\nENV NPM_CONFIG_CACHE=/cache/npm\nRUN --mount=type=cache,target=/cache npm ci',
    'FROM node:20\nRUN set -eux; export npm_config_cache=/tmp/n; npm ci; rm -rf /tmp/n',
    // A build stage from which only the output is copied: its cache does not ship.
    'FROM node:20 AS build\nRUN npm ci && npm run build\nFROM node:20-slim\nCOPY --from=build /app/dist /app/dist',
    'FROM node:20\nRUN npm ci && npm cache clean --force',
    'FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci',
    // The builder reads mount option names and the type in any case, and `dst` for `target` (see mountSpec).
    'FROM node:20\nRUN --mount=TYPE=Cache,Target=/root/.npm npm ci',
    'FROM node:20\nRUN --mount=type=cache,dst=/root/.npm npm ci',
    'FROM node:20\nRUN npm run build',
    // npm caches in the home of the USER in effect (report hunt precision #5).
    '# syntax=docker/dockerfile:1\nFROM node:20-slim\nWORKDIR /home/node/app\nUSER node\nCOPY --chown=node:node package.json package-lock.json ./\nRUN --mount=type=cache,target=/home/node/.npm,uid=1000 npm ci --omit=dev\nCMD ["node", "index.js"]',
    'FROM node:20 AS base\nUSER node\nFROM base\nRUN npm ci && rm -rf /home/node/.npm',
    // npm and the `rm` run as the same user: `~` is that user's home for both, known or not.
    'FROM node:20\nUSER node\nRUN npm ci && rm -rf ~/.npm',
    'FROM node:20\nUSER node\nRUN npm ci && rm -rf $HOME/.npm/_cacache',
    'FROM node:20\nUSER 1000\nRUN npm ci && rm -rf ~/.npm',
    'FROM node:20\nUSER 1000\nRUN npm ci && rm -rf ${HOME}/.npm',
    'FROM node:20\nUSER app\nENV HOME=/srv/app\nRUN --mount=type=cache,target=/srv/app/.npm npm ci',
    // A numeric UID's home is unknown: any .npm cache mount is taken as its cache.
    'FROM node:20\nUSER 1000\nRUN --mount=type=cache,target=/home/node/.npm npm ci',
    // Unquoted it is the home; so is a quoted `~/`, which npm itself reads as the home.
    'FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci --cache "$HOME/.npm"',
    "FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci --cache '~/.npm'",
    // A quoted `'$C'` elsewhere in the command leaves the unquoted `$C` expanded (it was taken as written too).
    ...["npm ci --cache $C --userconfig '$C'", "npm_config_cache=$C npm ci '$C'"].map(
      (script) => `FROM node:20\nARG C=/cache\nRUN --mount=type=cache,target=/cache ${script}`,
    ),
    // A relative cache is under the WORKDIR: a mount there covers it, removing it there cleans it, and a stage whose
    // other paths are copied out does not ship it.
    'FROM node:20\nWORKDIR /app\nRUN --mount=type=cache,target=/app/.npm npm ci --cache .npm',
    'FROM node:20\nWORKDIR /app\nRUN npm ci --cache .npm && rm -rf .npm',
    'FROM node:20\nWORKDIR /app\nRUN npm_config_cache=cache npm ci && rm -rf ./cache/*',
    'FROM node:20 AS build\nWORKDIR /srv\nRUN npm ci --cache .npm\nFROM node:20-slim\nCOPY --from=build /app/dist /app/dist',
    // After a `cd` a relative cache is under the directory cd chose: an `rm` there (no `cd` between) removes it.
    'FROM node:20\nWORKDIR /app\nRUN cd web && npm ci --cache .npm && rm -rf ./.npm',
    // `cd` does not move the cache in the home.
    'FROM node:20\nWORKDIR /app\nRUN cd web && npm ci && rm -rf ~/.npm',
    // Each install's cache cleaned: a `npm cache clean` with the same `--cache` cleans that one.
    'FROM node:20\nRUN npm ci --cache /tmp/c && npm install x && npm cache clean --force --cache /tmp/c && rm -rf ~/.npm',
    'FROM node:20\nENV npm_config_cache=/tmp/c\nRUN npm ci && npm cache clean --force',
    // Removing the cache's `_cacache` (or what is in it) cleans that cache.
    'FROM node:20\nRUN npm ci --cache /tmp/b && rm -rf /tmp/b/_cacache',
    'FROM node:20\nRUN npm ci && rm -rf /root/.npm/_cacache/*',
    'FROM node:20\nRUN npm ci && rm -rf /root/.npm/*',
    // npm takes the last --cache given (read as DF006/DF007 read theirs, caches.ts cacheDirAt).
    'FROM node:20\nRUN npm ci --cache /tmp/a --cache=/tmp/b && rm -rf /tmp/b',
    'FROM node:20\nWORKDIR /app\nRUN npm ci --cache .npm && rm -rf .npm/*',
    'FROM node:20\nWORKDIR /app\nRUN npm ci --cache .npm && rm -rf .npm/_cacache',
    // An export sets the cache of the installs after it.
    'FROM node:20\nRUN npm ci && export npm_config_cache=/tmp/n && npm install x && rm -rf ~/.npm /tmp/n',
    // A `cd` or `export` in a `{ ...; }` group persists after it (only a `( ... )` subshell ends with them).
    'FROM node:20\nWORKDIR /app\nRUN { cd web && npm ci --cache .npm; } && rm -rf .npm',
    'FROM node:20\nRUN { export npm_config_cache=/tmp/n; npm ci; } && npm ci && rm -rf /tmp/n',
    // ...and inside the subshell, for the commands after it there.
    'FROM node:20\nWORKDIR /app\nRUN (cd web && npm ci --cache .npm && rm -rf .npm)',
    'FROM node:20\nWORKDIR /app\nRUN bash -c "cd web && npm ci --cache .npm && rm -rf .npm"',
    // A `cd` in a pipeline part ends with it (bash and dash run each part in a subshell): the `rm` runs in the
    // WORKDIR, where the cache is (the `cd /tmp` was taken to hold, so the cache was reported as left).
    'FROM node:20\nWORKDIR /app\nRUN npm ci --cache .npm && cd /tmp | true && rm -rf .npm',
  ],
  invalid: [
    // Regression (fix sweep s35): a `*` in an `rm` was read as matching dot-directories (.npm), which the shell's `*`
    // does not; `rm -rf /root/.npm/*` still empties the cache (see the valid rows).
    ...[
      ['WORKDIR /app\nRUN npm ci --cache .npm && rm -rf *', 'npm'],
      ['WORKDIR /app\nRUN npm ci --cache .npm && rm -rf ./*', 'npm'],
      ['WORKDIR /app\nRUN cd web && npm ci --cache .npm && rm -rf *', 'npm'],
      ['RUN npm ci && rm -rf /root/*', 'npm'],
      ['RUN npm ci && rm -rf ~/*', 'npm'],
      // Regression (fix sweep s36): removing a sub-directory of the cache (or its contents by glob) was read as
      // removing the cache; the rest of it stays (content-v2/ besides index-v5/, the store's other files).
      ['RUN npm ci && rm -rf /root/.npm/_cacache/index-v5/*', 'npm'],
      ['RUN npm ci --cache /tmp/n && rm -rf /tmp/n/_cacache/content-v2/*', 'npm'],
    ].map(([run, messageId]) => ({
      code: `FROM node:20\n${run}`,
      errors: [{ messageId: messageId as 'npm' }],
    })),
    // Regression (fix sweep s34): any `rm` of a `_cacache` counted as cleaning every cache, another cache's too.
    ...[
      ['npm ci --cache /tmp/b && rm -rf /tmp/a/_cacache', '/tmp/b'],
      ['npm ci && rm -rf /tmp/_cacache', '/root/.npm'],
      ['npm ci --cache /tmp/b && rm -rf ~/.npm/_cacache', '/tmp/b'],
    ].map(([script, cache]) => ({
      code: `FROM node:20\nRUN ${script}`,
      errors: [
        {
          messageId: 'npm' as const,
          message: `\`npm ci\` leaves its download cache (${cache}/_cacache) in this layer; add \`&& npm cache clean --force${cache === '/root/.npm' ? '' : ` --cache ${cache}`}\` or use \`--mount=type=cache,target=${cache}\`.`,
        },
      ],
    })),
    // Regression (fix sweep s34): an `export npm_config_cache` set the cache of the installs before it too.
    {
      code: 'FROM node:20\nRUN npm ci && export npm_config_cache=/tmp/n && rm -rf /tmp/n',
      errors: [
        {
          messageId: 'npm',
          message:
            '`npm ci` leaves its download cache (/root/.npm/_cacache) in this layer; add `&& npm cache clean --force --cache /root/.npm` or use `--mount=type=cache,target=/root/.npm`.',
        },
      ],
      output:
        'FROM node:20\nRUN npm ci && export npm_config_cache=/tmp/n && rm -rf /tmp/n && npm cache clean --force --cache /root/.npm',
    },
    // Root's cache is not where another user's npm put its downloads.
    ...['USER node', 'USER 1000'].map((user) => ({
      code: `FROM node:20\n${user}\nRUN npm ci && rm -rf /root/.npm`,
      errors: [{ messageId: 'npm' as const }],
    })),
    // ... and one whose WORKDIR is copied out ships it.
    ...['npm ci --cache .npm', 'npm_config_cache=.npm npm ci'].map((script) => ({
      code: `FROM node:20 AS build\nWORKDIR /app\nRUN ${script}\nFROM node:20-slim\nCOPY --from=build /app /app`,
      errors: [
        {
          messageId: 'npm' as const,
          line: 3,
          message: `\`npm ci\` leaves its download cache (/app/.npm/_cacache) in this layer; add \`&& npm cache clean --force --cache /app/.npm\` or use \`--mount=type=cache,target=/app/.npm\`.`,
        },
      ],
    })),
    // Regression (fix sweep s37): a cache under an unknown home (`~`) or with a `$` the ARG/ENV values leave open got a
    // plain `npm cache clean --force`, which empties the default cache: the advice names it, written so the shell
    // expands it as it did for the install (`~/` bare, a `$` in double quotes, a `$` npm took as written in single). Such a cache, `$` and all, is no path a
    // mount target can name (BuildKit would expand it).
    ...[
      [
        'USER 1000\nWORKDIR /app\nRUN npm ci --cache ~/.npm-x',
        '~/.npm-x',
        '~/.npm-x',
        '<home>/.npm-x,uid=1000,gid=<GID of user 1000>',
      ],
      ['ARG C\nRUN npm ci --cache "$C"', '$C', '"$C"', '<cache directory>'],
      ['ARG C\nRUN npm_config_cache=$C/n npm ci', '$C/n', '"$C/n"', '<cache directory>'],
      [
        'USER 1000\nRUN npm ci --cache "$HOME/.n p"',
        '~/.n p',
        "~/'.n p'",
        '<home>/.n p,uid=1000,gid=<GID of user 1000>',
      ],
      [
        'USER 1000\nARG C\nRUN npm ci --cache ~/"$C"',
        '~/$C',
        '~/"$C"',
        '<cache directory>,uid=1000,gid=<GID of user 1000>',
      ],
      ["WORKDIR /app\nRUN npm ci --cache '$HOME/.npm'", '/app/$HOME/.npm', "'/app/$HOME/.npm'", '<cache directory>'],
      ["RUN npm ci --cache '/cache/$C'", '/cache/$C', "'/cache/$C'", '<cache directory>'],
    ].map(([run, cache, word, target]) => ({
      code: `FROM node:20\n${run}`,
      errors: [
        {
          messageId: 'npm' as const,
          message: `\`npm ci\` leaves its download cache (${cache}/_cacache) in this layer; add \`&& npm cache clean --force --cache ${word}\` or use \`--mount=type=cache,target=${target}\`.`,
        },
      ],
      output: `FROM node:20\n${run} && npm cache clean --force --cache ${word}`,
    })),
    // ... and where the variable (or HOME) is set again after the install, or the subshell that set it ends, the same
    // words name another directory at the end: the advice is to clean before that, and no fix is offered.
    ...[
      ['ARG C\nRUN npm ci --cache "$C" && export C=/tmp/x', '$C', '"$C"', '`C`'],
      ['ARG C\nRUN npm ci --cache "$C" && C=/tmp/x && npm cache clean --force --cache "$C"', '$C', '"$C"', '`C`'],
      ['RUN (C=/tmp/x; npm ci --cache "$C")', '$C', '"$C"', '`C`'],
      ['USER 1000\nRUN npm ci --cache ~/.npm-x && export HOME=/tmp', '~/.npm-x', '~/.npm-x', '`HOME`'],
      ['USER 1000\nRUN npm ci && export HOME=/tmp && npm cache clean --force', '~/.npm', '~/.npm', '`HOME`'],
    ].map(([run, cache, word, variables]) => ({
      code: `FROM node:20\n${run}`,
      errors: [
        {
          messageId: 'npmAfterSet' as const,
          message: `\`npm ci\` leaves its download cache (${cache}/_cacache) in this layer; run \`npm cache clean --force --cache ${word}\` before the RUN sets ${variables} again or leaves the subshell npm ran in, or \`rm -rf\` the cache there, or use \`--mount=type=cache,target=${cache.startsWith('~') ? `<home>${cache.slice(1)},uid=1000,gid=<GID of user 1000>` : '<cache directory>'}\`.`,
        },
      ],
      output: `FROM node:20\n${run}`,
    })),
    // A quoted `$C` is not ARG C's value: npm caches in a directory named `$C`, not in the mount on /cache.
    ...[
      "npm_config_cache='$C' npm ci",
      "npm ci --cache '$C'",
      "npm ci --cache='$C'",
      "export npm_config_cache='$C'; npm ci",
    ].map((script) => ({
      code: `FROM node:20\nARG C=/cache\nRUN --mount=type=cache,target=/cache ${script}`,
      errors: [{ messageId: 'npm' as const, line: 3 }],
    })),
    // Nor is a quoted `$HOME` the user's home: npm caches in a directory named `$HOME/.npm` (it was taken as /root/.npm).
    ...["npm ci --cache '$HOME/.npm'", "npm_config_cache='${HOME}/.npm' npm ci"].map((script) => ({
      code: `FROM node:20\nRUN --mount=type=cache,target=/root/.npm ${script}`,
      errors: [{ messageId: 'npm' as const, line: 2 }],
    })),
    // The cache moved to /tmp by ENV or --cache still lands in the layer unless removed.
    { code: 'FROM node:20\nENV npm_config_cache=/tmp/.npm\nRUN npm ci', errors: [{ messageId: 'npm', line: 3 }] },
    // The message names the cache npm was pointed at, not ~/.npm; `npm cache clean` without `--cache` cleans ~/.npm, so
    // the advice names it.
    ...[
      ['RUN npm ci --cache /tmp/c', '/tmp/c'],
      ['RUN npm ci --cache /tmp/c && npm cache clean --force', '/tmp/c'],
      ['RUN npm_config_cache=/tmp/c npm ci', '/tmp/c'],
      ['WORKDIR /app\nRUN npm ci --cache .npm && cd web && rm -rf .npm', '/app/.npm'],
    ].map(([run, cache]) => ({
      code: `FROM node:20\n${run}`,
      errors: [
        {
          messageId: 'npm' as const,
          message: `\`npm ci\` leaves its download cache (${cache}/_cacache) in this layer; add \`&& npm cache clean --force --cache ${cache}\` or use \`--mount=type=cache,target=${cache}\`.`,
        },
      ],
      output: `FROM node:20\n${run} && npm cache clean --force --cache ${cache}`,
    })),
    {
      code: 'FROM node:20\nENV npm_config_cache=/tmp/c\nRUN npm ci',
      errors: [
        {
          messageId: 'npm',
          message:
            '`npm ci` leaves its download cache (/tmp/c/_cacache) in this layer; add `&& npm cache clean --force` or use `--mount=type=cache,target=/tmp/c`.',
        },
      ],
    },
    // Several caches: the message names those left behind, not ~/.npm.
    {
      code: 'FROM node:20\nRUN npm ci --cache /tmp/c && npm install --cache /tmp/d x',
      errors: [
        {
          messageId: 'npm',
          message:
            '`npm ci` leaves its download cache (/tmp/c/_cacache and /tmp/d/_cacache) in this layer; add `&& npm cache clean --force --cache /tmp/c && npm cache clean --force --cache /tmp/d` or use `--mount=type=cache,target=<cache directory>`.',
        },
      ],
    },
    {
      code: 'FROM node:20\nUSER node\nRUN npm ci --cache /tmp/c && npm install x && rm -rf /tmp/c',
      errors: [
        {
          messageId: 'npm',
          message:
            '`npm install` leaves its download cache (/home/node/.npm/_cacache) in this layer; add `&& npm cache clean --force` or use `--mount=type=cache,target=/home/node/.npm,uid=<UID of node>,gid=<GID of node>`.',
        },
      ],
    },
    // After a `cd` a relative cache is wherever cd went: the message gives it relative, as npm was given it, and an
    // `rm` past another `cd` is elsewhere.
    {
      code: 'FROM node:20\nWORKDIR /app\nRUN cd web && npm ci --cache .npm',
      errors: [
        {
          messageId: 'npm',
          message:
            '`npm ci` leaves its download cache (web/.npm/_cacache, relative to where `cd web` ran) in this layer; add `&& npm cache clean --force --cache .npm` or use `--mount=type=cache,target=<cache directory>`.',
        },
      ],
      output: 'FROM node:20\nWORKDIR /app\nRUN cd web && npm ci --cache .npm && npm cache clean --force --cache .npm',
    },
    {
      code: 'FROM node:20\nWORKDIR /app\nRUN cd web && npm ci --cache .npm && cd .. && rm -rf .npm',
      errors: [
        {
          messageId: 'npmAfterCd',
          message:
            '`npm ci` leaves its download cache (web/.npm/_cacache, relative to where `cd web` ran) in this layer; run `npm cache clean --force --cache .npm` while that `cd` is in effect (before its subshell ends or another `cd`), or `rm -rf` the cache there, or use `--mount=type=cache,target=<cache directory>`.',
        },
      ],
      output: 'FROM node:20\nWORKDIR /app\nRUN cd web && npm ci --cache .npm && cd .. && rm -rf .npm',
    },
    // The message names the cache npm was pointed at, not ~/.npm.
    {
      code: 'FROM node:20\nRUN npm ci --cache /tmp/npm-cache',
      errors: [
        {
          messageId: 'npm',
          line: 2,
          message:
            '`npm ci` leaves its download cache (/tmp/npm-cache/_cacache) in this layer; add `&& npm cache clean --force --cache /tmp/npm-cache` or use `--mount=type=cache,target=/tmp/npm-cache`.',
        },
      ],
    },
    // Cleaned only when the install fails, or before it.
    { code: 'FROM node:20\nRUN npm ci || npm cache clean --force', errors: [{ messageId: 'npm', line: 2 }] },
    { code: 'FROM node:20\nRUN npm cache clean --force && npm ci', errors: [{ messageId: 'npm', line: 2 }] },
    { code: 'FROM node:20\nRUN npm ci', errors: [{ messageId: 'npm', line: 2 }] },
    // The mount on root's cache misses the node user's ~/.npm (report hunt precision #5).
    {
      code: '# syntax=docker/dockerfile:1\nFROM node:20-slim\nWORKDIR /home/node/app\nUSER node\nCOPY --chown=node:node package.json package-lock.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci --omit=dev\nCMD ["node", "index.js"]',
      errors: [
        {
          messageId: 'npm',
          line: 6,
          message:
            '`npm ci` leaves its download cache (/home/node/.npm/_cacache) in this layer; add `&& npm cache clean --force` or use `--mount=type=cache,target=/home/node/.npm,uid=<UID of node>,gid=<GID of node>`.',
        },
      ],
    },
    {
      code: 'FROM node:20\nUSER 1000\nRUN npm ci',
      errors: [
        {
          messageId: 'npm',
          message:
            '`npm ci` leaves its download cache (~/.npm/_cacache) in this layer; add `&& npm cache clean --force` or use `--mount=type=cache,target=<home>/.npm,uid=1000,gid=<GID of user 1000>`.',
        },
      ],
    },
    {
      code: 'FROM node:20\nRUN npm ci --omit=dev',
      errors: [
        {
          messageId: 'npm',
          message:
            '`npm ci` leaves its download cache (/root/.npm/_cacache) in this layer; add `&& npm cache clean --force` or use `--mount=type=cache,target=/root/.npm`.',
        },
      ],
    },
    { code: 'FROM node:20\nRUN npm install -g typescript', errors: [{ messageId: 'npm', line: 2 }] },
    // pnpm told to copy the store's files into node_modules: the option, npm_config_package_import_method (any case,
    // on the command, exported before it, ENV/ARG).
    ...[
      'RUN pnpm install --package-import-method copy',
      'RUN pnpm --package-import-method=clone-or-copy install',
      'RUN npm_config_package_import_method=copy pnpm install',
      'RUN export NPM_CONFIG_PACKAGE_IMPORT_METHOD=copy && pnpm i',
      'ENV NPM_CONFIG_PACKAGE_IMPORT_METHOD=copy\nRUN pnpm install',
      'ARG npm_config_package_import_method=copy\nRUN pnpm add left-pad',
      'ENV NPM_CONFIG_PACKAGE_IMPORT_METHOD=hardlink\nRUN pnpm install --package-import-method copy',
      'RUN pnpm install --package-import-method hardlink && pnpm add x --package-import-method copy',
    ].map((run) => ({ code: `FROM node:20\n${run}`, errors: [{ messageId: 'pnpm' as const }] })),
    // Regression: any rm of a path containing `pnpm` counted as pruning the store.
    ...pnpmLeft.map((run) => ({
      code: copying(`FROM node:20${run.startsWith('AS ') ? ' ' : '\n'}${run}`),
      // (the store a `cd` placed, once the script left that `cd`, is to be removed where it is in effect)
      errors: [{ messageId: run.includes('&& cd ..') ? ('pnpmAfterCd' as const) : ('pnpm' as const) }],
    })),
    {
      code: 'FROM node:20\nRUN pnpm --dir web install --package-import-method copy',
      errors: [
        {
          messageId: 'pnpm',
          message:
            '`pnpm install` copies packages into node_modules (package-import-method copy), so its content-addressed store (/root/.local/share/pnpm/store) duplicates them in this layer; add `&& rm -rf /root/.local/share/pnpm/store` once installed (`pnpm store prune` removes only packages no project uses, little right after an install) or use `--mount=type=cache,target=/root/.local/share/pnpm/store`.',
        },
      ],
    },
    // Regression (fix sweep s36): the advice was `pnpm store prune` of the default store, whatever store pnpm used, and
    // prune removes only packages no project uses (pnpm docs, `pnpm store prune`): it names the store and its `rm -rf`.
    {
      code: 'FROM node:20\nRUN pnpm install --store-dir /tmp/s --package-import-method=clone-or-copy',
      errors: [
        {
          messageId: 'pnpm',
          message:
            '`pnpm install` copies packages into node_modules (package-import-method clone-or-copy), so its content-addressed store (/tmp/s) duplicates them in this layer; add `&& rm -rf /tmp/s` once installed (`pnpm store prune` removes only packages no project uses, little right after an install) or use `--mount=type=cache,target=/tmp/s`.',
        },
      ],
    },
    {
      code: 'FROM node:20\nUSER 1000\nRUN npm_config_package_import_method=copy pnpm add x',
      errors: [
        {
          messageId: 'pnpm',
          message:
            '`pnpm add` copies packages into node_modules (package-import-method copy), so its content-addressed store (~/.local/share/pnpm/store) duplicates them in this layer; add `&& rm -rf ~/.local/share/pnpm/store` once installed (`pnpm store prune` removes only packages no project uses, little right after an install) or use `--mount=type=cache,target=<home>/.local/share/pnpm/store,uid=1000,gid=<GID of user 1000>`.',
        },
      ],
    },
    {
      code: 'FROM node:20\nWORKDIR /app\nRUN export npm_config_package_import_method=copy && cd web && pnpm install --store-dir .s',
      errors: [
        {
          messageId: 'pnpm',
          message:
            '`pnpm install` copies packages into node_modules (package-import-method copy), so its content-addressed store (web/.s, relative to where `cd web` ran) duplicates them in this layer; add `&& rm -rf .s` once installed (`pnpm store prune` removes only packages no project uses, little right after an install) or use `--mount=type=cache,target=<store directory>`.',
        },
      ],
    },
    {
      code: 'FROM node:20\nWORKDIR /app\nARG PKG_IMPORT=copy\nENV NPM_CONFIG_PACKAGE_IMPORT_METHOD=$PKG_IMPORT\nRUN (cd web && pnpm install --store-dir .s) && rm -rf .s',
      errors: [
        {
          messageId: 'pnpmAfterCd',
          message:
            '`pnpm install` copies packages into node_modules (package-import-method copy), so its content-addressed store (web/.s, relative to where `cd web` ran) duplicates them in this layer; run `rm -rf .s` while that `cd` is in effect (before its subshell ends or another `cd`) or use `--mount=type=cache,target=<store directory>`.',
        },
      ],
    },
    // Under a non-root USER the store is in its home, and the mount needs its ids (BuildKit makes it root's).
    {
      code: 'FROM node:20\nUSER node:node\nRUN pnpm install --package-import-method=copy',
      errors: [
        {
          messageId: 'pnpm',
          message:
            '`pnpm install` copies packages into node_modules (package-import-method copy), so its content-addressed store (/home/node/.local/share/pnpm/store) duplicates them in this layer; add `&& rm -rf /home/node/.local/share/pnpm/store` once installed (`pnpm store prune` removes only packages no project uses, little right after an install) or use `--mount=type=cache,target=/home/node/.local/share/pnpm/store,uid=<UID of node>,gid=<GID of node>`.',
        },
      ],
    },
    {
      code: 'FROM node:20\nENV NPM_CONFIG_PACKAGE_IMPORT_METHOD=copy\nRUN pnpm install --frozen-lockfile',
      errors: [
        {
          messageId: 'pnpm',
          message:
            '`pnpm install` copies packages into node_modules (package-import-method copy), so its content-addressed store (/root/.local/share/pnpm/store) duplicates them in this layer; add `&& rm -rf /root/.local/share/pnpm/store` once installed (`pnpm store prune` removes only packages no project uses, little right after an install) or use `--mount=type=cache,target=/root/.local/share/pnpm/store`.',
        },
      ],
    },
    // A `cd` or `export` in a `( ... )` subshell ends with it: the `rm` after it runs in the WORKDIR, not in web/, and
    // the second `npm ci` uses the default cache.
    {
      code: 'FROM node:20\nWORKDIR /app\nRUN (cd web && npm ci --cache .npm) && rm -rf .npm',
      // Regression (fix sweep s36): the advice was a plain `npm cache clean --force`, which empties ~/.npm.
      errors: [
        {
          messageId: 'npmAfterCd',
          message:
            '`npm ci` leaves its download cache (web/.npm/_cacache, relative to where `cd web` ran) in this layer; run `npm cache clean --force --cache .npm` while that `cd` is in effect (before its subshell ends or another `cd`), or `rm -rf` the cache there, or use `--mount=type=cache,target=<cache directory>`.',
        },
      ],
      output: 'FROM node:20\nWORKDIR /app\nRUN (cd web && npm ci --cache .npm) && rm -rf .npm',
    },
    // The same relative cache name at the end of the script is another directory after another `cd`.
    {
      code: 'FROM node:20\nWORKDIR /app\nRUN export npm_config_cache=.npm && cd web && npm ci && cd ../api',
      errors: [
        {
          messageId: 'npmAfterCd',
          message:
            '`npm ci` leaves its download cache (web/.npm/_cacache, relative to where `cd web` ran) in this layer; run `npm cache clean --force --cache .npm` while that `cd` is in effect (before its subshell ends or another `cd`), or `rm -rf` the cache there, or use `--mount=type=cache,target=<cache directory>`.',
        },
      ],
      output: 'FROM node:20\nWORKDIR /app\nRUN export npm_config_cache=.npm && cd web && npm ci && cd ../api',
    },
    // A `cd` in a pipeline part ends with it: the install runs in the WORKDIR, so its cache is /app/.npm, which the
    // `rm` misses (the `cd /tmp` was taken to hold, and the cache named as one a `cd` placed).
    {
      code: 'FROM node:20\nWORKDIR /app\nRUN cd /tmp | true && npm ci --cache .npm && rm -rf /tmp/.npm',
      errors: [
        {
          messageId: 'npm',
          message:
            '`npm ci` leaves its download cache (/app/.npm/_cacache) in this layer; add `&& npm cache clean --force --cache /app/.npm` or use `--mount=type=cache,target=/app/.npm`.',
        },
      ],
    },
    // A `sh -c` script runs in a child shell: its `cd` ends with it, so the `rm` after it runs in the WORKDIR.
    {
      code: 'FROM node:20\nWORKDIR /app\nRUN sh -c "cd web && npm ci --cache .npm" && rm -rf .npm',
      // Regression (fix sweep s36): the advice was a plain `npm cache clean --force`, which empties ~/.npm.
      errors: [
        {
          messageId: 'npmAfterCd',
          message:
            '`npm ci` leaves its download cache (web/.npm/_cacache, relative to where `cd web` ran) in this layer; run `npm cache clean --force --cache .npm` while that `cd` is in effect (before its subshell ends or another `cd`), or `rm -rf` the cache there, or use `--mount=type=cache,target=<cache directory>`.',
        },
      ],
      output: 'FROM node:20\nWORKDIR /app\nRUN sh -c "cd web && npm ci --cache .npm" && rm -rf .npm',
    },
    {
      code: 'FROM node:20\nRUN (export npm_config_cache=/tmp/n; npm ci) && npm ci && rm -rf /tmp/n',
      errors: [
        {
          messageId: 'npm',
          message:
            '`npm ci` leaves its download cache (/root/.npm/_cacache) in this layer; add `&& npm cache clean --force` or use `--mount=type=cache,target=/root/.npm`.',
        },
      ],
    },
  ],
});
