import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/dockerignore-incomplete.js';

ruleTester.run(rule, {
  valid: [
    { code: 'FROM debian:12\nCOPY . /app', files: { '.dockerignore': '.git\n' } },
    { code: 'FROM node:20\nCOPY . /app\nRUN npm ci', files: { '.dockerignore': '**/.git\nnode_modules/\n' } },
    // An allow-list .dockerignore excludes everything first.
    { code: 'FROM node:20\nCOPY . /app\nRUN npm ci', files: { '.dockerignore': '*\n!src\n!package.json\n' } },
    // `**` matches everything, so `**` then `!src/**` is an allow-list too (report hunt precision #7).
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci --omit=dev && npm cache clean --force\nCOPY . .\nCMD ["node", "src/index.js"]',
      files: { '.dockerignore': '**\n!src/**\n!package*.json\n', 'package.json': '{}' },
    },
    { code: 'FROM debian:12\nCOPY . /app', files: { '.dockerignore': 'docs\n.g**\n' } },
    // A build stage whose context does not ship: only the binary is copied out (report hunt precision #6).
    {
      code: 'FROM golang:1.22-bookworm AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app ./cmd/app\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]',
      files: { '.dockerignore': '*.log\n' },
    },
    { code: 'FROM debian:12\nCOPY src /app', files: { '.dockerignore': '' } },
    // Nothing installs packages: the context's node_modules is the app's, copied on purpose.
    {
      code: 'FROM node:20-slim\nCOPY . /app\nCMD ["node", "/app/index.js"]',
      files: { '.dockerignore': '.git\n', 'package.json': '{}' },
    },
  ],
  invalid: [
    // git reads the copied .git: still in the image, but excluding it would break the build, so no fix.
    {
      code: 'FROM debian:12\nCOPY . /app\nRUN git -C /app rev-parse HEAD > /app/REVISION',
      files: { '.dockerignore': '*.log\n' },
      errors: [{ messageId: 'gitRead', line: 2 }],
    },
    {
      code: 'FROM debian:12\nCOPY . /app',
      files: { '.dockerignore': '*.log\n' },
      errors: [{ messageId: 'notIgnored', line: 2 }],
    },
    // A pattern too long for V8 to compile (1 MB, under the ignore file limit) matches no entry name (all are far
    // shorter than PATH_MAX): it stopped lint with "Invalid regular expression" and the whole pattern as the message.
    {
      code: 'FROM debian:12\nCOPY . /app',
      files: { '.dockerignore': `${'a'.repeat(1_000_000)}\n*.log\n` },
      errors: [{ messageId: 'notIgnored', line: 2 }],
    },
    {
      code: 'FROM node:20\nCOPY . /app\nRUN npm ci',
      files: { '.dockerignore': '.git\n' },
      errors: [
        {
          messageId: 'notIgnored',
          line: 2,
          message:
            '.dockerignore does not exclude `node_modules`, so `COPY .` copies it into the image; add `node_modules` to .dockerignore.',
        },
      ],
    },
    // Only node_modules ships from the build stage: .git stays behind.
    {
      code: 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci\nFROM node:20-slim\nCOPY --from=build /app/node_modules /app/node_modules',
      files: { '.dockerignore': '*.log\n', 'package.json': '{}' },
      errors: [
        {
          messageId: 'notIgnored',
          line: 3,
          message:
            '.dockerignore does not exclude `node_modules`, so `COPY .` copies it into the image; add `node_modules` to .dockerignore.',
        },
      ],
    },
    // `**/` is any number of directories, not everything.
    {
      code: 'FROM debian:12\nCOPY . /app',
      files: { '.dockerignore': '**/.cache\n**/*.log\n' },
      errors: [{ messageId: 'notIgnored', line: 2 }],
    },
    {
      code: 'FROM debian:12\nCOPY . /app\nRUN rm -rf /app/node_modules',
      files: { '.dockerignore': '.git\n!.git\n', 'package.json': '{}' },
      errors: [
        { messageId: 'notIgnored', line: 2 },
        { messageId: 'notIgnored', line: 2 },
      ],
    },
  ],
});
