// DF231 user-not-numeric (hadolint DL3066): only the last USER of the last stage; ARG-supplied UIDs are fine.
import { rule } from '../../../rules/dockerfile/user-not-numeric.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nUSER 1000',
    'FROM debian:12\nUSER 1000:1000',
    // A lone `--` ends the flags and is dropped, as the builder reads it.
    'FROM debian:12\nUSER -- 1000',
    'FROM debian:12\nUSER 65532:app',
    'FROM debian:12\nUSER app\nUSER 1000',
    'FROM debian:12\nARG UID=1000\nUSER $UID',
    'FROM debian:12\nARG APP_UID\nUSER ${APP_UID}',
    'FROM debian:12\nENV APP_UID=1001\nUSER $APP_UID',
    // Set by the base image's ENV (report hunt precision #4): the value is unknown here, not a name.
    'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nEXPOSE 8080\nWORKDIR /app\nCOPY app/ .\nUSER $APP_UID\nENTRYPOINT ["./aspnetapp"]',
    'FROM debian:12\nUSER $APP_USER',
    // Build stages do not reach the image's config.
    'FROM debian:12 AS build\nUSER builder\nFROM debian:12\nUSER 1000',
    'FROM debian:12',
    // Nothing to judge: the builder rejects an empty USER itself.
    'FROM debian:12\nUSER',
    'FROM debian:12 AS build\nUSER builder\nFROM debian:12',
    // Windows users have no numeric ID to give (a SID, not a UID), and runAsNonRoot does not apply to Windows pods.
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerUser',
    'ARG BASE=mcr.microsoft.com/windows/nanoserver:ltsc2022\nFROM ${BASE} AS base\nFROM base\nUSER ContainerAdministrator',
    // root is UID 0 everywhere: `USER 0` would verify no better under runAsNonRoot, and DF102 reports running as root.
    'FROM debian:12\nUSER root',
    'FROM debian:12\nUSER root:root',
    'FROM debian:12\nUSER root:0',
    'FROM debian:12\nENV APP_USER=root\nUSER $APP_USER',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nUSER app',
      errors: [
        {
          messageId: 'name',
          line: 2,
          message:
            'USER `app` is a name: runtimes that enforce a non-root user (Kubernetes runAsNonRoot) cannot verify a name; use its numeric UID.',
        },
      ],
    },
    { code: 'FROM debian:12\nUSER 1000\nUSER app:app', errors: [{ messageId: 'name', line: 3 }] },
    { code: 'FROM debian:12\nUSER app:1000', errors: [{ messageId: 'name' }] },
    // Only root itself is exempt: names that start like it, or another case of it, are other users.
    { code: 'FROM debian:12\nUSER rootless', errors: [{ messageId: 'name' }] },
    { code: 'FROM debian:12\nUSER Root', errors: [{ messageId: 'name' }] },
    { code: 'FROM debian:12\nENV APP_USER=app\nUSER $APP_USER', errors: [{ messageId: 'name' }] },
    {
      code: 'FROM debian:12\nARG UID=1000\nENV APP_USER=app\nUSER ${APP_USER}:${UID}',
      errors: [{ messageId: 'name' }],
    },
    // A Windows build stage does not make a Linux final image Windows.
    {
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS build\nFROM debian:12\nUSER app',
      errors: [{ messageId: 'name', line: 3 }],
    },
    // Nor does a PowerShell SHELL on a Linux base.
    {
      code: 'FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04\nSHELL ["pwsh", "-Command"]\nUSER app',
      errors: [{ messageId: 'name', line: 3 }],
    },
    {
      code: 'FROM debian:12 AS build\nUSER 1000\nFROM debian:12\nUSER nobody',
      errors: [{ messageId: 'name', line: 4 }],
    },
  ],
});

