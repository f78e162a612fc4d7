// DF236 pipe-without-pipefail (hadolint DL4006): SHELL with -o pipefail (bash, zsh, ash), per stage, non-POSIX shells skipped.
import { rule } from '../../../rules/dockerfile/pipe-without-pipefail.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');
const BASH = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]';
// `set -o pipefail` in the RUN is read on an image whose `/bin/sh` takes it (Fedora's is bash): Debian's dash refuses it
// and fails the RUN (see the dashRefuses cases).
const fd = (...lines: string[]): string => ['FROM fedora:40', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    // Debian's dash has pipefail from 0.5.12-7 (Debian 13 "trixie" and later, Ubuntu after 24.04): `set -o pipefail`
    // counts on those, and on the images not known to be of an earlier release (python:3.12 is trixie now).
    ...['debian:13', 'debian:trixie-slim', 'debian:latest', 'python:3.12', 'ubuntu:26.04', 'node:22'].map(
      (image) => `FROM ${image}\nRUN set -o pipefail && curl -fsSL https://x | tar xz`,
    ),
    df(BASH, 'RUN wget -O - https://some.site | wc -l > /number'),
    df('SHELL ["/bin/zsh", "-o", "pipefail", "-c"]', 'RUN wget -O - https://some.site | wc -l > /number'),
    df('SHELL ["/bin/ash", "-eo", "pipefail", "-c"]', 'RUN wget -O - https://some.site | wc -l > /number'),
    df('SHELL ["bash", "-euxo", "pipefail", "-c"]', 'RUN a | b'),
    df('RUN wget -O /tmp/x https://some.site'),
    df('RUN a || b'),
    // `>|` is a redirection (write even under set -C), not a pipe (report hunt precision #8).
    df('RUN ls >| /tmp/listing'),
    df('RUN ls 2>|/tmp/errors'),
    df('RUN echo "a | b"'),
    df('RUN ["sh", "-c", "a | b"]'),
    df('SHELL ["pwsh", "-c"]', 'RUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value'),
    df('SHELL ["powershell", "-command"]', 'RUN Get-ChildItem | Select-Object Name'),
    df('SHELL ["cmd", "/S", "/C"]', 'RUN dir | findstr x'),
    '# hadolint shell=powershell\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN Get-ChildItem | Select-Object Name',
    // pipefail switched on inside the RUN, before the pipe.
    fd('RUN set -o pipefail && wget -O - https://some.site | wc -l'),
    fd('RUN set -eux -o pipefail; curl -fsSL https://x | tar xz'),
    fd('RUN set +o pipefail -o pipefail; curl -fsSL https://x | tar xz'),
    fd('RUN set -o pipefail && set +x && curl -fsSL https://x | tar xz'),
    fd('RUN set -oe pipefail; curl -fsSL https://x | tar xz'),
    df('RUN bash -o pipefail -c "curl -fsSL https://x | tar xz"'),
    // A `set -o pipefail` that bash runs (a `bash -c` script, a bash SHELL) is bash's, on Debian too; on Fedora (and the
    // RHEL family) `/bin/sh` is bash.
    df('RUN bash -c "set -o pipefail && curl -fsSL https://x | tar xz"'),
    df('SHELL ["/bin/bash", "-c"]', 'RUN set -o pipefail && curl -fsSL https://x | tar xz'),
    fd('RUN set -o pipefail && curl -fsSL https://x | tar xz'),
    fd('RUN sh -c "set -o pipefail && curl -fsSL https://x | tar xz"'),
    // A shell that takes `-o pipefail` runs its script with it: ash, and `sh` where `/bin/sh` is BusyBox ash (Alpine,
    // also through `FROM <stage>` and global ARGs). Debian's dash refuses the option (below).
    df('RUN ash -o pipefail -c "curl -fsSL https://x | tar xz"'),
    // zsh reads a `(` inside a word as part of its glob: `(doc|man)` is a glob group, and `*(N)` a glob qualifier,
    // not a subshell (`doc` was reported piped into `man`, and `N` into `wc`). `echo` cannot fail.
    df('SHELL ["/bin/zsh", "-c"]', 'RUN rm -rf /usr/share/(doc|man)'),
    df('SHELL ["/bin/zsh", "-c"]', 'RUN echo /var/cache/*(N) | wc -l'),
    'FROM alpine:3.20\nRUN sh -o pipefail -c "curl -fsSL https://x | tar xz"',
    'ARG BASE=alpine:3.20\nFROM $BASE AS base\nFROM base\nRUN sh -eo pipefail -c "curl -fsSL https://x | tar xz"',
    // BusyBox ash reads `$'...'` as bash does: `$'don\'t'` is one word, and the rest is not in a quote.
    "FROM alpine:3.20\nRUN set -o pipefail && printf $'don\\'t\\n' && curl -fsSL https://x | tar xz",
    fd('RUN bash -c "set -o pipefail; curl -fsSL https://x | tar xz"'),
    fd('RUN (set -o pipefail; curl -fsSL https://x | tar xz)'),
    fd('RUN set -o pipefail && (curl -fsSL https://x | tar xz)'),
    // Each part of a pipeline runs in a subshell (bash, dash): a `set +o pipefail` there ends with it, and the later
    // pipe keeps pipefail (it was read as turned off).
    fd('RUN set -o pipefail && set +o pipefail | true && curl -fsSL https://x | tar xz'),
    fd('RUN set -o pipefail && true | set +o pipefail; curl -fsSL https://x | tar xz'),
    // A list put in the background with `&` runs in a subshell: a `set` in it holds for the rest of it only, and a
    // `set +o pipefail` there leaves the shell's pipefail on.
    fd('RUN set -o pipefail && curl -fsSL https://x | tar xz &'),
    fd('RUN (set -o pipefail; curl -fsSL https://x | tar xz) & wait'),
    fd('RUN set -o pipefail; sleep 1 & curl -fsSL https://x | tar xz'),
    fd('RUN set -o pipefail; set +o pipefail & curl -fsSL https://x | tar xz'),
    // A command substitution runs in a subshell, which keeps pipefail; arithmetic is not a substitution.
    fd('RUN set -o pipefail && V=$(curl -fsSL https://x | jq -r .v) && echo "$V"'),
    df(BASH, 'RUN V="$(curl -fsSL https://x | jq -r .v)" && echo "$V"'),
    fd('RUN set +o pipefail && set -o pipefail && V=$(curl -fsSL https://x | jq -r .v) && echo "$V"'),
    // Only an assignment takes a substitution's status: elsewhere the status is another command's, and pipefail would
    // change nothing (bash 5.2 -o pipefail goes on after each of these with `false | true` inside).
    df('RUN for v in $(curl -fsSL https://x | jq -r .v); do echo "$v"; done'),
    df('RUN case $(uname -m | tr A-Z a-z) in x86_64) echo ok;; esac'),
    df('RUN curl -fsSLO "https://x/$(uname -m | sed s/x86_64/amd64/)/tool"'),
    df('RUN echo "$(curl -fsSL https://x | head -1)" > /v'),
    df('RUN export V=$(curl -fsSL https://x | jq -r .v) && echo "$V"'),
    df('RUN while read -r v; do echo "$v"; done < "$(a | b)"'),
    // The status is that of the last substitution, and of the last pipeline in it.
    df('RUN V=$(a | b) W=$(date) && echo "$V"'),
    df('RUN V="$(a | b)$(date)" && echo "$V"'),
    df('RUN V=$(a | b; date) && echo "$V"'),
    fd('RUN (set -o pipefail; V=$(curl -fsSL https://x | jq -r .v); echo "$V")'),
    df('RUN echo $((1 | 2)) "$(date)" `uname -m`'),
    // Quoted text that only looks like a substitution.
    df("RUN echo 'export V=$(a | b)' >> /etc/profile && echo \\$(c \\| d)"),
    df("RUN bash -o pipefail -c 'V=$(curl -fsSL https://x | jq -r .v) && echo $V'"),
    // A stage built FROM a stage with the SHELL keeps it.
    'FROM debian:12 AS base\n' + BASH + '\nFROM base\nRUN a | b',
    // A heredoc with its own interpreter line is not run by SHELL.
    fd('RUN <<EOF', '#!/usr/bin/env bash', 'set -euo pipefail', 'a | b', 'EOF'),
    // pipefail set before an `if`, in every arm of one with an `else`, in its condition (which always runs), or in the
    // arm the pipe is in, holds for the pipe.
    ...[
      'RUN set -o pipefail; if [ -f x ]; then echo y; fi; curl x | sh',
      'RUN if [ -f x ]; then set -o pipefail; else set -o pipefail; fi; curl x | sh',
      'RUN if a; then set -o pipefail; elif b; then set -eo pipefail; else set -uo pipefail; fi; curl x | sh',
      'RUN if set -o pipefail; then echo y; fi; curl x | sh',
      'RUN if a; then set +o pipefail; set -o pipefail; else set -o pipefail; fi; curl x | sh',
      'RUN if [ -f x ]; then set -o pipefail; curl x | sh; fi',
      'RUN if [ -f x ]; then set -o pipefail; else set -o pipefail; fi; V=$(curl x | jq .v) && echo "$V"',
      // Right of `&&`, the `set` ran wherever the rest of its `&&` chain runs.
      'RUN [ -f x ] && set -o pipefail && curl x | sh',
      'RUN [ -f x ] && set -o pipefail && { curl x | sh; }',
      'RUN a && if b; then set -o pipefail; else set -o pipefail; fi && curl x | sh',
      // A `case` with a `*)` arm runs one of its arms, as an `if` with an `else` does.
      'RUN case "$x" in a) set -o pipefail;; *) set -o pipefail;; esac; curl x | sh',
      'RUN case "$x" in a|b) set -o pipefail;; c|*) set -eo pipefail;; esac; curl x | sh',
      // A `then` arm (a `while` body) runs only when its condition succeeded: a `set` on the right of `&&` there, in
      // the condition's last and-or list, has run (regression: it was read as maybe skipped, as after the `fi`).
      'RUN if a && set -o pipefail; then curl -fsSL x | sh; fi',
      'RUN if a && set -o pipefail; then b || curl x | sh; fi',
      'RUN if a && { set -o pipefail; }; then curl x | sh; fi',
      'RUN if a; then :; elif b && set -eo pipefail; then curl x | sh; fi',
      'RUN while read -r v && set -o pipefail; do curl "$v" | sh; done',
      'RUN if a && set -o pipefail; then if b; then :; else curl x | sh; fi; fi',
      'RUN if a; then if b && set -o pipefail; then curl x | sh; fi; fi',
      'RUN if a && set -o pipefail; then V=$(curl x | jq .v) && echo "$V"; fi',
      // bash's `;;&` and `;&` run a later arm after one: both set it here.
      'RUN case "$x" in a) set -o pipefail;;& *) set -o pipefail;; esac; curl x | sh',
      'RUN case "$x" in a) set -o pipefail;& *) set -eo pipefail;; esac; curl x | sh',
    ].map((run) => fd(run)),
  ],
  invalid: [
    {
      code: df('RUN wget -O - https://some.site | wc -l > /number'),
      errors: [
        {
          messageId: 'pipefail',
          line: 2,
          message:
            'This RUN pipes `wget` into `wc` without pipefail: if `wget` fails the step still succeeds; add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine) before it.',
        },
      ],
    },
    // On Alpine (by the image's name or tag, also through `FROM <stage>` and global ARGs) bash is usually missing, and
    // a pasted `/bin/bash` SHELL fails every later RUN (`/bin/bash: not found`): ash is named alone there.
    ...[
      'FROM alpine:3.19.1\nRUN a | b',
      'FROM php:8.3.4-fpm-alpine3.19\nRUN a | b',
      'ARG BASE=alpine:3.20\nFROM $BASE AS base\nFROM base\nRUN a | b',
    ].map((code) => ({
      code,
      errors: [
        {
          messageId: 'pipefail' as const,
          message:
            'This RUN pipes `a` into `b` without pipefail: if `a` fails the step still succeeds; add `SHELL ["/bin/ash", "-o", "pipefail", "-c"]` before it (Alpine has no bash unless installed), or start the RUN with `set -o pipefail`.',
        },
      ],
    })),
    // `/bin/sh` is Debian's dash, which refuses `-o pipefail`: dash 0.5.12 prints "Illegal option -o pipefail" and exits
    // 2 for `dash -o pipefail -c true` and for `dash -c 'set -o pipefail; echo x'` (`set` is a special builtin, whose
    // error ends the shell), so the RUN fails before its pipe runs. Each was reported as a pipe whose failure "the step
    // still succeeds" past (`sh -o pipefail`, the SHELL), or not at all (`set -o pipefail`, taken as pipefail set).
    {
      code: df('RUN sh -o pipefail -c "curl -fsSL https://x | tar xz"'),
      errors: [
        {
          messageId: 'dashRefuses',
          line: 2,
          message:
            'This RUN fails at once: `sh -o pipefail -c` asks dash (the image\'s `/bin/sh`) for pipefail, which dash does not have ("Illegal option -o pipefail", exit 2); run the script with `bash -o pipefail -c` instead.',
        },
      ],
    },
    {
      code: df('RUN set -o pipefail && curl -fsSL https://x | tar xz'),
      errors: [
        {
          messageId: 'dashRefuses',
          line: 2,
          message:
            'This RUN fails at once: `set -o pipefail` asks dash (the image\'s `/bin/sh`) for pipefail, which dash does not have ("Illegal option -o pipefail", exit 2); use `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before it instead.',
        },
      ],
    },
    ...[
      df('RUN set -eux -o pipefail; curl -fsSL https://x | tar xz'),
      'FROM ubuntu:24.04\nRUN set -o pipefail && curl -fsSL https://x | tar xz',
      'FROM python:3.12-slim-bookworm AS base\nFROM base\nRUN set -o pipefail && curl -fsSL https://x | tar xz',
      'FROM fedora:40\nSHELL ["/bin/dash", "-c"]\nRUN set -o pipefail && curl -fsSL https://x | tar xz',
      'FROM fedora:40\nRUN dash -o pipefail -c "curl -fsSL https://x | tar xz"',
      df('RUN set -o pipefail; V=$(curl -fsSL https://x | jq -r .v) && echo "$V"'),
    ].map((code) => ({
      code,
      errors: [{ messageId: 'dashRefuses' as const, line: code.split('\n').length }],
    })),
    // BusyBox ash (Alpine's /bin/sh) reads `$'don\'t\n'` as one word (BusyBox 1.35.0 prints `don't` and runs the
    // pipe); dash's `'don\'` ended at the backslash and the next `'` quoted the pipe.
    ...[
      "FROM alpine:3.20\nRUN printf $'don\\'t\\n' && curl -fsSL https://x | tar xz",
      "FROM alpine:3.20 AS base\nFROM base\nRUN printf $'don\\'t\\n' && curl -fsSL https://x | tar xz",
      "FROM alpine:3.20\nRUN sh -c \"printf $'don\\\\'t\\n' && curl -fsSL https://x | tar xz\"",
    ].map((code) => ({
      code,
      errors: [{ messageId: 'pipefail' as const, line: code.split('\n').length }],
    })),
    // ksh93 and mksh read `$'don\'t\n'` as bash does (ksh 93u+m/1.0.4 and mksh R59 print `don't` and run the pipe);
    // they were read as dash, whose `'don\'` ends at the backslash, and the next `'` quoted the pipe away.
    ...['/bin/ksh', 'ksh93', '/bin/mksh', 'lksh'].map((program) => ({
      code: df(`SHELL ["${program}", "-c"]`, "RUN printf $'don\\'t\\n' && curl -fsSL https://x | tar xz"),
      errors: [{ messageId: 'pipefail' as const, line: 3 }],
    })),
    ...['ksh', 'mksh'].map((program) => ({
      code: `FROM debian:12\nRUN ${program} -c "printf $'don\\\\'t\\n' && curl -fsSL https://x | tar xz"`,
      errors: [{ messageId: 'pipefail' as const, line: 2 }],
    })),
    // A stage not built on Alpine keeps the bash advice, even after an Alpine stage.
    {
      code: 'FROM alpine:3.20 AS tools\nFROM node:20-bookworm\nRUN a | b',
      errors: [
        {
          messageId: 'pipefail',
          message:
            'This RUN pipes `a` into `b` without pipefail: if `a` fails the step still succeeds; add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine) before it.',
        },
      ],
    },
    // pipefail in an unrelated earlier stage does not carry over.
    {
      code: 'FROM debian:12 AS a\n' + BASH + '\nFROM debian:12\nRUN a | b',
      errors: [{ messageId: 'pipefail', line: 4 }],
    },
    // Switching back to a plain shell turns it off again.
    {
      code: df(BASH, 'RUN a | b', 'SHELL ["/bin/sh", "-c"]', 'RUN c | d'),
      errors: [{ messageId: 'pipefail', line: 5 }],
    },
    // sh (dash) is not among the shells whose -o pipefail counts: dash refuses it, and every RUN fails.
    {
      code: df('SHELL ["/bin/sh", "-o", "pipefail", "-c"]', 'RUN a | b'),
      errors: [
        {
          messageId: 'dashRefuses',
          message:
            'This RUN fails at once: its SHELL `["/bin/sh", "-o", "pipefail", "-c"]` asks dash (the image\'s `/bin/sh`) for pipefail, which dash does not have ("Illegal option -o pipefail", exit 2); use `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before it instead.',
        },
      ],
    },
    { code: df('SHELL ["/bin/bash", "-c"]', 'RUN a | b'), errors: [{ messageId: 'pipefail' }] },
    // pipefail is on only as `-o`'s value, and a later `+o pipefail` turns it off again.
    {
      code: df('SHELL ["/bin/bash", "-o", "errexit", "-O", "pipefail", "-c"]', 'RUN a | b'),
      errors: [{ messageId: 'pipefail' }],
    },
    {
      code: df('SHELL ["/bin/bash", "-o", "pipefail", "+o", "pipefail", "-c"]', 'RUN a | b'),
      errors: [{ messageId: 'pipefail' }],
    },
    { code: fd('RUN set -o errexit pipefail && curl -fsSL https://x | sh'), errors: [{ messageId: 'pipefail' }] },
    { code: fd('RUN set -eo pipefail +o pipefail && curl -fsSL https://x | sh'), errors: [{ messageId: 'pipefail' }] },
    {
      code: fd('RUN set -o pipefail && set +o pipefail && curl -fsSL https://x | sh'),
      errors: [{ messageId: 'pipefail' }],
    },
    { code: df('RUN bash -eo errexit -c "echo pipefail; a | b"'), errors: [{ messageId: 'pipefail' }] },
    // A pipe inside a command substitution: the failed download leaves V empty and the step goes on.
    {
      code: df('RUN V=$(curl -fsSL https://x | jq -r .v) && echo "$V"'),
      errors: [
        {
          messageId: 'pipefail',
          line: 2,
          message:
            'This RUN pipes `curl` into `jq` without pipefail: if `curl` fails the step still succeeds; add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine) before it.',
        },
      ],
    },
    { code: df('RUN V="`curl -fsSL https://x | head -1`"'), errors: [{ messageId: 'pipefail', line: 2 }] },
    // A substitution's pipe is read with pipefail as it is where the substitution runs: a `set +o pipefail` before it
    // turned it off, a `set` after it is too late, and one in a `( ... )` subshell ended with it (all were skipped, as
    // any `set -o pipefail` in the RUN was taken to cover every substitution).
    ...[
      'RUN set -o pipefail; set +o pipefail; V=$(curl -fsSL https://x | jq -r .v) && echo "$V"',
      'RUN V=$(curl -fsSL https://x | jq -r .v) && set -o pipefail && echo "$V"',
      'RUN (set -o pipefail) && V=$(curl -fsSL https://x | jq -r .v) && echo "$V"',
      'RUN set -o pipefail && W=$(a | b) && set +o pipefail && V=$(a | b) && echo "$V"',
      'RUN V="$(cat "it\'s" | tr a b)"',
      'RUN V=$(date) W=$(a | b) && echo "$W"',
      'RUN V="$(date)$(a | b)" && echo "$V"',
      'RUN if V=$(a | b); then echo "$V"; fi',
    ].map((run) => ({ code: fd(run), errors: [{ messageId: 'pipefail' as const, line: 2 }] })),
    // The message names the pipe that runs without pipefail, wherever the protected ones are written, and the pipe
    // that ends the substitution's script.
    ...[
      'RUN set -o pipefail; V=$(c | d); set +o pipefail; V=$(a | b) && echo "$V"',
      'RUN for v in $(c | d); do set -o pipefail; W=$(c | d); done; set +o pipefail; V=$(a | b)',
      'RUN V=$(c | d; a | b | e) && echo "$V"',
    ].map((run) => ({
      code: fd(run),
      errors: [
        {
          messageId: 'pipefail' as const,
          message:
            'This RUN pipes `a` into `b` without pipefail: if `a` fails the step still succeeds; add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine) before it.',
        },
      ],
    })),
    // A `set -o pipefail` in an `if`/`case` arm or behind `||`, which may not run, does not hold after it (regression,
    // fix sweep s38: any earlier `set` counted); nor in another arm. A `set +o pipefail` there may run, and may leave
    // it off.
    ...[
      'RUN if [ -f x ]; then set -o pipefail; fi; curl x | sh',
      'RUN if a; then set -o pipefail; else echo no; fi; curl x | sh',
      'RUN if a; then set -o pipefail; elif b; then set -o pipefail; fi; curl x | sh',
      'RUN if a; then set -o pipefail; else set +o pipefail; fi; curl x | sh',
      'RUN if a; then set -o pipefail; else if b; then set -o pipefail; fi; fi; curl x | sh',
      'RUN case "$A" in a) set -o pipefail;; b) echo b;; esac; curl x | sh',
      'RUN [ -f x ] || set -o pipefail; curl x | sh',
      'RUN if a; then set -o pipefail; else curl x | sh; fi',
      'RUN set -o pipefail; if a; then set +o pipefail; fi; curl x | sh',
      'RUN if a; then set -o pipefail; if b; then set +o pipefail; fi; else set -o pipefail; fi; curl x | sh',
      'RUN if a; then set -o pipefail; fi; V=$(curl x | jq .v) && echo "$V"',
      // Right of `&&` (not first in its and-or list) the `set` runs only when what comes before it succeeded: after
      // that list, or after a `||` in it, it may not have run (regression, fix sweep s38).
      'RUN [ -f x ] && set -o pipefail; curl x | sh',
      'RUN [ -f x ] && set -o pipefail || curl x | sh',
      'RUN [ -f x ] && set -o pipefail || true && curl x | sh',
      'RUN [ -f x ] && { set -o pipefail; }; curl x | sh',
      'RUN if a; then b && set -o pipefail; else set -o pipefail; fi; curl x | sh',
      'RUN [ -f x ] && set -o pipefail; V=$(curl x | jq .v) && echo "$V"',
      // Without a `*)` arm no arm of a `case` may run; an arm after `*)` never does, but one before it that sets
      // nothing may.
      'RUN case "$x" in a) set -o pipefail;; b) set -o pipefail;; esac; curl x | sh',
      'RUN case "$x" in a) echo a;; *) set -o pipefail;; esac; curl x | sh',
      'RUN case "$x" in a) set -o pipefail;; "*") set -o pipefail;; esac; curl x | sh',
      // A `set` in an `if`/`while` condition past its first pipeline may not have run in an `else`/`elif` arm, after
      // the `fi`/`done` (where the condition may have failed), in an `until` body, behind a later `||` or in an earlier
      // and-or list of the condition, or in a list left in the background with `&`.
      'RUN if a && set -o pipefail; then :; else curl x | sh; fi',
      'RUN if a && set -o pipefail; then :; fi; curl x | sh',
      'RUN if a && set -o pipefail; then :; elif b; then curl x | sh; fi',
      'RUN if a && set -o pipefail || b; then curl x | sh; fi',
      'RUN if a || set -o pipefail; then curl x | sh; fi',
      'RUN if a && set -o pipefail; b; then curl x | sh; fi',
      'RUN if a && set -o pipefail & then curl x | sh; fi',
      'RUN until a && set -o pipefail; do curl x | sh; done',
      'RUN while a && set -o pipefail; do :; done; curl x | sh',
      'RUN if a; then if b && set -o pipefail; then :; fi; curl x | sh; fi',
      // An arm after `;&` (`;;&`) runs after the one before it, or when its own pattern matched: then without it.
      'RUN case "$x" in a) set -o pipefail;& b) curl x | sh;; esac',
      'RUN case "$x" in a) set -o pipefail;;& b) curl x | sh;; esac',
      'RUN case "$x" in *) set -o pipefail;& b) set +o pipefail;; esac; curl x | sh',
      'RUN case "$x" in *) set -o pipefail;;& b) set +o pipefail;; esac; curl x | sh',
    ].map((run) => ({ code: fd(run), errors: [{ messageId: 'pipefail' as const, line: 2 }] })),
    // pipefail given to another shell process does not cover the RUN's own pipes, nor the other way round.
    { code: df('RUN bash -o pipefail -c "make" && curl -fsSL https://x | sh'), errors: [{ messageId: 'pipefail' }] },
    { code: fd('RUN bash -c "set -o pipefail" && curl -fsSL https://x | sh'), errors: [{ messageId: 'pipefail' }] },
    { code: fd('RUN set -o pipefail && bash -c "curl -fsSL https://x | sh"'), errors: [{ messageId: 'pipefail' }] },
    // set -o pipefail after the pipe is too late.
    { code: fd('RUN a | b && set -o pipefail'), errors: [{ messageId: 'pipefail' }] },
    // A `set` in a `( ... )` subshell ends with it; inside it, it holds for the later commands there.
    { code: fd('RUN (set -o pipefail) && curl -s x | sh'), errors: [{ messageId: 'pipefail' }] },
    { code: fd('RUN (set -o pipefail; a) && (b | c)'), errors: [{ messageId: 'pipefail' }] },
    // ...as does one in a pipeline part, which runs in a subshell of its own (bash, dash).
    { code: fd('RUN set -o pipefail | true && curl -s x | sh'), errors: [{ messageId: 'pipefail' }] },
    { code: fd('RUN set -o pipefail | true; curl -s x | sh'), errors: [{ messageId: 'pipefail' }] },
    { code: fd('RUN (set -o pipefail); curl -s x | sh'), errors: [{ messageId: 'pipefail' }] },
    // ...and so does one in a list put in the background with `&`, which runs in a subshell too.
    { code: fd('RUN set -o pipefail & curl -s x | sh'), errors: [{ messageId: 'pipefail' }] },
    { code: fd('RUN set -o pipefail & wait; curl -s x | sh'), errors: [{ messageId: 'pipefail' }] },
    { code: fd('RUN true && set -o pipefail & curl -s x | sh'), errors: [{ messageId: 'pipefail' }] },
    { code: fd('RUN { set -o pipefail; } & curl -s x | sh'), errors: [{ messageId: 'pipefail' }] },
    { code: fd('RUN if true; then set -o pipefail; fi & curl -s x | sh'), errors: [{ messageId: 'pipefail' }] },
    { code: df('RUN <<EOF', 'curl -fsSL https://x | tar xz', 'EOF'), errors: [{ messageId: 'pipefail', line: 2 }] },
    { code: df('ONBUILD RUN a | b'), errors: [{ messageId: 'pipefail', line: 2 }] },
    {
      code: df('RUN apt-get update \\', '  && curl -fsSL https://x \\', '   | tar xz'),
      errors: [{ messageId: 'pipefail', line: 2 }],
    },
  ],
});

