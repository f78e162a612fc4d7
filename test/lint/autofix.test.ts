// issue 16: the size/cache rules' fixes. Each fix is applied with every rule running (so fixes compose as they do under
// `ballast lint --fix`), the result is re-linted (the fixed rule has nothing left to fix there), every changed RUN still
// parses as shell (`sh -n`), and a second --fix changes nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDockerfileRules } from '../../rules/index.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { lintText } from '../../src/lint/engine.js';
import { fixUntilStable } from '../../src/lint/fixer.js';
import type { DockerfileRule } from '../../src/report/rule.js';
import type { Finding } from '../../src/report/types.js';

const CLEANUP_RULES = ['DF001', 'DF006', 'DF007', 'DF008', 'DF009', 'DF010', 'DF011'];
let rules: DockerfileRule[];
beforeAll(async () => {
  rules = await loadDockerfileRules();
});

interface FixOptions {
  style?: 'cleanup' | 'cache-mount';
  unsafe?: boolean;
  files?: Record<string, string>;
}

function lintOf(text: string, options: FixOptions = {}): Finding[] {
  const files = options.files;
  return lintText(text, 'Dockerfile', rules, { fixStyle: options.style, readContextFile: files ? (name) => files[name] : () => null }).findings;
}

function fix(text: string, options: FixOptions = {}): string {
  return fixUntilStable(text, (t) => lintOf(t, options), options.unsafe ?? true).text;
}

/** Fixes, then checks what every fix must satisfy: the fixed codes are clean, each RUN parses, a second pass is a no-op. */
function fixChecked(text: string, codes: string[], options: FixOptions = {}): string {
  const fixed = fix(text, options);
  const left = lintOf(fixed, options).filter((f) => codes.includes(f.code));
  expect(left.map((f) => `${f.code}@${f.location.kind === 'dockerfile' ? f.location.line : 0}`)).toEqual([]);
  expect(fix(fixed, options)).toBe(fixed);
  expectShellParses(fixed);
  return fixed;
}

function expectShellParses(text: string): void {
  for (const instruction of parseDockerfile(text, 'Dockerfile').instructions) {
    if (instruction.keyword !== 'RUN' || instruction.form === 'exec') continue;
    const checked = spawnSync('sh', ['-n'], { input: instruction.shellText, encoding: 'utf8' });
    expect({ script: instruction.shellText, status: checked.status, stderr: checked.stderr }).toEqual({ script: instruction.shellText, status: 0, stderr: '' });
  }
}

