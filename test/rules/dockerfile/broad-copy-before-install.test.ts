import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/broad-copy-before-install.js';

ruleTester.run(rule, {
  valid: [
    // uv's documented idiom: dependencies installed from bind-mounted manifests first, the project after the COPY.
    'FROM python:3.12-slim\nWORKDIR /app\nRUN --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --frozen --no-install-project\nCOPY . /app\nRUN uv sync --frozen',
    'FROM node:20\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .',
    'FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . /app',
    'FROM node:20\nCOPY . .\nRUN npm run build',
    // An ONBUILD install runs in the builds FROM this image, after all of this one: this COPY does not bust its cache.
    'FROM node:20\nWORKDIR /app\nCOPY . /srv\nONBUILD RUN yarn install\nRUN echo hi',
    'FROM node:20\nWORKDIR /app\nCOPY . .\nONBUILD RUN npm install\nRUN npm run build',
    'FROM node:20 AS build\nCOPY . .\nFROM node:20\nRUN npm ci',
    'FROM node:20\nCOPY --from=build / /x\nRUN npm ci',
  ],
  invalid: [
    { code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci', errors: [{ messageId: 'bustsCache', line: 3 }] },
    {
      code: 'FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt',
      errors: [{ messageId: 'bustsCache', line: 2 }],
    },
    // The requirement files named are what to copy first (the message said requirements.txt whatever they were).
    {
      code: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements/prod.txt -r "dev reqs.txt"',
      errors: [
        {
          messageId: 'bustsCache',
          line: 3,
          message:
            '`COPY .` copies the whole context before the dependency install on line 4: any source change invalidates the cache and re-runs the install; copy requirements/prod.txt and dev reqs.txt first, install, then copy the rest.',
        },
      ],
    },
    // pip's options read as pip reads them (regression, fix sweep s37): `--requirem` is --requirement, `-mpip` is
    // `-m pip`, and a constraint file is a manifest to copy first too.
    {
      code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --requirem requirements.txt',
      files: { 'requirements.txt': 'flask' },
      errors: [
        {
          messageId: 'bustsCache',
          line: 3,
          message:
            '`COPY .` copies the whole context before the dependency install on line 4: any source change invalidates the cache and re-runs the install; copy requirements.txt first, install, then copy the rest.',
        },
      ],
      unsafeOutput:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install --requirem requirements.txt\nCOPY . .',
    },
    {
      code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN python3 -mpip install --no-cache -r requirements.txt --cons c.txt',
      files: { 'requirements.txt': 'flask', 'c.txt': 'flask==3.0.0' },
      errors: [
        {
          messageId: 'bustsCache',
          line: 3,
          message:
            '`COPY .` copies the whole context before the dependency install on line 4: any source change invalidates the cache and re-runs the install; copy requirements.txt and c.txt first, install, then copy the rest.',
        },
      ],
      unsafeOutput:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt c.txt ./\nRUN python3 -mpip install --no-cache -r requirements.txt --cons c.txt\nCOPY . .',
    },
    // The value of an abbreviated value-taking option is no package: only the requirement file is needed.
    {
      code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --ind https://pypi.example/simple -r requirements.txt',
      files: { 'requirements.txt': 'flask' },
      errors: [{ messageId: 'bustsCache', line: 3 }],
      unsafeOutput:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install --ind https://pypi.example/simple -r requirements.txt\nCOPY . .',
    },
    { code: 'FROM golang:1.22\nCOPY ./ /src\nRUN go mod download', errors: [{ messageId: 'bustsCache', line: 2 }] },
    // The install RUN may clean pip's cache after it, however pip is run and given its options (a `pip cache` read as
    // pip reads it: `-mpip`, a value-taking option before `cache`, `pip3.12`).
    ...[
      'python3 -m pip install -r requirements.txt && python3 -mpip cache purge',
      'pip install --cache-dir /tmp/pc -r requirements.txt && pip --cache-dir /tmp/pc cache purge',
      'pip3.12 install -r requirements.txt && pip3.12 cache purge',
    ].map((run) => ({
      code: `FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN ${run}`,
      files: { 'requirements.txt': 'flask' },
      errors: [{ messageId: 'bustsCache' as const, line: 3 }],
      unsafeOutput: `FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN ${run}\nCOPY . .`,
    })),
    // `python3 -m pip3` is no pip (Python has no pip3 module), and no cleanup: the RUN does more than install.
    {
      code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && python3 -m pip3 cache purge',
      files: { 'requirements.txt': 'flask' },
      errors: [{ messageId: 'bustsCache', line: 3 }],
      unsafeOutput:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && python3 -m pip3 cache purge',
    },
    // A quoted destination with a space: reported, but the fix would have to write it back quoted, so none is offered.
    {
      code: 'FROM node:20-slim\nCOPY . "/my app/"\nRUN npm ci',
      files: { 'package.json': '{}' },
      errors: [{ messageId: 'bustsCache', line: 2 }],
      unsafeOutput: 'FROM node:20-slim\nCOPY . "/my app/"\nRUN npm ci',
    },
    // A requirement file with a space: the manifests COPY is written in the JSON form, the one that keeps it one path.
    {
      code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY --chown=app . .\nRUN pip install --no-cache-dir -r base.txt -r "dev reqs.txt"',
      files: { 'base.txt': 'flask', 'dev reqs.txt': 'pytest' },
      errors: [{ messageId: 'bustsCache', line: 3 }],
      unsafeOutput:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY --chown=app ["base.txt", "dev reqs.txt", "./"]\nRUN pip install --no-cache-dir -r base.txt -r "dev reqs.txt"\nCOPY --chown=app . .',
    },
    // A `$` or a glob character in the name would be read by the builder even in the JSON form: no fix.
    {
      code: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r 'reqs $v.txt'",
      files: { 'reqs $v.txt': 'flask' },
      errors: [{ messageId: 'bustsCache', line: 3 }],
      unsafeOutput: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r 'reqs $v.txt'",
    },
    { code: 'FROM ruby:3.3\nADD . /app\nRUN bundle install', errors: [{ messageId: 'bustsCache', line: 2 }] },
    // The manifests are already copied first; only the broad COPY sits too early. The fix moves it below the install
    // instead of copying the manifests a second time, and the message does not ask for what is already there.
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY . .\nRUN npm ci --omit=dev\nCMD ["node", "index.js"]',
      files: { 'package.json': '{}', 'package-lock.json': '{}' },
      errors: [
        {
          messageId: 'alreadyCopied',
          line: 4,
          message:
            '`COPY .` copies the whole context before the dependency install on line 5: any source change invalidates the cache and re-runs the install; line 3 already copies the manifests, so move this COPY below the install.',
        },
      ],
      unsafeOutput:
        'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD ["node", "index.js"]',
    },
    {
      code: 'FROM python:3.12-slim\nCOPY requirements.txt /app/requirements.txt\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt',
      errors: [{ messageId: 'alreadyCopied', line: 4 }],
    },
    // Copied elsewhere than where the broad COPY writes: not the same step.
    {
      code: 'FROM node:20-slim\nCOPY package*.json /tmp/\nWORKDIR /app\nCOPY . .\nRUN npm ci',
      errors: [{ messageId: 'bustsCache', line: 4 }],
    },
    // The manifest COPY's source read as the builder reads it: a `[...]` class is a glob, `{a,b}` a name as written.
    ...[
      ['package.jso[n]', 'alreadyCopied'],
      ['{package,x}.json', 'bustsCache'],
    ].map(([source, messageId]) => ({
      code: `FROM node:20-slim\nWORKDIR /app\nCOPY ${source} ./\nCOPY . .\nRUN npm ci`,
      errors: [{ messageId, line: 4 }],
    })),
  ],
});

