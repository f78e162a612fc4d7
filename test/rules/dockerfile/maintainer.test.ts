import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/maintainer.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nLABEL maintainer="a@b.c"',
    // A bare MAINTAINER is a parse error (DF100): a `LABEL maintainer=""` fix would hide it behind an empty label.
    'FROM debian:12\nMAINTAINER\nRUN true',
    'FROM debian:12\nMAINTAINER   \nRUN true',
  ],
  invalid: [
    // The fix is unsafe, so output (safe fixes only) is unchanged.
    {
      code: 'FROM debian:12\nMAINTAINER Jane <jane@example.com>',
      errors: [{ messageId: 'deprecated', line: 2 }],
      output: 'FROM debian:12\nMAINTAINER Jane <jane@example.com>',
    },
  ],
});
