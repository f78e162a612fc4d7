import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/pip-cache.js';
import { parseShell } from '../../../src/dockerfile/shell.js';

/** A RUN whose pip caches in /tmp/pipc (`fixed`: the RUN after the fix, when it is not the RUN itself). */
const inPipc = ([run, fixed]: (string | undefined)[]) => ({
  code: `FROM python:3.12\n${run}`,
  errors: [
    {
      messageId: 'noCacheDir' as const,
      message:
        '`pip install` without `--no-cache-dir` keeps every downloaded wheel in /tmp/pipc in this layer; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=/tmp/pipc`.',
    },
  ],
  output: `FROM python:3.12\n${fixed ?? run}`,
});

// An option value quoted with spaces in it before `install` is one shell word: the flag still goes after `install`
// (there was no fix). [the RUN, the RUN after the fix]
const QUOTED_VALUES = [
  [
    'RUN pip --cache-dir /tmp/pipc --proxy "http://a b" install flask',
    'RUN pip --cache-dir /tmp/pipc --proxy "http://a b" install --no-cache-dir flask',
  ],
  [
    "RUN pip --cache-dir /tmp/pipc --proxy 'http://a b' install flask",
    "RUN pip --cache-dir /tmp/pipc --proxy 'http://a b' install --no-cache-dir flask",
  ],
  [
    'RUN pip --cache-dir /tmp/pipc --proxy http://a\\ b install flask',
    'RUN pip --cache-dir /tmp/pipc --proxy http://a\\ b install --no-cache-dir flask',
  ],
  [
    'RUN pip --cache-dir /tmp/pipc --proxy "http://a b"x\'c d\' install flask',
    'RUN pip --cache-dir /tmp/pipc --proxy "http://a b"x\'c d\' install --no-cache-dir flask',
  ],
];