// Review s43 item 10 (pnpm's docs Dockerfile): the broad COPY in a stage the installing stage is built FROM comes first
// too, so every source change re-runs that install.
ruleTester.run(rule, {
  valid: [
    // The installing stage copies its manifests and installs before its own broad COPY; the base copies nothing broad.
    'FROM node:20-slim AS base\nWORKDIR /app\nFROM base AS deps\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .',
    // A stage FROM an unrelated one.
    'FROM node:20-slim AS src\nCOPY . /src\nFROM node:20-slim AS deps\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci',
  ],
  invalid: [
    {
      code: 'FROM node:20-slim AS base\nWORKDIR /app\nCOPY . .\nFROM base AS deps\nRUN npm ci --omit=dev\nFROM node:20-slim\nCOPY --from=deps /app /app',
      errors: [
        {
          messageId: 'bustsCacheLaterStage',
          line: 3,
          message:
            '`COPY .` copies the whole context in a stage that the dependency install on line 5 (stage `deps`, built FROM this stage) builds on: any source change invalidates the cache and re-runs the install; copy package.json and package-lock.json first, install, then copy the rest, in the installing stage or in this one.',
        },
      ],
    },
    // The message names the installing stage: by its index when it has no name, and through the stages between.
    ...[
      [
        'FROM node:20-slim AS base\nWORKDIR /app\nCOPY . .\nFROM base\nRUN npm ci',
        '5 (stage 1, built FROM this stage)',
      ],
      [
        'FROM node:20-slim AS base\nWORKDIR /app\nCOPY . .\nFROM base AS tools\nENV CI=1\nFROM tools AS deps\nRUN npm ci',
        '7 (stage `deps`, built FROM stage `tools`, built FROM this stage)',
      ],
      [
        'FROM alpine AS unrelated\nFROM node:20-slim AS Base\nWORKDIR /app\nCOPY . .\nFROM base\nENV CI=1\nFROM alpine\nFROM base\nRUN npm ci',
        '9 (stage 4, built FROM this stage)',
      ],
    ].map(([code, install]) => ({
      code,
      errors: [
        {
          messageId: 'bustsCacheLaterStage' as const,
          message: `\`COPY .\` copies the whole context in a stage that the dependency install on line ${install} builds on: any source change invalidates the cache and re-runs the install; copy package.json and package-lock.json first, install, then copy the rest, in the installing stage or in this one.`,
        },
      ],
    })),
    // Two stages FROM it install (pnpm's docs): reported once, at the first install.
    {
      code: 'FROM node:20-slim AS base\nWORKDIR /app\nCOPY . /app\nFROM base AS prod-deps\nRUN pnpm install --prod --frozen-lockfile\nFROM base AS build\nRUN pnpm install --frozen-lockfile\nRUN pnpm run build',
      errors: [{ messageId: 'bustsCacheLaterStage', line: 3 }],
    },
  ],
});

