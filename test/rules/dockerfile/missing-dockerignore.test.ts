import { lintWithRule, ruleTester } from '../../../src/lint/rule-tester.js';
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

// The .dockerignore the fix creates: an entry is left out only for what the build uses, and a forced delete
// (`rm -rf /app/node_modules`, the corpus's bloated image) uses nothing: it works whether or not the path is there.
describe('DF025 fix: node_modules', () => {
  const created = (code: string): string[] => {
    const [finding] = lintWithRule(rule, { code, files: { 'package.json': '{}\n' } });
    return (finding?.fix?.edits[0]?.text ?? '').split('\n').filter(Boolean);
  };
  it.each([
    'FROM debian:12\nCOPY . /app\nRUN rm -rf /app/node_modules',
    'FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN rm -f -r node_modules/ && echo done',
    'FROM debian:12\nCOPY . /app\nRUN rm --recursive --force /app/node_modules/*',
  ])('keeps node_modules out when a RUN only deletes it: %s', (code) => {
    expect(created(code)).toContain('node_modules');
  });
  it.each([
    // Without -f, rm fails the build when the path is missing: the build needs it there.
    'FROM debian:12\nCOPY . /app\nRUN rm -r /app/node_modules',
    'FROM debian:12\nCOPY . /app\nRUN ls /app/node_modules && rm -rf /app/node_modules',
  ])('leaves node_modules in the context when the build reads it: %s', (code) => {
    expect(created(code)).not.toContain('node_modules');
  });
});
