// issue 16: the size/cache rules' fixes. Each fix is applied with every rule running (so fixes compose as they do under
// `ballast lint --fix`), the result is re-linted (the fixed rule has nothing left to fix there), every changed RUN still
// parses as shell (`sh -n`), and a second --fix changes nothing.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDockerfileRules } from '../../rules/index.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { lintText } from '../../src/lint/engine.js';
import { fixContextFiles, fixDockerfile, fixUntilStable } from '../../src/lint/fixer.js';
import { contextEntryOf } from '../../src/lint/rule-tester.js';
import type { DockerfileRule } from '../../src/report/rule.js';
import type { Finding } from '../../src/report/types.js';
import { lint } from '../../src/services/lint.js';
import { runLintCli } from '../../src/lint/cli.js';
import { runCli } from '../helpers/cli.js';

import { MAX_BETWEEN } from '../../rules/dockerfile/deleted-in-later-layer.js';

const CLEANUP_RULES = ['DF001', 'DF006', 'DF007', 'DF008', 'DF009', 'DF010', 'DF011'];
const LAYER_RULES = ['DF015', 'DF016'];
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
  return lintText(text, 'Dockerfile', rules, {
    fixStyle: options.style,
    readContextFile: files ? (name) => files[name] : () => null,
    contextEntry: files ? (name) => contextEntryOf(files, name) : () => null,
  }).findings;
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
    expect({ script: instruction.shellText, status: checked.status, stderr: checked.stderr }).toEqual({
      script: instruction.shellText,
      status: 0,
      stderr: '',
    });
  }
}

/**
 * Runs the first heredoc RUN of `text` as the builder would (`sh -c` with the script, the RUN line's shell options, or
 * the script file itself when it has a shebang), with stub package managers on PATH whose installs exit 100 and whose
 * other subcommands (and `rm`) do nothing; returns the exit status.
 */