// Review s44: when the Dockerfile itself gives the user its UID, the fix writes it (and the group's GID, given alike).
ruleTester.run(rule, {
  valid: [],
  invalid: [
    {
      code: 'FROM debian:12\nRUN useradd -u 1001 -m app\nUSER app',
      errors: [{ messageId: 'name', line: 3 }],
      output: 'FROM debian:12\nRUN useradd -u 1001 -m app\nUSER 1001',
    },
    {
      code: 'FROM alpine:3.20\nRUN addgroup -g 1002 app && adduser -u 1001 -G app -D app\nUSER app:app',
      errors: [{ messageId: 'name' }],
      output: 'FROM alpine:3.20\nRUN addgroup -g 1002 app && adduser -u 1001 -G app -D app\nUSER 1001:1002',
    },
    // A group without a GID given keeps its name; a stage built FROM the one that created the user.
    {
      code: 'FROM debian:12 AS base\nRUN adduser --disabled-password --gecos "" --uid 1001 app\nFROM base\nuser app:staff',
      errors: [{ messageId: 'name', line: 4 }],
      output:
        'FROM debian:12 AS base\nRUN adduser --disabled-password --gecos "" --uid 1001 app\nFROM base\nuser 1001:staff',
    },
    // A usermod that keeps the UID keeps the fix.
    {
      code: 'FROM debian:12\nRUN useradd -u 1001 app && usermod -aG sudo app\nUSER app',
      errors: [{ messageId: 'name' }],
      output: 'FROM debian:12\nRUN useradd -u 1001 app && usermod -aG sudo app\nUSER 1001',
    },
    // Review s45: a creation whose failure fails the RUN: the last line of a heredoc script, or under `set -e`.
    ...[
      ['FROM debian:12\nRUN <<EOF\necho creating\nuseradd -u 1001 app\nEOF\nUSER app', 'USER 1001'],
      ['FROM debian:12\nRUN <<EOF\nset -e\nuseradd -u 1001 app\necho created\nEOF\nUSER app', 'USER 1001'],
      ['FROM debian:12\nRUN set -e; useradd -u 1001 app; echo created\nUSER app', 'USER 1001'],
      ['FROM debian:12\nRUN echo x && useradd -u 1001 app && echo created\nUSER app', 'USER 1001'],
      // A SHELL with errexit (`-e`, `-eo pipefail`, `-o errexit`) runs every shell-form RUN
      // under it, in its stage and the stages built FROM it.
      ['FROM debian:12\nSHELL ["/bin/sh", "-e", "-c"]\nRUN useradd -u 1001 app; echo created\nUSER app', 'USER 1001'],
      [
        'FROM debian:12\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN useradd -u 1001 app; echo created\nUSER app',
        'USER 1001',
      ],
      [
        'FROM debian:12\nSHELL ["/bin/bash", "-o", "errexit", "-c"]\nRUN useradd -u 1001 app; echo created\nUSER app',
        'USER 1001',
      ],
      [
        'FROM debian:12 AS base\nSHELL ["/bin/bash", "-ec"]\nFROM base\nRUN useradd -u 1001 app; echo created\nUSER app',
        'USER 1001',
      ],
      [
        'FROM debian:12\nSHELL ["/bin/sh", "-e", "-c"]\nRUN <<EOF\nuseradd -u 1001 app\necho created\nEOF\nUSER app',
        'USER 1001',
      ],
    ].map(([code, user]) => ({
      code,
      errors: [{ messageId: 'name' as const }],
      output: code.replace(/USER app$/, user),
    })),
    // No fix: the system picks the UID, a build arg gives it, the creation may not run (the base image's `app` stays,
    // with its own UID), a usermod changes it, or another stage created the user.
    ...[
      'FROM debian:12\nRUN useradd -m app\nUSER app',
      'FROM debian:12\nARG UID=1001\nRUN useradd -u $UID app\nUSER app',
      'FROM debian:12\nRUN id app || useradd -u 1001 app\nUSER app',
      'FROM debian:12\nRUN if ! id app; then useradd -u 1001 app; fi\nUSER app',
      'FROM debian:12\nRUN useradd -u 1001 app && usermod -u 2000 app\nUSER app',
      'FROM debian:12 AS build\nRUN useradd -u 1001 app\nFROM debian:12\nUSER app',
      // Another user's UID is not this one's.
      'FROM debian:12\nRUN useradd -u 1001 web\nUSER app',
      // Review s45: the creation may fail while the RUN passes (node is 1000 in node:20, and useradd refuses to make it
      // again), or a COPY of the account files replaces what it made.
      'FROM node:20\nRUN useradd -u 1001 node; exit 0\nUSER node',
      'FROM node:20\nRUN <<EOF\nuseradd -u 1001 node\necho created\nEOF\nUSER node',
      'FROM node:20\nRUN useradd -u 1001 node | tee /tmp/log\nUSER node',
      'FROM node:20\nRUN useradd -u 1001 node && echo created || true\nUSER node',
      'FROM node:20\nRUN set -e; useradd -u 1001 node && echo created; echo more\nUSER node',
      // A `set -e` in a subshell or past `&&` is not the RUN's (session 48).
      'FROM node:20\nRUN (set -e; cd /tmp); useradd -u 1001 node; echo created\nUSER node',
      'FROM node:20\nRUN [ -f /etc/errexit ] && set -e; useradd -u 1001 node; echo created\nUSER node',
      // The SHELL's errexit is not on (`-o pipefail` only, `+e` after it, a `set +e` in the RUN, another stage's SHELL),
      // or the script it runs is not this one (a heredoc fed to bash on its stdin, a heredoc with its own `#!` line).
      'FROM node:20\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN useradd -u 1001 node; echo created\nUSER node',
      'FROM node:20\nSHELL ["/bin/bash", "-e", "+e", "-c"]\nRUN useradd -u 1001 node; echo created\nUSER node',
      'FROM node:20\nSHELL ["/bin/bash", "-e", "-c"]\nRUN set +e; useradd -u 1001 node; echo created\nUSER node',
      'FROM node:20 AS b\nSHELL ["/bin/bash", "-e", "-c"]\nFROM node:20\nRUN useradd -u 1001 node; echo created\nUSER node',
      'FROM node:20\nSHELL ["/bin/bash", "-e", "-c"]\nRUN <<EOF bash\nuseradd -u 1001 node\necho created\nEOF\nUSER node',
      'FROM node:20\nSHELL ["/bin/bash", "-e", "-c"]\nRUN <<EOF\n#!/bin/sh\nuseradd -u 1001 node\necho created\nEOF\nUSER node',
      // A `#!/bin/sh -e` line is a comment to the shell fed the heredoc (session 49, lintodds): bash runs on.
      'FROM node:20\nRUN <<EOF bash\n#!/bin/sh -e\nuseradd -u 1001 node\necho created\nEOF\nUSER node',
      'FROM node:20\nSHELL ["/bin/bash", "-e", "-c"]\nRUN useradd -u 1001 node || true\nUSER node',
      'FROM debian:12 AS b\nRUN useradd -u 5000 app\nFROM debian:12\nRUN useradd -u 1001 app\nCOPY --from=b /etc/passwd /etc/passwd\nUSER app',
      'FROM debian:12\nRUN useradd -u 1001 app\nCOPY rootfs/ /\nUSER app',
      'FROM debian:12\nRUN groupadd -g 1001 app && useradd -u 1001 -g app app\nADD etc/group /etc/group\nUSER app',
    ].map((code) => ({ code, errors: [{ messageId: 'name' as const }], output: code })),
  ],
});