ruleTester.run(rule, {
  valid: [
    // Installs from local files only download nothing: pip never makes its cache (checked with pip 23.2).
    'FROM python:3.12-slim\nCOPY wheels /wheels\nRUN pip install --no-index --find-links=/wheels -r requirements.txt',
    'FROM python:3.12-slim\nCOPY wheels /wheels\nRUN pip install --no-index -f file:///wheels flask==3.0.3',
    'FROM python:3.12-slim\nENV PIP_NO_INDEX=1\nRUN pip install --find-links /wheels flask',
    'FROM python:3.12-slim\nRUN PIP_NO_INDEX=true pip install --find-links /wheels flask',
    'FROM python:3.12-slim\nCOPY dist /dist\nRUN pip install --no-deps /dist/*.whl',
    'FROM python:3.12-slim\nCOPY wheels /wheels\nRUN pip install --no-deps /wheels/*',
    'FROM python:3.12\nRUN pip install requests && rm -rf ~/.cache',
    'FROM python:3.12\nRUN pip install --no-cache-dir requests',
    'FROM python:3.12\nRUN pip3 --no-cache-dir install requests',
    'FROM python:3.12\nRUN python -m pip install --no-cache-dir requests',
    'FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install requests',
    // pip treats every boolean word as "no cache", `off`/`0` included (backward compatibility).
    'FROM python:3.12\nENV PIP_NO_CACHE_DIR=off\nRUN pip install requests',
    'FROM python:3.12\nENV PIP_NO_CACHE_DIR=0\nRUN pip install requests',
    'FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=1; pip install requests',
    'FROM python:3.12\nRUN pip install requests && pip cache purge',
    'FROM python:3.12\nRUN pip install requests && rm -rf /root/.cache/pip',
    'FROM python:3.12 AS build\nRUN pip install --prefix=/install requests\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local',
    'FROM python:3.12\nRUN PIP_NO_CACHE_DIR=true pip install requests',
    'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install requests',
    'FROM python:3.12\nRUN pipx install black',
    'FROM python:3.12\nRUN pipenv install',
    // What env expands from its own environment is not read: no finding on a guess.
    'FROM python:3.12\nRUN env -S "pip install \\${ARGS}"',
    'FROM python:3.12 AS unused\nRUN pip install requests\nFROM python:3.12\nRUN true',
    // Under another USER pip caches in that user's home: removing it there is the cleanup.
    'FROM python:3.12\nRUN useradd -m app\nUSER app\nRUN pip install --user requests && rm -rf /home/app/.cache/pip',
    // pip and the `rm` run as the same user: `~` is that user's home for both, known or not.
    'FROM python:3.12\nRUN useradd -m app\nUSER app\nRUN pip install --user requests && rm -rf ~/.cache/pip',
    'FROM python:3.12\nUSER 1000\nRUN pip install requests && rm -rf $HOME/.cache',
    'FROM python:3.12\nUSER root:root\nRUN pip install requests && rm -rf ~/.cache/pip',
    // pip caches where --cache-dir or PIP_CACHE_DIR (ENV, on the command, exported) says: removing that, a mount on it
    // or a `pip cache purge` given the same place is the cleanup.
    ...[
      'RUN pip install --cache-dir /tmp/pipc requests && rm -rf /tmp/pipc',
      'RUN pip install --cache-dir=/tmp/pipc requests && rm -rf /tmp/pipc/*',
      'RUN pip install requests && rm -rf /root/.cache/*',
      'WORKDIR /app\nRUN pip install --cache-dir .c/pip requests && rm -rf .c/*',
      'RUN pip --cache-dir /tmp/pipc install requests && rm -rf /tmp/pipc',
      'RUN python -m pip install --cache-dir /tmp/pipc requests && rm -rf /tmp',
      'RUN PIP_CACHE_DIR=/tmp/pipc pip install requests && rm -rf /tmp/pipc',
      'RUN export PIP_CACHE_DIR=/tmp/pipc && pip install requests && rm -rf /tmp/pipc',
      'ENV PIP_CACHE_DIR=/tmp/pipc\nRUN pip install requests && rm -rf /tmp/pipc',
      'ENV PIP_CACHE_DIR=/tmp/pipc\nRUN pip install requests && pip cache purge',
      'RUN pip install --cache-dir /tmp/pipc requests && pip --cache-dir /tmp/pipc cache purge',
      'ARG C=/tmp/pipc\nRUN pip install --cache-dir $C requests && rm -rf $C',
      'WORKDIR /app\nRUN pip install --cache-dir .pipc requests && rm -rf /app/.pipc',
      'WORKDIR /app\nRUN cd web && pip install --cache-dir .pipc requests && rm -rf .pipc',
      'USER app\nRUN pip install --cache-dir ~/pipc requests && rm -rf /home/app/pipc',
      'RUN --mount=type=cache,target=/tmp/pipc pip install --cache-dir /tmp/pipc requests',
      'ENV PIP_CACHE_DIR=/tmp/pipc\nRUN --mount=type=cache,target=/tmp/pipc pip install requests',
      // --no-cache-dir and PIP_NO_CACHE_DIR still win over a cache directory set elsewhere.
      'ENV PIP_CACHE_DIR=/tmp/pipc\nRUN pip install --no-cache-dir requests',
      'ENV PIP_CACHE_DIR=/tmp/pipc PIP_NO_CACHE_DIR=1\nRUN pip install requests',
      // With XDG_CACHE_HOME set (ENV/ARG, on the command, exported) pip's default cache is $XDG_CACHE_HOME/pip.
      'ENV XDG_CACHE_HOME=/var/cache/x\nRUN pip install requests && rm -rf /var/cache/x/pip',
      'RUN XDG_CACHE_HOME=/tmp/x pip install requests && rm -rf /tmp/x',
      'RUN export XDG_CACHE_HOME=/tmp/x && pip install requests && pip cache purge',
      'ENV XDG_CACHE_HOME=/tmp/x\nRUN --mount=type=cache,target=/tmp/x/pip pip install requests',
      'ENV XDG_CACHE_HOME=/tmp/x\nRUN pip install --cache-dir /tmp/pc requests && rm -rf /tmp/pc',
      // A relative `rm` is read from where it runs: the WORKDIR, or the `cd` in effect when that is pip's.
      'WORKDIR /app\nRUN pip install --cache-dir .pipc requests && rm -rf .pipc',
      'WORKDIR /app\nRUN pip install --cache-dir /app/.pipc requests && rm -rf ./.pipc',
      'WORKDIR /app\nRUN cd a && pip install --cache-dir .pip x && rm -rf .pip && cd b',
    ].map((run) => `FROM python:3.12\n${run}`),
    // pip (optparse) takes any unique prefix of a long option: `--no-cache` is --no-cache-dir, `--cache` --cache-dir.
    ...[
      'RUN pip install --no-cache flask',
      'RUN pip install --no-cache-d flask',
      'RUN pip3 --no-cache install flask',
      'RUN python -m pip install --no-cach flask',
      'RUN pip install --cache /tmp/pipc requests && rm -rf /tmp/pipc',
      'RUN pip install --cache=/tmp/pipc requests && rm -rf /tmp/pipc',
      'RUN pip install --cache /tmp/pipc requests && pip --cache /tmp/pipc cache purge',
    ].map((run) => `FROM python:3.12\n${run}`),
    // Python's `-mpip` and its own flags before `-m` run pip as `-m pip` does.
    'FROM python:3.12\nRUN python3 -mpip install --no-cache-dir requests',
    'FROM python:3.12\nRUN python3 -u -m pip install --no-cache-dir requests',
    // Python has no `pip3` module: `python3 -m pip3` fails, and installs nothing.
    'FROM python:3.12\nRUN python3 -m pip3 install requests',
    'FROM python:3.12\nRUN python3 -mpip3 install requests',
    // pip applies its options in order: a --no-cache-dir after the --cache-dir wins.
    'FROM python:3.12\nRUN pip install --cache-dir /tmp/pipc --no-cache-dir requests',
    'FROM python:3.12\nRUN pip --cache-dir /tmp/pipc install --no-cache requests',
    // An `export` in a `{ ...; }` group persists after it (only a `( ... )` subshell ends with it).
    'FROM python:3.12\nRUN { export PIP_CACHE_DIR=/tmp/p; pip install a; } && pip install b && rm -rf /tmp/p',
    'FROM python:3.12\nRUN { export PIP_NO_CACHE_DIR=1; } && pip install b',
  ],
  invalid: [
    // An index still read: a remote --find-links page, PIP_NO_INDEX false, or local wheels whose dependencies come
    // from the index (no --no-deps), or a local directory built with build tools from the index.
    ...[
      'RUN pip install --no-index --find-links=https://example.com/wheels/ flask',
      'RUN PIP_NO_INDEX=0 pip install --find-links /wheels flask',
      'RUN pip install /wheels/*',
      'RUN pip install dist/app-1.0-py3-none-any.whl',
      'RUN pip install --no-deps .',
    ].map((run) => ({
      code: `FROM python:3.12\n${run}`,
      errors: [{ messageId: 'noCacheDir', line: 2 }],
      output: `FROM python:3.12\n${run.replace('pip install', 'pip install --no-cache-dir')}`,
    })),
    // Regression (fix sweep s34): the cache was always taken to be ~/.cache/pip, so removing the directory --cache-dir
    // or PIP_CACHE_DIR named was reported, and removing (or mounting) ~/.cache/pip passed though pip never used it.
    // The fix adds --no-cache-dir; where a --cache-dir after `install` would override it (pip takes its options in
    // order) there is none.
    ...[
      ['RUN pip install --cache-dir /tmp/pipc requests && rm -rf /root/.cache/pip'],
      [
        'RUN pip --cache-dir=/tmp/pipc install requests && rm -rf ~/.cache',
        'RUN pip --cache-dir=/tmp/pipc install --no-cache-dir requests && rm -rf ~/.cache',
      ],
      [
        'RUN PIP_CACHE_DIR=/tmp/pipc pip install requests && rm -rf ~/.cache/pip',
        'RUN PIP_CACHE_DIR=/tmp/pipc pip install --no-cache-dir requests && rm -rf ~/.cache/pip',
      ],
      [
        'RUN export PIP_CACHE_DIR=/tmp/pipc; pip install requests; rm -rf ~/.cache/pip',
        'RUN export PIP_CACHE_DIR=/tmp/pipc; pip install --no-cache-dir requests; rm -rf ~/.cache/pip',
      ],
      [
        'ENV PIP_CACHE_DIR=/tmp/pipc\nRUN pip install requests && rm -rf /root/.cache/pip',
        'ENV PIP_CACHE_DIR=/tmp/pipc\nRUN pip install --no-cache-dir requests && rm -rf /root/.cache/pip',
      ],
      ['RUN pip install --cache-dir /tmp/pipc requests && pip cache purge'],
      ['RUN --mount=type=cache,target=/root/.cache/pip pip install --cache-dir /tmp/pipc requests'],
      // A value-taking `--cache-dir` (`--cache`) before `install` leaves `install` the subcommand; the fix's flag after
      // it comes later and wins (regression, fix sweep s38: a value in its own word hid `install` from the fix).
      [
        'RUN pip --cache /tmp/pipc install requests && rm -rf /root/.cache/pip',
        'RUN pip --cache /tmp/pipc install --no-cache-dir requests && rm -rf /root/.cache/pip',
      ],
      [
        'RUN pip --cache-dir /tmp/pipc install requests && rm -rf /root/.cache/pip',
        'RUN pip --cache-dir /tmp/pipc install --no-cache-dir requests && rm -rf /root/.cache/pip',
      ],
      [
        'RUN python3 -m pip -q --cache-dir /tmp/pipc --proxy http://p:3128 install requests',
        'RUN python3 -m pip -q --cache-dir /tmp/pipc --proxy http://p:3128 install --no-cache-dir requests',
      ],
    ].map(inPipc),
    ...QUOTED_VALUES.map(inPipc),
    // Abbreviated long options read as pip reads them (regression, fix sweep s37): a `--cache` after `install` moves
    // the cache and overrides a `--no-cache-dir` put before it, so there is no flag fix.
    ...[
      ['RUN pip install --cache /tmp/pipc requests && rm -rf /root/.cache/pip'],
      ['RUN pip install --cach=/tmp/pipc requests && rm -rf /root/.cache/pip'],
      // The fix finds `install` by text, and keeps its edits only when pip's own commands, read again, are the ones
      // that got the flag: where an `echo`'s `pip install` would take one, there is no fix.
      ['RUN pip --cache-dir /tmp/pipc install requests && echo pip install done'],
      ['RUN pip install --cache-dir /tmp/pipc requests; python3 -c "print(\'pip install\')"'],
      ['RUN echo pip install && pip --cache-dir /tmp/pipc -q install requests'],
    ].map(([run]) => ({
      code: `FROM python:3.12\n${run}`,
      errors: [
        {
          messageId: 'noCacheDir' as const,
          message:
            '`pip install` without `--no-cache-dir` keeps every downloaded wheel in /tmp/pipc in this layer; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=/tmp/pipc`.',
        },
      ],
      output: `FROM python:3.12\n${run}`,
    })),
    // pip applies its options in order: a --cache-dir after the --no-cache-dir caches there (regression, fix sweep
    // s37: any --no-cache-dir was taken for no cache). One after `install` would override the fix's flag too.
    ...[
      ['RUN pip install --no-cache-dir --cache-dir /tmp/pipc requests'],
      ['RUN pip --no-cache-dir install --cache /tmp/pipc requests'],
      [
        'RUN pip --no-cache-dir --cache-dir=/tmp/pipc install requests',
        'RUN pip --no-cache-dir --cache-dir=/tmp/pipc install --no-cache-dir requests',
      ],
    ].map(inPipc),
    // PIP_NO_CACHE_DIR (ENV, on the command, exported) is read before the command line: a --cache-dir there caches.
    // The advice to set the variable would change nothing, so the message names the option that undoes it.
    ...[
      ['ENV PIP_NO_CACHE_DIR=1\nRUN pip install --cache-dir /tmp/pipc requests', '--cache-dir /tmp/pipc'],
      ['RUN PIP_NO_CACHE_DIR=1 pip install --cache /tmp/pipc requests', '--cache /tmp/pipc'],
      [
        'RUN export PIP_NO_CACHE_DIR=1 && python3 -mpip install --cache-dir=/tmp/pipc requests',
        '--cache-dir=/tmp/pipc',
      ],
      [
        'ENV PIP_NO_CACHE_DIR=1\nRUN pip --cache-dir=/tmp/pipc install requests',
        '--cache-dir=/tmp/pipc',
        'ENV PIP_NO_CACHE_DIR=1\nRUN pip --cache-dir=/tmp/pipc install --no-cache-dir requests',
      ],
    ].map(([run, option, fixed]) => ({
      code: `FROM python:3.12\n${run}`,
      errors: [
        {
          messageId: 'cacheDirOverride' as const,
          message: `\`pip install\` keeps every downloaded wheel in /tmp/pipc in this layer: \`${option}\` turns pip's cache back on despite PIP_NO_CACHE_DIR; drop it or add \`--no-cache-dir\` after it.`,
        },
      ],
      output: `FROM python:3.12\n${fixed ?? run}`,
    })),
    // Python's `-mpip` and its own flags before `-m` run pip as `-m pip` does; the fix finds its `install` there too.
    ...[
      ['RUN python3 -mpip install requests', 'RUN python3 -mpip install --no-cache-dir requests'],
      ['RUN python -u -m pip install requests', 'RUN python -u -m pip install --no-cache-dir requests'],
      ['RUN python3 -Iumpip install requests', 'RUN python3 -Iumpip install --no-cache-dir requests'],
      ['RUN python3 -W ignore -m pip install requests', 'RUN python3 -W ignore -m pip install --no-cache-dir requests'],
    ].map(([run, fixed]) => ({
      code: `FROM python:3.12\n${run}`,
      errors: [{ messageId: 'noCacheDir' as const, line: 2 }],
      output: `FROM python:3.12\n${fixed}`,
    })),
    // `--no-c` is ambiguous (--no-cache-dir, --no-clean, --no-color, --no-compile): pip fails on it, and it is read as
    // no option, as before.
    {
      code: 'FROM python:3.12\nRUN pip install --no-c flask',
      errors: [{ messageId: 'noCacheDir', line: 2 }],
      output: 'FROM python:3.12\nRUN pip install --no-cache-dir --no-c flask',
    },
    // The default cache moved by XDG_CACHE_HOME is not ~/.cache/pip, and a relative `rm` after another `cd` (or
    // before pip's) misses a cache a `cd` placed.
    ...[
      'ENV XDG_CACHE_HOME=/tmp/x\nRUN pip install requests && rm -rf /root/.cache/pip',
      'RUN export XDG_CACHE_HOME=/tmp/x && pip install requests && rm -rf ~/.cache',
      'RUN XDG_CACHE_HOME=/tmp/x pip install requests && rm -rf /root/.cache/pip',
      'WORKDIR /app\nRUN cd a && pip install --cache-dir .pip x && cd b && rm -rf .pip',
      'WORKDIR /app\nRUN cd a && pip install --cache-dir .pip x && cd /app && rm -rf .pip',
      'WORKDIR /app\nRUN pip install --cache-dir .pip x && cd b && rm -rf .pip',
      // Regression (fix sweep s35): the shell's `*` matches no name starting with `.`: it leaves .cache and .pip.
      'RUN pip install requests && rm -rf /root/*',
      'RUN pip install requests && rm -rf ~/*',
      'WORKDIR /app\nRUN pip install --cache-dir .pip x && rm -rf *',
      'WORKDIR /app\nRUN pip install --cache-dir .pip x && rm -rf ./*',
      // Regression (fix sweep s36): removing a sub-directory of the cache (or its contents by glob) was read as
      // removing the cache: wheels/ stays beside http/.
      'RUN pip install requests && rm -rf /root/.cache/pip/http/*',
      'RUN pip install requests && rm -rf ~/.cache/pip/http/*',
      'RUN pip install --cache-dir /tmp/pipc requests && rm -rf /tmp/pipc/http/*',
      'WORKDIR /app\nRUN pip install --cache-dir .pipc x && rm -rf .pipc/http/*',
    ].map((run) => ({ code: `FROM python:3.12\n${run}`, errors: [{ messageId: 'noCacheDir' as const }] })),
    {
      code: 'FROM python:3.12\nENV XDG_CACHE_HOME=/var/cache/x\nRUN pip install requests',
      errors: [
        {
          messageId: 'noCacheDir',
          message:
            '`pip install` without `--no-cache-dir` keeps every downloaded wheel in /var/cache/x/pip in this layer; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=/var/cache/x/pip`.',
        },
      ],
      output: 'FROM python:3.12\nENV XDG_CACHE_HOME=/var/cache/x\nRUN pip install --no-cache-dir requests',
    },
    // After a `cd` a relative cache is wherever that went, not under the WORKDIR: named from where that `cd` ran, as
    // DF007 and DF008 name theirs (regression, fix sweep s37: it was shown `./.pipc`).
    {
      code: 'FROM python:3.12\nWORKDIR /app\nRUN cd web && pip install --cache-dir .pipc requests && rm -rf /app/.pipc',
      errors: [
        {
          messageId: 'noCacheDir',
          message:
            '`pip install` without `--no-cache-dir` keeps every downloaded wheel in web/.pipc, relative to where `cd web` ran, in this layer; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=<cache directory>`.',
        },
      ],
    },
    // An export applies to the installs after it only.
    {
      code: 'FROM python:3.12\nRUN pip install requests && export PIP_CACHE_DIR=/tmp/pipc && rm -rf /tmp/pipc',
      errors: [
        {
          messageId: 'noCacheDir',
          message:
            '`pip install` without `--no-cache-dir` keeps every downloaded wheel in /root/.cache/pip in this layer; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=/root/.cache/pip`.',
        },
      ],
      output:
        'FROM python:3.12\nRUN pip install --no-cache-dir requests && export PIP_CACHE_DIR=/tmp/pipc && rm -rf /tmp/pipc',
    },
    // Root's cache is not where another user's pip (or root's, under another HOME) put its wheels.
    ...['RUN useradd -m app\nUSER app', 'USER app:app', 'USER 1000', 'ENV HOME=/srv/app'].map((before) => ({
      code: `FROM python:3.12\n${before}\nRUN pip install requests && rm -rf /root/.cache/pip`,
      errors: [{ messageId: 'noCacheDir' as const }],
    })),
    // The message names the cache of the USER in effect, and a mount target that covers it.
    {
      code: 'FROM python:3.12\nRUN useradd -m app\nUSER app\nRUN pip install --user requests',
      errors: [
        {
          messageId: 'noCacheDir',
          line: 4,
          message:
            '`pip install` without `--no-cache-dir` keeps every downloaded wheel in /home/app/.cache/pip in this layer; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=/home/app/.cache/pip,uid=<UID of app>,gid=<GID of app>`.',
        },
      ],
    },
    {
      code: 'FROM python:3.12\nUSER 1000\nRUN pip install requests',
      errors: [
        {
          messageId: 'noCacheDir',
          line: 3,
          message:
            '`pip install` without `--no-cache-dir` keeps every downloaded wheel in ~/.cache/pip in this layer; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=<home>/.cache/pip,uid=1000,gid=<GID of user 1000>`.',
        },
      ],
    },
    // BuildKit creates a cache mount owned by root: the suggestion gives a non-root USER's ids, or it cannot write there.
    {
      code: 'FROM python:3.12\nUSER 1000:1000\nRUN pip install requests',
      errors: [
        {
          messageId: 'noCacheDir',
          line: 3,
          message:
            '`pip install` without `--no-cache-dir` keeps every downloaded wheel in ~/.cache/pip in this layer; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=<home>/.cache/pip,uid=1000,gid=1000`.',
        },
      ],
    },
    {
      code: 'FROM python:3.12\nRUN pip install requests',
      errors: [
        {
          messageId: 'noCacheDir',
          line: 2,
          message:
            '`pip install` without `--no-cache-dir` keeps every downloaded wheel in /root/.cache/pip in this layer; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=/root/.cache/pip`.',
        },
      ],
      output: 'FROM python:3.12\nRUN pip install --no-cache-dir requests',
    },
    {
      code: 'FROM python:3.12\nRUN pip --proxy "a b" install flask',
      errors: [{ messageId: 'noCacheDir', line: 2 }],
      output: 'FROM python:3.12\nRUN pip --proxy "a b" install --no-cache-dir flask',
    },
    // env's -S string is a command line: the pip install in it is seen, and fixed in place.
    {
      code: 'FROM python:3.12\nRUN env -S "pip install requests"',
      errors: [{ messageId: 'noCacheDir' }],
      output: 'FROM python:3.12\nRUN env -S "pip install --no-cache-dir requests"',
    },
    {
      code: 'FROM python:3.12\nRUN pip3 install -r requirements.txt',
      errors: [{ messageId: 'noCacheDir', line: 2 }],
      output: 'FROM python:3.12\nRUN pip3 install --no-cache-dir -r requirements.txt',
    },
    {
      code: 'FROM python:3.12\nRUN python3 -m pip install -U pip',
      errors: [{ messageId: 'noCacheDir', line: 2 }],
      output: 'FROM python:3.12\nRUN python3 -m pip install --no-cache-dir -U pip',
    },
    {
      code: 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=\nRUN pip install requests',
      errors: [{ messageId: 'noCacheDir', line: 3 }],
      output: 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=\nRUN pip install --no-cache-dir requests',
    },
    {
      code: 'FROM python:3.12\nRUN pip install requests || pip cache purge',
      errors: [{ messageId: 'noCacheDir', line: 2 }],
      output: 'FROM python:3.12\nRUN pip install --no-cache-dir requests || pip cache purge',
    },
    // An `export` in a `( ... )` subshell ends with it: the second install uses the default cache, and caches.
    {
      code: 'FROM python:3.12\nRUN (export PIP_CACHE_DIR=/tmp/p; pip install a) && pip install b && rm -rf /tmp/p',
      errors: [
        {
          messageId: 'noCacheDir',
          message:
            '`pip install` without `--no-cache-dir` keeps every downloaded wheel in /root/.cache/pip in this layer; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=/root/.cache/pip`.',
        },
      ],
    },
    {
      code: 'FROM python:3.12\nRUN (export PIP_NO_CACHE_DIR=1) && pip install b',
      errors: [{ messageId: 'noCacheDir', line: 2 }],
      output: 'FROM python:3.12\nRUN (export PIP_NO_CACHE_DIR=1) && pip install --no-cache-dir b',
    },
    // ...as does one in a pipeline part, which bash and dash run in a subshell (it was taken to hold).
    {
      code: 'FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=1 | true && pip install b',
      errors: [{ messageId: 'noCacheDir', line: 2 }],
      output: 'FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=1 | true && pip install --no-cache-dir b',
    },
  ],
});