function runHeredoc(text: string): number | null {
  const { instructions } = parseDockerfile(text, 'Dockerfile');
  const run = instructions.find((i) => i.keyword === 'RUN' && i.heredocs.length);
  const dir = mkdtempSync(join(tmpdir(), 'ballast-heredoc-'));
  try {
    const stub = 'case "$1" in install|ci|add) exit 100;; esac\nexit 0\n';
    for (const name of ['apt-get', 'npm', 'yum', 'dnf', 'rm']) {
      writeFileSync(join(dir, name), `#!/bin/sh\n${name === 'rm' ? 'exit 0\n' : stub}`);
      chmodSync(join(dir, name), 0o755);
    }
    const script = run!.heredocs[0].body;
    const env = { PATH: dir };
    if (script.startsWith('#!')) {
      writeFileSync(join(dir, 'script'), `${script}\n`);
      chmodSync(join(dir, 'script'), 0o755);
      return spawnSync(join(dir, 'script'), { env }).status;
    }
    const options = /\s(-[a-z]+)\s*(?:<<|$)/.exec(run!.args.split('\n')[0])?.[1];
    // A heredoc with nothing on the RUN line runs as the stage's SHELL's script (`/bin/sh -e -c SCRIPT`).
    const shell = instructions.find((i) => i.keyword === 'SHELL')?.execArgs;
    if (shell && run!.heredocShell === undefined)
      return spawnSync(shell[0], [...shell.slice(1), script], { env }).status;
    return spawnSync('/bin/sh', [...(options ? [options] : []), '-c', script], { env }).status;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('cleanup fixes (DF001, DF006-DF011)', () => {
  // Review s43 item 8 (the Laravel tutorial Dockerfile): the cleanup a later RUN does on its own moves into the RUN that
  // fetched the lists; copying it there left that RUN (and its comment) behind, then joined into the next RUN.
  it('DF001 moves a later cleanup-only RUN into the install RUN, with the comment above it', () => {
    const text = [
      'FROM php:8.2-fpm',
      '',
      '# Arguments defined in docker-compose.yml',
      'ARG user',
      'ARG uid',
      '',
      '# Install system dependencies',
      'RUN apt-get update && apt-get install -y \\',
      '    git \\',
      '    curl \\',
      '    libpng-dev \\',
      '    libonig-dev \\',
      '    libxml2-dev \\',
      '    zip \\',
      '    unzip',
      '',
      '# Clear cache',
      'RUN apt-get clean && rm -rf /var/lib/apt/lists/*',
      '',
      '# Install PHP extensions',
      'RUN docker-php-ext-install pdo_mysql mbstring exif pcntl bcmath gd',
      '',
    ].join('\n');
    const fixed = fixChecked(text, ['DF001', 'DF015', 'DF016']);
    expect(fixed).toBe(
      [
        'FROM php:8.2-fpm',
        '',
        '# Arguments defined in docker-compose.yml',
        'ARG user',
        'ARG uid',
        '',
        '# Install system dependencies',
        'RUN apt-get update && apt-get install --no-install-recommends -y \\',
        '    git \\',
        '    curl \\',
        '    libpng-dev \\',
        '    libonig-dev \\',
        '    libxml2-dev \\',
        '    zip \\',
        '    unzip && apt-get clean && rm -rf /var/lib/apt/lists/*',
        '',
        '# Install PHP extensions',
        'RUN docker-php-ext-install pdo_mysql mbstring exif pcntl bcmath gd',
        '',
      ].join('\n'),
    );
    expect(lintOf(fixed).filter((f) => ['DF001', 'DF015', 'DF016'].includes(f.code))).toEqual([]);
  });

  it('DF001 moves the later cleanup only when that RUN does nothing else and no apt step comes between', () => {
    const cases: [string, string][] = [
      // The last RUN of the file, no comment, no blank line around it.
      [
        'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n',
        'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean && rm -rf /var/lib/apt/lists/*\n',
      ],
      // The last lines of the file: the blank line above them goes too.
      [
        'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n\n# Clean up\nRUN rm -rf /var/lib/apt/lists/*\n',
        'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean && rm -rf /var/lib/apt/lists/*\n',
      ],
      // It also does something else: it stays, and the cleanup is added here as before.
      [
        'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/* && useradd app\n',
        'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean && rm -rf /var/lib/apt/lists/*\nRUN rm -rf /var/lib/apt/lists/* && useradd app\n',
      ],
      // The cleanup belongs to the later update: the first RUN gets its own, the second takes the cleanup RUN's.
      [
        'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN useradd app\nRUN apt-get update && apt-get install -y --no-install-recommends git\n# tidy\nRUN apt-get clean && rm -rf /var/lib/apt/lists/*\nUSER app\n',
        'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean && rm -rf /var/lib/apt/lists/*\nRUN useradd app \\\n && apt-get update && apt-get install -y --no-install-recommends git && apt-get clean && rm -rf /var/lib/apt/lists/*\nUSER app\n',
      ],
    ];
    for (const [text, fixed] of cases) expect(fixChecked(text, ['DF001'])).toBe(fixed);
  });

  it('appends the apt lists removal to the && chain, on the last line of a continued RUN', () => {
    const text = 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl\n';
    expect(fixChecked(text, ['DF001'])).toBe(
      'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl && apt-get clean && rm -rf /var/lib/apt/lists/*\n',
    );
  });

  it('DF001 does not repeat an apt-get clean the RUN already runs', () => {
    const text =
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends git && apt-get clean\n';
    expect(fixChecked(text, ['DF001'])).toBe(
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends git && apt-get clean && rm -rf /var/lib/apt/lists/*\n',
    );
  });

  it('DF001 is unsafe: a plain --fix leaves it alone', () => {
    const text = 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n';
    expect(fix(text, { unsafe: false })).toBe(text);
    const finding = lintOf(text).find((f) => f.code === 'DF001');
    expect(finding?.fix?.applicability).toBe('unsafe');
  });

  it('DF001 leaves the lists a later RUN installs from: the composed fixes still find the packages (report hunt precision #3)', () => {
    const text =
      'FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*\nCMD ["curl", "--version"]\n';
    const fixed = fix(text);
    expect(fixed).toBe(
      'FROM debian:12-slim\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*\nCMD ["curl", "--version"]\n',
    );
    // Every install runs with lists present: an update came before it and no removal since.
    let lists = false;
    for (const step of fixed.match(/apt-get update|rm -rf \/var\/lib\/apt\/lists\/\*|apt-get install/g) ?? []) {
      if (step === 'apt-get install') expect(lists).toBe(true);
      lists = step === 'apt-get update' ? true : step === 'apt-get install' ? lists : false;
    }
    expectShellParses(fixed);
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
    expect(fixChecked(text, ['DF007'])).toBe(
      'FROM node:20\nRUN set -eux; \\\n    yarn install --frozen-lockfile && yarn cache clean; # deps\n',
    );
  });

  it('skips comment lines inside a continuation and keeps them', () => {
    const text = 'FROM centos:7\nRUN yum install -y httpd \\\n# the web server\n && echo ok\n';
    expect(fixChecked(text, ['DF009'])).toBe(
      'FROM centos:7\nRUN yum install -y httpd \\\n# the web server\n && echo ok && yum clean all\n',
    );
  });

  // The end of a RUN's code was read on its last line alone, as if no quote were open at its start:
  // a quote closing there hid the comment of `b' # done`, and the `#` of `two # three"` (quoted) was taken for one. The
  // cleanup would have landed in the comment or the string, so the fix was refused.
  it('reads the last line of a RUN with the quotes left open on the lines before it', () => {
    const install = 'apt-get update && apt-get install -y --no-install-recommends curl';
    const clean = ' && apt-get clean && rm -rf /var/lib/apt/lists/*';
    const cases: [string, string][] = [
      [
        `FROM debian:12\nRUN ${install} && echo 'a \\\nb' # done\n`,
        `FROM debian:12\nRUN ${install} && echo 'a \\\nb'${clean} # done\n`,
      ],
      [
        `FROM debian:12\nRUN ${install} && echo "it's \\\nok" # done\n`,
        `FROM debian:12\nRUN ${install} && echo "it's \\\nok"${clean} # done\n`,
      ],
      [
        `FROM debian:12\nRUN ${install} && echo "one \\\ntwo # three"\n`,
        `FROM debian:12\nRUN ${install} && echo "one \\\ntwo # three"${clean}\n`,
      ],
      [
        `FROM debian:12\nRUN <<EOF\n${install}\necho "one\ntwo # three"\nEOF\n`,
        `FROM debian:12\nRUN <<EOF\n${install}\necho "one\ntwo # three"${clean}\nEOF\n`,
      ],
    ];
    for (const [text, fixed] of cases) expect(fixChecked(text, ['DF001'])).toBe(fixed);
  });

  it('adds a line to a heredoc script, before its terminator', () => {
    const text = 'FROM fedora:40\nRUN <<EOF\nset -e\ndnf install -y nginx\nEOF\n';
    expect(fixChecked(text, ['DF010'])).toBe(
      'FROM fedora:40\nRUN <<EOF\nset -e\ndnf install -y nginx\ndnf clean all\nEOF\n',
    );
  });

  // Without errexit a heredoc script exits with its last command's status: a cleanup added as a new last line turned a
  // failed install (`apt-get install -y no-such-pkg`, exit 100) into a passing build. Each fixed script is run with sh,
  // with stubs on PATH whose install fails, and must still fail.
  it('chains the cleanup onto the last command of a heredoc script without errexit, so a failed install still fails', () => {
    const cases: [string, string[], string][] = [
      [
        'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends no-such-pkg\nEOF\n',
        ['DF001'],
        'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y --no-install-recommends no-such-pkg && apt-get clean && rm -rf /var/lib/apt/lists/*\nEOF\n',
      ],
      [
        'FROM node:20-slim\nRUN <<EOF\nnpm install -g left-pad\nEOF\n',
        ['DF008'],
        'FROM node:20-slim\nRUN <<EOF\nnpm install -g left-pad && npm cache clean --force\nEOF\n',
      ],
      // Comment and blank lines after the last command stay after it; a trailing `;` stays last.
      [
        'FROM centos:7\nRUN <<EOF\nyum install -y \\\n  httpd;\n# done\n\nEOF\n',
        ['DF009'],
        'FROM centos:7\nRUN <<EOF\nyum install -y \\\n  httpd && yum clean all;\n# done\n\nEOF\n',
      ],
      // `set +e` turns errexit off again; `set -e` inside a function is not the script's.
      [
        'FROM node:20-slim\nRUN <<EOF\nset -e\nset +e\nnpm ci\nEOF\n',
        ['DF008'],
        'FROM node:20-slim\nRUN <<EOF\nset -e\nset +e\nnpm ci && npm cache clean --force\nEOF\n',
      ],
      // A SHELL's `-e` holds for neither a heredoc fed to a shell on the RUN line nor after `set +e`.
      [
        'FROM node:20-slim\nSHELL ["/bin/sh", "-e", "-c"]\nRUN <<EOF sh\nnpm ci\nEOF\n',
        ['DF008'],
        'FROM node:20-slim\nSHELL ["/bin/sh", "-e", "-c"]\nRUN <<EOF sh\nnpm ci && npm cache clean --force\nEOF\n',
      ],
      [
        'FROM node:20-slim\nSHELL ["/bin/sh", "-e", "-c"]\nRUN <<EOF\nset +e\nnpm ci\nEOF\n',
        ['DF008'],
        'FROM node:20-slim\nSHELL ["/bin/sh", "-e", "-c"]\nRUN <<EOF\nset +e\nnpm ci && npm cache clean --force\nEOF\n',
      ],
      // Nor one in a subshell (`( ... )`, a pipeline part, a list in the background) or past `&&`, which may not run
      // (session 48: each was read as the script's).
      ...['(set -e; cd /tmp)', 'set -e | cat', 'set -e &', '[ -f /etc/errexit ] && set -e'].map(
        (line): [string, string[], string] => [
          `FROM node:20-slim\nRUN <<EOF\n${line}\nnpm ci\nEOF\n`,
          ['DF008'],
          `FROM node:20-slim\nRUN <<EOF\n${line}\nnpm ci && npm cache clean --force\nEOF\n`,
        ],
      ),
      [
        'FROM node:20-slim\nRUN <<EOF\nf() { set -e; }\nnpm ci\nEOF\n',
        ['DF008'],
        'FROM node:20-slim\nRUN <<EOF\nf() { set -e; }\nnpm ci && npm cache clean --force\nEOF\n',
      ],
    ];
    for (const [text, codes, want] of cases) {
      expect(fixChecked(text, codes)).toBe(want);
      expect(runHeredoc(want)).toBe(100);
    }
  });

  it('adds a new last line to a heredoc script that runs with errexit (set -e, a shebang or shell with -e)', () => {
    const cases: [string, string][] = [
      [
        'FROM node:20-slim\nRUN <<EOF\nset -eux\nnpm install -g left-pad\nEOF\n',
        'FROM node:20-slim\nRUN <<EOF\nset -eux\nnpm install -g left-pad\nnpm cache clean --force\nEOF\n',
      ],
      [
        'FROM node:20-slim\nRUN <<EOF\nset -o errexit\nnpm install -g left-pad\nEOF\n',
        'FROM node:20-slim\nRUN <<EOF\nset -o errexit\nnpm install -g left-pad\nnpm cache clean --force\nEOF\n',
      ],
      [
        'FROM node:20-slim\nRUN <<EOF\n#!/bin/sh -e\nnpm install -g left-pad\nEOF\n',
        'FROM node:20-slim\nRUN <<EOF\n#!/bin/sh -e\nnpm install -g left-pad\nnpm cache clean --force\nEOF\n',
      ],
      [
        'FROM node:20-slim\nRUN <<EOF sh -e\nnpm install -g left-pad\nEOF\n',
        'FROM node:20-slim\nRUN <<EOF sh -e\nnpm install -g left-pad\nnpm cache clean --force\nEOF\n',
      ],
      [
        'FROM node:20-slim\nRUN bash -ex <<EOF\nnpm install -g left-pad\nEOF\n',
        'FROM node:20-slim\nRUN bash -ex <<EOF\nnpm install -g left-pad\nnpm cache clean --force\nEOF\n',
      ],
      // The SHELL runs a heredoc script with nothing on the RUN line: its `-e` holds there (it was not read).
      [
        'FROM node:20-slim\nSHELL ["/bin/sh", "-e", "-c"]\nRUN <<EOF\nnpm install -g left-pad\nEOF\n',
        'FROM node:20-slim\nSHELL ["/bin/sh", "-e", "-c"]\nRUN <<EOF\nnpm install -g left-pad\nnpm cache clean --force\nEOF\n',
      ],
      [
        'FROM node:20-slim\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN <<EOF\nnpm install -g left-pad\nEOF\n',
        'FROM node:20-slim\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN <<EOF\nnpm install -g left-pad\nnpm cache clean --force\nEOF\n',
      ],
    ];
    for (const [text, want] of cases) {
      expect(fixChecked(text, ['DF008'])).toBe(want);
      expect(runHeredoc(want)).toBe(100);
    }
  });

  it('offers no heredoc cleanup when the script ends in a nested heredoc and has no errexit', () => {
    const text = 'FROM node:20-slim\nRUN <<EOF\nnpm ci\ncat > /etc/motd <<MOTD\nhello\nMOTD\nEOF\n';
    expect(fix(text)).toBe(text);
    expect(lintOf(text).find((f) => f.code === 'DF008')?.fix).toBeUndefined();
  });

  it('fixes zypper after an if/fi block, when zypper also runs outside it', () => {
    const text =
      'FROM opensuse/leap:15.6\nRUN zypper --non-interactive refresh && if true; then zypper --non-interactive install -y curl; fi\n';
    expect(fixChecked(text, ['DF011'])).toBe(
      'FROM opensuse/leap:15.6\nRUN zypper --non-interactive refresh && if true; then zypper --non-interactive install -y curl; fi && zypper clean --all\n',
    );
  });

  // A cleanup appended after `fi` runs on every path, also where another arm ran and the tool it calls may not exist:
  // `... else npm ci; fi && yarn cache clean` failed the build on an image without yarn. The cleanup belongs in the
  // arm; the fix cannot put it there, so it offers none (the findings stay).
  it('appends no cleanup that runs a tool the script runs only in an if/case arm or behind `||`', () => {
    const cases: [string, string[]][] = [
      [
        'FROM debian:12-slim\nRUN if [ -f yarn.lock ]; then yarn --frozen-lockfile; else npm ci; fi\n',
        ['DF007', 'DF008'],
      ],
      // The official Next.js Dockerfile's lockfile chooser.
      [
        'FROM node:20-alpine\nRUN \\\n  if [ -f yarn.lock ]; then yarn --frozen-lockfile; \\\n  elif [ -f package-lock.json ]; then npm ci; \\\n  elif [ -f pnpm-lock.yaml ]; then corepack enable pnpm && pnpm i --frozen-lockfile; \\\n  else echo "Lockfile not found." && exit 1; \\\n  fi\n',
        ['DF007', 'DF008'],
      ],
      ['FROM debian:12-slim\nRUN case "$PM" in yarn) yarn install ;; *) npm ci ;; esac\n', ['DF007', 'DF008']],
      // A distribution chooser: apt-get and dnf exist only on their own arm's images.
      [
        'FROM debian:12-slim\nRUN if command -v apt-get; then apt-get update && apt-get install -y --no-install-recommends curl; else dnf install -y curl; fi\n',
        ['DF001', 'DF010'],
      ],
      ['FROM node:20\nRUN test -f package-lock.json || yarn install\n', ['DF007']],
    ];
    for (const [text, codes] of cases) {
      const findings = lintOf(text).filter((f) => codes.includes(f.code));
      expect(findings.map((f) => f.code).sort()).toEqual(codes);
      expect(findings.filter((f) => f.fix !== undefined).map((f) => f.code)).toEqual([]);
      expect(fix(text)).toBe(text);
    }
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

  it('offers no cleanup behind an exit, where it would never run (and would have silenced the finding)', () => {
    for (const text of [
      'FROM node:20\nRUN <<EOF\nnpm ci --omit=dev\nexit 0\nEOF\n',
      'FROM node:20\nRUN npm ci --omit=dev; exit 0\n',
    ]) {
      expect(fix(text)).toBe(text);
      expect(lintOf(text).filter((f) => f.code === 'DF008')).toHaveLength(1);
    }
  });

  it('fixes ONBUILD RUN too', () => {
    const text = 'FROM node:20\nONBUILD RUN npm install\n';
    expect(fixChecked(text, ['DF008'])).toBe('FROM node:20\nONBUILD RUN npm install && npm cache clean --force\n');
  });

  it('--fix-style cache-mount mounts a build cache instead, and mounts compose', () => {
    const text =
      'FROM node:20\nRUN apt-get update && apt-get install -y --no-install-recommends python3 && npm ci && pip install flask\n';
    const fixed = fixChecked(text, CLEANUP_RULES, { style: 'cache-mount' });
    const run = parseDockerfile(fixed, 'Dockerfile').instructions[1];
    expect(
      run.flagList
        .filter((f) => f.name === 'mount')
        .map((f) => f.options.target)
        .sort(),
    ).toEqual(['/root/.cache/pip', '/root/.npm', '/var/lib/apt/lists']);
    expect(run.shellText).toBe(
      'apt-get update && apt-get install -y --no-install-recommends python3 && npm ci && pip install flask',
    );
    expect(fixed).toContain('--mount=type=cache,target=/var/lib/apt/lists,sharing=locked');
  });

  // Regression (fix sweep s34): the mount went on /root/.cache/pip whatever --cache-dir or PIP_CACHE_DIR said, where
  // pip never cached, and the finding came back on the fixed file.
  it('cache-mount style mounts the cache directory pip was given', () => {
    for (const [before, run] of [
      ['', 'pip install --cache-dir /tmp/pipc flask'],
      ['ENV PIP_CACHE_DIR=/tmp/pipc\n', 'pip install flask'],
    ])
      expect(fixChecked(`FROM python:3.12\n${before}RUN ${run}\n`, ['DF006'], { style: 'cache-mount' })).toBe(
        `FROM python:3.12\n${before}RUN --mount=type=cache,target=/tmp/pipc ${run}\n`,
      );
  });

  it("cache-mount style cleans up in the RUN instead under a non-root USER (the mount would be root's cache)", () => {
    const pip =
      'FROM python:3.12-slim\nRUN useradd -m app\nUSER app\nWORKDIR /home/app\nRUN pip install --user flask==3.0.0\n';
    expect(fixChecked(pip, ['DF006'], { style: 'cache-mount' })).toBe(
      pip.replace('pip install --user', 'pip install --no-cache-dir --user'),
    );
    const npm = 'FROM node:20\nUSER node\nRUN npm ci\n';
    expect(fixChecked(npm, ['DF008'], { style: 'cache-mount' })).toBe(
      'FROM node:20\nUSER node\nRUN npm ci && npm cache clean --force\n',
    );
    // USER carries into a stage built FROM this one; USER root (or 0) gets the mount again.
    const staged = 'FROM node:20 AS base\nUSER node\nFROM base\nRUN npm ci\nUSER 0\nRUN npm install\n';
    expect(fixChecked(staged, ['DF008'], { style: 'cache-mount' })).toBe(
      'FROM node:20 AS base\nUSER node\nFROM base\nRUN npm ci && npm cache clean --force\nUSER 0\nRUN --mount=type=cache,target=/root/.npm npm install\n',
    );
  });

  // Regression (fix sweep s31): the cleanup style offers no fix on a RUN whose trailing `\` took in the instruction
  // below it (DF264), but the cache-mount style mounted a cache on it, editing an instruction that is not what it looks.
  it('cache-mount style offers no fix on a RUN that swallowed the instruction below it, as the cleanup style offers none', () => {
    const fixed = (text: string, style: 'cleanup' | 'cache-mount') =>
      lintOf(text, { style })
        .filter((f) => f.fix)
        .map((f) => f.code);
    // DF005 puts a flag into the command (`--no-cache`) in either style, and DF006's cleanup style does
    // (`--no-cache-dir`): nowhere near the end. DF006's cache-mount style mounts a cache, so it offers none here.
    for (const [text, codes, mountCodes = codes] of [
      ['FROM node:20\nRUN yarn install \\\n# done\nUSER 1000\n', []],
      ['FROM python:3.12-slim\nRUN pip install flask==3.0.0 \\\nUSER 1000\n', ['DF006'], []],
      ['FROM alpine:3.20\nRUN apk add curl=8.9.1-r1 \\\nUSER 1000\n', ['DF005']],
      ['FROM fedora:40\nRUN dnf install -y gcc-14 \\\nUSER 1000\n', []],
    ] as const)
      expect({ text, cleanup: fixed(text, 'cleanup'), mount: fixed(text, 'cache-mount') }).toEqual({
        text,
        cleanup: codes,
        mount: mountCodes,
      });
  });

  it('cache-mount style on yum, dnf, zypper and yarn', () => {
    const cases: [string, string, string[]][] = [
      ['FROM centos:7\nRUN yum install -y httpd\n', 'DF009', ['/var/cache/yum']],
      // yum is dnf on EL 8 and later: its cache is dnf's. A base that does not tell gets both directories mounted.
      ['FROM ubi9/ubi:9.5\nRUN yum install -y httpd\n', 'DF009', ['/var/cache/dnf']],
      ['FROM example.com/base:1\nRUN yum install -y httpd\n', 'DF009', ['/var/cache/yum', '/var/cache/dnf']],
      ['FROM fedora:40\nRUN dnf install -y nginx\n', 'DF010', ['/var/cache/dnf']],
      ['FROM fedora:41\nRUN dnf install -y nginx\n', 'DF010', ['/var/cache/libdnf5']],
      ['FROM example.com/base:1\nRUN dnf install -y nginx\n', 'DF010', ['/var/cache/dnf', '/var/cache/libdnf5']],
      // microdnf of UBI and RHEL caches in /var/cache/yum; on Fedora microdnf is dnf5.
      ['FROM ubi9/ubi-minimal:9.5\nRUN microdnf install -y httpd\n', 'DF010', ['/var/cache/yum']],
      [
        'FROM example.com/minimal:1\nRUN microdnf install -y httpd\n',
        'DF010',
        ['/var/cache/yum', '/var/cache/libdnf5'],
      ],
      ['FROM opensuse/leap:15.6\nRUN zypper -n install curl\n', 'DF011', ['/var/cache/zypp']],
      ['FROM node:20\nRUN yarn install\n', 'DF007', ['/usr/local/share/.cache/yarn']],
    ];
    for (const [text, code, targets] of cases) {
      const fixed = fixChecked(text, [code], { style: 'cache-mount' });
      expect(parseDockerfile(fixed, 'Dockerfile').instructions[1].flagList.map((f) => f.options.target)).toEqual(
        targets,
      );
    }
  });
});

describe('layer fixes (DF015, DF016)', () => {
  it('DF016 joins a short RUN onto the previous one, moving the comments between them above it and dropping blank lines', () => {
    const text = 'FROM debian:12\nRUN mkdir /a\n\n# then b\nRUN touch /a/b && chmod 600 /a/b\nCMD ["sh"]\n';
    expect(fixChecked(text, ['DF016'])).toBe(
      'FROM debian:12\n# then b\nRUN mkdir /a \\\n && touch /a/b && chmod 600 /a/b\nCMD ["sh"]\n',
    );
    expect(fix(text, { unsafe: false })).toBe(text);
  });

  // Regression (review s40): the comments that explained each RUN were left inside the joined RUN's `\` continuation,
  // where a reader takes them for part of the script. They go above it, in their order, as written (indentation too).
  it('DF016 puts the comments of every joined RUN above the joined RUN, in order, and keeps the rest as written', () => {
    const cases: [string, string][] = [
      [
        'FROM debian:12\n# L4 a\nRUN mkdir /a\n\n# L5 b\nRUN touch /a/b\n\n  # L6 c\n#    more c\nRUN touch /a/c\nUSER 1000\n',
        'FROM debian:12\n# L4 a\n# L5 b\n  # L6 c\n#    more c\nRUN mkdir /a \\\n && touch /a/b \\\n && touch /a/c\nUSER 1000\n',
      ],
      [
        'FROM debian:12\n  RUN mkdir /a \\\n    # inside\n      && touch /a/x\n# after\nRUN touch /a/b\n',
        'FROM debian:12\n# after\n  RUN mkdir /a \\\n    # inside\n      && touch /a/x \\\n      && touch /a/b\n',
      ],
      [
        '# escape=`\nFROM debian:12\nRUN mkdir /a `\n && touch /a/x\n# b\nRUN touch /a/b\n',
        '# escape=`\nFROM debian:12\n# b\nRUN mkdir /a `\n && touch /a/x `\n && touch /a/b\n',
      ],
    ];
    for (const [text, joined] of cases) expect(fixChecked(text, ['DF016'])).toBe(joined);
  });

  // Moved to the top of the file, under nothing but parser directives, `# escape=` would become one.
  it('DF016 offers no fix when a moved comment would become a parser directive', () => {
    for (const text of [
      'RUN mkdir /a\n# escape=`\nRUN touch /a/b\n',
      '# syntax=docker/dockerfile:1\nRUN mkdir /a\n# check=skip=all\nRUN touch /a/b\n',
    ]) {
      expect({ text, fixes: lintOf(text).filter((f) => f.code === 'DF016' && f.fix).length }).toEqual({
        text,
        fixes: 0,
      });
      expect({ text, codes: lintOf(text).map((f) => f.code) }).toEqual({
        text,
        codes: expect.arrayContaining(['DF016']),
      });
    }
    // Below a plain comment or an instruction it stays a comment.
    expect(fixChecked('# a\nRUN mkdir /a\n# escape=`\nRUN touch /a/b\n', ['DF016'])).toBe(
      '# a\n# escape=`\nRUN mkdir /a \\\n && touch /a/b\n',
    );
  });

  it('DF016 keeps the continuation style of a multi-line RUN', () => {
    const text = 'FROM debian:12\nRUN mkdir /a \\\n    && touch /a/x\nRUN touch /a/b\n';
    expect(fixChecked(text, ['DF016'])).toBe(
      'FROM debian:12\nRUN mkdir /a \\\n    && touch /a/x \\\n    && touch /a/b\n',
    );
  });

  // Regression (lint --fix hunt): a last RUN ending in a dangling `\` took the file's last newline with it. The
  // dangling `\` itself stays, as written.
  it('DF016 keeps the end of the file after a RUN ending in a dangling continuation', () => {
    expect(fixChecked('FROM debian:12\nRUN mkdir /a\nRUN touch /a/b \\\n', ['DF016'])).toBe(
      'FROM debian:12\nRUN mkdir /a \\\n && touch /a/b \\\n',
    );
  });

  it('DF016 offers no fix when joining could hide a failure, end in a comment, or lose a pragma', () => {
    for (const text of [
      'FROM debian:12\nRUN mkdir /a\nRUN false; touch /a/b\n',
      'FROM debian:12\nRUN mkdir /a # dir\nRUN touch /a/b\n',
      'FROM debian:12\nRUN mkdir /a\n# hadolint ignore=DL3059\nRUN touch /a/b\n',
      'FROM debian:12\nRUN mkdir /a;\nRUN touch /a/b\n',
    ]) {
      expect(lintOf(text).filter((f) => f.code === 'DF016' && f.fix)).toEqual([]);
    }
  });

  // The first RUN's end was read on its last line alone. After `echo 'a \` the `#` of `b' # done`
  // was taken for quoted, and the join went after the comment, where the builder's joined line made `mkdir` part of it;
  // a comment on an earlier continued line (`echo one # first \`) runs on over the lines after it too. After
  // `echo "one \` the quoted `#` of `two # three"` was taken for a comment, and the join refused.
  it('DF016 reads the first RUN with the quotes and comments of all its lines', () => {
    for (const text of [
      "FROM debian:12\nRUN echo 'a \\\nb' # done\nRUN mkdir -p /app\n",
      'FROM debian:12\nRUN echo one # first \\\n && echo two\nRUN mkdir -p /app\n',
    ]) {
      expect({ text, fixes: lintOf(text).filter((f) => f.code === 'DF016' && f.fix).length }).toEqual({
        text,
        fixes: 0,
      });
    }
    expect(fixChecked('FROM debian:12\nRUN echo "one \\\ntwo # three"\nRUN mkdir -p /app\n', ['DF016'])).toBe(
      'FROM debian:12\nRUN echo "one \\\ntwo # three" \\\n&& mkdir -p /app\n',
    );
  });

  // Regression (fix sweep s27): a pragma above the first RUN applies to the joined RUN, so joining widened it to the
  // second RUN's commands: `# hadolint ignore=DL3013` over one pip install silenced the next RUN's unpinned pip install
  // (DF106), and `--fix` turned exit 1 into exit 0 by hiding a finding it did not fix.
  it('DF016 offers no fix when an ignore pragma above the first RUN would then cover the second', () => {
    for (const pragma of ['# hadolint ignore=DL3013', '# ballast-ignore DF106 pinned upstream']) {
      const text = `FROM python:3.12-slim\n${pragma}\nRUN pip install --no-cache-dir flask\nRUN pip install --no-cache-dir requests\n`;
      expect({ pragma, fixes: lintOf(text).filter((f) => f.code === 'DF016' && f.fix).length }).toEqual({
        pragma,
        fixes: 0,
      });
      expect(fix(text)).toBe(text);
    }
  });

  // Regression (fix sweep s27): a `\\` left on a RUN's last line makes the builder read the next instruction as more of
  // the script (`apt-get install ... curl USER 1000`); the cleanup was appended after it (`USER 1000 && apt-get clean
  // ...`), and DF016 joined onto it, hiding the mistake under a fix no author would accept.
  it('offers no cleanup or join on a RUN whose dangling continuation took in the next instruction', () => {
    for (const text of [
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=1 \\\nUSER 1000\n',
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=1 \\\n    # note\nUSER 1000\n',
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=1 \\\n\nUSER 1000\n',
      'FROM debian:12\nRUN mkdir /a \\\nUSER 1000\nRUN touch /a/b\n',
    ]) {
      expect({ text, fixes: lintOf(text).filter((f) => ['DF001', 'DF016'].includes(f.code) && f.fix).length }).toEqual({
        text,
        fixes: 0,
      });
      // And DF264 says why, with the same reading of the continuation.
      expect({ text, codes: lintOf(text).map((f) => f.code) }).toEqual({
        text,
        codes: expect.arrayContaining(['DF264']),
      });
    }
  });

  // Regression (bug hunt b1): each RUN starts a fresh shell; joined, the second script inherited the first's `cd`
  // (`test -f package.json` ran in frontend/ and failed) or never ran (`exit 0 && echo after`).
  it('DF016 offers no fix when the first RUN leaves shell state behind that the second would inherit', () => {
    for (const first of [
      'cd frontend && touch built.txt',
      'exit 0',
      '[ -f /etc/skip ] || exit 0',
      'export NODE_ENV=production',
      'umask 077',
      'set -o pipefail',
      'set -eu',
      '. /etc/os-release',
      'source /opt/env.sh',
      'PATH=/opt/bin:$PATH',
      'alias ls=false',
      'shopt -s globstar',
      "trap 'rm -f /tmp/x' EXIT",
      'greet() { echo hi; }',
      'if [ -d app ]; then cd app; fi',
      '(cd sub && make)',
      'command cd /srv',
      'sleep 100 & echo started',
      'exec > /tmp/log',
    ]) {
      const text = `FROM debian:12\nRUN ${first}\nRUN test -f package.json && echo build-ok\n`;
      expect({ first, fixes: lintOf(text).filter((f) => f.code === 'DF016' && f.fix).length }).toEqual({
        first,
        fixes: 0,
      });
    }
  });

  it('DF016 still joins after `;` and `||` lists and harmless `set` flags: `a; b && c` is `a; (b && c)`', () => {
    const cases: [string, string][] = [
      ['mkdir -p /a; touch /a/x', 'mkdir -p /a; touch /a/x \\\n && touch /a/b'],
      ['mkdir /a || true', 'mkdir /a || true \\\n && touch /a/b'],
      ['set -ex; mkdir /a', 'set -ex; mkdir /a \\\n && touch /a/b'],
      ['command -v curl', 'command -v curl \\\n && touch /a/b'],
      ["sh -c 'exit 0'", "sh -c 'exit 0' \\\n && touch /a/b"],
    ];
    for (const [first, joined] of cases)
      expect(fixChecked(`FROM debian:12\nRUN ${first}\nRUN touch /a/b\n`, ['DF016'])).toBe(
        `FROM debian:12\nRUN ${joined}\n`,
      );
  });

  // Task lintfix2: the comment right above the deleted RUN (`# drop it`) is that RUN's and goes with it.
  it('DF015 moves a later RUN that only deletes into the RUN that created the path', () => {
    const text =
      'FROM debian:12\nRUN mkdir -p /opt/tc && head -c 10 /dev/zero > /opt/tc/x.tar\nWORKDIR /opt\nCOPY app.py /app/\n# drop it\nRUN rm -rf tc\nCMD ["sh"]\n';
    expect(fixChecked(text, ['DF015'])).toBe(
      'FROM debian:12\nRUN mkdir -p /opt/tc && head -c 10 /dev/zero > /opt/tc/x.tar && rm -rf /opt/tc\nWORKDIR /opt\nCOPY app.py /app/\nCMD ["sh"]\n',
    );
  });

  // Regression: the moved delete was always `rm -rf` with the paths unquoted, so `rm -r "/opt/a b"` became
  // `rm -rf /opt/a b` (removing /opt/a and ./b, keeping the directory) and `rm -f` a recursive delete.
  it('DF015 moves each rm with its own flags and its paths quoted', () => {
    const text = 'FROM debian:12\nRUN mkdir "/opt/a b" && touch /opt/x\nRUN rm -f /opt/x && rm -r -- "/opt/a b"\n';
    expect(fixChecked(text, ['DF015'])).toBe(
      'FROM debian:12\nRUN mkdir "/opt/a b" && touch /opt/x && rm -f /opt/x && rm -r \'/opt/a b\'\n',
    );
  });

  it('DF015 moves the delete across up to MAX_BETWEEN instructions, and offers no fix beyond (reading them all cost a pass per delete)', () => {
    const text = (between: number): string =>
      `FROM debian:12\nRUN mkdir -p /opt/tc && touch /opt/tc/x\n${'ENV A=1\n'.repeat(between)}RUN rm -rf /opt/tc\n`;
    expect(fixChecked(text(MAX_BETWEEN), ['DF015'])).toBe(
      `FROM debian:12\nRUN mkdir -p /opt/tc && touch /opt/tc/x && rm -rf /opt/tc\n${'ENV A=1\n'.repeat(MAX_BETWEEN)}`,
    );
    const far = text(MAX_BETWEEN + 1);
    const finding = lintOf(far).find((f) => f.code === 'DF015');
    expect(finding).toBeDefined();
    expect(finding!.fix).toBeUndefined();
  });

  it('DF015 removes an ignore pragma of the deleted RUN with it, so it does not silence the next instruction', () => {
    const text =
      'FROM debian:12\nRUN mkdir -p /opt/tc && touch /opt/tc/x\n# ballast-ignore DF016\nRUN rm -rf /opt/tc\nRUN apt-get update\n';
    expect(fix(text)).toBe(
      'FROM debian:12\nRUN mkdir -p /opt/tc && touch /opt/tc/x && rm -rf /opt/tc\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n',
    );
  });

  it('DF015 offers no fix when a step between names the path, the delete is not alone, or COPY created it', () => {
    for (const text of [
      'FROM debian:12\nRUN mkdir -p /opt/tc && touch /opt/tc/x\nCOPY build.sh /\nRUN /build.sh /opt/tc\nRUN rm -rf /opt/tc\n',
      'FROM debian:12\nRUN mkdir -p /opt/tc && touch /opt/tc/x\nRUN rm -rf /opt/tc && echo done\n',
      'FROM debian:12\nCOPY . /app\nRUN rm -rf /app/node_modules\n',
      'FROM debian:12\nARG D=/opt/tc\nRUN mkdir -p /opt/tc\nRUN rm -rf $D\n',
    ]) {
      expect(lintOf(text).filter((f) => f.code === 'DF015' && f.fix)).toEqual([]);
    }
  });

  // Regression (bug hunt d15): `RUN cp $B/blob /opt/blob` reads /build through ENV B=/build without naming it; with the
  // delete moved up, the fixed file failed with `cp: cannot stat '/build/blob'`.
  it('DF015 offers no fix when a step between may reach the path: a variable, a script, its working directory, a COPY', () => {
    const creator = 'RUN mkdir -p /build && head -c 10 /dev/zero > /build/blob';
    for (const between of [
      'ENV B=/build\nRUN cp $B/blob /opt/blob',
      'ARG B=/build\nRUN cp ${B}/blob /opt/blob',
      'ENV B=/bui\nRUN cp ${B}ld/blob /opt/blob',
      'ARG B\nRUN cp $B/blob /opt/blob',
      'RUN cp "$HOME/../build/blob" /opt/blob',
      'RUN cp $(dirname /x)/blob /opt/',
      'RUN cp `echo /x`/blob /opt/',
      'RUN --mount=type=bind,source=/build,target=/src cp /src/blob /opt/',
      // A script or build tool may read anything; a path above the deleted one reaches into it.
      'COPY script.sh /usr/local/bin/\nRUN /usr/local/bin/script.sh',
      'RUN sh /script.sh',
      'RUN make -C /src',
      'RUN find / -name blob -exec cp {} /opt/ \\;',
      'RUN cp -r . /snapshot',
    ]) {
      const text = `FROM debian:12\n${creator}\n${between}\nRUN rm -rf /build\n`;
      expect({ between, fixes: lintOf(text).filter((f) => f.code === 'DF015' && f.fix).length }).toEqual({
        between,
        fixes: 0,
      });
    }
    for (const text of [
      // The working directory is the path, or above it (`tar -czf /x.tgz .` in /opt reads /opt/tc).
      'FROM debian:12\nWORKDIR /build\nRUN head -c 10 /dev/zero > /build/blob\nRUN cp blob /opt/blob\nWORKDIR /\nRUN rm -rf /build\n',
      'FROM debian:12\nWORKDIR /opt\nRUN mkdir -p /opt/tc && touch /opt/tc/x\nRUN tar -czf /x.tgz .\nRUN rm -rf /opt/tc\n',
      // A COPY above the path may bring files there that the later delete removed.
      'FROM debian:12\nRUN mkdir -p /opt/tc && touch /opt/tc/x\nCOPY . /opt/\nRUN rm -rf /opt/tc\n',
      'FROM debian:12\nRUN mkdir -p /opt/tc && touch /opt/tc/x\nCOPY rootfs /\nRUN rm -rf /opt/tc\n',
    ])
      expect(lintOf(text).filter((f) => f.code === 'DF015' && f.fix)).toEqual([]);
  });

  // Regression (s32): DF001 appended the apt lists removal, then DF015 moved the later RUN's removal into the same
  // place (both in one pass), or DF016 joined the later RUN onto it: the rm ran twice, which no one writes by hand.
  it('a removal two fixes bring into the same RUN is written once', () => {
    expect(fixChecked('FROM debian:12\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n', LAYER_RULES)).toBe(
      'FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n',
    );
    expect(fixChecked('FROM debian:12\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists\n', LAYER_RULES)).toBe(
      'FROM debian:12\nRUN apt-get update && rm -rf /var/lib/apt/lists\n',
    );
    // A RUN that repeats the forced removal the RUN before it ends with: DF016 deletes it instead of joining it.
    const repeat = 'FROM debian:12\nRUN mkdir -p /opt/tc \\\n && rm -rf /opt/tc\n# again\nRUN rm -rf /opt/tc\n';
    expect(fixChecked(repeat, ['DF016'])).toBe(
      'FROM debian:12\nRUN mkdir -p /opt/tc \\\n && rm -rf /opt/tc\n# again\n',
    );
    // Not a repeat: the earlier removal may not have run (`||`), or is not forced, or is of another path.
    for (const first of [
      'mkdir -p /opt/tc || rm -rf /opt/tc',
      'touch /x && rm -rf /opt/tc/x',
      'touch /x && rm /opt/tc',
    ]) {
      const text = `FROM debian:12\nRUN ${first}\nRUN rm -rf /opt/tc\n`;
      const fixed = fixUntilStable(text, (t) => lintOf(t), true).text;
      expect({ first, fixed }).toEqual({ first, fixed: `FROM debian:12\nRUN ${first} \\\n && rm -rf /opt/tc\n` });
    }
  });

  it('DF015 still moves the delete past steps whose variables resolve to other paths', () => {
    const text =
      'FROM debian:12\nRUN mkdir -p /build && head -c 10 /dev/zero > /build/blob\nENV OUT=/opt\nRUN touch $OUT/ready\nRUN rm -rf /build\n';
    expect(fixChecked(text, ['DF015'])).toBe(
      'FROM debian:12\nRUN mkdir -p /build && head -c 10 /dev/zero > /build/blob && rm -rf /build\nENV OUT=/opt\nRUN touch $OUT/ready\n',
    );
    const shell =
      'FROM debian:12\nRUN mkdir -p /build && touch /build/x\nENV Z=1\nRUN sh -c \'mkdir -p /opt/a\'\nCMD ["sh"]\nRUN rm -rf /build\n';
    expect(fixChecked(shell, ['DF015'])).toBe(
      'FROM debian:12\nRUN mkdir -p /build && touch /build/x && rm -rf /build\nENV Z=1\nRUN sh -c \'mkdir -p /opt/a\'\nCMD ["sh"]\n',
    );
  });
});

describe('cache order (DF013)', () => {
  it('copies the manifests that exist first, installs, then copies the rest', () => {
    const text =
      'FROM node:20\nWORKDIR /app\nCOPY --chown=node:node . .\nENV NODE_ENV=production\nRUN npm ci && npm cache clean --force\nCMD ["node", "index.js"]\n';
    const files = { 'package.json': '{}', 'package-lock.json': '{}' };
    expect(fixChecked(text, ['DF013'], { files })).toBe(
      'FROM node:20\nWORKDIR /app\nCOPY --chown=node:node package.json package-lock.json ./\nENV NODE_ENV=production\nRUN npm ci && npm cache clean --force\nCOPY --chown=node:node . .\nCMD ["node", "index.js"]\n',
    );
  });

  it('pip -r and go mod download, with a destination directory', () => {
    const pip = 'FROM python:3.12\nCOPY . /src\nRUN pip install --no-cache-dir -r requirements.txt\n';
    expect(fixChecked(pip, ['DF013'], { files: { 'requirements.txt': 'flask\n' } })).toBe(
      'FROM python:3.12\nCOPY requirements.txt /src/\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . /src\n',
    );
    const go = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /app .\n';
    expect(fixChecked(go, ['DF013'], { files: { 'go.mod': 'module x\n', 'go.sum': '' } })).toBe(
      'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n',
    );
  });

  it('offers no fix when the manifest is not in the context, the install RUN also builds, or a step between needs the source', () => {
    const cases: [string, Record<string, string> | undefined][] = [
      ['FROM node:20\nCOPY . .\nRUN npm ci\n', {}],
      ['FROM node:20\nCOPY . .\nRUN npm ci\n', undefined],
      ['FROM node:20\nCOPY . .\nRUN npm ci && npm run build\n', { 'package.json': '{}' }],
      ['FROM node:20\nCOPY . .\nRUN ./prepare.sh\nRUN npm ci\n', { 'package.json': '{}' }],
      ['FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt .\n', { 'requirements.txt': '' }],
    ];
    for (const [text, files] of cases)
      expect(lintOf(text, { files }).filter((f) => f.code === 'DF013' && f.fix)).toEqual([]);
  });
  // Regression (fix sweep s27): the COPY moved below the install without the pragma above it (which stayed on the
  // manifests' COPY, or went with it when that COPY was deleted), so the finding it silenced came back after --fix
  // (`# ballast-ignore DF025` over `COPY . .`: a missing .dockerignore, and a second --fix then created one).
  it('offers no fix when an ignore pragma is on the broad COPY, which would lose it', () => {
    const files = { 'package.json': '{}', 'package-lock.json': '{}' };
    for (const text of [
      'FROM node:20\nWORKDIR /app\n# ballast-ignore DF025 the context is clean\nCOPY . .\nRUN npm ci\n',
      'FROM node:20\nWORKDIR /app\nCOPY package.json ./\n# ballast-ignore DF025\nCOPY . .\nRUN npm ci\n',
      'FROM node:20\nWORKDIR /app\n# hadolint ignore=DL3045\nCOPY . .\nRUN npm ci\n',
    ]) {
      expect({ text, fixes: lintOf(text, { files }).filter((f) => f.code === 'DF013' && f.fix).length }).toEqual({
        text,
        fixes: 0,
      });
    }
  });
});

describe('numeric USER (DF231)', () => {
  it('writes the UID (and GID) the Dockerfile gave the user, with every rule fixing, and once', () => {
    const text =
      'FROM alpine:3.20\nRUN addgroup -g 1002 app && adduser -u 1001 -G app -D app\nCOPY --chown=app:app . /app\nUSER app:app\nCMD ["/app/run"]\n';
    expect(fixChecked(text, ['DF231'])).toBe(
      'FROM alpine:3.20\nRUN addgroup -g 1002 app && adduser -u 1001 -G app -D app\nCOPY --chown=app:app . /app\nUSER 1001:1002\nCMD ["/app/run"]\n',
    );
    const finding = lintOf(text).find((f) => f.code === 'DF231');
    expect(finding?.fix?.applicability).toBe('safe');
  });

  it('leaves a USER whose UID the Dockerfile does not fix (a base image may have the user)', () => {
    const text = 'FROM node:20\nRUN id node || useradd -u 1001 node\nUSER node\n';
    expect(lintOf(text).find((f) => f.code === 'DF231')?.fix).toBeUndefined();
  });
});

describe('COPY --chown/--chmod (DF014)', () => {
  it('folds a recursive chown and chmod right after the COPY into its flags and drops the RUN', () => {
    const text =
      'FROM debian:12\nRUN useradd --system app\nCOPY . /app\nRUN chown -R app:app /app && chmod -R 0755 /app\nCMD ["sh"]\n';
    expect(fixChecked(text, ['DF014'])).toBe(
      'FROM debian:12\nRUN useradd --system app\nCOPY --chown=app:app --chmod=0755 . /app\nCMD ["sh"]\n',
    );
  });

  it('folds a chmod of the one file a single-file COPY wrote, when the build context shows it is a file', () => {
    const text = 'FROM debian:12\nWORKDIR /srv\nCOPY run.sh run.sh\nRUN chmod 755 run.sh\n';
    const files = { 'run.sh': '#!/bin/sh\n' };
    expect(fixChecked(text, ['DF014'], { files })).toBe(
      'FROM debian:12\nWORKDIR /srv\nCOPY --chmod=755 run.sh run.sh\n',
    );
    // With no context to look in, `run.sh` might be a directory, where a plain chmod changes one entry and
    // `COPY --chmod` every file: the finding stays, without a fix.
    expect(
      lintOf(text)
        .filter((f) => f.code === 'DF014')
        .map((f) => Boolean(f.fix)),
    ).toEqual([false]);
  });

  it('does not turn a chmod/chown of a copied directory without -R into COPY flags for every file', () => {
    const files = { 'app/config.yaml': 'a: 1\n', 'app/sub/data.txt': 'x' };
    for (const text of [
      'FROM debian:12-slim\nCOPY app /app\nRUN chmod 755 /app\nUSER 1000\n',
      'FROM debian:12-slim\nCOPY app /app\nRUN chown 1000:1000 /app\nUSER 1000\n',
    ])
      expect(fix(text, { files })).toBe(text);
  });

  it('offers no fix when COPY could not resolve the owner, the mode is symbolic, the RUN does more, or is not right after', () => {
    for (const text of [
      'FROM debian:12\nCOPY . /app\nRUN useradd app && chown -R app:app /app\n',
      'FROM debian:12\nCOPY . /app\nRUN chown -R app /app\n',
      'FROM debian:12\nCOPY . /app\nRUN chmod -R u+x /app\n',
      'FROM debian:12\nCOPY . /app\nRUN chmod -R 755 /app && make -C /app\n',
      'FROM debian:12\nCOPY . /app\nWORKDIR /app\nRUN chmod -R 755 /app\n',
      'FROM debian:12\nCOPY . /app\nRUN chmod 755 /app\n',
      'FROM debian:12\nCOPY . /app\nRUN chmod -R 755 /app/bin\n',
    ]) {
      expect(lintOf(text).filter((f) => f.code === 'DF014' && f.fix)).toEqual([]);
    }
  });
});

// Regression (bug hunt d14b): COPY --chown/--chmod leaves a directory that was already there (WORKDIR /app, /srv) as it
// was, while `chown -R` changed it too: the fixed file failed at `USER app` + `touch /app/data.db`. And `chown -R app`
// keeps the group, while `COPY --chown=app` sets it.
describe('COPY --chown/--chmod (DF014) only when the COPY creates what the RUN changed', () => {
  it('offers no fix when the destination directory may exist before the COPY', () => {
    for (const text of [
      'FROM debian:12\nRUN useradd -r app\nWORKDIR /app/src\nCOPY . /app\nRUN chown -R app:app /app\n',
      'FROM debian:12\nRUN useradd -r app\nWORKDIR /app\nRUN touch log\nCOPY . .\nRUN chown -R app:app /app\n',
      'FROM debian:12\nRUN useradd -r app && mkdir /app\nWORKDIR /app\nCOPY . .\nRUN chown -R app:app /app\n',
      'FROM debian:12\nRUN useradd -r app\nCOPY . /srv\nRUN chown -R app:app /srv\n',
      'FROM debian:12\nRUN useradd -r app\nCOPY . /opt/app\nRUN chown -R app:app /opt/app\n',
      'FROM debian:12\nRUN useradd -r app\nCOPY . /usr/local\nRUN chown -R app:app /usr/local\n',
      'FROM debian:12\nRUN useradd -r app && mkdir -p /app/data\nCOPY . /app\nRUN chown -R app:app /app\n',
      'FROM debian:12\nRUN useradd -r -d /app app\nCOPY . /app\nRUN chown -R app:app /app\n',
      'FROM debian:12\nRUN useradd -r app\nRUN mkdir app\nCOPY . /app\nRUN chown -R app:app /app\n',
      'FROM debian:12\nENV D=/app\nRUN useradd -r app && mkdir $D\nCOPY . /app\nRUN chown -R app:app /app\n',
      'FROM debian:12\nRUN useradd -r app && mkdir "$APP_HOME"\nCOPY . /app\nRUN chown -R app:app /app\n',
      'FROM debian:12\nRUN useradd -r app\nCOPY config /app/config\nCOPY . /app\nRUN chown -R app:app /app\n',
      'FROM debian:12\nRUN useradd -r app\nCOPY rootfs/ /\nCOPY . /app\nRUN chown -R app:app /app\n',
      'FROM debian:12 AS base\nRUN useradd -r app\nWORKDIR /app\nFROM base\nCOPY . /app\nRUN chown -R app:app /app\n',
    ]) {
      expect({ text, fixes: lintOf(text).filter((f) => f.code === 'DF014' && f.fix).length }).toEqual({
        text,
        fixes: 0,
      });
    }
  });

  // Review s45 item 4: `WORKDIR /app` right before the COPY made /app empty: the COPY flags give every file the owner,
  // and the RUN still changes the directory itself (it stays root's otherwise), which copies no file.
  it('after a WORKDIR that made the directory, sets the COPY flags and keeps the change of the directory alone', () => {
    expect(
      fixChecked(
        'FROM debian:12\nRUN useradd -r app\nWORKDIR /app\nCOPY . /app\nRUN chown -R app:app /app\nUSER app\n',
        ['DF014'],
      ),
    ).toBe(
      'FROM debian:12\nRUN useradd -r app\nWORKDIR /app\nCOPY --chown=app:app . /app\nRUN chown app:app /app\nUSER app\n',
    );
    expect(
      fixChecked('FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN chown -R 1000:1000 . && chmod -R 755 .\nUSER 1000\n', [
        'DF014',
      ]),
    ).toBe(
      'FROM debian:12\nWORKDIR /app\nCOPY --chown=1000:1000 --chmod=755 . .\nRUN chown 1000:1000 . && chmod 755 .\nUSER 1000\n',
    );
  });

  // A group is no user: COPY --chown=app:app after `groupadd app` alone fails the build (no user app).
  it.each([
    ['groupadd only', 'RUN groupadd -r app', false],
    ['addgroup only', 'RUN addgroup -S app', false],
    ['useradd: its own group too', 'RUN useradd -r app', true],
    ['useradd -N: no group app', 'RUN useradd -N -r app', false],
    ['useradd -g staff: no group app', 'RUN useradd -g staff app', false],
    ['groupadd and useradd -g', 'RUN groupadd app && useradd -g app app', true],
    ['adduser, then adds it to a group: no user app', 'RUN adduser web && adduser web app', false],
    ['adduser --system without --group', 'RUN adduser --system app', false],
    ['adduser --system --group', 'RUN adduser --system --group app', true],
    ['busybox adduser -S -G', 'RUN addgroup -S app && adduser -S -G app app', true],
  ])('offers --chown=app:app only for a user and group created as such: %s', (_what, run, fixed) => {
    const text = `FROM debian:12\n${run}\nCOPY . /app\nRUN chown -R app:app /app\n`;
    expect(lintOf(text).filter((f) => f.code === 'DF014' && f.fix).length).toBe(fixed ? 1 : 0);
  });

  it('offers no fix for an owner without a group, or a directory mode other than 755', () => {
    for (const text of [
      'FROM debian:12\nRUN useradd -r app\nCOPY . /app\nRUN chown -R app /app\n',
      'FROM debian:12\nCOPY . /app\nRUN chown -R 1000 /app\n',
      'FROM debian:12\nRUN useradd -r app\nCOPY . /app\nRUN chown -R app: /app\n',
      'FROM debian:12\nCOPY . /app\nRUN chmod -R 700 /app\n',
    ])
      expect(lintOf(text).filter((f) => f.code === 'DF014' && f.fix)).toEqual([]);
  });

  it('offers no fix for a single file when the path is a directory or --chown would create its parent', () => {
    const files = { 'run.sh': '#!/bin/sh\n' };
    for (const text of [
      'FROM debian:12\nCOPY run.sh /usr/local/bin\nRUN chmod 755 /usr/local/bin\n',
      'FROM debian:12\nWORKDIR /app\nCOPY run.sh .\nRUN chmod 755 /app\n',
      'FROM debian:12\nCOPY run.sh /tools/run.sh\nRUN chown 1000:1000 /tools/run.sh\n',
    ])
      expect(lintOf(text, { files }).filter((f) => f.code === 'DF014' && f.fix)).toEqual([]);
  });

  it('still folds the RUN when the COPY creates the directory or writes a file into one that exists', () => {
    const files = { 'run.sh': '#!/bin/sh\n' };
    expect(
      fixChecked('FROM debian:12\nRUN useradd -r app\nCOPY . /app\nRUN chown -R app:app /app\nUSER app\n', ['DF014']),
    ).toBe('FROM debian:12\nRUN useradd -r app\nCOPY --chown=app:app . /app\nUSER app\n');
    expect(
      fixChecked(
        'FROM debian:12\nCOPY run.sh /usr/local/bin/run.sh\nRUN chown 1000:1000 /usr/local/bin/run.sh\n',
        ['DF014'],
        {
          files,
        },
      ),
    ).toBe('FROM debian:12\nCOPY --chown=1000:1000 run.sh /usr/local/bin/run.sh\n');
    expect(
      fixChecked('FROM debian:12\nCOPY run.sh /tools/run.sh\nRUN chmod 755 /tools/run.sh\n', ['DF014'], { files }),
    ).toBe('FROM debian:12\nCOPY --chmod=755 run.sh /tools/run.sh\n');
  });
});

describe('--fix keeps the form of the file it writes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-autofix-form-'));
    writeFileSync(join(dir, '.dockerignore'), '.git\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const fixFile = async (bytes: Buffer): Promise<Buffer> => {
    writeFileSync(join(dir, 'Dockerfile'), bytes);
    await lint({ files: ['Dockerfile'], cwd: dir, fix: true, unsafeFixes: true, shellcheck: false, failOn: 'none' });
    return readFileSync(join(dir, 'Dockerfile'));
  };

  it('CRLF line endings, on the lines a fix adds too', async () => {
    const fixed = await fixFile(Buffer.from('FROM debian:12-slim\r\nRUN mkdir /a\r\nRUN touch /a/b\r\nUSER 1000\r\n'));
    expect(fixed.toString()).toBe('FROM debian:12-slim\r\nRUN mkdir /a \\\r\n && touch /a/b\r\nUSER 1000\r\n');
  });

  // Regression (fix sweep s27): DF013 moved the broad COPY below the install with its line's CR, and the file's CRLF
  // came after it: `COPY . .\r\r\n`.
  it('CRLF line endings on a COPY a fix moves', async () => {
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, '.dockerignore'), '.git\r\nnode_modules\r\n');
    const fixed = await fixFile(
      Buffer.from('FROM node:20-slim\r\nWORKDIR /app\r\nCOPY . .\r\nRUN npm ci\r\nUSER 1000\r\n'),
    );
    expect(fixed.toString()).toBe(
      'FROM node:20-slim\r\nWORKDIR /app\r\nCOPY package.json ./\r\nRUN npm ci && npm cache clean --force\r\nCOPY . .\r\nUSER 1000\r\n',
    );
  });

  // The .dockerignore's own line endings for the entries DF026 adds, read as the Dockerfile's are (src/lint/fixer.ts
  // eolOf). Regressions: a CRLF file got entries ending in a bare LF (fix sweep s27); a mixed one got CRLF entries from
  // its first line alone.
  it.each([
    ['CRLF throughout', '# keep out\r\n.git\r\n*.log', '# keep out\r\n.git\r\n*.log\r\nnode_modules\r\n'],
    ['mixed: LF', '# keep out\r\n.git\n*.log\n', '# keep out\r\n.git\n*.log\nnode_modules\n'],
  ])('line endings in the .dockerignore a fix adds to: %s', async (_name, before, after) => {
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, '.dockerignore'), before);
    await fixFile(
      Buffer.from(
        'FROM node:20-slim\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci && npm cache clean --force\nCOPY . .\nUSER 1000\n',
      ),
    );
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe(after);
  });

  // Regression (fix sweep s27): the .dockerignore DF025 created for a CRLF Dockerfile was written with LF.
  it("the Dockerfile's CRLF line endings in the .dockerignore a fix creates", async () => {
    rmSync(join(dir, '.dockerignore'));
    await fixFile(Buffer.from('FROM debian:12-slim\r\nCOPY . /app\r\nUSER 1000\r\n'));
    const ignore = readFileSync(join(dir, '.dockerignore'), 'utf8');
    expect(ignore).toMatch(/^\.git\r\n/);
    expect(ignore.endsWith('\r\n')).toBe(true);
    expect(ignore.replace(/\r\n/g, '')).not.toContain('\n');
  });

  // Regression (fix sweep s31): DF015 moving the last RUN into an earlier one left the line above it last, with its
  // newline: a file that ended without one gained one, a change no fix asked for.
  it.each([
    ['no final newline', 'RUN rm -rf /tmp/x.tgz', 'COPY a /a'],
    ['no final newline, blank lines above the last RUN', '\n\nRUN rm -rf /tmp/x.tgz', 'COPY a /a'],
    ['a final newline', 'RUN rm -rf /tmp/x.tgz\n', 'COPY a /a\n'],
  ])('the end of the file when a fix deletes its last instruction: %s', async (_name, last, end) => {
    const head = 'FROM alpine:3.20\nRUN wget -q -O /tmp/x.tgz http://e/x.tgz && tar xzf /tmp/x.tgz -C /opt\nCOPY a /a';
    const fixed = await fixFile(Buffer.from(`${head}\n${last}`));
    expect(fixed.toString()).toBe(
      `${head.replace('/opt', '/opt && rm -rf /tmp/x.tgz').slice(0, -'COPY a /a'.length)}${end}`,
    );
  });

  it('a UTF-8 byte order mark', async () => {
    const text = 'FROM node:20.11.1-slim\nWORKDIR /app\nRUN npm ci\nUSER 1000\n';
    const fixed = await fixFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(fixed.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(fixed.subarray(3).toString()).toBe(text.replace('npm ci', 'npm ci && npm cache clean --force'));
  });
});

// Regression (bug hunt di): `.env*` also kept out the `.env.example` that `RUN cp .env.example .env` reads (the usual
// Laravel pattern), and the fixed build failed with `cp: cannot stat '.env.example'`.
describe('DF025 leaves out of .dockerignore what the Dockerfile uses', () => {
  const entriesFor = (
    text: string,
    files: Record<string, string> = { 'index.php': '', 'package.json': '{}' },
  ): string[] => {
    const finding = lintOf(text, { files }).find((f) => f.code === 'DF025');
    return (finding?.fix?.edits[0]?.text ?? '').split('\n').filter(Boolean);
  };
  const rows: { name: string; text: string; has: string[]; lacks: string[] }[] = [
    {
      name: 'cp .env.example .env keeps .env.example, not .env',
      text: 'FROM php:8.3-fpm\nWORKDIR /var/www\nCOPY . .\nRUN cp .env.example .env\n',
      has: ['.env*', '!.env.example', '.git', 'dist', 'build'],
      lacks: ['!.env'],
    },
    {
      name: 'an absolute path to .env.example',
      text: 'FROM php:8.3-fpm\nCOPY . /var/www\nRUN cp /var/www/.env.example /var/www/.env\n',
      has: ['.env*', '!.env.example'],
      lacks: ['!.env'],
    },
    {
      name: 'CMD runs build/entrypoint.sh',
      text: 'FROM debian:12\nCOPY . /app\nCMD ["sh", "build/entrypoint.sh"]\n',
      has: ['dist'],
      lacks: ['build'],
    },
    {
      name: 'a flag value names target',
      text: 'FROM debian:12\nCOPY . /app\nRUN make --output-dir=target\n',
      has: ['build'],
      lacks: ['target'],
    },
    { name: 'COPY .git', text: 'FROM debian:12\nCOPY . /app\nCOPY .git /app/.git\n', has: ['.env*'], lacks: ['.git'] },
    // git reads .git without the Dockerfile naming it: the fixed build failed with "not a git repository".
    {
      name: 'a RUN that runs git',
      text: 'FROM debian:12\nCOPY . /app\nRUN git -C /app describe --tags > /app/VERSION\n',
      has: ['.env*', 'dist'],
      lacks: ['.git'],
    },
    {
      name: 'a Node app that installs nothing ships the context node_modules',
      text: 'FROM node:20-slim\nCOPY . /app\nCMD ["node", "/app/index.js"]\n',
      has: ['.git', 'dist'],
      lacks: ['node_modules'],
    },
    {
      name: 'a Node app that installs its packages',
      text: 'FROM node:20-slim\nCOPY . /app\nRUN cd /app && yarn --frozen-lockfile\n',
      has: ['.git', 'node_modules'],
      lacks: [],
    },
    {
      name: 'a .pyc file the RUN reads',
      text: 'FROM python:3.12\nCOPY . /app\nRUN python /app/lib/cached.pyc\n',
      has: ['**/*.pyc', '!**/cached.pyc'],
      lacks: [],
    },
    {
      name: 'a glob in find names no file',
      text: "FROM python:3.12\nCOPY . /app\nRUN find /app -name '*.pyc' -delete\n",
      has: ['**/*.pyc', '**/__pycache__'],
      lacks: ['!**/*.pyc'],
    },
  ];
  it.each(rows)('$name', ({ text, has, lacks }) => {
    const entries = entriesFor(text);
    expect(entries).toEqual(expect.arrayContaining(has));
    for (const entry of lacks) expect(entries).not.toContain(entry);
    // An exception comes right after the pattern it re-includes from.
    for (const [i, entry] of entries.entries())
      if (entry.startsWith('!'))
        expect(entries[i - 1]?.startsWith('!') || /[*?]/.test(entries[i - 1] ?? '')).toBe(true);
  });
});

describe('DF026 offers no fix that takes away what the build reads', () => {
  it('reports a .git that git reads without a fix', () => {
    const text = 'FROM debian:12\nCOPY . /app\nRUN git -C /app rev-parse HEAD > /app/REVISION\n';
    const findings = lintOf(text, { files: { '.dockerignore': '*.log\n' } }).filter((f) => f.code === 'DF026');
    expect(findings.map((f) => [f.messageId, f.fix])).toEqual([['gitRead', undefined]]);
  });

  it('still offers .git when nothing runs git', () => {
    const text = 'FROM debian:12\nCOPY . /app\nRUN apt-get install -y git\n';
    const findings = lintOf(text, { files: { '.dockerignore': '*.log\n' } }).filter((f) => f.code === 'DF026');
    expect(findings.map((f) => f.fix?.edits[0]?.text)).toEqual(['.git\n']);
  });
});

describe('.dockerignore fixes (DF025, DF026) through the lint service', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-autofix-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates .dockerignore next to the Dockerfile with --fix --unsafe-fixes; a second run changes nothing', async () => {
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm cache clean --force\nCOPY dist/ /srv/\n',
    );
    writeFileSync(join(dir, 'package.json'), '{}');
    const first = await lint({ files: ['Dockerfile'], cwd: dir, fix: true, unsafeFixes: true, failOn: 'none' });
    const ignore = readFileSync(join(dir, '.dockerignore'), 'utf8');
    expect(ignore.split('\n')).toEqual([
      '.git',
      'node_modules',
      '.env*',
      '**/__pycache__',
      '**/*.pyc',
      'build',
      'target',
      'coverage',
      '',
    ]);
    expect(statSync(join(dir, '.dockerignore')).mode & 0o777).toBe(0o644);
    expect(first.report.targets[0].findings.filter((f) => f.code === 'DF025' || f.code === 'DF026')).toEqual([]);
    expect(first.fixedCount).toBeGreaterThanOrEqual(1);
    const second = await lint({ files: ['Dockerfile'], cwd: dir, fix: true, unsafeFixes: true, failOn: 'none' });
    expect(second.fixedCount).toBe(0);
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe(ignore);
    expect(readdirSync(dir).sort()).toEqual(['.dockerignore', 'Dockerfile', 'package.json']);
  });

  it('extends an incomplete .dockerignore, keeping its mode; --fix-dry-run shows the diff and writes nothing; safe --fix leaves it', async () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20\nCOPY . /app\nRUN cd /app && npm ci\n');
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, '.dockerignore'), 'dist');
    chmodSync(join(dir, '.dockerignore'), 0o600);
    const dry = await lint({ files: ['Dockerfile'], cwd: dir, fixDryRun: true, unsafeFixes: true, failOn: 'none' });
    expect(dry.diffs.join('')).toContain('+.git');
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe('dist');
    await lint({ files: ['Dockerfile'], cwd: dir, fix: true, failOn: 'none' });
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe('dist');
    const fixed = await lint({ files: ['Dockerfile'], cwd: dir, fix: true, unsafeFixes: true, failOn: 'none' });
    const lines = readFileSync(join(dir, '.dockerignore'), 'utf8').split('\n').filter(Boolean).sort();
    expect(lines).toEqual(['.git', 'dist', 'node_modules']);
    expect(statSync(join(dir, '.dockerignore')).mode & 0o777).toBe(0o600);
    expect(fixed.report.targets[0].findings.filter((f) => f.code === 'DF026')).toEqual([]);
  });
});

