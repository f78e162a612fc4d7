import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/node-package-cache-not-cleaned.js';

ruleTester.run(rule, {
  valid: [
    'FROM node:20\nRUN npm ci && npm cache clean --force',
    'FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci',
    'FROM node:20\nRUN pnpm install && pnpm store prune',
    'FROM node:20\nRUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile',
    'FROM node:20\nRUN npm run build',
  ],
  invalid: [
    { code: 'FROM node:20\nRUN npm ci', errors: [{ messageId: 'npm', line: 2 }] },
    { code: 'FROM node:20\nRUN npm install -g typescript', errors: [{ messageId: 'npm', line: 2 }] },
    { code: 'FROM node:20\nRUN pnpm install', errors: [{ messageId: 'pnpm', line: 2 }] },
  ],
});
