// DF029 python-tool-cache: uv, poetry and pip wheel/download caches left in the layer; flags, variables, cache mounts
// and cleanups that avoid them.
import { rule } from '../../../rules/dockerfile/python-tool-cache.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const py = (...lines: string[]): string => ['FROM python:3.12', 'WORKDIR /app', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    py('RUN uv pip install --system --no-cache requests'),
    py('RUN uv sync --frozen --no-cache'),
    py('RUN uv -n sync --frozen'),
    py('ENV UV_NO_CACHE=1', 'RUN uv sync --frozen'),
    py('RUN UV_NO_CACHE=true uv pip install --system requests'),
    py('RUN export UV_NO_CACHE=1 && uv sync'),
    py('RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen'),
    py('ENV UV_CACHE_DIR=/opt/uv-cache', 'RUN --mount=type=cache,target=/opt/uv-cache uv sync'),
    py('RUN uv sync --frozen && uv cache clean'),
    py('RUN uv sync --frozen && rm -rf /root/.cache'),
    py('ENV UV_CACHE_DIR=/tmp/uv', 'RUN uv sync && rm -rf /tmp/uv'),
    py('RUN uv venv && uv lock'),
    py('RUN poetry install --no-root --no-cache'),
    py('RUN --mount=type=cache,target=/root/.cache/pypoetry poetry install'),
    py('ENV POETRY_CACHE_DIR=/tmp/poetry_cache', 'RUN poetry install --no-root && rm -rf $POETRY_CACHE_DIR'),
    py('RUN poetry export -f requirements.txt -o requirements.txt'),
    py('RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt'),
    py('ENV PIP_NO_CACHE_DIR=1', 'RUN pip download -d /pkgs requests'),
    py('RUN pip download -d /pkgs requests && pip cache purge'),
    py('RUN pip install --no-cache-dir requests'),
    // pip wheel/download cache where DF006's pip install does: --cache-dir, PIP_CACHE_DIR on the command or exported.
    py('RUN pip download --cache-dir /tmp/pc -d /pkgs requests && rm -rf /tmp/pc'),
    py('RUN pip wheel --cache-dir=/tmp/pc -w /wheels requests && pip --cache-dir /tmp/pc cache purge'),
    py('RUN PIP_CACHE_DIR=/tmp/pc pip wheel -w /wheels requests && rm -rf /tmp/pc'),
    py('RUN export PIP_CACHE_DIR=/tmp/pc && python -m pip download -d /pkgs requests && rm -rf /tmp/pc'),
    // pip (optparse) takes any unique prefix of a long option: `--no-cache` is --no-cache-dir, `--cache` --cache-dir.
    py('RUN pip wheel --no-cache -w /wheels requests'),
    py('RUN pip --no-cache download -d /pkgs requests'),
    py('RUN pip download --cache /tmp/pc -d /pkgs requests && rm -rf /tmp/pc'),
    py('RUN pip wheel --cache=/tmp/pc -w /wheels requests && pip --cache /tmp/pc cache purge'),
    // pip applies its options in order: a --no-cache-dir after the --cache-dir wins.
    py('RUN pip wheel --cache-dir /tmp/pc --no-cache-dir -w /wheels requests'),
    py('RUN pip --cache-dir /tmp/pc download --no-cache -d /pkgs requests'),
    py('RUN python3 -mpip download --no-cache-dir -d /pkgs requests'),
    // The cache of the USER in effect, mounted or removed.
    py('RUN useradd -m app', 'USER app', 'RUN --mount=type=cache,target=/home/app/.cache/uv,uid=1000 uv sync'),
    py('RUN useradd -m app', 'USER app', 'RUN uv sync && rm -rf /home/app/.cache/uv'),
    // The tool and the `rm` run as the same user: `~` is that user's home for both, known or not.
    py('RUN useradd -m app', 'USER app', 'RUN uv sync && rm -rf ~/.cache/uv'),
    py('USER 1000', 'RUN uv sync && rm -rf ~/.cache/uv'),
    py('USER 1000', 'RUN pip download -d /pkgs requests && rm -rf $HOME/.cache'),
    py('USER 1000', 'RUN --mount=type=cache,target=/home/app/.cache/uv,uid=1000 uv sync'),
    // A build stage whose wheels only are copied on: its cache never ships.
    [
      'FROM python:3.12 AS build',
      'RUN pip wheel --wheel-dir /wheels -r requirements.txt && uv sync',
      'FROM python:3.12-slim',
      'COPY --from=build /wheels /wheels',
    ].join('\n'),
    // An `export` in a `{ ...; }` group persists after it (only a `( ... )` subshell ends with it).
    'FROM python:3.12\nRUN { export UV_NO_CACHE=1; } && uv sync',
    // uv's cache where it reads it: --cache-dir (the last given), UV_CACHE_DIR on the command, exported before it or
    // from ENV/ARG; a relative one from the WORKDIR (or uv's --directory). `uv cache clean` empties the cache it uses.
    py('RUN uv sync --cache-dir /tmp/uv && rm -rf /tmp/uv'),
    py('RUN uv --cache-dir=/tmp/uv pip install --system x && rm -rf /tmp/uv'),
    py('RUN uv sync --cache-dir /tmp/a --cache-dir /tmp/uv && rm -rf /tmp/uv'),
    py('RUN UV_CACHE_DIR=/tmp/uv uv sync && rm -rf /tmp/uv'),
    py('RUN export UV_CACHE_DIR=/tmp/uv && uv sync && rm -rf /tmp/uv'),
    py('RUN --mount=type=cache,target=/tmp/uv uv sync --cache-dir /tmp/uv'),
    py('ENV UV_CACHE_DIR=.uv', 'RUN --mount=type=cache,target=/app/.uv uv sync'),
    py('RUN --mount=type=cache,target=/app/web/.uv uv --directory web sync --cache-dir .uv'),
    py('RUN uv sync --cache-dir /tmp/uv && uv cache clean --cache-dir /tmp/uv'),
    py('RUN export UV_CACHE_DIR=/tmp/uv && uv sync && uv cache clean'),
    // XDG_CACHE_HOME moves the default cache of each tool; a relative `rm` is read from the WORKDIR.
    py('ENV XDG_CACHE_HOME=/tmp/x', 'RUN uv sync && rm -rf /tmp/x/uv'),
    py('RUN export XDG_CACHE_HOME=/tmp/x && poetry install && rm -rf /tmp/x/pypoetry'),
    py('ENV UV_CACHE_DIR=.uv', 'RUN uv sync && rm -rf .uv'),
    // Poetry's: POETRY_CACHE_DIR on the command or exported before it, as from ENV/ARG.
    py('RUN POETRY_CACHE_DIR=/tmp/p poetry install && rm -rf /tmp/p'),
    py('RUN export POETRY_CACHE_DIR=/tmp/p && poetry install && rm -rf /tmp/p'),
  ],
  invalid: [
    // Root's cache is not where another user's tool put its downloads.
    ...[
      ['USER app', 'RUN uv sync && rm -rf /root/.cache/uv', 'uv'],
      ['USER 1000', 'RUN poetry install && rm -rf /root/.cache', 'poetry'],
      ['USER app', 'RUN pip download -d /pkgs requests && rm -rf /root/.cache/pip', 'pip'],
      // A purge or rm of another cache than the one pip used.
      ['USER root', 'RUN pip download --cache-dir /tmp/pc -d /pkgs requests && pip cache purge', 'pip'],
      ['USER root', 'RUN pip download -d /pkgs requests && pip --cache-dir /tmp/o cache purge', 'pip'],
      ['USER root', 'RUN PIP_CACHE_DIR=/tmp/pc pip wheel -w /wheels requests && rm -rf /root/.cache/pip', 'pip'],
      // `--no-c` is ambiguous (--no-cache-dir, --no-clean, --no-color, ...): pip fails on it, read as no option.
      ['USER root', 'RUN pip download --no-c -d /pkgs requests', 'pip'],
      // A value-taking `--cache` before the subcommand leaves `wheel` the subcommand.
      ['USER root', 'RUN pip --cache /tmp/pc wheel -w /wheels requests && rm -rf /root/.cache/pip', 'pip'],
      // PIP_NO_CACHE_DIR is read before the command line: a --cache-dir there caches all the same, and the message
      // says that option is why.
      ['ENV PIP_NO_CACHE_DIR=1', 'RUN pip download --cache-dir /tmp/pc -d /pkgs requests', 'pipCacheDirOverride'],
      ['USER root', 'RUN PIP_NO_CACHE_DIR=1 pip wheel --cache /tmp/pc -w /wheels requests', 'pipCacheDirOverride'],
      [
        'USER root',
        'RUN export PIP_NO_CACHE_DIR=1 && pip --cache-dir=/tmp/pc download -d /pkgs requests',
        'pipCacheDirOverride',
      ],
      // The same for uv and poetry: a cache moved by option or variable is not the default one, and `uv cache clean`
      // empties the cache it itself uses.
      ['USER root', 'RUN uv sync --cache-dir /tmp/uv && rm -rf /root/.cache/uv', 'uv'],
      ['USER root', 'RUN uv sync --cache-dir=/tmp/uv && uv cache clean', 'uv'],
      ['USER root', 'RUN uv sync && uv cache clean --cache-dir /tmp/uv', 'uv'],
      ['USER root', 'RUN UV_CACHE_DIR=/tmp/uv uv sync && rm -rf ~/.cache/uv', 'uv'],
      ['USER root', 'RUN export UV_CACHE_DIR=/tmp/uv && uv sync && rm -rf /root/.cache', 'uv'],
      ['USER root', 'RUN POETRY_CACHE_DIR=/tmp/p poetry install && rm -rf /root/.cache/pypoetry', 'poetry'],
      ['USER root', 'RUN export POETRY_CACHE_DIR=/tmp/p && poetry install && rm -rf /root/.cache', 'poetry'],
      ['ENV XDG_CACHE_HOME=/tmp/x', 'RUN uv sync && rm -rf /root/.cache/uv', 'uv'],
      // `poetry cache clear --all NAME` empties the repository cache NAME (cache/repositories/NAME: package metadata);
      // the wheels and sdists poetry install downloaded stay in the cache's artifacts/ directory.
      ['USER root', 'RUN poetry install && poetry cache clear --all pypi', 'poetry'],
      ['USER root', 'RUN poetry install && poetry cache clear pypi --all -n', 'poetry'],
    ].map(([user, run, messageId]) => ({
      code: py(user, run),
      errors: [{ messageId: messageId as 'uv' | 'poetry' | 'pip' | 'pipCacheDirOverride' }],
    })),
    {
      code: py('RUN uv pip install --system requests'),
      errors: [
        {
          messageId: 'uv',
          line: 3,
          message:
            '`uv` installs without `--no-cache` keep every downloaded wheel in /root/.cache/uv in this layer; add `--no-cache`, set `UV_NO_CACHE=1`, or use `--mount=type=cache,target=/root/.cache/uv`.',
        },
      ],
      output: py('RUN uv pip install --no-cache --system requests'),
    },
    // Under another USER the cache is in that user's home: root's cache mount misses it, and the message names it.
    {
      code: py('RUN useradd -m app', 'USER app', 'RUN --mount=type=cache,target=/root/.cache/uv uv sync'),
      errors: [
        {
          messageId: 'uv',
          line: 5,
          message:
            '`uv` installs without `--no-cache` keep every downloaded wheel in /home/app/.cache/uv in this layer; add `--no-cache`, set `UV_NO_CACHE=1`, or use `--mount=type=cache,target=/home/app/.cache/uv,uid=<UID of app>,gid=<GID of app>`.',
        },
      ],
    },
    // After a `cd` a relative cache is named from where that `cd` ran (regression, fix sweep s37: it was `./.uv`).
    {
      code: py('RUN cd web && uv sync --cache-dir .uv'),
      errors: [
        {
          messageId: 'uv',
          message:
            '`uv` installs without `--no-cache` keep every downloaded wheel in web/.uv, relative to where `cd web` ran, in this layer; add `--no-cache`, set `UV_NO_CACHE=1`, or use `--mount=type=cache,target=<cache directory>`.',
        },
      ],
    },
    {
      code: py('RUN cd /srv/web && pip download --cache-dir .pc -d /pkgs requests'),
      errors: [
        {
          messageId: 'pip',
          message:
            '`pip wheel`/`pip download` without `--no-cache-dir` keeps every download in /srv/web/.pc in this layer as well as in the output directory; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=<cache directory>`.',
        },
      ],
    },
    // A relative UV_CACHE_DIR is under the WORKDIR.
    {
      code: py('ENV UV_CACHE_DIR=.uv', 'RUN uv sync'),
      errors: [
        {
          messageId: 'uv',
          message:
            '`uv` installs without `--no-cache` keep every downloaded wheel in /app/.uv in this layer; add `--no-cache`, set `UV_NO_CACHE=1`, or use `--mount=type=cache,target=/app/.uv`.',
        },
      ],
      output: py('ENV UV_CACHE_DIR=.uv', 'RUN uv sync --no-cache'),
    },
    {
      code: py('ENV POETRY_CACHE_DIR=/opt/poetry-cache', 'RUN poetry install'),
      errors: [
        {
          messageId: 'poetry',
          message:
            '`poetry install` or `poetry sync` without `--no-cache` keeps downloaded packages in /opt/poetry-cache in this layer; add `--no-cache` or use `--mount=type=cache,target=/opt/poetry-cache`.',
        },
      ],
    },
    {
      code: py('USER 1000', 'RUN pip download -d /pkgs requests'),
      errors: [
        {
          messageId: 'pip',
          message:
            '`pip wheel`/`pip download` without `--no-cache-dir` keeps every download in ~/.cache/pip in this layer as well as in the output directory; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=<home>/.cache/pip,uid=1000,gid=<GID of user 1000>`.',
        },
      ],
    },
    {
      code: py('RUN export PIP_CACHE_DIR=/tmp/pc && pip download -d /pkgs requests && rm -rf ~/.cache/pip'),
      errors: [
        {
          messageId: 'pip',
          message:
            '`pip wheel`/`pip download` without `--no-cache-dir` keeps every download in /tmp/pc in this layer as well as in the output directory; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=/tmp/pc`.',
        },
      ],
      output: py(
        'RUN export PIP_CACHE_DIR=/tmp/pc && pip download --no-cache-dir -d /pkgs requests && rm -rf ~/.cache/pip',
      ),
    },
    // With PIP_NO_CACHE_DIR set, the command's own --cache-dir is what caches (pip applies it after the variable).
    {
      code: py('ENV PIP_NO_CACHE_DIR=1', 'RUN pip wheel --cache=/tmp/pc -w /wheels requests'),
      errors: [
        {
          messageId: 'pipCacheDirOverride',
          message:
            "`pip wheel`/`pip download` keeps every download in /tmp/pc in this layer as well as in the output directory: `--cache=/tmp/pc` turns pip's cache back on despite PIP_NO_CACHE_DIR; drop it or add `--no-cache-dir` after it.",
        },
      ],
      output: py('ENV PIP_NO_CACHE_DIR=1', 'RUN pip wheel --cache=/tmp/pc -w /wheels requests'),
    },
    // The fix finds the subcommand by text, past a value in its own word too; where an `echo`'s `pip download` would
    // take the flag there is none.
    {
      code: py('RUN pip --cache-dir /tmp/pc download -d /pkgs requests && echo pip download done'),
      errors: [{ messageId: 'pip' }],
      output: py('RUN pip --cache-dir /tmp/pc download -d /pkgs requests && echo pip download done'),
    },
    {
      code: py('RUN pip --cache-dir /tmp/pc wheel -w /wheels requests'),
      errors: [{ messageId: 'pip' }],
      output: py('RUN pip --cache-dir /tmp/pc wheel --no-cache-dir -w /wheels requests'),
    },
    {
      code: py('RUN uv sync --frozen --no-dev'),
      errors: [{ messageId: 'uv' }],
      output: py('RUN uv sync --no-cache --frozen --no-dev'),
    },
    {
      code: py('RUN uv --directory /app sync'),
      errors: [{ messageId: 'uv' }],
    },
    {
      code: py('RUN uv tool install ruff'),
      errors: [{ messageId: 'uv' }],
      output: py('RUN uv tool install --no-cache ruff'),
    },
    {
      code: py('ENV UV_NO_CACHE=0', 'RUN uv sync'),
      errors: [{ messageId: 'uv', line: 4 }],
      output: py('ENV UV_NO_CACHE=0', 'RUN uv sync --no-cache'),
    },
    {
      code: py('RUN poetry install --no-root --only main'),
      errors: [
        {
          messageId: 'poetry',
          message:
            '`poetry install` or `poetry sync` without `--no-cache` keeps downloaded packages in /root/.cache/pypoetry in this layer; add `--no-cache` or use `--mount=type=cache,target=/root/.cache/pypoetry`.',
        },
      ],
      output: py('RUN poetry install --no-cache --no-root --only main'),
    },
    {
      code: py('RUN poetry -n install'),
      errors: [{ messageId: 'poetry' }],
      output: py('RUN poetry -n install --no-cache'),
    },
    {
      code: py('RUN pip wheel --wheel-dir /wheels -r requirements.txt'),
      errors: [{ messageId: 'pip' }],
      output: py('RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt'),
    },
    {
      code: py('RUN python -m pip download -d /pkgs requests'),
      errors: [{ messageId: 'pip' }],
      output: py('RUN python -m pip download --no-cache-dir -d /pkgs requests'),
    },
    // A `--cache` (pip's --cache-dir, abbreviated) after the subcommand would override a `--no-cache-dir` put before it:
    // no flag fix.
    {
      code: py('RUN pip wheel --cache /tmp/pc -w /wheels requests'),
      errors: [
        {
          messageId: 'pip',
          message:
            '`pip wheel`/`pip download` without `--no-cache-dir` keeps every download in /tmp/pc in this layer as well as in the output directory; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=/tmp/pc`.',
        },
      ],
      output: py('RUN pip wheel --cache /tmp/pc -w /wheels requests'),
    },
    // pip applies its options in order: a --cache-dir after the --no-cache-dir caches there (regression, fix sweep s37).
    {
      code: py('RUN pip download --no-cache-dir --cache-dir /tmp/pc -d /pkgs requests'),
      errors: [
        {
          messageId: 'pip',
          message:
            '`pip wheel`/`pip download` without `--no-cache-dir` keeps every download in /tmp/pc in this layer as well as in the output directory; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target=/tmp/pc`.',
        },
      ],
      output: py('RUN pip download --no-cache-dir --cache-dir /tmp/pc -d /pkgs requests'),
    },
    {
      code: py('RUN pip --no-cache wheel --cache /tmp/pc -w /wheels requests'),
      errors: [{ messageId: 'pip' }],
      output: py('RUN pip --no-cache wheel --cache /tmp/pc -w /wheels requests'),
    },
    // Python's `-mpip` and its own flags before `-m` run pip as `-m pip` does.
    {
      code: py('RUN python3 -mpip wheel -w /wheels requests'),
      errors: [{ messageId: 'pip' }],
      output: py('RUN python3 -mpip wheel --no-cache-dir -w /wheels requests'),
    },
    {
      code: py('RUN python3 -u -m pip download -d /pkgs requests'),
      errors: [{ messageId: 'pip' }],
      output: py('RUN python3 -u -m pip download --no-cache-dir -d /pkgs requests'),
    },
    // A --cache-dir before the subcommand is overridden by the --no-cache-dir the fix puts after it.
    {
      code: py('RUN pip --cache-dir=/tmp/pc wheel -w /wheels requests'),
      errors: [{ messageId: 'pip' }],
      output: py('RUN pip --cache-dir=/tmp/pc wheel --no-cache-dir -w /wheels requests'),
    },
    // The cleanup runs only when the first command fails.
    {
      code: py('RUN uv sync || uv cache clean'),
      errors: [{ messageId: 'uv' }],
      output: py('RUN uv sync --no-cache || uv cache clean'),
    },
    {
      code: py('RUN uv sync && poetry install'),
      errors: [{ messageId: 'uv' }, { messageId: 'poetry' }],
      output: py('RUN uv sync --no-cache && poetry install --no-cache'),
    },
    // An `export` in a `( ... )` subshell ends with it.
    { code: 'FROM python:3.12\nRUN (export UV_NO_CACHE=1) && uv sync', errors: [{ messageId: 'uv', line: 2 }] },
    {
      code: 'FROM python:3.12\nRUN (export PIP_NO_CACHE_DIR=1) && pip wheel -w /w x',
      errors: [{ messageId: 'pip', line: 2 }],
    },
  ],
});

// Review s46 (lintfix4): `poetry install --only-root` installs the project alone, no dependency, so downloads nothing.
ruleTester.run(rule, {
  valid: [
    py('ENV POETRY_CACHE_DIR=/tmp/poetry_cache', 'COPY . .', 'RUN poetry install --only-root'),
    py('RUN poetry install --only-root --no-interaction'),
  ],
  invalid: [
    // The first install downloads the dependencies; the flag is not added, as the second would get it too.
    {
      code: py('RUN poetry install --no-root && poetry install --only-root'),
      errors: [{ messageId: 'poetry' }],
      output: py('RUN poetry install --no-root && poetry install --only-root'),
    },
    { code: py('RUN poetry install --only main'), errors: [{ messageId: 'poetry' }] },
  ],
});