const CURL_SH =
  'This RUN pipes `curl` into `sh` without pipefail: if `curl` fails the step still succeeds; add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine) before it.';
const AB =
  'This RUN pipes `a` into `b` without pipefail: if `a` fails the step still succeeds; add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine) before it.';

// Review s46 (lintreview): a pipe from echo, printf or yes has no failure for pipefail to catch (the official images'
// checksum check), and with yes pipefail would fail the step; a later pipe in the same pipeline still counts.
ruleTester.run(rule, {
  valid: [
    df('RUN echo "$GOLANG_SHA256 *go.tgz" | sha256sum -c -'),
    df('RUN printf \'%s  %s\\n\' "$SHA" /tmp/tini | sha256sum -c -'),
    df('RUN yes | apt-get install --no-install-recommends foo'),
    df('RUN echo "$(curl -fsSL https://x)" | sh'),
    df('RUN V=$(echo "$ARCH" | tr A-Z a-z) && echo "$V"'),
    df('RUN pacman -S --noconfirm htop && yes | pacman -Scc'),
    df('RUN (cd /tmp && echo "$SHA  x.tgz" | sha256sum -c -)'),
    // A group or subshell of nothing but echo and printf cannot fail either (session 47, lintfp #1).
    df(
      "RUN { echo 'tzdata tzdata/Areas select Etc'; echo 'tzdata tzdata/Zones/Etc select UTC'; } | debconf-set-selections",
    ),
    df('RUN ( echo a; printf "b\\n" ) | debconf-set-selections'),
    df('RUN { echo a && echo b; } | sort -u > /list'),
    df('RUN for f in a b; do echo "$f"; done | sort > /list'),
    df('RUN cd /tmp && { echo a; echo b; } | xargs touch'),
  ],
  invalid: [
    { code: df('RUN echo x | a | b'), errors: [{ messageId: 'pipefail', message: AB }] },
    {
      code: df('RUN V=$(printf x | a | b) && echo "$V"'),
      errors: [{ messageId: 'pipefail', message: AB }],
    },
    { code: df('RUN cat /tmp/sums | sha256sum -c -'), errors: [{ messageId: 'pipefail' }] },
    { code: df('RUN { echo x; echo y; } | a | b'), errors: [{ messageId: 'pipefail', message: AB }] },
    // A compound command ending with echo takes its status from what ran in it, which may be a download.
    ...[
      'RUN if [ -n "$U" ]; then curl -fsSL "$U"; else echo exit 1; fi | sh',
      'RUN { echo a; curl -fsSL https://x; } | sh',
      'RUN (echo a; curl -fsSL https://x) | sh',
      'RUN for u in a b; do echo "$u"; curl -fsSL "$u"; done | sh',
    ].map((run) => ({ code: df(run), errors: [{ messageId: 'pipefail' as const, message: CURL_SH }] })),
  ],
});

