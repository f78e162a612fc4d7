import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/large-base-image.js';

ruleTester.run(rule, {
  valid: [
    'FROM python:3.12-slim',
    'FROM node:20-alpine',
    'FROM golang:1.22 AS build\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app',
    'FROM debian:12-slim',
    'FROM eclipse-temurin:21-jre',
    'FROM python:3.12 AS build\nFROM python:3.12-slim',
  ],
  invalid: [
    {
      code: 'FROM python:3.12',
      errors: [
        {
          messageId: 'large',
          line: 1,
          message:
            'The final image is built on `python:3.12`, a full-size variant with compilers, docs and tools the app does not need at run time; consider `python:3.12-slim`.',
        },
      ],
    },
    {
      code: 'FROM node:20-bookworm',
      errors: [
        {
          messageId: 'large',
          line: 1,
          message:
            'The final image is built on `node:20-bookworm`, a full-size variant with compilers, docs and tools the app does not need at run time; consider `node:20-slim-bookworm`.',
        },
      ],
    },
    // debian carries no compilers; its message says what -slim drops (report hunt precision #8).
    {
      code: 'FROM debian:bookworm',
      errors: [
        {
          messageId: 'large',
          line: 1,
          message:
            'The final image is built on `debian:bookworm`, a full-size variant with documentation, man pages and locale files the app does not need at run time; consider `debian:bookworm-slim`.',
        },
      ],
    },
    {
      code: 'FROM debian:latest',
      errors: [
        {
          messageId: 'large',
          line: 1,
          message:
            'The final image is built on `debian:latest`, a full-size variant with documentation, man pages and locale files the app does not need at run time; consider `debian:stable-slim`.',
        },
      ],
    },
    {
      code: 'FROM node:latest',
      errors: [
        {
          messageId: 'large',
          line: 1,
          message:
            'The final image is built on `node:latest`, a full-size variant with compilers, docs and tools the app does not need at run time; consider `node:slim`.',
        },
      ],
    },
    // The suggestion carries the tag: a backtick in it is fenced, as the image's own span is.
    {
      code: 'FROM python:3.12`rc',
      errors: [
        {
          messageId: 'large',
          line: 1,
          message:
            'The final image is built on ``python:3.12`rc``, a full-size variant with compilers, docs and tools the app does not need at run time; consider ``python:3.12`rc-slim``.',
        },
      ],
    },
    { code: 'FROM golang:1.22\nRUN go build', errors: [{ messageId: 'large', line: 1 }] },
    // The final stage builds FROM an earlier stage: its base counts.
    { code: 'FROM ruby:3.3 AS base\nFROM base', errors: [{ messageId: 'large', line: 1 }] },
  ],
});
