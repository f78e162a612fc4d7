// DF220 onbuild-forbidden-trigger (hadolint DL3043).
import { rule } from '../../../rules/dockerfile/onbuild-forbidden-trigger.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [df('ONBUILD RUN echo hi'), df('ONBUILD COPY . /app'), df('ONBUILD ENV A=1'), df('RUN echo ONBUILD FROM x')],
  invalid: [
    {
      code: df('ONBUILD ONBUILD RUN echo hi'),
      errors: [
        {
          messageId: 'forbidden',
          line: 2,
          message: '`ONBUILD ONBUILD` is not allowed: the builder rejects it when an image is built FROM this one.',
        },
      ],
    },
    { code: df('ONBUILD FROM debian:12'), errors: [{ messageId: 'forbidden' }] },
    { code: df('ONBUILD MAINTAINER me@example.com'), errors: [{ messageId: 'forbidden' }] },
    { code: df('onbuild from debian:12'), errors: [{ messageId: 'forbidden' }] },
  ],
});
