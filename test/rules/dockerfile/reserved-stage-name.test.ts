// DF228 reserved-stage-name (hadolint DL3063).
import { rule } from '../../../rules/dockerfile/reserved-stage-name.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: ['FROM node:20 AS build', 'FROM scratch', 'FROM node:20 AS scratchpad', 'FROM node:20 AS build-context'],
  invalid: [
    { code: 'FROM node:20 AS scratch', errors: [{ messageId: 'reserved', line: 1 }] },
    { code: 'FROM node:20 AS context', errors: [{ messageId: 'reserved' }] },
    { code: 'FROM node:20 AS Scratch', errors: [{ messageId: 'reserved' }] },
    { code: 'FROM a:1 AS ok\nFROM node:20 AS context', errors: [{ messageId: 'reserved', line: 2 }] },
  ],
});
