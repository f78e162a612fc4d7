// DF245 label-invalid-spdx (hadolint DL3054): `spdx` labels hold one SPDX license identifier, spelled as listed.
import { rule } from '../../../rules/dockerfile/label-invalid-spdx.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const schema = { labelSchema: { 'org.opencontainers.image.licenses': 'spdx' } };
const df = (value: string): string => `FROM debian:12\nLABEL org.opencontainers.image.licenses="${value}"`;

ruleTester.run(rule, {
  valid: [
    // Not configured: the rule is off.
    df('Proprietary'),
    ...['MIT', 'Apache-2.0', 'GPL-3.0-only', 'BSD-3-Clause', 'MPL-2.0', 'GPL-2.0'].map((v) => ({
      code: df(v),
      options: schema,
    })),
  ],
  invalid: [
    {
      code: df('Proprietary'),
      options: schema,
      errors: [
        {
          messageId: 'invalid',
          line: 2,
          message:
            'Label `org.opencontainers.image.licenses` should be an SPDX license identifier such as MIT or Apache-2.0, not `Proprietary`.',
        },
      ],
    },
    ...['mit', 'Apache 2.0', 'MIT OR Apache-2.0', 'GPL-2.0+', 'LicenseRef-Internal', ''].map((v) => ({
      code: df(v),
      options: schema,
      errors: [{ messageId: 'invalid' }],
    })),
  ],
});
