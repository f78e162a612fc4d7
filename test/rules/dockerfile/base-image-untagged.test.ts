import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/base-image-untagged.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12',
    'FROM scratch',
    'FROM debian@sha256:0000000000000000000000000000000000000000000000000000000000000000',
    'FROM debian:12 AS build\nFROM build',
    'FROM $IMAGE',
    'ARG IMAGE=debian:12\nFROM ${IMAGE}',
    'FROM localhost:5000/app:1.0',
  ],
  invalid: [
    { code: 'FROM debian', errors: [{ messageId: 'untagged', line: 1 }] },
    { code: 'FROM localhost:5000/app', errors: [{ messageId: 'untagged', line: 1 }] },
    // ARG defaults are resolved (hadolint skips variables; resolving finds real problems).
    { code: 'ARG IMAGE=ubuntu\nFROM ${IMAGE}', errors: [{ messageId: 'untagged', line: 2 }] },
    { code: 'FROM debian:12 AS build\nFROM node AS web', errors: [{ messageId: 'untagged', line: 2 }] },
    // A FROM names a stage by name only: `FROM 0` is an image called 0 to both builders (and to hadolint).
    { code: 'FROM debian:12\nFROM 0', errors: [{ messageId: 'untagged', line: 2 }] },
  ],
});
