// DF208 duplicate-stage-name (hadolint DL3024).
import { rule } from '../../../rules/dockerfile/duplicate-stage-name.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM node:20 AS builder\nFROM node:20 AS runner',
    'FROM node:20 AS builder\nFROM builder',
    'FROM node:20\nFROM node:20',
  ],
  invalid: [
    {
      code: 'FROM node:20 AS foo\nRUN true\nFROM scratch AS foo',
      errors: [
        {
          messageId: 'duplicate',
          line: 3,
          message: 'Stage name `foo` is already used on line 1: the builder rejects duplicate stage names.',
        },
      ],
    },
    {
      code: 'FROM node:20 AS foo\nFROM node:20 AS bar\nFROM node:20 AS FOO',
      errors: [{ messageId: 'duplicate', line: 3 }],
    },
    {
      code: 'FROM a:1 AS x\nFROM b:1 AS x\nFROM c:1 AS x',
      errors: [
        { messageId: 'duplicate', line: 2 },
        { messageId: 'duplicate', line: 3 },
      ],
    },
  ],
});
