// DF206 copy-from-unknown-stage (hadolint DL3022): an earlier alias, a stage index or an image reference is fine.
import { rule } from '../../../rules/dockerfile/copy-from-unknown-stage.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM scratch AS build\nFROM alpine:3.20\nCOPY --from=build foo .',
    'FROM scratch\nFROM alpine:3.20\nCOPY --from=0 foo .',
    'FROM alpine:3.20 AS a\nFROM alpine:3.20 AS b\nFROM alpine:3.20\nCOPY --from=1 foo .',
    'FROM alpine:3.20\nCOPY --from=haskell:latest bar .',
    'FROM alpine:3.20\nCOPY --from=registry.example.com:5000/tools:1 /bin/tool /bin/',
    'FROM alpine:3.20\nCOPY --from=busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef /bin/sh /bin/',
    // Stage names are case-insensitive for the builder.
    'FROM scratch AS Build\nFROM alpine:3.20\nCOPY --from=build foo .',
    'FROM scratch AS build\nFROM alpine:3.20\nARG STAGE=build\nCOPY --from=$STAGE foo .',
    // A variable we cannot resolve may hold anything.
    'FROM alpine:3.20\nCOPY --from=$UNKNOWN foo .',
    'FROM alpine:3.20\nCOPY foo .',
    // The stage's own name: a self reference, reported by DF207 alone (one finding, as hadolint's DL3023 alone).
    'FROM alpine:3.20 AS build\nCOPY --from=build foo .',
    'FROM alpine:3.20 AS a\nFROM alpine:3.20 AS Build\nCOPY --from=BUILD foo .',
    // The stage's own index is a self reference too (DF207).
    'FROM golang:1.22.3 AS build\nFROM alpine:3.19.1\nCOPY --from=1 /etc/hosts /tmp/hosts',
    'FROM alpine:3.20\nCOPY --from=0 foo .',
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nCOPY --from=foo bar .',
      errors: [
        {
          messageId: 'unknown',
          line: 2,
          message:
            '`COPY --from=foo` names no earlier stage: define `FROM ... AS foo` before it, or give a full image reference (`name:tag`).',
        },
      ],
    },
    // The alias is defined only after the COPY.
    {
      code: 'FROM alpine:3.20\nCOPY --from=build foo .\nFROM scratch AS build',
      errors: [{ messageId: 'unknown', line: 2 }],
    },
    // An index no earlier stage has: stage names start with a letter, so the advice is never `FROM ... AS 1`.
    {
      code: 'FROM alpine:3.20\nCOPY --from=1 foo .',
      errors: [
        {
          messageId: 'unknownIndex',
          line: 2,
          message:
            '`COPY --from=1` names no earlier stage: stages are numbered from 0 in the order of their FROM lines, and this COPY is in stage 0, the first; build the files in a stage before it and name that stage by its index or name.',
        },
      ],
    },
    {
      code: 'FROM golang:1.22.3 AS build\nFROM alpine:3.19.1\nCOPY --from=2 /out/app /app',
      errors: [
        {
          messageId: 'unknownIndex',
          line: 3,
          message:
            "`COPY --from=2` names no earlier stage: stages are numbered from 0 in the order of their FROM lines, and this COPY is in stage 1, so only 0 comes before it; use that index or the stage's name.",
        },
      ],
    },
    // Not a name a stage can have (it must start with a letter): the advice is never `FROM ... AS -1`.
    {
      code: 'FROM golang:1.22.3 AS build\nFROM alpine:3.19.1\nCOPY --from=-1 /out/app /app',
      errors: [
        {
          messageId: 'notStageName',
          line: 3,
          message:
            '`COPY --from=-1` names no earlier stage, and no stage can be named so (a stage name starts with a letter, followed by letters, digits, `-`, `_` or `.`): name an earlier stage or give its index, or give a full image reference (`name:tag`).',
        },
      ],
    },
    ...['_build', '.x', '1st', 'my/tools', 'b!d'].map((from) => ({
      code: `FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=${from} foo .`,
      errors: [{ messageId: 'notStageName', line: 3 }],
    })),
    // A name a stage can have (checked lower-cased, as the builder checks it) keeps the advice to define it.
    {
      code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=Build-2_x.y foo .',
      errors: [{ messageId: 'unknown', line: 3 }],
    },
    // A stage defined later is not built yet.
    {
      code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20 AS b\nFROM alpine:3.20\nCOPY --from=3 foo .\nFROM alpine:3.20',
      errors: [
        {
          messageId: 'unknownIndex',
          line: 4,
          message:
            "`COPY --from=3` names no earlier stage: stages are numbered from 0 in the order of their FROM lines, and this COPY is in stage 2, so only 0 and 1 come before it; use one of those indexes or a stage's name.",
        },
      ],
    },
    {
      code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=5 foo .',
      errors: [{ messageId: 'unknownIndex', line: 3 }],
    },
  ],
});
