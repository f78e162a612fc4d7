// DF224 wget-without-progress (hadolint DL3047).
import { rule } from '../../../rules/dockerfile/wget-without-progress.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN wget --progress=dot:giga https://example.com/a.tgz'),
    df('RUN wget -q https://example.com/a.tgz'),
    df('RUN wget --quiet https://example.com/a.tgz'),
    df('RUN wget -nv https://example.com/a.tgz'),
    df('RUN wget --no-verbose https://example.com/a.tgz'),
    df('RUN wget -o /tmp/log https://example.com/a.tgz'),
    df('RUN wget --output-file=/tmp/log https://example.com/a.tgz'),
    df('RUN wget -a /tmp/log https://example.com/a.tgz'),
    df('RUN wget --append-output=/tmp/log https://example.com/a.tgz'),
    df('RUN wget -qO- https://example.com/install.sh | sh'),
    df('RUN curl -fsSL https://example.com/a.tgz'),
    // Flags after a valueless cluster, and `-nv` as part of one.
    df('RUN wget -cq https://example.com/a.tgz'),
    df('RUN wget -cnv https://example.com/a.tgz'),
  ],
  invalid: [
    // An `o` or `a` inside another option's value is no `-o`/`-a` log (user agent "Mozilla/5.0 (X11)", header "a: b").
    {
      code: df('RUN wget -UMozilla https://example.com/a.tgz'),
      errors: [{ messageId: 'noisy' }],
      output: df('RUN wget --progress=dot:giga -UMozilla https://example.com/a.tgz'),
    },
    {
      code: df('RUN wget -O/tmp/app.tgz https://example.com/a.tgz'),
      errors: [{ messageId: 'noisy' }],
      output: df('RUN wget --progress=dot:giga -O/tmp/app.tgz https://example.com/a.tgz'),
    },
    {
      code: df('RUN wget -P/opt/data https://example.com/a.tgz'),
      errors: [{ messageId: 'noisy' }],
      output: df('RUN wget --progress=dot:giga -P/opt/data https://example.com/a.tgz'),
    },
    {
      code: df('RUN wget https://example.com/a.tgz'),
      errors: [{ messageId: 'noisy', line: 2 }],
      output: df('RUN wget --progress=dot:giga https://example.com/a.tgz'),
    },
    {
      code: df('RUN wget -O /tmp/a.tgz https://example.com/a.tgz'),
      errors: [{ messageId: 'noisy' }],
      output: df('RUN wget --progress=dot:giga -O /tmp/a.tgz https://example.com/a.tgz'),
    },
    {
      code: df('RUN apt-get update && wget https://example.com/a.tgz && tar xzf a.tgz'),
      errors: [{ messageId: 'noisy' }],
      output: df('RUN apt-get update && wget --progress=dot:giga https://example.com/a.tgz && tar xzf a.tgz'),
    },
    // BusyBox's wget (Alpine, BusyBox images) rejects --progress: `wget: unrecognized option '--progress=dot:giga'`.
    // It takes -q, which silences only its progress bar there.
    {
      code: 'FROM alpine:3.21\nRUN wget -O /etc/caddy/Caddyfile https://example.com/Caddyfile',
      errors: [{ messageId: 'noisy', line: 2 }],
      output: 'FROM alpine:3.21\nRUN wget -q -O /etc/caddy/Caddyfile https://example.com/Caddyfile',
    },
    {
      code: 'FROM localhost/busybox:1.35\nRUN wget -O /tmp/f http://127.0.0.1:18765/file.txt',
      errors: [{ messageId: 'noisy', line: 2 }],
      output: 'FROM localhost/busybox:1.35\nRUN wget -q -O /tmp/f http://127.0.0.1:18765/file.txt',
    },
    {
      code: 'FROM node:20-alpine3.19\nRUN wget https://a.example/x && wget https://b.example/y',
      errors: [{ messageId: 'noisy', line: 2 }],
      output: 'FROM node:20-alpine3.19\nRUN wget -q https://a.example/x && wget -q https://b.example/y',
    },
    // The base image chosen by a global ARG, and a stage built FROM an Alpine stage.
    {
      code: 'ARG BASE=alpine:3.21\nFROM ${BASE}\nRUN wget https://example.com/a.tgz',
      errors: [{ messageId: 'noisy', line: 3 }],
      output: 'ARG BASE=alpine:3.21\nFROM ${BASE}\nRUN wget -q https://example.com/a.tgz',
    },
    {
      code: 'FROM alpine:3.21 AS base\nFROM base\nRUN wget https://example.com/a.tgz',
      errors: [{ messageId: 'noisy', line: 3 }],
      output: 'FROM alpine:3.21 AS base\nFROM base\nRUN wget -q https://example.com/a.tgz',
    },
    // A base not named alpine that runs apk is Alpine too.
    {
      code: 'FROM registry.example/base:1\nRUN apk add --no-cache curl\nRUN wget https://example.com/a.tgz',
      errors: [{ messageId: 'noisy', line: 3 }],
      output: 'FROM registry.example/base:1\nRUN apk add --no-cache curl\nRUN wget -q https://example.com/a.tgz',
    },
    // GNU wget installed with apk, in an earlier RUN, in a base stage or earlier in the same RUN: --progress works.
    {
      code: 'FROM alpine:3.21\nRUN apk add --no-cache wget\nRUN wget https://example.com/a.tgz',
      errors: [{ messageId: 'noisy', line: 3 }],
      output: 'FROM alpine:3.21\nRUN apk add --no-cache wget\nRUN wget --progress=dot:giga https://example.com/a.tgz',
    },
    {
      code: 'FROM alpine:3.21 AS base\nRUN apk add --virtual .fetch wget=1.24.5-r0\nFROM base\nRUN wget https://e.example/a',
      errors: [{ messageId: 'noisy', line: 4 }],
      output:
        'FROM alpine:3.21 AS base\nRUN apk add --virtual .fetch wget=1.24.5-r0\nFROM base\nRUN wget --progress=dot:giga https://e.example/a',
    },
    // apk earlier in the same RUN marks it Alpine as well.
    {
      code: 'FROM registry.example/base:1\nRUN apk add --no-cache curl && wget https://example.com/a.tgz',
      errors: [{ messageId: 'noisy', line: 2 }],
      output: 'FROM registry.example/base:1\nRUN apk add --no-cache curl && wget -q https://example.com/a.tgz',
    },
    // `apk add wget` in the same RUN: the package name reads like a wget command to the text search, so no fix.
    {
      code: 'FROM alpine:3.21\nRUN apk add --no-cache wget && wget https://example.com/a.tgz',
      errors: [{ messageId: 'noisy', line: 2 }],
      output: 'FROM alpine:3.21\nRUN apk add --no-cache wget && wget https://example.com/a.tgz',
    },
    // `apk add wget` in another stage does not give this stage GNU wget.
    {
      code: 'FROM alpine:3.21 AS tools\nRUN apk add wget\nFROM alpine:3.21\nRUN wget https://example.com/a.tgz',
      errors: [{ messageId: 'noisy', line: 4 }],
      output: 'FROM alpine:3.21 AS tools\nRUN apk add wget\nFROM alpine:3.21\nRUN wget -q https://example.com/a.tgz',
    },
    // A base that shows neither wget (a private image, maybe built on Alpine): --progress only as an unsafe fix.
    {
      code: 'FROM registry.example/base:1\nRUN wget https://example.com/a.tgz',
      errors: [{ messageId: 'noisy', line: 2 }],
      output: 'FROM registry.example/base:1\nRUN wget https://example.com/a.tgz',
      unsafeOutput: 'FROM registry.example/base:1\nRUN wget --progress=dot:giga https://example.com/a.tgz',
    },
    // Known GNU wget: by image name, by a Debian release in the tag, or apt in the stage.
    {
      code: 'FROM python:3.12\nRUN wget https://example.com/a.tgz',
      errors: [{ messageId: 'noisy', line: 2 }],
      output: 'FROM python:3.12\nRUN wget --progress=dot:giga https://example.com/a.tgz',
    },
    {
      code: 'FROM registry.example/base:1-bookworm\nRUN wget https://example.com/a.tgz',
      errors: [{ messageId: 'noisy', line: 2 }],
      output: 'FROM registry.example/base:1-bookworm\nRUN wget --progress=dot:giga https://example.com/a.tgz',
    },
    {
      code: 'FROM registry.example/base:1\nRUN apt-get update && apt-get install -y ca-certificates\nRUN wget https://e.example/a',
      errors: [{ messageId: 'noisy', line: 3 }],
      output:
        'FROM registry.example/base:1\nRUN apt-get update && apt-get install -y ca-certificates\nRUN wget --progress=dot:giga https://e.example/a',
    },
    // Two wgets, one already quiet: reported, no fix (it would touch the quiet one too).
    { code: df('RUN wget -q https://a.example/x && wget https://b.example/y'), errors: [{ messageId: 'noisy' }] },
    { code: df('ONBUILD RUN wget https://example.com/a.tgz'), errors: [{ messageId: 'noisy' }] },
  ],
});
