import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/base-image-latest.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12',
    'FROM debian:latest@sha256:0000000000000000000000000000000000000000000000000000000000000000',
    'FROM debian',
  ],
  invalid: [
    { code: 'FROM debian:latest', errors: [{ messageId: 'latest', line: 1 }] },
    { code: 'FROM localhost/corpus/debian-base:latest AS x', errors: [{ messageId: 'latest', line: 1 }] },
    { code: 'ARG TAG=latest\nFROM node:${TAG}', errors: [{ messageId: 'latest', line: 2 }] },
  ],
});
