import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/missing-dockerignore.js';

ruleTester.run(rule, {
  valid: [
    { code: 'FROM debian:12\nCOPY . /app', files: { '.dockerignore': '.git\n' } },
    { code: 'FROM debian:12\nCOPY . /app', files: { 'Dockerfile.dockerignore': '.git\n' } },
    { code: 'FROM debian:12\nCOPY app.py /app/', files: {} },
    // No build context to look at (stdin): say nothing.
    'FROM debian:12\nCOPY . /app',
    // A build stage whose context does not ship: only the binary is copied out (report hunt precision #6).
    {
      code: 'FROM golang:1.22-bookworm AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app ./cmd/app\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]',
      files: {},
    },
  ],
  invalid: [
    // A later stage copies the directory the context went to, or builds FROM the stage.
    {
      code: 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci\nFROM node:20-slim\nCOPY --from=build /app /app',
      files: {},
      errors: [{ messageId: 'missing', line: 3 }],
    },
    {
      code: 'FROM debian:12 AS base\nCOPY . /src\nFROM base\nCMD ["true"]',
      files: {},
      errors: [{ messageId: 'missing', line: 2 }],
    },
    { code: 'FROM debian:12\nCOPY . /app', files: {}, errors: [{ messageId: 'missing', line: 2 }] },
    {
      code: 'FROM node:20\nWORKDIR /app\nCOPY ./ ./\nCOPY . /other',
      files: {},
      errors: [{ messageId: 'missing', line: 3 }],
    },
  ],
});
