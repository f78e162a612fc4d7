// DF240 required-label-missing (hadolint DL3049): off until a label schema is configured; one finding per missing label
// per stage, at its FROM; labels are inherited from a base stage; stages other stages build on or copy from are exempt.
import { rule } from '../../../rules/dockerfile/required-label-missing.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const schema = { labelSchema: { maintainer: 'email', version: 'semver' } };
const one = { labelSchema: { foo: 'text' } };

ruleTester.run(rule, {
  valid: [
    // Not configured: the rule is off.
    'FROM debian:12',
    { code: 'FROM debian:12\nLABEL foo="bar"', options: one },
    { code: 'FROM debian:12\nLABEL foo=""', options: one, name: 'an empty label is present (DF242 judges its value)' },
    { code: 'FROM debian:12\nLABEL maintainer="a@example.com" version="1.0.0"', options: schema },
    { code: 'FROM debian:12\nLABEL maintainer="a@example.com"\nLABEL version=1.0.0', options: schema },
    { code: 'FROM debian:12\nLABEL foo bar baz', options: one, name: 'legacy LABEL key value form' },
    // A stage built FROM a labelled stage inherits its labels.
    { code: 'FROM debian:12 AS base\nLABEL foo=bar\nFROM base', options: one },
    { code: 'FROM debian:12 AS base\nLABEL foo=bar\nFROM base AS mid\nFROM mid', options: one },
    // Stages that are only built on or copied from do not ship: exempt.
    {
      code: 'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM debian:12\nLABEL foo=bar\nCOPY --from=build /app /app',
      options: one,
    },
    { code: 'FROM debian:12 AS base\nFROM base\nLABEL foo=bar', options: one },
    {
      code: 'FROM golang:1.22\nRUN go build -o /app .\nFROM debian:12\nLABEL foo=bar\nCOPY --from=0 /app /app',
      options: one,
    },
  ],
  invalid: [
    {
      code: 'FROM debian:12',
      options: one,
      errors: [
        {
          messageId: 'missing',
          line: 1,
          message: 'Stage `debian:12` has no `foo` label, which the label schema requires.',
        },
      ],
    },
    { code: 'FROM debian:12\nLABEL other=x', options: one, errors: [{ messageId: 'missing', line: 1 }] },
    {
      code: 'FROM debian:12 AS app\nLABEL maintainer="a@example.com"',
      options: schema,
      errors: [
        {
          messageId: 'missing',
          line: 1,
          message: 'Stage `app` has no `version` label, which the label schema requires.',
        },
      ],
    },
    {
      code: 'FROM debian:12',
      options: schema,
      errors: [
        { messageId: 'missing', line: 1 },
        { messageId: 'missing', line: 1 },
      ],
    },
    // The label of one stage does not reach an unrelated stage.
    {
      code: 'FROM debian:12 AS a\nLABEL foo=bar\nFROM alpine:3.20',
      options: one,
      errors: [{ messageId: 'missing', line: 3 }],
    },
    // Two stages nobody uses: both ship (or can be built with --target), both are reported.
    {
      code: 'FROM debian:12 AS a\nFROM alpine:3.20 AS b',
      options: one,
      errors: [
        { messageId: 'missing', line: 1 },
        { messageId: 'missing', line: 2 },
      ],
    },
    // Built on an unlabelled stage: the base is exempt, the final stage is not.
    { code: 'FROM debian:12 AS base\nFROM base', options: one, errors: [{ messageId: 'missing', line: 2 }] },
    {
      code: 'FROM debian:12\nLABEL FOO=bar',
      options: one,
      name: 'label names are case-sensitive',
      errors: [{ messageId: 'missing', line: 1 }],
    },
  ],
});