// Review s44 (lintfn): bun, mix and dotnet installs are dependency installs too.
ruleTester.run(rule, {
  valid: [
    'FROM oven/bun:1.1\nWORKDIR /app\nCOPY package.json bun.lockb ./\nRUN bun install --frozen-lockfile\nCOPY . .',
    'FROM elixir:1.16\nWORKDIR /app\nCOPY mix.exs mix.lock ./\nRUN mix deps.get --only prod\nCOPY . .',
    'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY *.csproj ./\nRUN dotnet restore\nCOPY . .\nRUN dotnet publish --no-restore',
  ],
  invalid: [
    {
      code: 'FROM oven/bun:1.1\nWORKDIR /app\nCOPY . .\nRUN bun install --frozen-lockfile',
      files: { 'package.json': '{}', 'bun.lockb': 'x', 'index.ts': '' },
      errors: [
        {
          messageId: 'bustsCache',
          line: 3,
          message:
            '`COPY .` copies the whole context before the dependency install on line 4: any source change invalidates the cache and re-runs the install; copy package.json and bun.lock (or bun.lockb) first, install, then copy the rest.',
        },
      ],
      unsafeOutput:
        'FROM oven/bun:1.1\nWORKDIR /app\nCOPY package.json bun.lockb ./\nRUN bun install --frozen-lockfile\nCOPY . .',
    },
    {
      code: 'FROM elixir:1.16\nWORKDIR /app\nCOPY . .\nRUN MIX_ENV=prod mix deps.get --only prod',
      files: { 'mix.exs': '', 'mix.lock': '', 'lib/app.ex': '' },
      errors: [{ messageId: 'bustsCache', line: 3 }],
      unsafeOutput:
        'FROM elixir:1.16\nWORKDIR /app\nCOPY mix.exs mix.lock ./\nRUN MIX_ENV=prod mix deps.get --only prod\nCOPY . .',
    },
    // Each project file must keep its path: reported, with no fix.
    {
      code: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet restore',
      files: { 'App.sln': '', 'src/App/App.csproj': '' },
      errors: [
        {
          messageId: 'bustsCache',
          line: 3,
          message:
            '`COPY .` copies the whole context before the dependency install on line 4: any source change invalidates the cache and re-runs the install; copy the *.csproj and *.sln files, NuGet.config and Directory.*.props first, install, then copy the rest.',
        },
      ],
      unsafeOutput: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet restore',
    },
  ],
});