// The status of a compound command writing into a pipe is that of the last command it ran, so
// only such a command's failure is one pipefail can catch: not a condition's (an `if` whose arms did not run exits 0,
// a loop with its last body's status), nor that of a command before `||`, or followed by `;` (unless errexit ends the
// shell there). The message names a command whose failure it is.
ruleTester.run(rule, {
  valid: [
    // As `yes | head`: the loop only ends by SIGPIPE when head exits, which pipefail would turn into a failed step.
    df('RUN while true; do echo y; done | head -1'),
    df('RUN while :; do echo y; done | head -1'),
    df('RUN until false; do printf "y\\n"; done | head -n 1'),
    df('RUN if [ -f x ]; then echo a; fi | cat'),
    df('RUN if curl -fsSL https://x > /dev/null; then echo up; else echo down; fi | tee /status'),
    df('RUN while read -r u; do echo "$u"; done < /list | sort'),
    // With pipefail, `{ false; echo; } | cat` still exits 0: the group's status is echo's.
    df('RUN { curl -fsSL https://x; echo; } | sh'),
    df('RUN (curl -fsSL https://x; echo) | sh'),
    df('RUN V=$({ curl -fsSL https://x; echo; } | sh) && echo "$V"'),
    df('RUN { echo a; { curl -fsSL https://x; echo b; }; } | sh'),
    df('RUN { curl -fsSL https://x || echo fallback; } | sh'),
    df('RUN { curl -fsSL https://x & echo started; } | cat'),
    // true and : cannot fail either.
    df('RUN if [ -n "$A" ]; then echo "$A"; else :; fi | tee /a'),
    df('RUN { echo a; true; } | sort'),
    // A `sh -c` exits with its script's status: one ending with a command that cannot fail exits 0 with pipefail too
    // (session 48: the `sh` itself was named as the failing writer).
    df('RUN sh -c "curl -fsSL https://x/y.tgz; echo done" | tar xz'),
    df("RUN bash -c 'curl -fsSL https://x/y.tgz; true' | tar xz"),
    df('RUN cd /tmp && sh -c "curl -fsSL https://x || echo fallback" | sh'),
    df('RUN sh -c "curl -fsSL https://x/y.tgz; exit 0" | tar xz'),
    df('RUN { curl -fsSL https://x; exit 0; } | sh'),
    // errexit holds only after a `set -e` that ran in the same shell before the command (session 48: one anywhere in
    // the RUN counted): not one after it, in a `( ... )` subshell or an `if` arm, nor the `-e` of another `bash -ec`; a
    // `sh -c` is a new shell, which does not inherit it.
    df('RUN { curl -fsSL https://x; echo; } | sh; set -e'),
    df('RUN { curl -fsSL https://x; set -e; echo; } | sh'),
    df('RUN (set -e); { curl -fsSL https://x; echo; } | sh'),
    df('RUN if [ -f x ]; then set -e; fi; { curl -fsSL https://x; echo; } | sh'),
    df('RUN bash -ec "make" && { curl -fsSL https://x; echo; } | sh'),
    df('RUN set -e; sh -c "curl -fsSL https://x; echo done" | sh'),
    df('SHELL ["/bin/bash", "-e", "-c"]\nRUN set +e; { curl -fsSL https://x; echo; } | sh'),
  ],
  invalid: [
    ...[
      'RUN { curl -fsSL https://x && echo; } | sh',
      'RUN { curl -fsSL https://x || exit 1; echo; } | sh',
      'RUN while true; do curl -fsSL https://x; done | sh',
      'RUN if curl -fsSL https://x | sh; then echo ok; fi',
      // errexit ends the group at the failed download, with its status, which pipefail catches.
      'RUN set -eux; { curl -fsSL https://x; echo; } | sh',
      'RUN bash -ec "{ curl -fsSL https://x; echo; } | sh"',
      'SHELL ["/bin/bash", "-e", "-c"]\nRUN { curl -fsSL https://x; echo; } | sh',
      'RUN V=$(if [ -n "$U" ]; then curl -fsSL "$U"; fi | sh) && echo "$V"',
      // The command whose status the writer takes when all went well is named, not one before it.
      'RUN (cd /tmp && curl -fsSL https://x) | sh',
      'RUN { [ -n "$U" ] && curl -fsSL "$U" && echo; } | sh',
      // The script's command whose status the `sh -c` takes is named, not the sh.
      'RUN sh -c "echo start; curl -fsSL https://x" | sh',
      'RUN sh -c "curl -fsSL https://x && echo done" | sh',
      'RUN bash -c "curl -fsSL https://x || exit 1; echo done" | sh',
      'RUN sh -ec "curl -fsSL https://x; echo done" | sh',
      // A bare `exit` exits with the status of the command before it.
      'RUN sh -c "curl -fsSL https://x; exit" | sh',
      'RUN { set -e; curl -fsSL https://x; echo; } | sh',
      'RUN sh -c "set -e; curl -fsSL https://x; echo done" | sh',
      'RUN if [ -f x ]; then set -e; { curl -fsSL https://x; echo; } | sh; fi',
    ].map((run) => ({ code: df(run), errors: [{ messageId: 'pipefail' as const, message: CURL_SH }] })),
  ],
});