describe('DF006 fix with a quoted option value before install', () => {
  it.each(QUOTED_VALUES)('%s tokenizes as before, plus --no-cache-dir after install', (run, fixed) => {
    const words = (text: string) => parseShell(text.replace(/^RUN /, '')).map((c) => [c.name, ...c.args]);
    const before = words(run);
    const at = before[0].indexOf('install') + 1;
    expect(words(fixed)).toEqual([[...before[0].slice(0, at), '--no-cache-dir', ...before[0].slice(at)]]);
    expect(before[0].some((word) => word.includes('a b'))).toBe(true);
  });
});

// Review s45 (lintfix1): with --no-index pip downloads nothing, but it builds a wheel from each source archive it
// installs and keeps that wheel in its cache (wheels/); a --find-links directory is not read (lint cannot see whether
// it holds sdists), so only an sdist the command names is.
ruleTester.run(rule, {
  valid: [
    'FROM python:3.12-slim\nCOPY vendor /vendor\nRUN pip install --no-index --find-links=/vendor -r requirements.txt',
    'FROM python:3.12-slim\nRUN pip install --no-index --no-deps /wheels/app-1.0-py3-none-any.whl',
    'FROM python:3.12-slim\nRUN pip install --no-cache-dir --no-index --find-links /wheels /src/app-1.0.tar.gz',
  ],
  invalid: [
    ...[
      'RUN pip install --no-index --find-links /wheels /src/app-1.0.tar.gz',
      'RUN pip install --no-index --find-links=/wheels dist/*.tar.gz',
      'RUN pip install --no-index --no-deps file:///src/legacy_lib-0.9.zip',
    ].map((run) => ({
      code: `FROM python:3.12-slim\n${run}`,
      errors: [{ messageId: 'noCacheDir', line: 2 }],
      output: `FROM python:3.12-slim\n${run.replace('pip install', 'pip install --no-cache-dir')}`,
    })),
  ],
});

// The RUN after the fix is read as its bash SHELL reads it, as before the fix: read as sh, the
// quote opened after `it\'s` hid the pip command the fix had edited, and no fix was offered.
ruleTester.run(rule, {
  valid: [],
  invalid: [
    {
      code: `FROM python:3.12\nSHELL ["/bin/bash", "-c"]\nRUN echo $'it\\'s' && pip install flask`,
      errors: [{ messageId: 'noCacheDir', line: 3 }],
      output: `FROM python:3.12\nSHELL ["/bin/bash", "-c"]\nRUN echo $'it\\'s' && pip install --no-cache-dir flask`,
    },
  ],
});
