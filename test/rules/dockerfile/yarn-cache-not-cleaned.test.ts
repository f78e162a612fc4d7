import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/yarn-cache-not-cleaned.js';

ruleTester.run(rule, {
  valid: [
    'FROM node:20\nRUN yarn install && yarn cache clean',
    'FROM node:20\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install',
    'FROM node:20 AS build\nRUN yarn install\nFROM node:20-slim\nCOPY dist /dist',
    // COPY --from takes node_modules, not the yarn cache in /usr/local/share/.cache/yarn.
    'FROM node:20 AS deps\nRUN yarn install --frozen-lockfile\nFROM node:20-slim\nCOPY --from=deps /app/node_modules /app/node_modules',
    'FROM node:20\nRUN set -eux; yarn install --frozen-lockfile; yarn cache clean',
    // Commands that download no package.
    'FROM node:20\nRUN yarn --version',
    'FROM node:20\nRUN yarn cache dir',
    'FROM node:20\nRUN yarn run build',
    'FROM node:20\nRUN yarn global bin',
    'FROM node:20\nRUN yarn add left-pad && yarn cache clean',
    // Removing the cache of the user yarn runs as: root's is in /usr/local/share, another user's in its home (`~` read
    // as that home, as yarn and the `rm` run as the same user; under a numeric UID the home is unknown but still `~`).
    'FROM node:20\nRUN yarn install && rm -rf /usr/local/share/.cache/yarn',
    'FROM node:20\nRUN yarn install && rm -rf /usr/local/share/.cache',
    'FROM node:20\nUSER app\nRUN yarn install && rm -rf /home/app/.cache/yarn',
    'FROM node:20\nUSER app\nRUN yarn install && rm -rf ~/.cache/yarn',
    'FROM node:20\nUSER app\nRUN yarn install && rm -rf $HOME/.cache',
    'FROM node:20\nUSER 1000\nRUN yarn install && rm -rf ~/.cache/yarn',
    'FROM node:20\nUSER app\nENV HOME=/srv/app\nRUN yarn install && rm -rf /srv/app/.cache/yarn',
    // The cache yarn was told to use: --cache-folder, YARN_CACHE_FOLDER on the command, exported, or from ENV.
    'FROM node:20\nRUN yarn install --cache-folder /tmp/y && rm -rf /tmp/y',
    'FROM node:20\nARG C\nRUN yarn install --cache-folder "$C" && yarn cache clean --cache-folder "$C"',
    'FROM node:20\nRUN yarn --cache-folder=/tmp/y install && rm -rf /tmp',
    'FROM node:20\nWORKDIR /app\nRUN yarn install --cache-folder .yarn-cache && rm -rf /app/.yarn-cache',
    'FROM node:20\nRUN YARN_CACHE_FOLDER=/tmp/y yarn install && rm -rf /tmp/y',
    'FROM node:20\nRUN export YARN_CACHE_FOLDER=/tmp/y && yarn install && yarn cache clean',
    'FROM node:20\nENV YARN_CACHE_FOLDER=/tmp/y\nRUN yarn install && rm -rf /tmp/y',
    'FROM node:20\nRUN --mount=type=cache,target=/tmp/y yarn install --cache-folder /tmp/y',
    'FROM node:20\nRUN yarn install --cache-folder /tmp/y && yarn cache clean --cache-folder /tmp/y',
    // --preferred-cache-folder is the cache when no --cache-folder or YARN_CACHE_FOLDER is given (yarn 1 falls back
    // from it only when it cannot write there, which a build creating it can).
    'FROM node:20\nRUN yarn install --preferred-cache-folder /tmp/p && rm -rf /tmp/p',
    'FROM node:20\nRUN yarn --preferred-cache-folder=/tmp/p install && yarn cache clean --preferred-cache-folder /tmp/p',
    'FROM node:20\nRUN yarn install --preferred-cache-folder /tmp/p --cache-folder /tmp/y && rm -rf /tmp/y',
    'FROM node:20\nENV YARN_CACHE_FOLDER=/tmp/y\nRUN yarn install --preferred-cache-folder /tmp/p && rm -rf /tmp/y',
    // A `cd` or `export` in a `{ ...; }` group persists after it (only a `( ... )` subshell ends with them).
    'FROM node:20\nRUN { cd web && yarn install --cache-folder .yarn; } && rm -rf .yarn',
    // A relative cache a `cd` placed is cleaned with that `cd` still in effect.
    'FROM node:20\nWORKDIR /app\nRUN cd web && yarn install --cache-folder .yc && rm -rf .yc',
    'FROM node:20\nWORKDIR /app\nRUN cd web && yarn install --cache-folder .yc && yarn cache clean --cache-folder .yc',
    'FROM node:20\nWORKDIR /app\nRUN cd web && yarn install --cache-folder .yc && rm -rf ./.yc/*',
    'FROM node:20\nRUN { export YARN_CACHE_FOLDER=/tmp/y; yarn install; } && yarn install && rm -rf /tmp/y',
    // Yarn Berry (2+) with its default linker, Plug'n'Play, runs the app from the zip files in its cache: the cache is
    // the install, and `yarn cache clean` after it leaves the app without its packages (measured with yarn 3.8.7 and
    // 4.18.1: "Required package missing from disk"). Berry is told by its install flags, `yarn set version`, `corepack
    // prepare yarn@2+`, a copied `.yarnrc.yml` with `yarnPath` or a copied package.json with `packageManager: yarn@2+`.
    ...[
      // No context: Berry by its flags; the linker unknown, so Berry's default.
      'WORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\nRUN corepack enable && yarn install --immutable',
      'RUN yarn install --immutable-cache --check-cache',
      'RUN yarn install --mode=skip-build',
      'RUN yarn set version stable\nRUN yarn install',
      'RUN yarn set version 4.1.0 && yarn install',
      'RUN corepack prepare yarn@4.5.0 --activate && yarn',
      'RUN yarn policies set-version berry && yarn install',
    ].map((run) => `FROM node:20\n${run}`),
    ...[
      // A copied .yarnrc.yml naming PnP, or none: PnP.
      {
        code: 'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\nRUN yarn install --immutable',
        files: { 'package.json': '{}', 'yarn.lock': '', '.yarnrc.yml': 'nodeLinker: pnp\n' },
      },
      {
        code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN corepack enable && yarn install',
        files: { 'package.json': '{"packageManager": "yarn@4.5.0"}', 'yarn.lock': '' },
      },
      {
        code: 'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml .yarn ./\nRUN yarn install',
        files: {
          'package.json': '{}',
          '.yarnrc.yml': 'yarnPath: .yarn/releases/yarn-4.5.0.cjs\n',
          '.yarn/releases/yarn-4.5.0.cjs': '',
        },
      },
      // Copied by a glob, `[...]` classes included.
      ...['.yarnrc*', '.yarnrc.[xy]ml', '.yarnrc.[^a]ml'].map((source) => ({
        code: `FROM node:20\nWORKDIR /app\nCOPY package.json ${source} ./\nRUN yarn install`,
        files: { 'package.json': '{}', '.yarnrc.yml': 'yarnPath: .yarn/releases/yarn-4.5.0.cjs\n' },
      })),
      // node-modules in the context's .yarnrc.yml, which the image never gets: Berry reads no .yarnrc.yml, so PnP.
      {
        code: 'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --immutable',
        files: { 'package.json': '{}', 'yarn.lock': '', '.yarnrc.yml': 'nodeLinker: node-modules\n' },
      },
      // Berry with the node-modules linker, its cache emptied (yarn 4: `yarn cache clean` empties the global cache).
      {
        code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable && yarn cache clean --all',
        files: { 'package.json': '{}', '.yarnrc.yml': 'nodeLinker: node-modules\n' },
      },
      {
        code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable && yarn cache clean',
        files: { 'package.json': '{"packageManager": "yarn@4.5.0"}', '.yarnrc.yml': 'nodeLinker: node-modules\n' },
      },
      {
        code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/root/.yarn/berry/cache yarn install --immutable',
        files: { 'package.json': '{"packageManager": "yarn@4.5.0"}', '.yarnrc.yml': 'nodeLinker: node-modules\n' },
      },
    ],
  ],
  invalid: [
    { code: 'FROM node:20\nRUN yarn install', errors: [{ messageId: 'notCleaned', line: 2 }] },
    // Cleaning before the install does not help.
    { code: 'FROM node:20\nRUN yarn cache clean && yarn install', errors: [{ messageId: 'notCleaned', line: 2 }] },
    {
      code: 'FROM node:20 AS deps\nRUN yarn install --frozen-lockfile\nFROM node:20-slim\nCOPY --from=deps /usr/local/share/.cache /cache',
      errors: [{ messageId: 'notCleaned', line: 2 }],
    },
    { code: 'FROM node:20\nRUN yarn install || yarn cache clean', errors: [{ messageId: 'notCleaned', line: 2 }] },
    // Regression (fix sweep s34): any `rm` of a `.cache/yarn` counted as the cleanup, whoever's it was: under `USER app`
    // yarn caches in /home/app, and as root in /usr/local/share, not in /root (yarn 1 takes root's home to be there).
    ...[
      'USER app\nRUN yarn install && rm -rf /root/.cache/yarn',
      'USER app\nRUN yarn install && rm -rf /home/node/.cache/yarn',
      'USER app\nENV HOME=/srv/app\nRUN yarn install && rm -rf /home/app/.cache/yarn',
      'USER 1000\nRUN yarn install && rm -rf /root/.cache/yarn',
      'RUN yarn install && rm -rf /root/.cache/yarn',
      'RUN yarn install && rm -rf ~/.cache/yarn',
      // A cleanup of another cache than the one yarn was told to use.
      'RUN yarn install --cache-folder /tmp/y && rm -rf /usr/local/share/.cache/yarn',
      'RUN yarn install --cache-folder=/tmp/y && yarn cache clean',
      'RUN YARN_CACHE_FOLDER=/tmp/y yarn install && yarn cache clean',
      'RUN yarn install && export YARN_CACHE_FOLDER=/tmp/y && yarn cache clean',
      'ENV YARN_CACHE_FOLDER=/tmp/y\nRUN yarn install && rm -rf /usr/local/share/.cache/yarn',
      'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --cache-folder /tmp/y',
      'RUN yarn install --preferred-cache-folder /tmp/p && rm -rf /usr/local/share/.cache/yarn',
      'RUN yarn install --preferred-cache-folder=/tmp/p && yarn cache clean',
      'ENV YARN_CACHE_FOLDER=/tmp/y\nRUN yarn install --preferred-cache-folder /tmp/p && rm -rf /tmp/p',
    ].map((run) => ({ code: `FROM node:20\n${run}`, errors: [{ messageId: 'notCleaned' as const }] })),
    // Regression (fix sweep s36): a relative --cache-folder after a `cd` was kept as written, so an `rm` of the same
    // name anywhere (after `cd ..`, or before the `cd`) was read as removing it; it is wherever that `cd` went. Once
    // the script leaves that `cd`, the advice was a plain `yarn cache clean` (root's cache): it is the folder as
    // written, where the `cd` is in effect, and no fix is offered (one at the end would clean elsewhere).
    ...[
      'WORKDIR /app\nRUN cd web && yarn install --cache-folder .yc && cd .. && rm -rf .yc',
      'WORKDIR /app\nRUN cd web && yarn install --cache-folder .yc && cd /app && yarn cache clean --cache-folder .yc',
      'WORKDIR /app\nRUN cd web && YARN_CACHE_FOLDER=.yc yarn install && cd .. && rm -rf .yc/*',
      'WORKDIR /app\nRUN (cd web && yarn install --cache-folder .yc) && rm -rf .yc',
    ].map((run) => ({
      code: `FROM node:20\n${run}`,
      errors: [
        {
          messageId: 'afterCd' as const,
          message:
            '`yarn install` leaves the yarn cache (web/.yc, relative to where `cd web` ran; often hundreds of MB) in this layer; run `yarn cache clean --cache-folder .yc` while that `cd` is in effect (before its subshell ends or another `cd`), or `rm -rf` the cache there, or use `--mount=type=cache,target=<cache directory>`.',
        },
      ],
      output: `FROM node:20\n${run}`,
    })),
    // ... and while it is in effect at the end, the fix names the folder as written.
    {
      code: 'FROM node:20\nWORKDIR /app\nRUN cd web && yarn install --cache-folder .yc',
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`yarn install` leaves the yarn cache (often hundreds of MB) in this layer; add `&& yarn cache clean --cache-folder .yc` after it or use `--mount=type=cache,target=<cache directory>`.',
        },
      ],
      output:
        'FROM node:20\nWORKDIR /app\nRUN cd web && yarn install --cache-folder .yc && yarn cache clean --cache-folder .yc',
    },
    // Regression (fix sweep s37): a folder under an unknown home (`~`) or with a `$` the ARG/ENV values leave open got a
    // plain `yarn cache clean`, which empties the default cache: the advice and the fix name it, written so the shell
    // expands it as it did for the install.
    ...[
      ['USER 1000\nRUN yarn install --cache-folder ~/.yc', '~/.yc', '<home>/.yc,uid=1000,gid=<GID of user 1000>'],
      ['USER 1000\nRUN yarn install --cache-folder $HOME/.yc', '~/.yc', '<home>/.yc,uid=1000,gid=<GID of user 1000>'],
      ['ARG C\nRUN yarn install --cache-folder "$C"', '"$C"', '<cache directory>'],
      ['ARG C\nRUN YARN_CACHE_FOLDER=$C yarn install', '"$C"', '<cache directory>'],
    ].map(([run, word, target]) => ({
      code: `FROM node:20\n${run}`,
      errors: [
        {
          messageId: 'notCleaned' as const,
          message: `\`yarn install\` leaves the yarn cache (often hundreds of MB) in this layer; add \`&& yarn cache clean --cache-folder ${word}\` after it or use \`--mount=type=cache,target=${target}\`.`,
        },
      ],
      output: `FROM node:20\n${run} && yarn cache clean --cache-folder ${word}`,
    })),
    // ... and where the variable (or HOME) is set again after the install, or the subshell that set it ends, the same
    // words name another folder at the end: the advice is to clean before that, and no fix is offered.
    ...[
      ['ARG C\nRUN yarn install --cache-folder "$C" && export C=/tmp/y', '$C', '"$C"', '`C`', '<cache directory>'],
      [
        'RUN (C=/tmp/y; yarn install --cache-folder "$C") && yarn cache clean --cache-folder "$C"',
        '$C',
        '"$C"',
        '`C`',
        '<cache directory>',
      ],
      [
        'USER 1000\nRUN yarn install --cache-folder ~/.yc && HOME=/tmp',
        '~/.yc',
        '~/.yc',
        '`HOME`',
        '<home>/.yc,uid=1000,gid=<GID of user 1000>',
      ],
    ].map(([run, cache, word, variables, target]) => ({
      code: `FROM node:20\n${run}`,
      errors: [
        {
          messageId: 'afterSet' as const,
          message: `\`yarn install\` leaves the yarn cache (${cache}; often hundreds of MB) in this layer; run \`yarn cache clean --cache-folder ${word}\` before the RUN sets ${variables} again or leaves the subshell yarn ran in, or \`rm -rf\` the cache there, or use \`--mount=type=cache,target=${target}\`.`,
        },
      ],
      output: `FROM node:20\n${run}`,
    })),
    // Regression (fix sweep s31): only `yarn install` was read as an install, but bare `yarn` is one, and `yarn add`
    // and `yarn global add` fill the same cache; `--cwd DIR` before the command hid it (hadolint's DL3060 finds it).
    ...[
      ['yarn', 'yarn'],
      ['yarn --frozen-lockfile --production', 'yarn'],
      ['yarn add left-pad', 'yarn add'],
      ['yarn global add serve@14.2.3', 'yarn global add'],
      ['yarn --cwd app install --frozen-lockfile', 'yarn install'],
      ['yarn workspace api add lodash', 'yarn add'],
    ].map(([run, command]) => ({
      code: `FROM node:20-slim\nRUN ${run}`,
      errors: [
        {
          messageId: 'notCleaned',
          line: 2,
          message: `\`${command}\` leaves the yarn cache (often hundreds of MB) in this layer; add \`&& yarn cache clean\` after it or use \`--mount=type=cache,target=/usr/local/share/.cache/yarn\`.`,
        },
      ],
      output: `FROM node:20-slim\nRUN ${run} && yarn cache clean`,
    })),
    // Yarn caches in the home of a non-root USER: the message names that directory, not root's.
    {
      code: 'FROM node:20-slim\nUSER node\nRUN yarn install --frozen-lockfile',
      errors: [
        {
          messageId: 'notCleaned',
          line: 3,
          message:
            '`yarn install` leaves the yarn cache (often hundreds of MB) in this layer; add `&& yarn cache clean` after it or use `--mount=type=cache,target=/home/node/.cache/yarn,uid=<UID of node>,gid=<GID of node>`.',
        },
      ],
      output: 'FROM node:20-slim\nUSER node\nRUN yarn install --frozen-lockfile && yarn cache clean',
    },
    // The message and the fix name the cache yarn was told to use.
    {
      code: 'FROM node:20-slim\nUSER node\nRUN yarn install --cache-folder /tmp/y && rm -rf ~/.cache/yarn',
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`yarn install` leaves the yarn cache (often hundreds of MB) in this layer; add `&& yarn cache clean --cache-folder /tmp/y` after it or use `--mount=type=cache,target=/tmp/y,uid=<UID of node>,gid=<GID of node>`.',
        },
      ],
      output:
        'FROM node:20-slim\nUSER node\nRUN yarn install --cache-folder /tmp/y && rm -rf ~/.cache/yarn && yarn cache clean --cache-folder /tmp/y',
    },
    {
      code: 'FROM node:20-slim\nRUN yarn install',
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`yarn install` leaves the yarn cache (often hundreds of MB) in this layer; add `&& yarn cache clean` after it or use `--mount=type=cache,target=/usr/local/share/.cache/yarn`.',
        },
      ],
    },
    // A `cd` or `export` in a `( ... )` subshell ends with it: the `rm` after it runs in the WORKDIR, not in web/, and
    // the second install uses root's cache.
    {
      code: 'FROM node:20\nRUN (cd web && yarn install --cache-folder .yarn) && rm -rf .yarn',
      errors: [{ messageId: 'afterCd', line: 2 }],
    },
    {
      code: 'FROM node:20\nRUN (export YARN_CACHE_FOLDER=/tmp/y; yarn install) && yarn install && rm -rf /tmp/y',
      errors: [
        {
          messageId: 'notCleaned',
          message:
            '`yarn install` leaves the yarn cache (often hundreds of MB) in this layer; add `&& yarn cache clean` after it or use `--mount=type=cache,target=/usr/local/share/.cache/yarn`.',
        },
      ],
    },
    // Yarn Berry with the node-modules (or pnpm) linker runs from node_modules: its cache is a copy, in ~/.yarn/berry/cache
    // (yarn 4; yarn 3 keeps one in the project's .yarn/cache too), and `yarn cache clean --all` empties both.
    {
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\nRUN corepack enable && yarn install --immutable',
      files: { 'package.json': '{}', 'yarn.lock': '', '.yarnrc.yml': 'nodeLinker: "node-modules"\n' },
      errors: [
        {
          messageId: 'berryNotCleaned',
          line: 4,
          message:
            "`yarn install` (Yarn Berry, nodeLinker node-modules) leaves its package cache (often hundreds of MB) in this layer: /root/.yarn/berry/cache, and with yarn 2 or 3 the project's .yarn/cache too; add `&& yarn cache clean --all` after it, which empties both, or, with yarn 4, use `--mount=type=cache,target=/root/.yarn/berry/cache`.",
        },
      ],
      output:
        'FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock .yarnrc.yml ./\nRUN corepack enable && yarn install --immutable && yarn cache clean --all',
    },
    {
      code: 'FROM node:20-slim\nUSER node\nENV YARN_NODE_LINKER=pnpm\nRUN yarn set version stable && yarn install',
      errors: [
        {
          messageId: 'berryNotCleaned',
          message:
            "`yarn install` (Yarn Berry, nodeLinker pnpm) leaves its package cache (often hundreds of MB) in this layer: /home/node/.yarn/berry/cache, and with yarn 2 or 3 the project's .yarn/cache too; add `&& yarn cache clean --all` after it, which empties both, or, with yarn 4, use `--mount=type=cache,target=/home/node/.yarn/berry/cache,uid=<UID of node>,gid=<GID of node>`.",
        },
      ],
      output:
        'FROM node:20-slim\nUSER node\nENV YARN_NODE_LINKER=pnpm\nRUN yarn set version stable && yarn install && yarn cache clean --all',
    },
    ...[
      'RUN yarn set version berry && yarn config set nodeLinker node-modules && yarn install',
      'RUN YARN_NODE_LINKER=node-modules yarn install --immutable',
      // `--mirror` removes the global mirror only, which yarn 4 does not use by default (measured: the cache stays).
      'RUN YARN_NODE_LINKER=node-modules yarn install --immutable && yarn cache clean --mirror',
      // The cleaning of yarn 1's cache cleans nothing of Berry's.
      'RUN YARN_NODE_LINKER=node-modules yarn install --immutable && rm -rf /usr/local/share/.cache/yarn',
    ].map((run) => ({ code: `FROM node:20\n${run}`, errors: [{ messageId: 'berryNotCleaned' as const }] })),
    // A known major words where that yarn keeps its cache: yarn 2 and 3 in the project and a copy in the global folder,
    // yarn 4 in the global folder only. Yarn 3 keeps the copy where a plain `yarn cache clean` leaves it (it empties
    // .yarn/cache only).
    ...[
      'RUN corepack prepare yarn@3.8.7 --activate && echo "nodeLinker: node-modules" >> .yarnrc.yml && yarn install',
      'RUN yarn set version 3.8.7 && YARN_NODE_LINKER=node-modules yarn install && yarn cache clean',
    ].map((run) => ({
      code: `FROM node:20\n${run}`,
      errors: [
        {
          messageId: 'berry3NotCleaned' as const,
          message:
            "`yarn install` (Yarn Berry 3, nodeLinker node-modules) leaves its package cache (often hundreds of MB) in this layer: the project's .yarn/cache, and a copy in /root/.yarn/berry/cache; add `&& yarn cache clean --all` after it, which empties both.",
        },
      ],
    })),
    {
      code: 'FROM node:20\nRUN corepack prepare yarn@4.5.0 --activate && YARN_NODE_LINKER=node-modules yarn install',
      errors: [
        {
          messageId: 'berry4NotCleaned',
          message:
            '`yarn install` (Yarn Berry 4, nodeLinker node-modules) leaves its package cache (often hundreds of MB) in this layer: /root/.yarn/berry/cache; add `&& yarn cache clean --all` after it, or use `--mount=type=cache,target=/root/.yarn/berry/cache`.',
        },
      ],
      output:
        'FROM node:20\nRUN corepack prepare yarn@4.5.0 --activate && YARN_NODE_LINKER=node-modules yarn install && yarn cache clean --all',
    },
    // An unclosed bracket makes a bad pattern (the build fails): the COPY brings nothing, and it is no expression to
    // crash on.
    {
      code: 'FROM node:20\nCOPY a[ ./\nRUN yarn install',
      files: { 'a[': '', '.yarnrc.yml': 'nodeLinker: pnp\n' },
      errors: [{ messageId: 'notCleaned' }],
    },
    // A .yarnrc.yml without yarnPath does not make yarn 1 a Berry (measured: yarn 1.22.22 hands the command to a
    // yarnPath there and otherwise runs itself): with no other sign of Berry the install is yarn 1's, as is one after
    // `yarn set version classic`.
    {
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile',
      files: { 'package.json': '{}', '.yarnrc.yml': 'nodeLinker: pnp\n' },
      errors: [{ messageId: 'notCleaned' }],
      output: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --frozen-lockfile && yarn cache clean',
    },
    {
      code: 'FROM node:20\nRUN yarn set version classic && yarn install',
      errors: [{ messageId: 'notCleaned' }],
    },
  ],
});
