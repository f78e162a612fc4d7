import { ruleTester } from '../../../src/lint/rule-tester.js';
import { packageVariableCases } from '../../helpers/unpinned.js';
import { rule } from '../../../rules/dockerfile/apk-unpinned.js';

ruleTester.run(rule, {
  valid: [
    // A quoted list is one word to the shell, judged as written.
    'FROM alpine:3.20\nENV PKGS="curl=8.5.0-r0 jq"\nRUN apk add "$PKGS"',
    'FROM alpine:3.20\nRUN apk add --no-cache curl=8.5.0-r0',
    'FROM alpine:3.20\nRUN apk add --no-cache ./pkg.apk',
    'FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc=13.2.1-r0',
    'FROM alpine:3.20\nRUN apk add -t .deps curl~8.5',
    'FROM alpine:3.20\nRUN apk update',
  ],
  invalid: [
    // An unquoted list from ARG/ENV is split as the shell splits it, each word judged (it was read as one pinned
    // package, and the unpinned one in it went unreported).
    {
      code: 'FROM alpine:3.20\nENV PKGS="curl=8.5.0-r0 jq"\nRUN apk add $PKGS',
      errors: [
        {
          messageId: 'unpinned',
          line: 3,
          message: '`apk add jq` does not pin a version (e.g. `jq=<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    { code: 'FROM alpine:3.20\nRUN apk add --no-cache curl', errors: [{ messageId: 'unpinned', line: 2 }] },
    {
      code: 'FROM alpine:3.20\nRUN apk add --virtual .deps gcc',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message: '`apk add gcc` does not pin a version (e.g. `gcc=<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    {
      code: 'FROM alpine:3.20\nRUN apk add --no-cache curl musl-dev=1.2.5-r0 gcc make bash',
      errors: [
        {
          messageId: 'unpinned',
          line: 2,
          message:
            '`apk add curl gcc make bash` does not pin versions (e.g. `curl=<version>`): rebuilds install whatever is newest.',
        },
      ],
    },
    // Every install command of the RUN is read, not the first only: one finding names the packages of all of them
    // (later commands' packages went unreported).
    ...[
      ['apk add curl=8.5.0-r0 && apk add gcc make', '`apk add gcc make` does not pin versions (e.g. `gcc=<version>`)'],
      [
        'apk add --no-cache curl && apk add --virtual .deps gcc',
        '`apk add curl gcc` does not pin versions (e.g. `curl=<version>`)',
      ],
      ['apk add curl; apk add gcc || true', '`apk add curl gcc` does not pin versions (e.g. `curl=<version>`)'],
      [
        'apk update \\\n  && apk add curl \\\n  && echo y | apk add gcc',
        '`apk add curl gcc` does not pin versions (e.g. `curl=<version>`)',
      ],
    ].map(([run, named]) => ({
      code: `FROM alpine:3.20\nRUN ${run}`,
      errors: [{ messageId: 'unpinned' as const, line: 2, message: `${named}: rebuilds install whatever is newest.` }],
    })),
    ...packageVariableCases('FROM alpine:3.20', 'apk add', (p) => `${p}=<version>`),
  ],
});