// `sh -c "$SCRIPT"` runs a script the RUN does not show (the RUN's shell expands it into the
// script, which may be a whole list), so the `sh` is named, not `$SCRIPT`.
const SH_TAR =
  'This RUN pipes `sh` into `tar` without pipefail: if `sh` fails the step still succeeds; add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine) before it.';
const BASH_TAR = SH_TAR.replaceAll('`sh`', '`bash`');
ruleTester.run(rule, {
  valid: [],
  invalid: [
    ...[
      'RUN sh -c "$SCRIPT" | tar xz',
      'RUN sh -c "${SCRIPT}" | tar xz',
      'RUN sh -c $SCRIPT | tar xz',
      'RUN sh -c "$(curl -fsSL https://x/install.sh)" | tar xz',
      'RUN sh -c "$1" _ | tar xz',
    ].map((run) => ({ code: df(run), errors: [{ messageId: 'pipefail' as const, message: SH_TAR }] })),
    { code: df('RUN bash -c "$VAR" | tar xz'), errors: [{ messageId: 'pipefail', message: BASH_TAR }] },
  ],
});

// A command substitution gets the shell's errexit as the RUN's shell passes it on (checked
// with dash 0.5.12, bash 5.2.15 and BusyBox 1.35.0 ash running `set -e; V=$({ false; echo x; } | cat); echo "[$V]"`):
// dash does (`[]`), bash only with inherit_errexit or POSIX mode, ash does not (`[x]`).
const GROUP_SUBSTITUTION = 'RUN set -e; V=$({ curl -fsSL https://x; echo; } | sh); echo "$V"';
ruleTester.run(rule, {
  valid: [
    // bash clears errexit in a command substitution: the group exits with echo's status, which pipefail keeps.
    df('SHELL ["/bin/bash", "-c"]', GROUP_SUBSTITUTION),
    df('SHELL ["/bin/bash", "-e", "-c"]', 'RUN V=$({ curl -fsSL https://x; echo; } | sh); echo "$V"'),
    df(
      'SHELL ["/bin/bash", "-c"]',
      'RUN shopt -s inherit_errexit; shopt -u inherit_errexit; ' + GROUP_SUBSTITUTION.slice(4),
    ),
    df('SHELL ["/bin/bash", "-O", "inherit_errexit", "+O", "inherit_errexit", "-c"]', GROUP_SUBSTITUTION),
    'FROM debian:12 AS base\nSHELL ["/bin/bash", "-c"]\nFROM base\n' + GROUP_SUBSTITUTION,
    // So does BusyBox ash, Alpine's /bin/sh.
    'FROM alpine:3.20\n' + GROUP_SUBSTITUTION,
    df('SHELL ["/bin/ash", "-c"]', GROUP_SUBSTITUTION),
    // A shopt in another shell process does not reach the substitution.
    df('SHELL ["/bin/bash", "-c"]', 'RUN bash -c "shopt -s inherit_errexit"; ' + GROUP_SUBSTITUTION.slice(4)),
  ],
  invalid: [
    // dash, Debian's /bin/sh, keeps errexit in the substitution: the group ends at the failed download.
    ...[
      df(GROUP_SUBSTITUTION),
      df('SHELL ["/bin/sh", "-c"]', GROUP_SUBSTITUTION),
      df('SHELL ["/bin/bash", "-O", "inherit_errexit", "-c"]', GROUP_SUBSTITUTION),
      df('SHELL ["/bin/bash", "--posix", "-c"]', GROUP_SUBSTITUTION),
      df('SHELL ["/bin/bash", "-o", "posix", "-c"]', GROUP_SUBSTITUTION),
      df('SHELL ["/bin/bash", "-c"]', 'RUN shopt -s inherit_errexit; ' + GROUP_SUBSTITUTION.slice(4)),
      df('SHELL ["/bin/bash", "-c"]', 'RUN set -o posix; ' + GROUP_SUBSTITUTION.slice(4)),
      // A `set -e` inside the substitution holds there in every shell.
      df('SHELL ["/bin/bash", "-c"]', 'RUN V=$(set -e; { curl -fsSL https://x; echo; } | sh); echo "$V"'),
      'FROM alpine:3.20\nRUN V=$(set -e; { curl -fsSL https://x; echo; } | sh); echo "$V"',
    ].map((code) => ({ code, errors: [{ messageId: 'pipefail' as const }] })),
  ],
});

