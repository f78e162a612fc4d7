// DF225 invalid-label-key (hadolint DL3048).
import { rule } from '../../../rules/dockerfile/invalid-label-key.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const df = (...lines: string[]): string => ['FROM debian:12', ...lines].join('\n');

ruleTester.run(rule, {
  valid: [
    df('LABEL org.opencontainers.image.source="https://example.com/repo"'),
    df('LABEL maintainer="me@example.com"'),
    df('LABEL com.example.vendor="ACME" com.example.version="1.0"'),
    df('LABEL version2=x'),
    df('LABEL com.example/label_one=x'),
    df('LABEL description "legacy form with spaces"'),
    // No key at all is DF100's (the builder refuses the file), not a key to rename.
    df('LABEL =x'),
  ],
  invalid: [
    { code: df('LABEL com.docker.thing=x'), errors: [{ messageId: 'reserved', line: 2 }] },
    { code: df('LABEL io.docker.thing=x'), errors: [{ messageId: 'reserved' }] },
    { code: df('LABEL org.dockerproject.thing=x'), errors: [{ messageId: 'reserved' }] },
    {
      code: df('LABEL Maintainer=me'),
      errors: [
        {
          messageId: 'invalid',
          message:
            'Label key `Maintainer` is not a valid key: use lower-case letters, digits, `.`, `-`, `_` and `/`, starting with a letter, ending with a letter or digit, without `..` or `--`.',
        },
      ],
    },
    { code: df('LABEL -abc=x'), errors: [{ messageId: 'invalid' }] },
    { code: df('LABEL 1abc=x'), errors: [{ messageId: 'invalid' }] },
    { code: df('LABEL abc.=x'), errors: [{ messageId: 'invalid' }] },
    { code: df('LABEL abc-=x'), errors: [{ messageId: 'invalid' }] },
    { code: df('LABEL a..b=x'), errors: [{ messageId: 'invalid' }] },
    { code: df('LABEL a--b=x'), errors: [{ messageId: 'invalid' }] },
    { code: df('LABEL a$b=x'), errors: [{ messageId: 'invalid' }] },
    { code: df('LABEL ok=1 "with space"=2'), errors: [{ messageId: 'invalid' }] },
  ],
});
