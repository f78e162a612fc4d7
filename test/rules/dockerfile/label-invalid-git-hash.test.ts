// DF246 label-invalid-git-hash (hadolint DL3055): `hash` labels hold a short (7) or full (40) git commit hash.
import { rule } from '../../../rules/dockerfile/label-invalid-git-hash.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const schema = { labelSchema: { revision: 'hash' } };
const df = (value: string): string => `FROM debian:12\nLABEL revision="${value}"`;

ruleTester.run(rule, {
  valid: [
    // Not configured: the rule is off.
    df('main'),
    ...['2f4b9c1', '2f4b9c1d0e5a7b3c9d8e6f1a2b3c4d5e6f7a8b9c', 'ABCDEF0'].map((v) => ({
      code: df(v),
      options: schema,
    })),
    {
      code: 'FROM debian:12\nARG GIT_SHA\nLABEL revision=$GIT_SHA',
      options: schema,
      name: 'a commit passed in at build time is not guessed',
    },
  ],
  invalid: [
    {
      code: df('main'),
      options: schema,
      errors: [
        {
          messageId: 'invalid',
          line: 2,
          message: 'Label `revision` should be a git commit hash (7 or 40 hex digits), not `main`.',
        },
      ],
    },
    ...['2f4b9c', '2f4b9c1d', '2f4b9c1d0e5a7b3c9d8e6f1a2b3c4d5e6f7a8b9', 'g2f4b9c', 'v1.2.3', ''].map((v) => ({
      code: df(v),
      options: schema,
      errors: [{ messageId: 'invalid' }],
    })),
  ],
});