// Where the pipe is found only because the RUN's shell passes errexit into the substitution,
// the bare `bash -o pipefail` SHELL fixes nothing (bash clears errexit there: `bash -o pipefail -c 'set -e; V=$({ false;
// echo x; } | cat); echo "[$V]"'` prints `[x]` and exits 0); the advice adds `-O inherit_errexit`, with which it exits 1.
// A `set -e` in the substitution, or a `shopt`/`set -o posix` in the RUN, holds under the advised SHELL too.
const CURL_SH_INHERIT = CURL_SH.replace(
  'add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine) before it',
  'add `SHELL ["/bin/bash", "-O", "inherit_errexit", "-o", "pipefail", "-c"]` before it (without inherit_errexit bash clears errexit in the `$(...)`)',
);
ruleTester.run(rule, {
  valid: [],
  invalid: [
    ...[
      df(GROUP_SUBSTITUTION),
      df('SHELL ["/bin/sh", "-c"]', GROUP_SUBSTITUTION),
      df('SHELL ["/bin/bash", "-O", "inherit_errexit", "-c"]', GROUP_SUBSTITUTION),
      df('SHELL ["/bin/bash", "--posix", "-c"]', GROUP_SUBSTITUTION),
    ].map((code) => ({ code, errors: [{ messageId: 'pipefail' as const, message: CURL_SH_INHERIT }] })),
    ...[
      df('SHELL ["/bin/bash", "-c"]', 'RUN shopt -s inherit_errexit; ' + GROUP_SUBSTITUTION.slice(4)),
      df('SHELL ["/bin/bash", "-c"]', 'RUN set -o posix; ' + GROUP_SUBSTITUTION.slice(4)),
      df('RUN V=$(set -e; { curl -fsSL https://x; echo; } | sh); echo "$V"'),
      // A pipe found without errexit: the bare advice catches it.
      df('RUN set -e; V=$({ curl -fsSL https://x && echo; } | sh); echo "$V"'),
    ].map((code) => ({ code, errors: [{ messageId: 'pipefail' as const, message: CURL_SH }] })),
  ],
});

