// DF207 copy-from-own-stage (hadolint DL3023).
import { rule } from '../../../rules/dockerfile/copy-from-own-stage.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM scratch AS build\nFROM alpine:3.20 AS run\nCOPY --from=build foo .',
    'FROM alpine:3.20\nCOPY --from=build foo .',
    'FROM alpine:3.20 AS build\nCOPY foo .',
    'FROM alpine:3.20 AS build\nCOPY --from=other foo .',
    // An index names the stage counted from 0: 0 is the first stage here, and 1 one defined later (DF206's case).
    'FROM golang:1.22 AS build\nFROM alpine:3.20\nCOPY --from=0 /out/app /app',
    'FROM alpine:3.20\nCOPY --from=1 foo .\nFROM alpine:3.20',
  ],
  invalid: [
    { code: 'FROM alpine:3.20 AS build\nCOPY --from=build foo .', errors: [{ messageId: 'self', line: 2 }] },
    {
      code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20 AS build\nRUN true\nCOPY --from=build foo .',
      errors: [{ messageId: 'self', line: 4 }],
    },
    { code: 'FROM alpine:3.20 AS Build\nCOPY --from=build foo .', errors: [{ messageId: 'self' }] },
    // The stage's own index, with or without a name: stages count from 0, so `--from=1` in the second stage is itself.
    {
      code: 'FROM golang:1.22.3 AS build\nFROM alpine:3.19.1\nCOPY --from=1 /etc/hosts /tmp/hosts',
      errors: [
        {
          messageId: 'selfIndex',
          line: 3,
          message:
            '`COPY --from=1` names the stage it is in: stages are numbered from 0 in the order of their FROM lines, so 1 is this one, and a stage cannot copy from itself; use the index or name of an earlier stage, or a plain COPY or RUN cp.',
        },
      ],
    },
    { code: 'FROM alpine:3.20 AS build\nCOPY --from=0 foo .', errors: [{ messageId: 'selfIndex', line: 2 }] },
    {
      code: 'FROM alpine:3.20\nFROM alpine:3.20\nARG STAGE=1\nCOPY --from=$STAGE foo .',
      errors: [{ messageId: 'selfIndex', line: 4 }],
    },
  ],
});
