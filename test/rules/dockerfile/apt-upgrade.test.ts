import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/apt-upgrade.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get install -y curl',
    'FROM debian:12 AS unused\nRUN apt-get upgrade -y\nFROM debian:12\nRUN true',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get upgrade -y',
      errors: [
        {
          messageId: 'upgrade',
          line: 2,
          message:
            '`apt-get upgrade` rewrites base-image files into a new layer (the old copies stay in the base) and makes builds unreproducible; rebuild on a newer base image instead.',
        },
      ],
    },
    { code: 'FROM debian:12\nRUN apt-get -y dist-upgrade', errors: [{ messageId: 'upgrade', line: 2 }] },
    { code: 'FROM debian:12\nRUN apt full-upgrade', errors: [{ messageId: 'upgrade', line: 2 }] },
  ],
});
