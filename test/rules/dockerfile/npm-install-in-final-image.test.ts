import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/npm-install-in-final-image.js';

ruleTester.run(rule, {
  valid: [
    'FROM node:20\nRUN npm ci --omit=dev',
    'FROM node:20\nENV NODE_ENV=production\nRUN npm ci',
    'FROM node:20\nRUN npm install -g pm2',
    'FROM node:20\nRUN npm install express@4.19.2',
    'FROM node:20\nRUN npm ci && npm run build',
    // The official layout: install, copy the sources, build in a later RUN (which needs the dev dependencies).
    'FROM node:20.1-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build',
    'FROM node:20\nRUN npm ci\nCOPY . .\nRUN npx tsc -p .',
    'FROM node:20\nRUN npm ci\nCOPY . .\nRUN yarn --cwd web build',
    'FROM node:20\nRUN npm ci\nCOPY . .\nRUN pnpm run build',
    'FROM node:20\nONBUILD RUN npm ci\nONBUILD COPY . .\nONBUILD RUN npm run build',
    // The install happens in a build stage; only its output is copied.
    'FROM node:20 AS build\nRUN npm install && npm run build\nFROM node:20-slim\nCOPY --from=build /app/dist /app',
  ],
  invalid: [
    { code: 'FROM node:20\nRUN npm install', errors: [{ messageId: 'useCi', line: 2 }] },
    { code: 'FROM node:20\nRUN npm ci', errors: [{ messageId: 'omitDev', line: 2 }] },
    { code: 'FROM node:20 AS base\nFROM base\nRUN npm i', errors: [{ messageId: 'useCi', line: 3 }] },
    // yarn's and pnpm's own commands build nothing.
    { code: 'FROM node:20\nRUN npm ci\nRUN yarn cache clean', errors: [{ messageId: 'omitDev', line: 2 }] },
    { code: 'FROM node:20\nRUN npm ci\nRUN pnpm store prune', errors: [{ messageId: 'omitDev', line: 2 }] },
    // The build runs before the install, or in another stage: nothing after the install needs the dev dependencies.
    { code: 'FROM node:20\nRUN npm run build\nRUN npm ci', errors: [{ messageId: 'omitDev', line: 3 }] },
    {
      code: 'FROM node:20 AS app\nRUN npm ci\nFROM app AS test\nRUN npm test\nFROM app',
      errors: [{ messageId: 'omitDev', line: 2 }],
    },
    // A build stage copied whole brings its dev dependencies into the image.
    {
      code: 'FROM node:20 AS build\nWORKDIR /app\nRUN npm ci\nFROM scratch\nCOPY --from=build / /',
      errors: [{ messageId: 'omitDev', line: 3 }],
    },
  ],
});

// Review s44 (lintnits): yarn's and pnpm's own commands, and npx of a pinned published package, build nothing.
ruleTester.run(rule, {
  valid: [
    'FROM node:20\nRUN npm ci\nCOPY . .\nRUN yarn workspaces foreach -A run build',
    'FROM node:20\nRUN npm ci\nCOPY . .\nRUN npx --yes @angular/cli ng build',
    'FROM node:20\nRUN npm ci\nCOPY . .\nRUN npx -p cowsay@1.6.0 cowsay hi',
  ],
  invalid: [
    { code: 'FROM node:20\nRUN npm ci\nRUN yarn dedupe', errors: [{ messageId: 'omitDev', line: 2 }] },
    { code: 'FROM node:20\nRUN npm ci\nRUN pnpm dedupe', errors: [{ messageId: 'omitDev', line: 2 }] },
    {
      code: 'FROM node:20\nRUN npm ci\nRUN yarn workspaces focus --production',
      errors: [{ messageId: 'omitDev', line: 2 }],
    },
    { code: 'FROM node:20\nRUN npm ci\nRUN npx --yes cowsay@1.6.0', errors: [{ messageId: 'omitDev', line: 2 }] },
    {
      code: 'FROM node:20\nRUN npm ci\nRUN npx -y @scope/tool@2.1.0 --check',
      errors: [{ messageId: 'omitDev', line: 2 }],
    },
  ],
});

// Review s44: a pinned package told to build (a framework's CLI) compiles with the project's dev dependencies, as
// `npm run build` does.
ruleTester.run(rule, {
  valid: [
    'FROM node:20\nWORKDIR /app\nRUN npm ci\nCOPY . .\nRUN npx @nestjs/cli@10 build',
    'FROM node:20\nRUN npm ci && npx --yes @scope/tool@2.1.0 compile',
  ],
  invalid: [
    // Another task of the same package is no build.
    {
      code: 'FROM node:20\nRUN npm ci\nRUN npx @nestjs/cli@10 info',
      errors: [{ messageId: 'omitDev', line: 2 }],
    },
  ],
});

// Review s46 (lintreview): an image whose command runs the tests or a dev server (Playwright's and Cypress's test
// images, dev containers) needs its dev dependencies when it runs; `--omit=dev` would break it.
ruleTester.run(rule, {
  valid: [
    'FROM mcr.microsoft.com/playwright:v1.45.1-jammy\nWORKDIR /tests\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nUSER pwuser\nCMD ["npx", "playwright", "test"]',
    'FROM cypress/included:13.13.0\nWORKDIR /e2e\nCOPY package*.json ./\nRUN npm ci\nENTRYPOINT ["npx", "cypress", "run"]',
    'FROM node:20\nWORKDIR /workspace\nRUN npm ci\nCOPY . .\nCMD ["npm", "run", "dev"]',
    'FROM node:20\nRUN npm ci\nCMD npm test',
    'FROM node:20\nRUN npm ci\nCMD ["npm", "--prefix", "/app", "run", "test:e2e"]',
    'FROM node:20\nRUN npm ci\nCMD ["yarn", "jest", "--ci"]',
    'FROM node:20\nRUN npm ci\nCMD ["pnpm", "exec", "vitest", "run"]',
    // The command of a stage built FROM the install's stage.
    'FROM node:20 AS deps\nRUN npm ci\nFROM deps\nCOPY . .\nCMD ["npx", "jest"]',
  ],
  invalid: [
    // Starting the app, or another script, is no test run.
    { code: 'FROM node:20\nRUN npm ci\nCMD ["npm", "start"]', errors: [{ messageId: 'omitDev', line: 2 }] },
    { code: 'FROM node:20\nRUN npm ci\nCMD ["npm", "run", "serve"]', errors: [{ messageId: 'omitDev', line: 2 }] },
    { code: 'FROM node:20\nRUN npm ci\nCMD ["npm", "run", "develop"]', errors: [{ messageId: 'omitDev', line: 2 }] },
    { code: 'FROM node:20\nRUN npm ci\nCMD ["yarn", "cache", "dir"]', errors: [{ messageId: 'omitDev', line: 2 }] },
    // A test command in a stage that does not ship says nothing about the image.
    {
      code: 'FROM node:20 AS app\nRUN npm ci\nFROM app AS test\nCMD ["npm", "test"]\nFROM app\nCMD ["node", "server.js"]',
      errors: [{ messageId: 'omitDev', line: 2 }],
    },
  ],
});
