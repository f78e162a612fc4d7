// DF202 expose-port-out-of-range (hadolint DL3011).
import { rule } from '../../../rules/dockerfile/expose-port-out-of-range.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM nginx:1.27', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('EXPOSE 80'),
    df('EXPOSE 80/tcp 443/udp'),
    df('EXPOSE 0'),
    df('EXPOSE 65535'),
    df('EXPOSE 8000-9000'),
    df('EXPOSE 40000-65535/udp'),
    df('EXPOSE $PORT'),
    df('ARG PORT=8080', 'EXPOSE ${PORT}'),
    // Single quotes and an escape keep `$PORT` literal (the builder takes no port from the ARG): not read as 99999.
    df('ARG PORT=99999', "EXPOSE '$PORT'"),
    df('ARG PORT=99999', 'EXPOSE "\\$PORT"'),
  ],
  invalid: [
    {
      code: df('EXPOSE 80000'),
      errors: [{ messageId: 'range', line: 2, message: 'EXPOSE `80000`: a port is a number from 0 to 65535.' }],
    },
    { code: df('EXPOSE 65536'), errors: [{ messageId: 'range' }] },
    { code: df('EXPOSE 80 100000/udp'), errors: [{ messageId: 'range' }] },
    { code: df('EXPOSE 60000-80000'), errors: [{ messageId: 'range' }] },
    { code: df('EXPOSE 70000-80000'), errors: [{ messageId: 'range' }] },
    // A port from a variable is named with its value.
    {
      code: df('ARG PORT=99999', 'EXPOSE $PORT'),
      errors: [
        { messageId: 'range', line: 3, message: 'EXPOSE `$PORT` (`99999`): a port is a number from 0 to 65535.' },
      ],
    },
    {
      code: df('ARG PORT=99999', 'EXPOSE "${PORT}"/tcp'),
      errors: [
        {
          messageId: 'range',
          line: 3,
          message: 'EXPOSE `${PORT}/tcp` (`99999/tcp`): a port is a number from 0 to 65535.',
        },
      ],
    },
  ],
});
