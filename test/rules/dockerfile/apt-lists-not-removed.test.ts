import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/apt-lists-not-removed.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl \\\n && rm -fr /var/lib/apt/lists',
    // A cache mount keeps the lists out of the layer.
    'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl',
    'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl',
    'FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl',
    // A build stage nobody uses never reaches the image.
    'FROM debian:12 AS unused\nRUN apt-get update && apt-get install -y curl\nFROM debian:12\nRUN echo hi',
    'FROM debian:12\nRUN apt-get install -y curl',
    // Heredoc scripts are linted like any other RUN.
    'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF',
  ],
  invalid: [
    { code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl', errors: [{ messageId: 'notRemoved', line: 2 }] },
    { code: 'FROM ubuntu:22.04\nRUN apt update && apt install -y curl', errors: [{ messageId: 'notRemoved', line: 2 }] },
    { code: 'FROM debian:12\nRUN aptitude update && aptitude install -y curl', errors: [{ messageId: 'notRemoved', line: 2 }] },
    // A stage copied from later does reach the final image.
    { code: 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /x /x', errors: [{ messageId: 'notRemoved', line: 2 }] },
    { code: 'FROM debian:12 AS base\nRUN apt-get update\nFROM base\nRUN echo hi', errors: [{ messageId: 'notRemoved', line: 2 }] },
    { code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl', errors: [{ messageId: 'notRemoved', line: 2 }] },
    { code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF', errors: [{ messageId: 'notRemoved', line: 2 }] },
  ],
});