// Review s44 (lintfn): a COPY of one directory that holds the install's manifests busts its cache as `COPY . DIR` does.
ruleTester.run(rule, {
  valid: [
    // A directory of requirement files only is the manifests-first step (cookiecutter-django's `COPY ./requirements .`).
    'FROM python:3.12\nWORKDIR /app\nCOPY ./requirements .\nRUN pip install -r production.txt\nCOPY . .',
    'FROM python:3.12\nCOPY deps/ /tmp/deps/\nRUN pip install -r /tmp/deps/base.txt',
    'FROM python:3.12\nCOPY requirements /srv/requirements\nRUN pip install -r /srv/requirements/requirements.txt',
    // The install reads elsewhere than where the directory went.
    'FROM python:3.12\nCOPY requirements.txt /srv/\nCOPY app /srv/app\nRUN pip install -r /srv/requirements.txt',
    'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY scripts ./scripts\nRUN npm ci\nCOPY . .',
    // The context shows the directory has no such manifest.
    {
      code: 'FROM node:20\nWORKDIR /app\nCOPY config/ ./\nRUN npm ci',
      files: { 'config/app.yaml': '', 'package.json': '{}' },
    },
    // Manifests copied and installed first; the directory comes after.
    'FROM python:3.12\nCOPY app/requirements.txt /srv/app/\nRUN pip install -r /srv/app/requirements.txt\nCOPY app /srv/app',
  ],
  invalid: [
    {
      code: 'FROM python:3.12\nCOPY app /srv/app\nRUN pip install -r /srv/app/requirements.txt',
      files: { 'app/requirements.txt': 'flask', 'app/main.py': '' },
      errors: [
        {
          messageId: 'bustsCacheDirectory',
          line: 2,
          message:
            '`COPY app` copies the whole `app` directory, which holds the manifests of the dependency install on line 3, before that install: any change under it invalidates the cache and re-runs the install; copy /srv/app/requirements.txt first, install, then copy the rest.',
        },
      ],
    },
    {
      code: 'FROM python:3.12\nWORKDIR /srv\nCOPY app/ app/\nRUN pip install -r app/requirements-prod.txt',
      files: { 'app/requirements-prod.txt': 'flask', 'app/main.py': '' },
      errors: [{ messageId: 'bustsCacheDirectory', line: 3 }],
    },
    {
      code: 'FROM node:20\nCOPY web /app\nWORKDIR /app\nRUN npm ci',
      files: { 'web/package.json': '{}', 'web/package-lock.json': '{}', 'web/index.js': '' },
      errors: [{ messageId: 'bustsCacheDirectory', line: 2 }],
    },
    // A monorepo copied whole, installed in one package of it.
    {
      code: 'FROM oven/bun:1.1\nCOPY repo /src\nWORKDIR /src/packages/api\nRUN bun install',
      files: { 'repo/packages/api/package.json': '{}', 'repo/packages/api/index.ts': '' },
      errors: [{ messageId: 'bustsCacheDirectory', line: 2 }],
    },
  ],
});

// A manifest file copied alone is the manifests-first step, with or without a build context to tell it is a file.
ruleTester.run(rule, {
  valid: [
    'FROM maven:3-eclipse-temurin-21\nWORKDIR /app\nCOPY pom.xml .\nRUN mvn dependency:go-offline',
    'FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile /app/\nRUN bundle install',
    { code: 'FROM ruby:3.3\nWORKDIR /app\nCOPY Gemfile /app/\nRUN bundle install', files: { Gemfile: '' } },
  ],
  invalid: [],
});

// Review s44 (lintnits): without a build context, nothing says a copied directory holds the install's manifest.
ruleTester.run(rule, {
  valid: [
    'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY docker-entrypoint /app\nRUN npm ci --omit=dev && npm cache clean --force',
    'FROM node:20-slim\nWORKDIR /app\nCOPY rootfs /\nRUN npm ci',
    'FROM node:20\nCOPY web /app\nWORKDIR /app\nRUN npm ci',
    'FROM python:3.12\nCOPY app/ /srv/app/\nRUN pip install -r /srv/app/requirements.txt',
  ],
  invalid: [],
});

