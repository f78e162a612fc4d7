// DF242 label-empty (hadolint DL3051): a label the schema names (any type) with an empty value.
import { rule } from '../../../rules/dockerfile/label-empty.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

const schema = { labelSchema: { foo: 'text', url: 'url' } };

ruleTester.run(rule, {
  valid: [
    // Not configured: the rule is off.
    'FROM debian:12\nLABEL foo=""',
    { code: 'FROM debian:12\nLABEL foo=bar', options: schema },
    { code: 'FROM debian:12\nLABEL other=""', options: schema, name: 'labels outside the schema may be empty' },
    {
      code: 'FROM debian:12\nARG FOO\nLABEL foo=$FOO',
      options: schema,
      name: 'a value from an ARG without a default is decided at build time',
    },
    { code: 'FROM debian:12\nARG FOO=x\nLABEL foo=${FOO}', options: schema },
    { code: "FROM debian:12\nLABEL foo='$literal'", options: schema },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nLABEL foo=""',
      options: schema,
      errors: [{ messageId: 'empty', line: 2, message: 'Label `foo` is empty, but the label schema expects a value.' }],
    },
    { code: 'FROM debian:12\nLABEL foo=', options: schema, errors: [{ messageId: 'empty', line: 2 }] },
    { code: "FROM debian:12\nLABEL url=''", options: schema, errors: [{ messageId: 'empty', line: 2 }] },
    {
      code: 'FROM debian:12\nLABEL foo="" url=""',
      options: schema,
      errors: [
        { messageId: 'empty', line: 2 },
        { messageId: 'empty', line: 2 },
      ],
    },
    { code: 'FROM debian:12\nARG FOO=\nLABEL foo=$FOO', options: schema, errors: [{ messageId: 'empty', line: 3 }] },
  ],
});
