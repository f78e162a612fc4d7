import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/chmod-after-copy.js';

ruleTester.run(rule, {
  valid: [
    'FROM debian:12\nCOPY --chmod=755 run.sh /usr/local/bin/run.sh',
    'FROM debian:12\nRUN curl -o /usr/local/bin/x https://x && chmod +x /usr/local/bin/x',
    'FROM debian:12\nCOPY app /app\nRUN chmod +x /usr/local/bin/other',
    // Without -R only the directory entry changes, not the files the COPY wrote into it.
    { code: 'FROM debian:12\nCOPY app /app\nRUN chmod 755 /app', files: { 'app/config.yaml': 'a: 1\n' } },
    { code: 'FROM debian:12\nCOPY app /app\nRUN chown 1000:1000 /app', files: { 'app/sub/data.txt': 'x' } },
    'FROM debian:12\nCOPY . /app\nRUN chmod 755 /app',
    'FROM debian:12\nCOPY a.sh b.sh /app/\nRUN chown 1000 /app/',
    'FROM debian:12\nCOPY run.sh /app/run.sh\nRUN chmod 755 /app',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nCOPY run.sh /usr/local/bin/run.sh\nRUN chmod +x /usr/local/bin/run.sh',
      errors: [{ messageId: 'afterCopy', line: 3 }],
    },
    { code: 'FROM debian:12\nCOPY . /app\nRUN chown -R app:app /app', errors: [{ messageId: 'afterCopy', line: 3 }] },
    // A file, or a source the context does not show (stdin): the change copies the file.
    {
      code: 'FROM debian:12\nCOPY app /app\nRUN chmod 755 /app',
      files: { app: '#!/bin/sh\n' },
      errors: [{ messageId: 'afterCopy', line: 3 }],
    },
    { code: 'FROM debian:12\nCOPY app /app\nRUN chmod 755 /app', errors: [{ messageId: 'afterCopy', line: 3 }] },
    // Relative paths resolve against WORKDIR.
    {
      code: 'FROM debian:12\nCOPY . /app\nWORKDIR /app\nRUN chmod 0640 data/model.bin',
      errors: [{ messageId: 'afterCopy', line: 4 }],
    },
  ],
});

// Bug hunt "precision" item 2: what no COPY wrote is not a second copy.
ruleTester.run(rule, {
  valid: [
    // node_modules came from npm ci, not from the COPY of two files into /app.
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev && npm cache clean --force\nRUN chown -R node:node /app/node_modules\nUSER node\nCMD ["node", "index.js"]',
      files: { 'package.json': '{}\n', 'package-lock.json': '{}\n' },
    },
  ],
  invalid: [
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN chown node:node package.json',
      files: { 'package.json': '{}\n', 'package-lock.json': '{}\n' },
      errors: [{ messageId: 'afterCopy', line: 4 }],
    },
  ],
});