// Review s44: a `cd` inside the RUN is read as a WORKDIR would be (`cd /srv/web && npm ci` installs in /srv/web).
ruleTester.run(rule, {
  valid: [
    // The `cd` went elsewhere than the copied directory.
    {
      code: 'FROM node:20\nCOPY web /srv/web\nRUN cd /srv/api && npm ci',
      files: { 'web/package.json': '{}', 'web/index.js': '' },
    },
    // A `cd` the script does not spell out: where the install runs is not known.
    {
      code: 'FROM node:20\nWORKDIR /srv/web\nCOPY web /srv/web\nRUN cd "$(mktemp -d)" && npm ci',
      files: { 'web/package.json': '{}', 'web/index.js': '' },
    },
    // In a subshell, the `cd` is left at its end.
    {
      code: 'FROM node:20\nCOPY web /srv/web\nRUN (cd /srv/web && make) && npm ci',
      files: { 'web/package.json': '{}', 'web/index.js': '' },
    },
  ],
  invalid: [
    {
      code: 'FROM node:20\nCOPY web /srv/web\nRUN cd /srv/web && npm ci',
      files: { 'web/package.json': '{}', 'web/index.js': '' },
      errors: [{ messageId: 'bustsCacheDirectory', line: 2 }],
    },
    // Relative `cd`s add up from the WORKDIR, ARG values read.
    {
      code: 'FROM node:20\nARG APP=web\nWORKDIR /srv\nCOPY repo /srv/repo\nRUN cd repo && cd packages/${APP} && npm ci',
      files: { 'repo/packages/web/package.json': '{}', 'repo/packages/web/index.js': '' },
      errors: [{ messageId: 'bustsCacheDirectory', line: 4 }],
    },
    {
      code: 'FROM python:3.12\nCOPY app /srv/app\nRUN cd /srv/app && pip install -r requirements.txt',
      files: { 'app/requirements.txt': 'flask', 'app/main.py': '' },
      errors: [{ messageId: 'bustsCacheDirectory', line: 2 }],
    },
  ],
});

// Review s44: `dotnet build`/`publish` (and pack, test) restore the packages first, as `dotnet restore` does.
ruleTester.run(rule, {
  valid: [
    // Restored before the broad COPY: the publish's own restore finds everything there.
    'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY App.csproj .\nRUN dotnet restore\nCOPY . .\nRUN dotnet publish -c Release -o /app',
    // Told not to restore.
    'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet build --no-restore',
    // A stage built FROM one that restored before its broad COPY (Visual Studio's generated Dockerfile).
    'FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nWORKDIR /src\nCOPY ["App/App.csproj", "App/"]\nRUN dotnet restore "App/App.csproj"\nCOPY . .\nWORKDIR /src/App\nRUN dotnet build -c Release\nFROM build AS publish\nRUN dotnet publish -c Release -o /app/publish',
  ],
  invalid: [
    {
      code: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -c Release -o /app',
      errors: [{ messageId: 'bustsCache', line: 3 }],
    },
    {
      code: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet build App.sln -c Release',
      errors: [{ messageId: 'bustsCache', line: 3 }],
    },
  ],
});