describe('--fix of one Dockerfile: its .dockerignore, then itself (fixDockerfile)', () => {
  // Each lint with the Dockerfile text and the context files it saw.
  const fixedWith = (how: 'together' | 'one after the other') => {
    const files: Record<string, string> = { 'package.json': '{}' };
    const calls: string[] = [];
    const lint = (t: string) => {
      calls.push(`${JSON.stringify(files)}\n${t}`);
      return lintOf(t, { files });
    };
    const read = (name: string) => files[name];
    const write = (name: string, edited: string) => void (files[name] = edited);
    const text =
      'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN apt-get update && apt-get install -y curl\nCOPY dist/ /srv/\n';
    if (how === 'together') return { ...fixDockerfile(text, lint, { read, write }, true), files, calls };
    const contextFixes = fixContextFiles(() => lint(text), read, write, true);
    const dockerfile = fixUntilStable(text, lint, true);
    return {
      ...dockerfile,
      contextFixed: contextFixes.length,
      fixes: [...contextFixes, ...dockerfile.fixes],
      files,
      calls,
    };
  };

  it('fixes what the context fixer and then the Dockerfile fixer fix, linting the text where they meet once', () => {
    const together = fixedWith('together');
    const apart = fixedWith('one after the other');
    expect({ ...together, calls: undefined }).toEqual({ ...apart, calls: undefined });
    expect(together.contextFixed).toBeGreaterThan(0);
    expect(together.fixed).toBeGreaterThan(0);
    // Apart, the last context pass and the first Dockerfile pass lint the same text with the same context files.
    const repeats = (calls: string[]) => calls.filter((c, i) => i > 0 && c === calls[i - 1]).length;
    expect(repeats(apart.calls)).toBe(1);
    expect(repeats(together.calls)).toBe(0);
    expect(together.calls).toHaveLength(apart.calls.length - 1);
  });
});

