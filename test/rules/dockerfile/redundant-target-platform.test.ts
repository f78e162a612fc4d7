// DF230 redundant-target-platform (hadolint DL3065).
import { rule } from '../../../rules/dockerfile/redundant-target-platform.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12',
    'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
    'FROM --platform=linux/amd64 debian:12',
    'FROM --platform=${TARGETPLATFORM:-linux/amd64} debian:12',
  ],
  invalid: [
    {
      code: 'FROM --platform=$TARGETPLATFORM debian:12',
      errors: [{ messageId: 'redundant', line: 1 }],
      output: 'FROM debian:12',
    },
    {
      code: 'FROM --platform=${TARGETPLATFORM} debian:12 AS run',
      errors: [{ messageId: 'redundant' }],
      output: 'FROM debian:12 AS run',
    },
    {
      code: 'FROM alpine:3.20 AS a\nFROM --platform=$TARGETPLATFORM debian:12',
      errors: [{ messageId: 'redundant', line: 2 }],
      output: 'FROM alpine:3.20 AS a\nFROM debian:12',
    },
  ],
});
