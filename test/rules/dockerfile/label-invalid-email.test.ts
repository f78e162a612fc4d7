// DF248 label-invalid-email (hadolint DL3058): `email` labels hold an RFC 5322 address (addr-spec).
import { rule } from '../../../rules/dockerfile/label-invalid-email.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const schema = { labelSchema: { maintainer: 'email' } };
const df = (value: string): string => `FROM debian:12\nLABEL maintainer='${value}'`;

ruleTester.run(rule, {
  valid: [
    // Not configured: the rule is off.
    df('Jane Doe'),
    ...[
      'jane@example.com',
      'jane.doe+docker@mail.example.co.uk',
      'ops@localhost',
      '"jane doe"@example.com',
      "o'brien@example.com",
      'x@[192.0.2.1]',
    ].map((v) => ({
      code: `FROM debian:12\nLABEL maintainer="${v.replace(/"/g, '\\"')}"`,
      options: schema,
    })),
  ],
  invalid: [
    {
      code: df('Jane Doe'),
      options: schema,
      errors: [
        {
          messageId: 'invalid',
          line: 2,
          message: 'Label `maintainer` should be an email address (RFC 5322, e.g. team@example.com), not `Jane Doe`.',
        },
      ],
    },
    ...[
      'jane',
      'jane@',
      '@example.com',
      'jane@@example.com',
      'jane..doe@example.com',
      '.jane@example.com',
      'Jane Doe <jane@example.com>',
      'jane@exa mple.com',
      '',
    ].map((v) => ({
      code: df(v),
      options: schema,
      errors: [{ messageId: 'invalid' }],
    })),
  ],
});