describe('what --fix counts: each fix once, and only fixes it applies (fixDockerfile)', () => {
  // Findings made up for the fixer alone: `edit` replaces line `line`, columns from..to, of the Dockerfile (or, with
  // `context`, of that build-context file) with `text`.
  type Edit = { line: number; from: number; to: number; text: string; context?: string };
  const finding = (code: string, ...edits: Edit[]): Finding => ({
    code,
    rule: code,
    severity: 'warning',
    message: code,
    messageId: code,
    location: {
      kind: 'dockerfile',
      file: 'Dockerfile',
      line: edits[0]!.line,
      column: 1,
      endLine: edits[0]!.line,
      endColumn: 1,
    },
    fix: {
      applicability: 'safe',
      title: code,
      edits: edits.map((e) => ({
        file: e.context ?? 'Dockerfile',
        range: { line: e.line, column: e.from, endLine: e.line, endColumn: e.to },
        text: e.text,
        ...(e.context ? { context: true } : {}),
      })),
    },
  });
  // X001 puts back the `FROM a` it replaces (a fix that changes nothing); X002 adds a `b` to `RUN b` until it reads
  // `RUN bbb`; X003, where there is a `RUN c`, appends `logs` to .dockerignore and makes it `RUN c2` until both are.
  // Where there is a `RUN d`, X004 inserts nothing into .dockerignore, and X005 appends `tmp` to it until it is there.
  const lint = (files: Record<string, string>) => (text: string) => {
    const found = [finding('X001', { line: 1, from: 1, to: 7, text: 'FROM a' })];
    const run = /^RUN (b+)$/m.exec(text)?.[1];
    if (run !== undefined && run.length < 3) found.push(finding('X002', { line: 2, from: 5, to: 5, text: 'b' }));
    const ignore = files['.dockerignore'] ?? '';
    if (/^RUN c/m.test(text) && (!ignore.includes('logs') || text.includes('RUN c\n')))
      found.push(
        finding(
          'X003',
          { line: 3, from: 6, to: 6, text: text.includes('RUN c\n') ? '2' : '' },
          { line: 1, from: 1, to: 1, text: ignore.includes('logs') ? '' : 'logs\n', context: '.dockerignore' },
        ),
      );
    if (/^RUN d/m.test(text)) {
      found.push(finding('X004', { line: 1, from: 1, to: 1, text: '', context: '.dockerignore' }));
      if (!ignore.includes('tmp'))
        found.push(finding('X005', { line: 1, from: 1, to: 1, text: 'tmp\n', context: '.dockerignore' }));
    }
    return found;
  };
  const fixed = (rows: string[]) => {
    const files: Record<string, string> = {};
    const text = `FROM a\n${rows.join('\n')}\n`;
    const result = fixDockerfile(
      text,
      lint(files),
      { read: (name) => files[name], write: (name, edited) => void (files[name] = edited) },
      false,
    );
    const { contextFixed } = result;
    return { text: result.text, fixes: result.fixes.map((f) => f.code), fixed: result.fixed, contextFixed, files };
  };

  it.each([
    {
      name: 'a fix that changes nothing is not counted, on any pass, nor makes a pass of its own',
      rows: ['RUN b'],
      want: { text: 'FROM a\nRUN bbb\n', fixes: ['X002', 'X002'], fixed: 2, contextFixed: 0, files: {} },
    },
    {
      name: 'a fix that edits the Dockerfile and its .dockerignore is applied to both, and counted once',
      rows: ['RUN bbb', 'RUN c'],
      want: {
        text: 'FROM a\nRUN bbb\nRUN c2\n',
        fixes: ['X003'],
        fixed: 1,
        contextFixed: 0,
        files: { '.dockerignore': 'logs\n' },
      },
    },
    {
      name: 'a fix to .dockerignore that changes nothing is not counted beside one that does',
      rows: ['RUN bbb', 'RUN d'],
      want: {
        text: 'FROM a\nRUN bbb\nRUN d\n',
        fixes: ['X005'],
        fixed: 0,
        contextFixed: 1,
        files: { '.dockerignore': 'tmp\n' },
      },
    },
  ])('$name', ({ rows, want }) => {
    expect(fixed(rows)).toEqual(want);
  });
});

