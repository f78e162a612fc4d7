import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/node-package-cache-not-cleaned.js';

ruleTester.run(rule, {
  valid: [
    'FROM node:20\nRUN npm ci && rm -rf ~/.npm',
    'FROM node:20\nRUN npm ci --cache /tmp/npm-cache && rm -rf /tmp/npm-cache',
    'FROM node:20\nENV npm_config_cache=/tmp/.npm\nRUN npm ci && rm -rf /tmp/.npm',
    'FROM node:20\nENV NPM_CONFIG_CACHE=/cache/npm\nRUN --mount=type=cache,target=/cache npm ci',
    'FROM node:20\nRUN set -eux; export npm_config_cache=/tmp/n; npm ci; rm -rf /tmp/n',
    // A build stage from which only the output is copied: its cache does not ship.
    'FROM node:20 AS build\nRUN npm ci && npm run build\nFROM node:20-slim\nCOPY --from=build /app/dist /app/dist',
    'FROM node:20\nRUN npm ci && npm cache clean --force',
    'FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci',
    'FROM node:20\nRUN pnpm install && pnpm store prune',
    'FROM node:20\nRUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile',
    'FROM node:20\nRUN npm run build',
  ],
  invalid: [
    // The cache moved to /tmp by ENV or --cache still lands in the layer unless removed.
    { code: 'FROM node:20\nENV npm_config_cache=/tmp/.npm\nRUN npm ci', errors: [{ messageId: 'npm', line: 3 }] },
    { code: 'FROM node:20\nRUN npm ci --cache /tmp/npm-cache', errors: [{ messageId: 'npm', line: 2 }] },
    // Cleaned only when the install fails, or before it.
    { code: 'FROM node:20\nRUN npm ci || npm cache clean --force', errors: [{ messageId: 'npm', line: 2 }] },
    { code: 'FROM node:20\nRUN npm cache clean --force && npm ci', errors: [{ messageId: 'npm', line: 2 }] },
    { code: 'FROM node:20\nRUN npm ci', errors: [{ messageId: 'npm', line: 2 }] },
    { code: 'FROM node:20\nRUN npm install -g typescript', errors: [{ messageId: 'npm', line: 2 }] },
    { code: 'FROM node:20\nRUN pnpm install', errors: [{ messageId: 'pnpm', line: 2 }] },
  ],
});