// Review s45 (lintfix1): a COPY --from of a directory into which that stage copied the whole context brings the whole
// context along: an install reading its manifest there re-fetches on every source change, as after `COPY . .`. An
// install that fetches nothing (--no-index with local --find-links, --offline), a step that is no install (npm prune)
// and a copy of a directory below the context's (dist/) or from a stage that copied only its manifests stay silent.
const NODE_BUILD = 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm run build\n';
ruleTester.run(rule, {
  valid: [
    `${NODE_BUILD}FROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app /app\nRUN npm prune --omit=dev`,
    `${NODE_BUILD}FROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app/dist ./dist\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev`,
    `${NODE_BUILD}FROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app /app\nRUN npm ci --offline --omit=dev`,
    'FROM node:20 AS deps\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=deps /app /app\nRUN npm ci --omit=dev',
    // The wheels idiom: the install reads the wheels the build stage made, and downloads nothing.
    'FROM python:3.12 AS build\nWORKDIR /app\nCOPY . .\nRUN pip wheel --no-cache-dir --wheel-dir /app/wheels -r requirements.txt\nFROM python:3.12-slim\nCOPY --from=build /app /app\nRUN pip install --no-cache-dir --no-index --find-links=/app/wheels -r /app/requirements.txt',
    // Installed from that stage's manifests first: the second install runs on a cached dependency layer.
    `${NODE_BUILD}FROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app/package.json /app/package-lock.json ./\nRUN npm ci --omit=dev\nCOPY --from=build /app /app\nRUN npm ci --omit=dev`,
    // Installed elsewhere than where the stage's copy went.
    `${NODE_BUILD}FROM node:20-slim\nCOPY --from=build /app /opt/app\nWORKDIR /srv\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev`,
  ],
  invalid: [
    {
      code: `${NODE_BUILD}FROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app /app\nRUN npm ci --omit=dev\nCMD ["node", "dist/index.js"]`,
      errors: [
        {
          messageId: 'bustsCacheFromStage',
          line: 7,
          message:
            '`COPY --from=build /app` copies what line 3 of that stage copied from the whole context, before the dependency install on line 8: any source change invalidates the cache and re-runs the install; copy package.json and package-lock.json from that stage first, install, then copy the rest.',
        },
      ],
    },
    // pip: the requirement file it names is in the copied directory.
    {
      code: 'FROM python:3.12 AS build\nWORKDIR /src\nCOPY . .\nRUN python -m build --wheel\nFROM python:3.12-slim\nCOPY --from=build /src /app\nRUN pip install --no-cache-dir -r /app/requirements.txt',
      errors: [{ messageId: 'bustsCacheFromStage', line: 6 }],
    },
    // go: a parent of the directory that stage copied into; the install runs where the context landed.
    {
      code: 'FROM golang:1.22 AS src\nWORKDIR /go/src/app\nCOPY . .\nFROM golang:1.22 AS build\nCOPY --from=src /go/src /work\nWORKDIR /work/app\nRUN go mod download && go build -o /out/app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app',
      errors: [{ messageId: 'bustsCacheFromStage', line: 5 }],
    },
    // ADD of the context in that stage counts as its COPY does; a `cd` is followed as a WORKDIR.
    {
      code: 'FROM node:20 AS build\nWORKDIR /app\nADD . .\nFROM node:20-slim\nCOPY --from=build /app /srv/app\nRUN cd /srv/app && npm ci --omit=dev',
      errors: [{ messageId: 'bustsCacheFromStage', line: 5 }],
    },
    // s46 (lintfix3): the copied stage is built FROM the one that copied the context, and holds its /app too.
    {
      code: 'FROM node:20 AS b\nWORKDIR /app\nCOPY . .\nFROM b AS x\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=x /app /app\nRUN npm ci',
      errors: [
        {
          messageId: 'bustsCacheFromStage',
          line: 7,
          message:
            '`COPY --from=x /app` copies what line 3 of stage `b`, which that stage is built FROM, copied from the whole context, before the dependency install on line 8: any source change invalidates the cache and re-runs the install; copy package.json and package-lock.json from that stage first, install, then copy the rest.',
        },
      ],
    },
    // maven, the stage named by its index.
    {
      code: 'FROM alpine:3.20\nWORKDIR /repo\nCOPY . .\nFROM maven:3.9-eclipse-temurin-21\nWORKDIR /build\nCOPY --from=0 /repo .\nRUN mvn -B dependency:go-offline && mvn -B package',
      errors: [{ messageId: 'bustsCacheFromStage', line: 6 }],
    },
  ],
});