// The shells ignore errexit in a condition, before `&&` or `||` and after `!`, in everything run
// there, even after a `set -e` in it (dash 0.5.12 and bash 5.2 print `x` for `set -e; { false; echo x; } | cat && echo
// ok`): the group does not end at the failed download, exits with echo's status, and pipefail changes nothing. A
// `sh -ec` there is a new shell, whose errexit acts; a group ending with the download is reported anyway.
ruleTester.run(rule, {
  valid: [
    ...[
      'RUN set -e; { curl -fsSL https://x; echo; } | sh && echo ok',
      'RUN set -e; { curl -fsSL https://x; echo; } | sh || echo failed',
      'RUN set -e; true && { curl -fsSL https://x; echo; } | sh && echo ok',
      'RUN set -e; if { curl -fsSL https://x; echo; } | sh; then echo ok; fi',
      'RUN set -e; while { curl -fsSL https://x; echo; } | sh; do sleep 1; done',
      'RUN set -e; ! { curl -fsSL https://x; echo; } | sh',
      'RUN { set -e; curl -fsSL https://x; echo; } | sh && echo ok',
      'RUN set -e; (curl -fsSL https://x; echo) | sh && echo ok',
      'RUN set -e; { { curl -fsSL https://x; echo; } | sh; } && echo ok',
      'RUN sh -ec "{ curl -fsSL https://x; echo; } | sh && echo ok"',
    ].map((run) => df(run)),
    // bash ignores it in the substitution of such an assignment too, even after a `set -e` there.
    df('SHELL ["/bin/bash", "-O", "inherit_errexit", "-c"]', GROUP_SUBSTITUTION.replace('); echo', ') && echo')),
    df('SHELL ["/bin/bash", "-c"]', 'RUN V=$(set -e; { curl -fsSL https://x; echo; } | sh) && echo "$V"'),
  ],
  invalid: [
    ...[
      // errexit acts on the last pipeline of an and-or list, and after the `fi`.
      'RUN set -e; true && { curl -fsSL https://x; echo; } | sh',
      'RUN set -e; if true; then :; fi; { curl -fsSL https://x; echo; } | sh',
      'RUN set -e; if true; then { curl -fsSL https://x; echo; } | sh; fi',
      // A `sh -ec` is a new shell: its errexit acts, wherever the `sh` runs.
      'RUN sh -ec "{ curl -fsSL https://x; echo; } | sh" && echo ok',
      'RUN set -e; { curl -fsSL https://x && echo; } | sh && echo ok',
      'RUN set -e; { echo; curl -fsSL https://x; } | sh && echo ok',
    ].map((run) => ({ code: df(run), errors: [{ messageId: 'pipefail' as const, message: CURL_SH }] })),
    // dash, Debian's /bin/sh, does not ignore it in the substitution: errexit ends the group there.
    { code: df(GROUP_SUBSTITUTION.replace('); echo', ') && echo')), errors: [{ messageId: 'pipefail' }] },
    {
      code: df('RUN V=$(set -e; { curl -fsSL https://x; echo; } | sh) && echo "$V"'),
      errors: [{ messageId: 'pipefail' }],
    },
  ],
});

// A bash SHELL reads `$'...'` (ANSI-C quoting), so `sh -c $'curl URL; echo done'` runs the
// script `curl URL; echo done`, which exits 0 with pipefail too; /bin/sh (dash) reads `$` and then a quoted string, a
// script that is not `curl ...`, so the `sh` is named.
const SH_ANSI_C = "RUN sh -c $'curl -fsSL https://x\\necho done' | tar xz";
ruleTester.run(rule, {
  valid: [df('SHELL ["/bin/bash", "-c"]', SH_ANSI_C), df('RUN <<EOF bash', SH_ANSI_C.slice(4), 'EOF')],
  invalid: [
    { code: df(SH_ANSI_C), errors: [{ messageId: 'pipefail', message: SH_TAR }] },
    {
      code: df('SHELL ["/bin/bash", "-c"]', "RUN sh -c $'echo start\\ncurl -fsSL https://x' | tar xz"),
      errors: [{ messageId: 'pipefail', message: CURL_SH.replace('into `sh`', 'into `tar`') }],
    },
  ],
});

// A command substitution is read in the RUN's dialect, that of the shell fed its heredoc too
// (`RUN <<EOF bash`), not the stage's SHELL alone: bash runs the script `curl ...; echo done`, whose status is echo's.
const SUB_ANSI_C = "V=$(sh -c $'curl -fsSL https://x\\necho done' | tar xz)";
ruleTester.run(rule, {
  valid: [df('RUN <<EOF bash', SUB_ANSI_C, 'EOF')],
  invalid: [{ code: df('RUN <<EOF', SUB_ANSI_C, 'EOF'), errors: [{ messageId: 'pipefail', message: SH_TAR }] }],
});

// The shell fed a heredoc (`RUN <<EOF bash`) reads its `#!` line as a comment and runs the pipe
// without pipefail; only a heredoc that is the whole RUN runs by its `#!` line.
ruleTester.run(rule, {
  valid: [df('RUN <<EOF', '#!/bin/sh', 'curl -fsSL https://x | sh', 'EOF')],
  invalid: [
    {
      code: df('RUN <<EOF bash', '#!/bin/sh', 'curl -fsSL https://x | sh', 'EOF'),
      errors: [{ messageId: 'pipefail', message: CURL_SH }],
    },
  ],
});

// A substitution's script is read as the shell reads it (quotes hold a `)`, a `\`` in backquotes
// nests one, single quotes and backslashes make a backquote literal), and its status is that of the word's last
// substitution, not of one nested in it. Checked with dash 0.5.12 and bash 5.2.15 `-o pipefail`: each valid row with
// `false` for curl goes on to `&&`, each invalid one stops under bash (the rule's own scan misread them all).
const CURL_JQ = CURL_SH.replaceAll('`sh`', '`jq`');
ruleTester.run(rule, {
  valid: [
    ...[
      'RUN V=$(curl -fsSL https://x | sh ")"; date) && echo "$V"',
      'RUN V="\\`curl -fsSL https://x | jq -r .v\\`" && echo "$V"',
      'RUN V=\'`curl -fsSL https://x | jq -r .v`\' && echo "$V"',
      'RUN V=$(echo "`curl -fsSL https://x | jq -r .v`") && echo "$V"',
      'RUN V=`echo \\`date\\` | cat` && echo "$V"',
      'RUN V=`echo \\`curl -fsSL https://x | jq -r .v\\`` && echo "$V"',
    ].map((run) => df(run)),
  ],
  invalid: [
    ...[
      'RUN V=$(curl -fsSL "https://x/a)" | jq -r .v) && echo "$V"',
      'RUN V=$(curl -fsSL \'https://x/a)\' | jq -r .v) && echo "$V"',
      'RUN V="`date`$(curl -fsSL https://x | jq -r .v)" && echo "$V"',
      'RUN V=`curl -fsSL https://x | jq -r \'.\\`v\\`\'` && echo "$V"',
      'RUN V="`curl -fsSL "https://x/a b" | jq -r .v`" && echo "$V"',
    ].map((run) => ({ code: df(run), errors: [{ messageId: 'pipefail' as const, message: CURL_JQ }] })),
  ],
});

