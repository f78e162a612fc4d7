// DF243 label-invalid-url (hadolint DL3052): `url` labels hold an absolute URI (RFC 3986).
import { rule } from '../../../rules/dockerfile/label-invalid-url.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const schema = { labelSchema: { 'org.opencontainers.image.source': 'url', docs: 'url', other: 'text' } };
const df = (label: string): string => `FROM debian:12\nLABEL ${label}`;

ruleTester.run(rule, {
  valid: [
    // Not configured: the rule is off.
    df('org.opencontainers.image.source=not-a-url'),
    ...[
      'org.opencontainers.image.source="https://github.com/example/app"',
      'docs=https://example.com/docs?page=1#install',
      'docs=http://user:pw@example.com:8080/a/b%20c',
      'docs=ftp://[2001:db8::1]/pub',
      'docs=mailto:team@example.com',
      'docs=urn:isbn:0451450523',
      'docs=file:///srv/readme',
      'other=not-a-url',
      'unrelated=not-a-url',
    ].map((label) => ({ code: df(label), options: schema })),
    {
      code: 'FROM debian:12\nARG REPO\nLABEL docs=$REPO',
      options: schema,
      name: 'a value from an ARG without a default is not guessed',
    },
    { code: 'FROM debian:12\nARG REPO=https://example.com/repo\nLABEL docs=$REPO', options: schema },
  ],
  invalid: [
    {
      code: df('docs=example.com/docs'),
      options: schema,
      errors: [
        {
          messageId: 'invalid',
          line: 2,
          message:
            'Label `docs` should be a URL (scheme and address, e.g. https://example.com/repo), not `example.com/docs`.',
        },
      ],
    },
    { code: df('docs="https://example.com/a b"'), options: schema, errors: [{ messageId: 'invalid' }] },
    { code: df('docs=https://example.com/%zz'), options: schema, errors: [{ messageId: 'invalid' }] },
    { code: df('docs=://example.com'), options: schema, errors: [{ messageId: 'invalid' }] },
    { code: df('docs=1http://example.com'), options: schema, errors: [{ messageId: 'invalid' }] },
    {
      code: df('docs=""'),
      options: schema,
      name: 'an empty value is not a URL either',
      errors: [{ messageId: 'invalid' }],
    },
    {
      code: df('docs=not-a-url org.opencontainers.image.source=also-not'),
      options: schema,
      errors: [{ messageId: 'invalid' }, { messageId: 'invalid' }],
    },
    {
      code: 'FROM debian:12\nARG REPO=example.com\nLABEL docs=$REPO',
      options: schema,
      errors: [{ messageId: 'invalid', line: 3 }],
    },
  ],
});