// s46 (lintfix3): a bind mount of the whole context, or of a directory a stage copied it into, is part of the RUN's cache
// key as a COPY's files are: the install under it re-runs on any source change, as after `COPY . .`, with the same
// exceptions (an install that fetches nothing, a mount of manifests only or of a directory below the context's, an
// install that reads elsewhere, a second install after one from the manifests).
ruleTester.run(rule, {
  valid: [
    'FROM node:20 AS b\nWORKDIR /app\nCOPY . .\nFROM node:20-slim\nWORKDIR /app\nRUN --mount=type=bind,from=b,source=/app,target=/app,rw npm ci --offline',
    'FROM node:20 AS b\nWORKDIR /app\nCOPY . .\nFROM node:20-slim\nWORKDIR /app\nRUN --mount=type=bind,from=b,source=/app/dist,target=/app/dist npm ci',
    'FROM node:20 AS b\nWORKDIR /app\nCOPY package.json package-lock.json ./\nFROM node:20-slim\nWORKDIR /app\nRUN --mount=type=bind,from=b,source=/app,target=/app,rw npm ci',
    'FROM node:20-slim\nWORKDIR /app\nRUN --mount=type=bind,source=package.json,target=package.json --mount=type=bind,source=package-lock.json,target=package-lock.json npm ci',
    'FROM node:20-slim\nWORKDIR /app\nRUN --mount=type=bind,target=/src npm ci',
    'FROM node:20-slim\nWORKDIR /app\nRUN --mount=type=cache,target=/app npm ci',
    'FROM golang:1.22\nWORKDIR /src\nRUN --mount=type=bind,target=. go build -o /out/app .',
    'FROM python:3.12-slim\nWORKDIR /app\nRUN --mount=type=bind,source=requirements.txt,target=requirements.txt pip install -r requirements.txt\nRUN --mount=type=bind,target=/app,rw pip install -r requirements.txt',
  ],
  invalid: [
    {
      code: 'FROM node:20 AS b\nWORKDIR /app\nCOPY . .\nFROM node:20-slim\nWORKDIR /app\nRUN --mount=type=bind,from=b,source=/app,target=/app,rw npm ci',
      errors: [
        {
          messageId: 'bustsCacheMount',
          line: 6,
          message:
            '`--mount=type=bind,from=b,source=/app,target=/app,rw` mounts what line 3 of stage `b` copied from the whole context where the dependency install of this RUN reads its manifests: any source change invalidates the cache of this RUN and re-runs the install; mount or copy package.json and package-lock.json alone for the install, and the rest for the steps that need it.',
        },
      ],
    },
    // The type is bind when not given; a stage built FROM the copying one holds its copy too.
    {
      code: 'FROM python:3.12 AS b\nWORKDIR /app\nCOPY . .\nFROM b AS x\nFROM python:3.12-slim\nRUN --mount=from=x,source=/,target=/src pip install -r /src/app/requirements.txt',
      errors: [{ messageId: 'bustsCacheMount', line: 6 }],
    },
    {
      code: 'FROM golang:1.22\nWORKDIR /src\nRUN --mount=type=bind,target=. --mount=type=cache,target=/go/pkg/mod go mod download',
      errors: [{ messageId: 'bustsCacheMount', line: 3 }],
    },
    {
      code: 'FROM python:3.12-slim\nRUN --mount=type=bind,source=.,target=/src pip install -r /src/requirements.txt',
      errors: [{ messageId: 'bustsCacheMount', line: 2 }],
    },
    // Once per RUN, and the installs after the reported one still count as run before the broad COPY.
    {
      code: 'FROM nikolaik/python-nodejs:python3.12-nodejs20\nWORKDIR /app\nRUN --mount=type=bind,target=/app,rw npm ci && pip install -r requirements.txt\nCOPY . .\nRUN pip install -r requirements.txt',
      errors: [{ messageId: 'bustsCacheMount', line: 3 }],
    },
  ],
});

// Review s46 (lintfix4): in a pnpm workspace each package has its own package.json, so the root's and the lockfile
// are not enough to install from; pnpm's documented idiom fetches from the lockfile alone, then installs offline.
const pnpmWorkspace = {
  'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
  'package.json': '{}',
  'pnpm-lock.yaml': 'lockfileVersion: 9.0\n',
  'packages/web/package.json': '{}',
};
const workspaceMessage =
  '`COPY .` copies the whole context before the pnpm install on line 4: any source change invalidates the cache and re-runs the install; in a workspace package.json and pnpm-lock.yaml are not enough to install from, so copy pnpm-lock.yaml first and `RUN pnpm fetch` (it needs only the lockfile), then copy the rest and `RUN pnpm install --offline`.';
