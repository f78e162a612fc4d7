// DF252 from-as-casing (BuildKit FromAsCasing).
import { rule } from '../../../rules/dockerfile/from-as-casing.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM node:20 AS build',
    'from node:20 as build',
    'FROM node:20',
    // A mixed-case FROM is the instruction-casing rule's finding, not this one's.
    'From node:20 as build',
    'From node:20 AS build',
  ],
  invalid: [
    {
      code: 'FROM node:20 as build',
      errors: [{ messageId: 'casing', line: 1, message: '`as` is cased unlike `FROM`; write `AS`.' }],
      output: 'FROM node:20 AS build',
    },
    { code: 'from node:20 AS build', errors: [{ messageId: 'casing' }], output: 'from node:20 as build' },
    {
      code: 'FROM --platform=$BUILDPLATFORM as:1 As As',
      errors: [{ messageId: 'casing' }],
      output: 'FROM --platform=$BUILDPLATFORM as:1 AS As',
    },
    // FROM continued over lines is read as the builder joins it, with either escape character.
    {
      code: 'FROM debian:12 \\\n  as build \\\n',
      errors: [{ messageId: 'casing', line: 1 }],
      output: 'FROM debian:12 \\\n  AS build \\\n',
    },
    {
      code: 'FROM debian:12 as build \\\n',
      errors: [{ messageId: 'casing', line: 1 }],
      output: 'FROM debian:12 AS build \\\n',
    },
    {
      code: 'FROM debian:12 as \\\n  build\nRUN make',
      errors: [{ messageId: 'casing', line: 1 }],
      output: 'FROM debian:12 AS \\\n  build\nRUN make',
    },
    {
      code: '# escape=`\nFROM debian:12 `\n  as build `\n',
      errors: [{ messageId: 'casing', line: 2 }],
      output: '# escape=`\nFROM debian:12 `\n  AS build `\n',
    },
    {
      code: 'FROM a:1 AS x\nFROM b:1 aS y',
      errors: [{ messageId: 'casing', line: 2 }],
      output: 'FROM a:1 AS x\nFROM b:1 AS y',
    },
  ],
});
