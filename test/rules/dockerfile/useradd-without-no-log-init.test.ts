// DF223 useradd-without-no-log-init (hadolint DL3046): UIDs of more than five digits need -l.
import { rule } from '../../../rules/dockerfile/useradd-without-no-log-init.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('RUN useradd -l -u 123456 app'),
    df('RUN useradd --no-log-init -u 123456 app'),
    df('RUN useradd -u 123456 -l app'),
    df('RUN useradd -lu 123456 app'),
    // Five digits or fewer: the sparse files stay small.
    df('RUN useradd -u 12345 app'),
    df('RUN useradd -u 1000 app'),
    df('RUN useradd app'),
    df('RUN useradd -m -s /bin/bash app'),
    df('ARG UID=1000', 'RUN useradd -u $UID app'),
    df('RUN adduser -u 123456 app'),
    // Combined short flags: -c takes the rest of the word as its value, so 123456 is a comment, not a UID.
    df('RUN useradd -mc123456 app'),
    // -l after a cluster whose last letter takes the next word.
    df('RUN useradd -ms /bin/sh -lu 123456 app'),
    // A build stage's files never reach the image (a size rule).
    'FROM debian:12 AS build\nRUN useradd -u 123456 builder\nFROM debian:12\nRUN true',
    // Only other paths of the build stage are copied: its /var/log stays behind.
    'FROM debian:12 AS build\nRUN useradd -u 123456 builder\nFROM debian:12\nCOPY --from=build /etc/passwd /etc/passwd',
  ],
  invalid: [
    // An `l` inside another option's value (shell /bin/false, home /home/alice) is no `-l`.
    {
      code: df('RUN useradd -s/bin/false -u 123456 app'),
      errors: [{ messageId: 'logInit' }],
      output: df('RUN useradd -l -s/bin/false -u 123456 app'),
    },
    {
      code: df('RUN useradd -md/home/alice -u 123456 alice'),
      errors: [{ messageId: 'logInit' }],
      output: df('RUN useradd -l -md/home/alice -u 123456 alice'),
    },
    {
      code: df('RUN useradd -cdeploy -u 123456 app'),
      errors: [{ messageId: 'logInit' }],
      output: df('RUN useradd -l -cdeploy -u 123456 app'),
    },
    {
      // Combined short flags with the value attached: -o takes no value, -u takes the rest of the word.
      code: df('RUN useradd -ou1234567 app'),
      errors: [
        {
          messageId: 'logInit',
          message:
            '`useradd -ou1234567` without `-l` writes sparse /var/log/lastlog and faillog sized by the UID: the layer can grow by gigabytes.',
        },
      ],
      output: df('RUN useradd -l -ou1234567 app'),
    },
    {
      code: df('RUN useradd -mou 1234567 app'),
      errors: [{ messageId: 'logInit' }],
      output: df('RUN useradd -l -mou 1234567 app'),
    },
    {
      code: df('RUN useradd -u 123456 app'),
      errors: [{ messageId: 'logInit', line: 2 }],
      output: df('RUN useradd -l -u 123456 app'),
    },
    {
      code: df('RUN useradd --uid 1234567 app'),
      errors: [{ messageId: 'logInit' }],
      output: df('RUN useradd -l --uid 1234567 app'),
    },
    {
      code: df('RUN useradd -u1234567 app'),
      errors: [
        {
          messageId: 'logInit',
          message:
            '`useradd -u1234567` without `-l` writes sparse /var/log/lastlog and faillog sized by the UID: the layer can grow by gigabytes.',
        },
      ],
      output: df('RUN useradd -l -u1234567 app'),
    },
    {
      code: df('RUN useradd --uid=123456 app'),
      // The message quotes the flag as the file writes it.
      errors: [
        {
          messageId: 'logInit',
          message:
            '`useradd --uid=123456` without `-l` writes sparse /var/log/lastlog and faillog sized by the UID: the layer can grow by gigabytes.',
        },
      ],
      output: df('RUN useradd -l --uid=123456 app'),
    },
    {
      code: df('RUN groupadd -g 123456 app && useradd -u 123456 -g app app'),
      errors: [{ messageId: 'logInit' }],
      output: df('RUN groupadd -g 123456 app && useradd -l -u 123456 -g app app'),
    },
    {
      code: df('ARG UID=2000000', 'RUN useradd -u ${UID} app'),
      errors: [
        {
          messageId: 'logInit',
          line: 3,
          message:
            '`useradd -u ${UID}` (UID 2000000) without `-l` writes sparse /var/log/lastlog and faillog sized by the UID: the layer can grow by gigabytes.',
        },
      ],
      output: df('ARG UID=2000000', 'RUN useradd -l -u ${UID} app'),
    },
    { code: df('ONBUILD RUN useradd -u 123456 app'), errors: [{ messageId: 'logInit' }] },
    // A build stage copied whole, or its /var/log, ships the sparse files into the image all the same.
    {
      code: 'FROM debian:12 AS build\nRUN useradd -u 123456 app\nFROM scratch\nCOPY --from=build / /',
      errors: [{ messageId: 'logInit', line: 2 }],
      output: 'FROM debian:12 AS build\nRUN useradd -l -u 123456 app\nFROM scratch\nCOPY --from=build / /',
    },
    {
      code: 'FROM debian:12 AS build\nRUN useradd -u 123456 app\nFROM debian:12\nCOPY --from=build /var/log /var/log',
      errors: [{ messageId: 'logInit', line: 2 }],
      output:
        'FROM debian:12 AS build\nRUN useradd -l -u 123456 app\nFROM debian:12\nCOPY --from=build /var/log /var/log',
    },
  ],
});
