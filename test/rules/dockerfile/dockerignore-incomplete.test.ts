import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/dockerignore-incomplete.js';

ruleTester.run(rule, {
  valid: [
    { code: 'FROM debian:12\nCOPY . /app', files: { '.dockerignore': '.git\n' } },
    { code: 'FROM node:20\nCOPY . /app\nRUN npm ci', files: { '.dockerignore': '**/.git\nnode_modules/\n' } },
    // An allow-list .dockerignore excludes everything first.
    { code: 'FROM node:20\nCOPY . /app\nRUN npm ci', files: { '.dockerignore': '*\n!src\n!package.json\n' } },
    { code: 'FROM debian:12\nCOPY src /app', files: { '.dockerignore': '' } },
  ],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY . /app',
      files: { '.dockerignore': '*.log\n' },
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
    {
      code: 'FROM debian:12\nCOPY . /app',
      files: { '.dockerignore': '.git\n!.git\n', 'package.json': '{}' },
      errors: [
        { messageId: 'notIgnored', line: 2 },
        { messageId: 'notIgnored', line: 2 },
      ],
    },
  ],
});
