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
    // Only the build stage's node_modules ships: the message names what the COPY takes into the image, not .git or .env.
    {
      code: 'FROM node:20 AS build\nWORKDIR /app\nRUN npm ci\nCOPY . .\nRUN npm run build\nFROM node:20-slim\nCOPY --from=build /app/node_modules ./node_modules\nCOPY --from=build /app/dist ./dist',
      files: {},
      errors: [
        {
          messageId: 'missing',
          line: 4,
          message:
            "`COPY .` copies the whole build context and there is no .dockerignore: the context's node_modules ends up in the image; add a .dockerignore.",
        },
      ],
    },
    {
      code: 'FROM debian:12 AS base\nCOPY . /src\nFROM base\nCMD ["true"]',
      files: {},
      errors: [{ messageId: 'missing', line: 2 }],
    },
    {
      code: 'FROM debian:12\nCOPY . /app',
      files: {},
      errors: [
        {
          messageId: 'missing',
          line: 2,
          message:
            "`COPY .` copies the whole build context and there is no .dockerignore: the context's .git, build output and secrets such as .env end up in the image; add a .dockerignore.",
        },
      ],
    },
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

// The entries that matter most differ by language: what the project's own generated .dockerignore keeps out (a local
// virtualenv, a host vendor/ with dev dependencies, Rails' master key, .NET's obj/project.assets.json).
describe('DF025 fix: entries for the project language', () => {
  const created = (code: string): string[] => {
    const [finding] = lintWithRule(rule, { code, files: {} });
    return (finding?.fix?.edits[0]?.text ?? '').split('\n').filter(Boolean);
  };
  const CORE = ['.git', '.env*', 'dist', 'build', 'target', 'coverage'];
  it.each([
    // [what the Dockerfile shows, code, entries it adds, entries it must not add]
    [
      'python base image',
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]',
      ['.venv', 'venv'],
      ['vendor', '**/obj'],
    ],
    [
      'pip install',
      'FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt',
      ['.venv', 'venv'],
      ['vendor'],
    ],
    ['php base image', 'FROM php:8.3-fpm\nWORKDIR /var/www/html\nCOPY . .', ['vendor'], ['.venv', 'log/*']],
    [
      'composer install in a build stage',
      'FROM composer:2 AS vendor\nWORKDIR /app\nCOPY composer.json composer.lock ./\nRUN composer install --no-dev\nCOPY . .\nFROM php:8.3-fpm\nCOPY --from=vendor /app /var/www/html',
      ['vendor'],
      ['.venv'],
    ],
    [
      'ruby base image (ARG in the tag)',
      'ARG RUBY_VERSION=3.3.0\nFROM ruby:$RUBY_VERSION-slim\nWORKDIR /rails\nCOPY . .\nRUN chown -R app db log storage tmp',
      ['config/master.key', 'config/credentials/*.key', 'log/*', 'tmp/*', 'vendor/bundle'],
      ['vendor', '.venv'],
    ],
    [
      'bundle install',
      'FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN bundle install',
      ['config/master.key', 'vendor/bundle'],
      [],
    ],
    [
      'dotnet sdk image',
      'FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -c Release -o /app\nENTRYPOINT ["dotnet", "/app/api.dll"]',
      ['**/bin', '**/obj'],
      ['vendor', '.venv'],
    ],
    ['node base image', 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci', ['node_modules'], ['.venv', 'vendor']],
    ['no language shown', 'FROM debian:12\nCOPY . /app', [], ['node_modules', '.venv', 'vendor', '**/obj', 'log/*']],
  ])('%s', (_, code, wanted, unwanted) => {
    const entries = created(code);
    for (const entry of [...CORE, ...wanted]) expect(entries).toContain(entry);
    for (const entry of unwanted) expect(entries).not.toContain(entry);
  });
});

// Review s46 (lintreview): a glob names the directories before it. The fix used to skip such a word whole, so the
// .dockerignore it wrote left out dist, and `COPY dist/*.whl` (or `pip install dist/*.whl`) then found no file.
describe('DF025 fix: directories before a glob', () => {
  const created = (code: string): string[] => {
    const [finding] = lintWithRule(rule, { code, files: {} });
    return (finding?.fix?.edits[0]?.text ?? '').split('\n').filter(Boolean);
  };
  it.each([
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY dist/*.whl /wheels/\nRUN pip install --no-cache-dir /wheels/*.whl\nCOPY . .',
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir dist/*.whl',
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir ./dist/app-${VERSION}-py3-none-any.whl',
  ])('leaves dist in the context: %s', (code) => {
    const entries = created(code);
    expect(entries).toContain('.git');
    expect(entries).not.toContain('dist');
  });
  it('still ignores what a glob alone matches, with no directory before it', () => {
    const entries = created(
      "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN find . -name '*.pyc' -delete && ls ${HOME}/dist",
    );
    expect(entries).toContain('dist');
    expect(entries).toContain('**/*.pyc');
  });
});
