import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/apt-update-alone.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\nRUN --mount=type=cache,target=/var/lib/apt apt-get install -y curl',
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    'FROM debian:12\nRUN apt-get update && apt-get dist-upgrade -y',
    'FROM debian:12\nRUN echo update',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl',
      errors: [{ messageId: 'alone', line: 2 }],
    },
    { code: 'FROM debian:12\nRUN apt update', errors: [{ messageId: 'alone', line: 2 }] },
  ],
});