// Where errexit does not act on the assignment (before `&&` or `||`, in a condition), bash ignores
// it in the whole substitution, inherit_errexit or not: `bash -O inherit_errexit -o pipefail -c 'set -e; V=$({ false;
// echo x; } | cat) && echo "[$V]"'` prints `[x]` and exits 0, so the inherit_errexit SHELL it was advised fixes
// nothing. What does: a failed download ending the group (`{ false || exit 1; echo x; }` exits 1 there), with pipefail.
const CURL_SH_TESTED = CURL_SH.replace(
  'add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine) before it',
  'make a failed `curl` end what it runs in (`|| exit 1`) and add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (bash ignores errexit in a `$(...)` tested by `&&`, `||` or a condition, so no SHELL alone does)',
);
const TESTED = 'RUN set -e; V=$({ curl -fsSL https://x; echo; } | sh) && echo "$V"';
ruleTester.run(rule, {
  valid: [df(BASH, TESTED.replace('x;', 'x || exit 1;'))],
  invalid: [
    ...[
      df(TESTED),
      df('SHELL ["/bin/sh", "-c"]', TESTED.replace('&& echo "$V"', '|| exit 1')),
      df('RUN set -e; if V=$({ curl -fsSL https://x; echo; } | sh); then echo "$V"; fi'),
      df('RUN V=$(set -e; { curl -fsSL https://x; echo; } | sh) && echo "$V"'),
    ].map((code) => ({ code, errors: [{ messageId: 'pipefail' as const, message: CURL_SH_TESTED }] })),
    // Found without errexit, or once the advice is taken: pipefail alone catches it.
    ...[TESTED.replace('x;', 'x &&'), TESTED.replace('x;', 'x || exit 1;')].map((run) => ({
      code: df(run),
      errors: [{ messageId: 'pipefail' as const, message: CURL_SH }],
    })),
    // Not tested: inherit_errexit is still what the bash SHELL needs.
    { code: df(TESTED.replace(' && echo', '; echo')), errors: [{ messageId: 'pipefail', message: CURL_SH_INHERIT }] },
  ],
});

// A command of nothing but assignments exits with its last command substitution's status, 0 when
// it has none: bash 5.2.15 `-o pipefail` exits 1 for `V=$(false) | cat` and for `{ V=$(false); } | cat`, 0 for
// `V=\`false\` | cat` (literal backquotes), `V=$(echo x) | cat`, `V=$(false; echo) | cat` and `{ false; V=y; } | cat`.
// The rule named such a writer as an empty program (`pipes `` into `sh``): it names the substitution's command whose
// status it takes, and says nothing where none can fail it.
ruleTester.run(rule, {
  valid: [
    ...[
      'RUN V=\\`date\\` | sh',
      'RUN V=https://x | sh',
      'RUN V=$(echo https://x) | sh',
      'RUN V=$(curl -fsSL https://x; echo) | sh',
      'RUN { curl -fsSL https://x; V=y; } | sh',
      'RUN V=$(W=https://x | sh) && echo "$V"',
    ].map((run) => df(run)),
  ],
  invalid: [
    ...[
      'RUN V=$(curl -fsSL https://x) | sh',
      'RUN V=`curl -fsSL https://x` | sh',
      'RUN { V=$(curl -fsSL https://x); } | sh',
      'RUN V=$(W=$(curl -fsSL https://x)) | sh',
      'RUN V=$(set -e; curl -fsSL https://x; echo) | sh',
      'RUN V=$(W=$(curl -fsSL https://x) | sh) && echo "$V"',
    ].map((run) => ({ code: df(run), errors: [{ messageId: 'pipefail' as const, message: CURL_SH }] })),
  ],
});

// In a backquote substitution in double quotes the shell unescapes `\"` (dash 0.5.12 and bash
// 5.2.15 set `a|b` for `V="\`grep \"a|b\" f\`"`): the `|` is quoted, where the rule read a pipe of grep into `b"`.
ruleTester.run(rule, {
  valid: [df('RUN V="`grep \\"a|b\\" /etc/f`" && echo "$V"')],
  invalid: [
    {
      code: df('RUN V="`curl -fsSL \\"https://x/a b\\" | sh`" && echo "$V"'),
      errors: [{ messageId: 'pipefail', message: CURL_SH }],
    },
  ],
});

// An assignment piped into another command gets errexit in its substitution as the RUN's shell
// passes it on, as a substitution of an assignment alone does. `sh -c 'set -e; V=$(false; echo x) | cat; echo $?'`
// prints 0 in dash 0.5.12 (whose substitution fails at `false`: the pipe hides it) and zsh 5.9 and ksh93 exit 1 with `-o
// pipefail`; bash 5.2.15 and BusyBox 1.35.0 ash clear errexit there and print 0 with pipefail too (`echo`'s status).
// The rule read the substitution with errexit off in every shell.
const PASSED = 'RUN set -e; V=$(curl -fsSL https://x; echo) | sh';
ruleTester.run(rule, {
  valid: [
    df('SHELL ["/bin/bash", "-c"]', PASSED),
    'FROM alpine:3.20\n' + PASSED,
    // errexit set in another shell, or after the pipe, is not on in the substitution.
    df('RUN sh -c "set -e"; V=$(curl -fsSL https://x; echo) | sh'),
    df('RUN V=$(curl -fsSL https://x; echo) | sh; set -e'),
  ],
  invalid: [
    // Under the advised bash the substitution loses errexit: inherit_errexit is what catches it.
    { code: df(PASSED), errors: [{ messageId: 'pipefail', message: CURL_SH_INHERIT }] },
    {
      code: df('SHELL ["/bin/sh", "-e", "-c"]', 'RUN ' + PASSED.slice(12)),
      errors: [{ messageId: 'pipefail', message: CURL_SH_INHERIT }],
    },
    // bash with inherit_errexit keeps it; a shopt in the RUN holds under the bare advice too.
    {
      code: df('SHELL ["/bin/bash", "-O", "inherit_errexit", "-c"]', PASSED),
      errors: [{ messageId: 'pipefail', message: CURL_SH_INHERIT }],
    },
    {
      code: df('SHELL ["/bin/bash", "-c"]', 'RUN shopt -s inherit_errexit; ' + PASSED.slice(4)),
      errors: [{ messageId: 'pipefail', message: CURL_SH }],
    },
    // Nested: the inner substitution's errexit is passed on through the outer one.
    { code: df('RUN set -e; V=$(W=$(curl -fsSL https://x; echo)) | sh'), errors: [{ messageId: 'pipefail' }] },
  ],
});

// Shells other than dash and bash, checked with BusyBox 1.35.0 ash, zsh 5.9, ksh93u+m 1.0.4 and mksh
// R59 (Debian 12's). All take `-o pipefail` (`false | cat` exits 1), as the SHELL or a `set` — so does Alpine's and the
// busybox image's /bin/sh, which is ash, where Debian's dash refuses it. zsh and ksh93 keep errexit in a substitution,
// and, as bash does, ignore it in one tested by `&&`/`||`/a condition (`set -e; V=$(set -e; { false; echo x; } | cat)
// && echo "[$V]"` prints `[x]`: pipefail has nothing to catch); dash, ash and mksh do not (`[]`, exit 1 with
// pipefail). The rule read zsh and ksh as dash, refused ksh's and /bin/sh's `-o pipefail`, and advised a bash SHELL on a
// zsh or ksh stage, or on Alpine for a tested substitution, where ash with pipefail is what catches it.
const ZSH_TAR =
  'This RUN pipes `curl` into `tar` without pipefail: if `curl` fails the step still succeeds; add `-o pipefail` to its SHELL (`SHELL ["/bin/zsh", "-o", "pipefail", "-c"]`) or start the RUN with `set -o pipefail`.';
const ALPINE_CURL_SH =
  'This RUN pipes `curl` into `sh` without pipefail: if `curl` fails the step still succeeds; add `SHELL ["/bin/ash", "-o", "pipefail", "-c"]` before it (Alpine has no bash unless installed), or start the RUN with `set -o pipefail`.';