describe('cleanup fixes (DF001, DF006-DF011)', () => {
  it('appends the apt lists removal to the && chain, on the last line of a continued RUN', () => {
    const text = 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl\n';
    expect(fixChecked(text, ['DF001'])).toBe('FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl && apt-get clean && rm -rf /var/lib/apt/lists/*\n');
  });

  it('DF001 is unsafe: a plain --fix leaves it alone', () => {
    const text = 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n';
    expect(fix(text, { unsafe: false })).toBe(text);
    const finding = lintOf(text).find((f) => f.code === 'DF001');
    expect(finding?.fix?.applicability).toBe('unsafe');
  });

  it('goes before a trailing `|| true`, inside the same chain', () => {
    const text = 'FROM node:20\nRUN npm ci || true\n';
    expect(fixChecked(text, ['DF008'])).toBe('FROM node:20\nRUN npm ci && npm cache clean --force || true\n');
  });

  it('goes before `|| true` that sits alone on a continuation line', () => {
    const text = 'FROM node:20\nRUN npm ci \\\n    || true\n';
    expect(fixChecked(text, ['DF008'])).toBe('FROM node:20\nRUN npm ci \\\n    && npm cache clean --force || true\n');
  });

  it('joins the last command before a trailing `;` and keeps a trailing comment a comment', () => {
    const text = 'FROM node:20\nRUN set -eux; \\\n    yarn install --frozen-lockfile; # deps\n';
    expect(fixChecked(text, ['DF007'])).toBe('FROM node:20\nRUN set -eux; \\\n    yarn install --frozen-lockfile && yarn cache clean; # deps\n');
  });

  it('skips comment lines inside a continuation and keeps them', () => {
    const text = 'FROM centos:7\nRUN yum install -y httpd \\\n# the web server\n && echo ok\n';
    expect(fixChecked(text, ['DF009'])).toBe('FROM centos:7\nRUN yum install -y httpd \\\n# the web server\n && echo ok && yum clean all\n');
  });

  it('adds a line to a heredoc script, before its terminator', () => {
    const text = 'FROM fedora:40\nRUN <<EOF\nset -e\ndnf install -y nginx\nEOF\n';
    expect(fixChecked(text, ['DF010'])).toBe('FROM fedora:40\nRUN <<EOF\nset -e\ndnf install -y nginx\ndnf clean all\nEOF\n');
  });

  it('fixes zypper after an if/fi block', () => {
    const text = 'FROM opensuse/leap:15.6\nRUN if true; then zypper --non-interactive install -y curl; fi\n';
    expect(fixChecked(text, ['DF011'])).toBe('FROM opensuse/leap:15.6\nRUN if true; then zypper --non-interactive install -y curl; fi && zypper clean --all\n');
  });

  it('composes several fixes on one RUN into one valid script', () => {
    const text = 'FROM node:20\nRUN apt-get update && apt-get install -y python3 && npm ci && pip install flask\n';
    const fixed = fixChecked(text, CLEANUP_RULES);
    expect(fixed).toContain('pip install --no-cache-dir flask');
    expect(fixed).toContain('&& apt-get clean && rm -rf /var/lib/apt/lists/*');
    expect(fixed).toContain('&& npm cache clean --force');
  });

  it('leaves an exec-form RUN and an unfinished line alone', () => {
    const exec = 'FROM node:20\nRUN ["npm", "ci"]\n';
    expect(fix(exec)).toBe(exec);
    expect(lintOf(exec).find((f) => f.code === 'DF008')?.fix).toBeUndefined();
  });

  it('fixes ONBUILD RUN too', () => {
    const text = 'FROM node:20\nONBUILD RUN npm install\n';
    expect(fixChecked(text, ['DF008'])).toBe('FROM node:20\nONBUILD RUN npm install && npm cache clean --force\n');
  });

  it('--fix-style cache-mount mounts a build cache instead, and mounts compose', () => {
    const text = 'FROM node:20\nRUN apt-get update && apt-get install -y --no-install-recommends python3 && npm ci && pip install flask\n';
    const fixed = fixChecked(text, CLEANUP_RULES, { style: 'cache-mount' });
    const run = parseDockerfile(fixed, 'Dockerfile').instructions[1];
    expect(run.flagList.filter((f) => f.name === 'mount').map((f) => f.options.target).sort()).toEqual(['/root/.cache/pip', '/root/.npm', '/var/lib/apt/lists']);
    expect(run.shellText).toBe('apt-get update && apt-get install -y --no-install-recommends python3 && npm ci && pip install flask');
    expect(fixed).toContain('--mount=type=cache,target=/var/lib/apt/lists,sharing=locked');
  });

  it('cache-mount style on yum, dnf, zypper and yarn', () => {
    const cases: [string, string, string[]][] = [
      ['FROM centos:7\nRUN yum install -y httpd\n', 'DF009', ['/var/cache/yum']],
      ['FROM fedora:40\nRUN dnf install -y nginx\n', 'DF010', ['/var/cache/dnf', '/var/cache/libdnf5']],
      ['FROM opensuse/leap:15.6\nRUN zypper -n install curl\n', 'DF011', ['/var/cache/zypp']],
      ['FROM node:20\nRUN yarn install\n', 'DF007', ['/usr/local/share/.cache/yarn']],
    ];
    for (const [text, code, targets] of cases) {
      const fixed = fixChecked(text, [code], { style: 'cache-mount' });
      expect(parseDockerfile(fixed, 'Dockerfile').instructions[1].flagList.map((f) => f.options.target)).toEqual(targets);
    }
  });
});

describe('cleanup fixes on the lint corpus (test/fixtures/lint-corpus)', () => {
  const dir = join(process.cwd(), 'test', 'fixtures', 'lint-corpus');
  const files = readdirSync(dir).filter((f) => f.endsWith('.Dockerfile')).sort();
  const contextOf = (file: string) => (name: string) => (existsSync(join(dir, name)) && name.startsWith(file) ? readFileSync(join(dir, name), 'utf8') : undefined);

  for (const style of ['cleanup', 'cache-mount'] as const) {
    it(`every offered ${style} fix silences its finding, keeps each RUN valid shell, and is idempotent`, () => {
      const fixedPerCode = new Map<string, number>();
      for (const file of files) {
        const text = readFileSync(join(dir, file), 'utf8');
        const lint = (t: string) => lintText(t, file, rules, { fixStyle: style, readContextFile: contextOf(file) }).findings;
        const before = lint(text).filter((f) => CLEANUP_RULES.includes(f.code) && f.fix);
        if (before.length === 0) continue;
        const fixed = fixUntilStable(text, lint, true).text;
        for (const f of before) fixedPerCode.set(f.code, (fixedPerCode.get(f.code) ?? 0) + 1);
        // Nothing of the fixed rules is left to fix, and a second pass changes nothing.
        const left = lint(fixed).filter((f) => CLEANUP_RULES.includes(f.code) && f.fix);
        expect({ file, left: left.map((f) => `${f.code}@${f.location.kind === 'dockerfile' ? f.location.line : 0}`) }).toEqual({ file, left: [] });
        expect({ file, again: fixUntilStable(fixed, lint, true).text === fixed }).toEqual({ file, again: true });
        expectShellParses(fixed);
      }
      // The corpus exercises most of the cleanup rules' fixes.
      expect([...fixedPerCode.keys()].sort()).toEqual(expect.arrayContaining(['DF001', 'DF006', 'DF007', 'DF008', 'DF009', 'DF010', 'DF011']));
    });
  }
});
