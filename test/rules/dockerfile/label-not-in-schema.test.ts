// DF241 label-not-in-schema (hadolint DL3050): only with strictLabels; one finding per LABEL naming the extra keys.
import { rule } from '../../../rules/dockerfile/label-not-in-schema.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const strict = { labelSchema: { foo: 'text', version: 'semver' }, strictLabels: true };

ruleTester.run(rule, {
  valid: [
    // Not configured, or strict labels off: every label is fine.
    'FROM debian:12\nLABEL anything=x',
    { code: 'FROM debian:12\nLABEL anything=x', options: { labelSchema: { foo: 'text' } } },
    { code: 'FROM debian:12\nLABEL anything=x', options: { labelSchema: { foo: 'text' }, strictLabels: false } },
    { code: 'FROM debian:12\nLABEL foo=bar', options: strict },
    { code: 'FROM debian:12\nLABEL foo=bar version=1.0.0', options: strict },
    { code: 'FROM debian:12\nLABEL foo bar baz', options: strict, name: 'legacy LABEL key value form' },
    { code: 'FROM debian:12\nRUN true', options: strict },
    // No key at all is DF100's (the builder refuses the file), not a label to name.
    { code: 'FROM debian:12\nLABEL =x foo=bar', options: strict },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nLABEL other=x',
      options: strict,
      errors: [
        { messageId: 'extra', line: 2, message: 'Label `other` is not in the label schema, and strict labels are on.' },
      ],
    },
    {
      code: 'FROM debian:12\nLABEL foo=bar other=x more=y',
      options: strict,
      errors: [
        {
          messageId: 'extra',
          line: 2,
          // Several keys read in the plural (was "Label `other`, `more` is not").
          message: 'Labels `other`, `more` are not in the label schema, and strict labels are on.',
        },
      ],
    },
    // A backtick in a key is fenced: it cannot end the key's code span early.
    {
      code: 'FROM debian:12\nLABEL "a`b"=x',
      options: strict,
      errors: [
        { messageId: 'extra', line: 2, message: 'Label ``a`b`` is not in the label schema, and strict labels are on.' },
      ],
    },
    {
      code: 'FROM debian:12\nLABEL a=1\nLABEL foo=bar\nLABEL b=2',
      options: strict,
      errors: [
        { messageId: 'extra', line: 2 },
        { messageId: 'extra', line: 4 },
      ],
    },
    {
      code: 'FROM debian:12\nLABEL Foo=bar',
      options: strict,
      name: 'label names are case-sensitive',
      errors: [{ messageId: 'extra', line: 2 }],
    },
    {
      code: 'FROM debian:12\nLABEL foo=bar',
      options: { strictLabels: true },
      name: 'strict labels with no schema: every label is extra',
      errors: [{ messageId: 'extra', line: 2 }],
    },
  ],
});
