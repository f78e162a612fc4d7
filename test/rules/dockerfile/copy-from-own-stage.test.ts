// DF207 copy-from-own-stage (hadolint DL3023).
import { rule } from '../../../rules/dockerfile/copy-from-own-stage.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM scratch AS build\nFROM alpine:3.20 AS run\nCOPY --from=build foo .',
    'FROM alpine:3.20\nCOPY --from=build foo .',
    'FROM alpine:3.20 AS build\nCOPY foo .',
    'FROM alpine:3.20 AS build\nCOPY --from=other foo .',
  ],
  invalid: [
    { code: 'FROM alpine:3.20 AS build\nCOPY --from=build foo .', errors: [{ messageId: 'self', line: 2 }] },
    {
      code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20 AS build\nRUN true\nCOPY --from=build foo .',
      errors: [{ messageId: 'self', line: 4 }],
    },
    { code: 'FROM alpine:3.20 AS Build\nCOPY --from=build foo .', errors: [{ messageId: 'self' }] },
  ],
});
