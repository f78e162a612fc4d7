// DF226 instruction-before-from (hadolint DL3061): only ARG, comments and parser directives may precede FROM.
import { rule } from '../../../rules/dockerfile/instruction-before-from.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN true',
    'ARG VERSION=12\nFROM debian:${VERSION}',
    '# syntax=docker/dockerfile:1\n# escape=\\\n# a comment\nFROM debian:12',
    '# hadolint ignore=DL3006\nFROM debian',
    '',
  ],
  invalid: [
    {
      code: 'RUN true\nFROM debian:12',
      errors: [
        {
          messageId: 'beforeFrom',
          line: 1,
          message: 'RUN before the first FROM: only ARG (and comments or parser directives) may come before FROM.',
        },
      ],
    },
    {
      code: 'ARG A=1\nLABEL x=y\nENV B=2\nFROM debian:12',
      errors: [
        { messageId: 'beforeFrom', line: 2 },
        { messageId: 'beforeFrom', line: 3 },
      ],
    },
    { code: '# comment\nMAINTAINER me\nFROM debian:12\nRUN true', errors: [{ messageId: 'beforeFrom', line: 2 }] },
    { code: 'WORKDIR /app', errors: [{ messageId: 'beforeFrom' }] },
  ],
});