const FETCH = 'RUN curl -fsSL https://x/a.tgz | tar xz';
ruleTester.run(rule, {
  valid: [
    'FROM alpine:3.20\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\n' + FETCH,
    'FROM php:8.3-fpm-alpine3.19\nSHELL ["/bin/sh", "-eo", "pipefail", "-c"]\n' + FETCH,
    'FROM busybox:1.36\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\n' + FETCH,
    'FROM alpine:3.20 AS base\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nFROM base\n' + FETCH,
    df('SHELL ["/bin/ksh", "-o", "pipefail", "-c"]', FETCH),
    df('SHELL ["/bin/mksh", "-o", "pipefail", "-c"]', FETCH),
    df('SHELL ["/bin/ksh93", "-o", "pipefail", "-c"]', FETCH),
    df('SHELL ["/bin/lksh", "-o", "pipefail", "-c"]', FETCH),
    df('SHELL ["/bin/ksh", "-c"]', 'RUN ksh -o pipefail -c "curl -fsSL https://x/a.tgz | tar xz"'),
    // zsh and ksh ignore errexit in a tested substitution: the group exits 0, with pipefail too.
    df('SHELL ["/bin/zsh", "-c"]', TESTED),
    df('SHELL ["/bin/ksh", "-c"]', TESTED),
    // The busybox image's ash clears errexit in a substitution, as Alpine's does.
    'FROM busybox:1.36\n' + GROUP_SUBSTITUTION,
  ],
  invalid: [
    // Debian's /bin/sh is dash, which refuses `-o pipefail`.
    { code: df('SHELL ["/bin/sh", "-o", "pipefail", "-c"]', FETCH), errors: [{ messageId: 'dashRefuses' }] },
    // A zsh or ksh stage is advised its own SHELL with pipefail, keeping its words.
    { code: df('SHELL ["/bin/zsh", "-c"]', FETCH), errors: [{ messageId: 'pipefail', message: ZSH_TAR }] },
    {
      code: df('SHELL ["/usr/bin/ksh", "-e", "-c"]', FETCH),
      errors: [
        {
          messageId: 'pipefail',
          message: ZSH_TAR.replace(
            '"/bin/zsh", "-o", "pipefail", "-c"',
            '"/usr/bin/ksh", "-o", "pipefail", "-e", "-c"',
          ),
        },
      ],
    },
    // zsh and ksh keep errexit in the substitution, as dash does; with pipefail the group's failure is caught.
    {
      code: df('SHELL ["/bin/zsh", "-c"]', GROUP_SUBSTITUTION),
      errors: [{ messageId: 'pipefail', message: ZSH_TAR.replace('`tar`', '`sh`') }],
    },
    { code: df('SHELL ["/bin/ksh", "-c"]', GROUP_SUBSTITUTION), errors: [{ messageId: 'pipefail' }] },
    // mksh does not ignore errexit in a tested substitution, as dash does not.
    { code: df('SHELL ["/bin/mksh", "-c"]', TESTED), errors: [{ messageId: 'pipefail' }] },
    // On Alpine a tested substitution's failure is caught by ash with pipefail: no bash advice.
    {
      code: 'FROM alpine:3.20\nRUN V=$(set -e; { curl -fsSL https://x; echo; } | sh) && echo "$V"',
      errors: [{ messageId: 'pipefail', message: ALPINE_CURL_SH }],
    },
  ],
});

// Where `/bin/sh` is bash (Fedora, Red Hat and its rebuilds, Amazon Linux) `/bin/sh -o pipefail` and `sh -o pipefail -c`
// set pipefail, and the script is read as bash in POSIX mode reads it. Each was reported as a pipe without pipefail.
const SH_PIPEFAIL = 'SHELL ["/bin/sh", "-o", "pipefail", "-c"]';
const SH_CHILD = 'RUN sh -o pipefail -c "curl -fsSL https://x/a.tgz | tar xz"';
ruleTester.run(rule, {
  valid: [
    ...['fedora:40', 'registry.access.redhat.com/ubi9/ubi-minimal', 'rockylinux:9', 'amazonlinux:2023'].flatMap(
      (image) => [`FROM ${image}\n${SH_PIPEFAIL}\n${FETCH}`, `FROM ${image}\n${SH_CHILD}`],
    ),
    `FROM fedora:40 AS base\n${SH_PIPEFAIL}\nFROM base\n${FETCH}`,
    // bash run as `sh` ignores errexit in a tested substitution (bash 5.2.15 through a `sh` link prints `[x]` for
    // `set -e; V=$(set -e; { false; echo x; } | cat) && echo "[$V]"`, with `-o pipefail` too): nothing to catch.
    fd(TESTED),
  ],
  invalid: [
    // A dash named on Fedora is Fedora's, which refuses it.
    {
      code: `FROM fedora:40\nSHELL ["/bin/dash", "-o", "pipefail", "-c"]\n${FETCH}`,
      errors: [{ messageId: 'dashRefuses' }],
    },
    // bash reads `$'don\'t\n'` as one word (dash's `'don\'` ended at the backslash, and the next `'` quoted the pipe).
    {
      code: "FROM fedora:40\nRUN printf $'don\\'t\\n' && curl -fsSL https://x | tar xz",
      errors: [{ messageId: 'pipefail' }],
    },
  ],
});

// Debian's dash has pipefail from 0.5.12-7 (trixie and sid ship 0.5.12-12): on an image known to be of such a release
// (by its tag: `debian:13`, `debian:trixie-slim`, `debian:sid`, or a tag naming trixie) `/bin/sh -o pipefail`,
// `sh -o pipefail -c` and `dash -o pipefail` set pipefail. Each was reported as a pipe without pipefail.
ruleTester.run(rule, {
  valid: [
    ...['debian:trixie', 'debian:13-slim', 'debian:sid', 'debian:testing', 'python:3.13-slim-trixie'].flatMap(
      (image) => [`FROM ${image}\n${SH_PIPEFAIL}\n${FETCH}`, `FROM ${image}\n${SH_CHILD}`],
    ),
    `FROM node:22-trixie AS base\n${SH_PIPEFAIL}\nFROM base\n${FETCH}`,
    `FROM debian:trixie\nSHELL ["/bin/dash", "-o", "pipefail", "-c"]\n${FETCH}`,
    `FROM debian:trixie\n${SH_CHILD.replace('sh -o', 'dash -o')}`,
  ],
  invalid: [
    // An image whose tag names no release is read as today: its `/bin/sh` is a dash that may not have pipefail.
    ...['debian:latest', 'debian:stable', 'python:3.12', 'ubuntu:25.04'].map((image) => ({
      code: `FROM ${image}\n${SH_PIPEFAIL}\n${FETCH}`,
      errors: [{ messageId: 'pipefail' as const }],
    })),
    // Debian 12's dash refuses the option, on its own or in a `python:...-bookworm` image.
    ...['debian:bookworm', 'python:3.12-slim-bookworm'].map((image) => ({
      code: `FROM ${image}\n${SH_CHILD}`,
      errors: [{ messageId: 'dashRefuses' as const }],
    })),
  ],
});

// ksh93 and mksh read an extended glob as part of its word, and bash does where the script runs at all (without
// extglob it refuses `@(`): `@(doc|man)` opened a subshell, and `doc` was reported piped into `man`.
ruleTester.run(rule, {
  valid: [
    df('SHELL ["/bin/ksh", "-c"]', 'RUN rm -rf /usr/share/@(doc|man)'),
    df('SHELL ["/bin/mksh", "-c"]', 'RUN rm -rf /usr/share/@(doc|man) /var/cache/!(keep)'),
    df('SHELL ["/bin/bash", "-O", "extglob", "-c"]', 'RUN rm -rf /usr/share/@(doc|man)'),
    df('SHELL ["/bin/bash", "-c"]', 'RUN [[ "$V" == @(1|2).* ]] && echo ok'),
  ],
  invalid: [
    {
      code: df('SHELL ["/bin/ksh", "-c"]', 'RUN rm -rf /usr/share/@(doc|man) && curl -fsSL https://x | tar xz'),
      errors: [{ messageId: 'pipefail', message: ZSH_TAR.replace('"/bin/zsh"', '"/bin/ksh"') }],
    },
  ],
});
