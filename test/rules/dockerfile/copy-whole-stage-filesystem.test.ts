// DF232 copy-whole-stage-filesystem (hadolint DL3067).
import { rule } from '../../../rules/dockerfile/copy-whole-stage-filesystem.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build /out/app /app',
    'FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build /out/ /',
    'FROM scratch\nCOPY / /',
    'FROM scratch\nCOPY rootfs/ /',
    'FROM golang:1.23 AS a\nFROM scratch AS unused\nCOPY --from=a / /\nFROM scratch\nCOPY --from=a /out/app /app',
  ],
  invalid: [
    {
      code: 'FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=build / /',
      errors: [
        {
          messageId: 'whole',
          line: 3,
          message:
            '`COPY --from=build /` copies every file of that stage (package caches, compilers, logs) into this one.',
        },
      ],
    },
    { code: 'FROM golang:1.23 AS build\nFROM scratch\nCOPY --from=0 / /rootfs/', errors: [{ messageId: 'whole' }] },
    { code: 'FROM scratch\nCOPY --from=debian:12 / /', errors: [{ messageId: 'whole' }] },
    {
      code: 'FROM golang:1.23 AS build\nFROM scratch\nCOPY --link --from=build ["/", "/"]',
      errors: [{ messageId: 'whole' }],
    },
  ],
});
