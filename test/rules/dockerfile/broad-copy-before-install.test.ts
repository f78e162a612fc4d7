import { ruleTester } from '../../../src/lint/rule-tester.js';
import { rule } from '../../../rules/dockerfile/broad-copy-before-install.js';

ruleTester.run(rule, {
  valid: [
    // uv's documented idiom: dependencies installed from bind-mounted manifests first, the project after the COPY.
    'FROM python:3.12-slim\nWORKDIR /app\nRUN --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --frozen --no-install-project\nCOPY . /app\nRUN uv sync --frozen',
    'FROM node:20\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .',
    'FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . /app',
    'FROM node:20\nCOPY . .\nRUN npm run build',
    'FROM node:20 AS build\nCOPY . .\nFROM node:20\nRUN npm ci',
    'FROM node:20\nCOPY --from=build / /x\nRUN npm ci',
  ],
  invalid: [
    { code: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci', errors: [{ messageId: 'bustsCache', line: 3 }] },
    {
      code: 'FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt',
      errors: [{ messageId: 'bustsCache', line: 2 }],
    },
    { code: 'FROM golang:1.22\nCOPY ./ /src\nRUN go mod download', errors: [{ messageId: 'bustsCache', line: 2 }] },
    { code: 'FROM ruby:3.3\nADD . /app\nRUN bundle install', errors: [{ messageId: 'bustsCache', line: 2 }] },
  ],
});
