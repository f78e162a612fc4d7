// DF212 from-platform-constant (hadolint DL3029).
import { rule } from '../../../rules/dockerfile/from-platform-constant.js';
import { ruleTester } from '../../../src/lint/rule-tester.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12',
    'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
    'FROM --platform=${BUILDPLATFORM} golang:1.23 AS build',
    'FROM --platform=$TARGETPLATFORM debian:12',
    'FROM --platform=${TARGETPLATFORM:-linux/amd64} debian:12',
    'FROM --platform=$BUILDOS/$BUILDARCH golang:1.23',
  ],
  invalid: [
    { code: 'FROM --platform=linux/amd64 debian:12', errors: [{ messageId: 'constant', line: 1 }] },
    { code: 'FROM --platform=linux/arm64/v8 debian:12 AS x', errors: [{ messageId: 'constant' }] },
    { code: 'FROM debian:12\nFROM --platform=linux/amd64 debian:12', errors: [{ messageId: 'constant', line: 2 }] },
    { code: 'FROM --platform=$MYPLATFORM debian:12', errors: [{ messageId: 'constant' }] },
  ],
});
