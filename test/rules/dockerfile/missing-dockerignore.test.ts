import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/missing-dockerignore.js';

ruleTester.run(rule, {
  valid: [
    { code: 'FROM debian:12\nCOPY . /app', files: { '.dockerignore': '.git\n' } },
    { code: 'FROM debian:12\nCOPY . /app', files: { 'Dockerfile.dockerignore': '.git\n' } },
    { code: 'FROM debian:12\nCOPY app.py /app/', files: {} },
    // No build context to look at (stdin): say nothing.
    'FROM debian:12\nCOPY . /app',
  ],
  invalid: [
    { code: 'FROM debian:12\nCOPY . /app', files: {}, errors: [{ messageId: 'missing', line: 2 }] },
    {
      code: 'FROM node:20\nWORKDIR /app\nCOPY ./ ./\nCOPY . /other',
      files: {},
      errors: [{ messageId: 'missing', line: 3 }],
    },
  ],
});