describe('cleanup fixes on the lint corpus (test/fixtures/lint-corpus)', () => {
  const dir = join(process.cwd(), 'test', 'fixtures', 'lint-corpus');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.Dockerfile'))
    .sort();
  const contextOf = (file: string) => (name: string) =>
    existsSync(join(dir, name)) && name.startsWith(file) ? readFileSync(join(dir, name), 'utf8') : undefined;

  for (const style of ['cleanup', 'cache-mount'] as const) {
    it(`every offered ${style} fix silences its finding, keeps each RUN valid shell, and is idempotent`, () => {
      const fixedPerCode = new Map<string, number>();
      for (const file of files) {
        const text = readFileSync(join(dir, file), 'utf8');
        const lint = (t: string) =>
          lintText(t, file, rules, { fixStyle: style, readContextFile: contextOf(file) }).findings;
        const before = lint(text).filter((f) => [...CLEANUP_RULES, ...LAYER_RULES].includes(f.code) && f.fix);
        if (before.length === 0) continue;
        const fixed = fixUntilStable(text, lint, true).text;
        for (const f of before) fixedPerCode.set(f.code, (fixedPerCode.get(f.code) ?? 0) + 1);
        // Nothing of the fixed rules is left to fix, and a second pass changes nothing.
        const left = lint(fixed).filter((f) => [...CLEANUP_RULES, ...LAYER_RULES].includes(f.code) && f.fix);
        expect({
          file,
          left: left.map((f) => `${f.code}@${f.location.kind === 'dockerfile' ? f.location.line : 0}`),
        }).toEqual({ file, left: [] });
        expect({ file, again: fixUntilStable(fixed, lint, true).text === fixed }).toEqual({ file, again: true });
        expectShellParses(fixed);
      }
      // The corpus exercises every cleanup fix and DF016's (its DF015 cases delete what COPY brought in or what is used
      // in between: no fix is offered there; the DF015 fix is tested above).
      expect([...fixedPerCode.keys()].sort()).toEqual(
        expect.arrayContaining(['DF001', 'DF006', 'DF007', 'DF008', 'DF009', 'DF010', 'DF011', 'DF016']),
      );
    });
  }
});

