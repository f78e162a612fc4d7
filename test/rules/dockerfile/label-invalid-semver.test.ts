// DF247 label-invalid-semver (hadolint DL3056): `semver` labels hold a Semantic Versioning 2.0.0 version.
import { rule } from '../../../rules/dockerfile/label-invalid-semver.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const schema = { labelSchema: { version: 'semver' } };
const df = (value: string): string => `FROM debian:12\nLABEL version="${value}"`;

ruleTester.run(rule, {
  valid: [
    // Not configured: the rule is off.
    df('latest'),
    ...['1.0.0', '0.1.0', '10.20.30', '1.0.0-alpha', '1.0.0-rc.1+build.5', '1.0.0+20240501', '1.0.0-0.3.7'].map(
      (v) => ({ code: df(v), options: schema }),
    ),
    {
      code: 'FROM debian:12\nARG VERSION\nLABEL version=$VERSION',
      options: schema,
      name: 'a version passed in at build time is not guessed',
    },
    { code: 'FROM debian:12\nARG VERSION=2.3.4\nLABEL version=${VERSION}', options: schema },
    // The legacy form's value loses its quotes like any other (it was read as `"1.2.3"`, quotes included).
    { code: 'FROM debian:12\nLABEL version "1.2.3"', options: schema },
    { code: 'FROM debian:12\nARG V=2.3\nLABEL version="$V"\'.4\'', options: schema, name: 'quoted parts joined' },
  ],
  invalid: [
    {
      code: df('latest'),
      options: schema,
      errors: [
        {
          messageId: 'invalid',
          line: 2,
          message: 'Label `version` should be a semantic version such as 1.4.2, not `latest`.',
        },
      ],
    },
    ...['1.0', '1', 'v1.0.0', '01.0.0', '1.0.0-', '1.0.0-01', '1.0.0+', ''].map((v) => ({
      code: df(v),
      options: schema,
      errors: [{ messageId: 'invalid' }],
    })),
    {
      code: 'FROM debian:12\nARG VERSION=2.3\nLABEL version=$VERSION',
      options: schema,
      errors: [{ messageId: 'invalid', line: 3 }],
    },
    // Nothing expands in single quotes, nor an escaped `$`: the label holds `$VERSION` itself (these read as 2.3.4).
    ...["LABEL version='$VERSION'", 'LABEL version="\\$VERSION"', 'LABEL version=\\$VERSION'].map((label) => ({
      code: `FROM debian:12\nARG VERSION=2.3.4\n${label}`,
      options: schema,
      errors: [
        {
          messageId: 'invalid',
          message: 'Label `version` should be a semantic version such as 1.4.2, not `$VERSION`.',
        },
      ],
    })),
  ],
});