ruleTester.run(rule, {
  valid: [
    // The documented idiom: the install after the broad COPY fetches nothing.
    {
      code: 'FROM node:20\nWORKDIR /app\nCOPY pnpm-lock.yaml ./\nRUN pnpm fetch --prod\nCOPY . .\nRUN pnpm install -r --offline --prod',
      files: pnpmWorkspace,
    },
    'FROM node:20\nWORKDIR /app\nCOPY pnpm-lock.yaml ./\nRUN pnpm fetch\nCOPY . .\nRUN pnpm install --offline --frozen-lockfile',
  ],
  invalid: [
    {
      code: 'FROM node:20\nWORKDIR /usr/src/app\nCOPY . /usr/src/app\nRUN pnpm install --frozen-lockfile',
      files: pnpmWorkspace,
      errors: [{ messageId: 'bustsCachePnpmWorkspace', line: 3, message: workspaceMessage }],
      // Copying the root's package.json and the lockfile first would not install the workspace: no fix.
      unsafeOutput: 'FROM node:20\nWORKDIR /usr/src/app\nCOPY . /usr/src/app\nRUN pnpm install --frozen-lockfile',
    },
    {
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile --filter web...',
      errors: [{ messageId: 'bustsCachePnpmWorkspace', line: 3, message: workspaceMessage }],
    },
    {
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm -r install',
      errors: [{ messageId: 'bustsCachePnpmWorkspace', line: 3 }],
    },
    // No workspace: the manifests-first advice and fix stand.
    {
      code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile',
      files: { 'package.json': '{}', 'pnpm-lock.yaml': 'lockfileVersion: 9.0\n' },
      errors: [{ messageId: 'bustsCache', line: 3 }],
      unsafeOutput:
        'FROM node:20\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\nRUN pnpm install --frozen-lockfile\nCOPY . .',
    },
  ],
});

// Every finding of a pnpm workspace install gives the workspace idiom, not the root manifests
// first (from which the workspace does not install): a broad COPY in a base stage, a directory COPY, a COPY --from, a
// bind mount, and a COPY after an earlier COPY of package.json (whose fix would move the broad COPY below an install
// that needs it).
const WORKSPACE =
  'in a workspace package.json and pnpm-lock.yaml are not enough to install from, so copy pnpm-lock.yaml';
const FETCH =
  'first and `RUN pnpm fetch` (it needs only the lockfile), then copy the rest and `RUN pnpm install --offline`';
ruleTester.run(rule, {
  valid: [],
  invalid: [
    {
      code: 'FROM node:20-slim AS base\nWORKDIR /app\nCOPY . /app\nFROM base AS deps\nRUN pnpm install --frozen-lockfile',
      files: pnpmWorkspace,
      errors: [
        {
          messageId: 'bustsCacheLaterStage',
          line: 3,
          message: `\`COPY .\` copies the whole context in a stage that the dependency install on line 5 (stage \`deps\`, built FROM this stage) builds on: any source change invalidates the cache and re-runs the install; ${WORKSPACE} ${FETCH}, in the installing stage or in this one.`,
        },
      ],
    },
    {
      code: 'FROM node:20\nCOPY web /app\nWORKDIR /app\nRUN pnpm install -r',
      files: { 'web/package.json': '{}', 'web/pnpm-lock.yaml': '', 'web/packages/a/package.json': '{}' },
      errors: [
        {
          messageId: 'bustsCacheDirectory',
          line: 2,
          message: `\`COPY web\` copies the whole \`web\` directory, which holds the manifests of the dependency install on line 4, before that install: any change under it invalidates the cache and re-runs the install; ${WORKSPACE} ${FETCH}.`,
        },
      ],
    },
    {
      code: 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app /app\nRUN pnpm install --prod --filter web',
      errors: [
        {
          messageId: 'bustsCacheFromStage',
          line: 6,
          message: `\`COPY --from=build /app\` copies what line 3 of that stage copied from the whole context, before the dependency install on line 7: any source change invalidates the cache and re-runs the install; ${WORKSPACE} from that stage ${FETCH}.`,
        },
      ],
    },
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nRUN --mount=type=bind,target=/app,rw pnpm install --frozen-lockfile',
      files: pnpmWorkspace,
      errors: [
        {
          messageId: 'bustsCacheMount',
          line: 3,
          message:
            '`--mount=type=bind,target=/app,rw` mounts the whole context where the dependency install of this RUN reads its manifests: any source change invalidates the cache of this RUN and re-runs the install; in a workspace package.json and pnpm-lock.yaml are not enough to install from, so mount or copy pnpm-lock.yaml alone for `RUN pnpm fetch` (it needs only the lockfile), and the rest for `RUN pnpm install --offline`.',
        },
      ],
    },
    {
      code: 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY . .\nRUN pnpm install --frozen-lockfile',
      files: pnpmWorkspace,
      errors: [
        {
          messageId: 'bustsCachePnpmWorkspace',
          line: 4,
          message: workspaceMessage.replace('line 4', 'line 5'),
        },
      ],
      unsafeOutput: 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nCOPY . .\nRUN pnpm install --frozen-lockfile',
    },
  ],
});
