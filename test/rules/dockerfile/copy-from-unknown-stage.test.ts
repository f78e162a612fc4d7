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
    { code: 'FROM alpine:3.20\nCOPY --from=1 foo .', errors: [{ messageId: 'unknown' }] },
    {
      code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=5 foo .',
      errors: [{ messageId: 'unknown', line: 3 }],
    },
  ],
});
