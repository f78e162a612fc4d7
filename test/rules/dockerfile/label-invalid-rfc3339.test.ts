// DF244 label-invalid-rfc3339 (hadolint DL3053): `rfc3339` labels hold an RFC 3339 date-time with a zone.
import { rule } from '../../../rules/dockerfile/label-invalid-rfc3339.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const schema = { labelSchema: { created: 'rfc3339' } };
const df = (value: string): string => `FROM debian:12\nLABEL created="${value}"`;

ruleTester.run(rule, {
  valid: [
    // Not configured: the rule is off.
    df('yesterday'),
    ...[
      '2024-05-01T12:00:00Z',
      '2024-05-01T12:00:00.123Z',
      '2024-05-01T12:00:00+02:00',
      '2024-05-01T12:00:00-0530',
      '2024-02-29T23:59:60Z',
      '2024-05-01t12:00:00z',
    ].map((v) => ({
      code: df(v),
      options: schema,
    })),
    {
      code: 'FROM debian:12\nARG BUILD_DATE\nLABEL created=$BUILD_DATE',
      options: schema,
      name: 'a build-time date from an ARG is not guessed',
    },
  ],
  invalid: [
    {
      code: df('yesterday'),
      options: schema,
      errors: [
        {
          messageId: 'invalid',
          line: 2,
          message: 'Label `created` should be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z, not `yesterday`.',
        },
      ],
    },
    ...[
      '2024-05-01',
      '2024-05-01T12:00:00',
      '2024-05-01 12:00:00Z',
      '2023-02-29T12:00:00Z',
      '2024-13-01T12:00:00Z',
      '2024-05-01T24:00:00Z',
      '2024-05-01T12:60:00Z',
      '1714564800',
      '',
    ].map((v) => ({ code: df(v), options: schema, errors: [{ messageId: 'invalid' }] })),
  ],
});