describe('--fix-style on the command line (fast path and oclif command)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-fix-style-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = 'FROM node:20\nRUN npm ci\n';
  writeFileSync(join(dir, 'Dockerfile'), text);
  const fast = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runLintCli(args, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      readStdin: async () => '',
      cwd: dir,
      env: {},
      color: false,
    });
    return { code, stdout, stderr };
  };

  it('--fix-style cache-mount --fix-dry-run prints the mount, both ways, and changes nothing', async () => {
    for (const run of [
      fast,
      (args: string[]) => runCli(['lint', ...args], { cwd: dir, env: { BALLAST_NO_FAST_PATH: '1' } }),
    ]) {
      const { code, stdout } = await run([
        'Dockerfile',
        '--fix-dry-run',
        '--fix-style',
        'cache-mount',
        '--fail-on',
        'none',
      ]);
      expect(code).toBe(0);
      expect(stdout).toContain('+RUN --mount=type=cache,target=/root/.npm npm ci');
      expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(text);
    }
  });

  it('an unknown --fix-style is one error line and exit 2, both ways', async () => {
    for (const run of [
      fast,
      (args: string[]) => runCli(['lint', ...args], { cwd: dir, env: { BALLAST_NO_FAST_PATH: '1' } }),
    ]) {
      const { code, stdout, stderr } = await run(['Dockerfile', '--fix', '--fix-style', 'sideways']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^error: .*fix-style.*\n$/i);
      expect(stdout).toBe('');
    }
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(text);
  });
});
