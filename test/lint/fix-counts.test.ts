// What `lint` counts as fixable (JSON `counts.fixable`, the text's "N problems fixable with --fix" and "(M fixable
// before any fix)") is what --fix could apply: not a fix that would leave the files as they are, nor, with no build
// context (stdin without --context), a fix that edits only a .dockerignore. `ci --format json` counts its Dockerfile's
// findings the same way. The rules that offer such fixes are made up here, beside the real ones, since no real rule
// offers a fix that changes nothing on any file we know of.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jest } from '@jest/globals';
import type { DockerfileRule } from '../../src/report/rule.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

const made = (code: string, report: DockerfileRule['create']): DockerfileRule =>
  defineRule({
    meta: dockerfileMeta({
      code,
      name: `made-up-${code}`,
      type: 'size',
      summary: code,
      defaultSeverity: 'warning',
      fix: 'always',
      messages: { found: code },
      sources: [],
    }),
    create: report,
  });
// X901's fix inserts nothing before FROM; X902's appends `tmp` to the .dockerignore until it is there (wherever there
// is a build context to read it from, and, as a careless rule might, where there is none).
const putsBack = made('X901', (ctx) => ({
  FROM: (instruction) =>
    ctx.report({
      messageId: 'found',
      at: instruction,
      fix: {
        applicability: 'safe',
        title: 'Insert nothing',
        edits: [{ range: { line: 1, column: 1, endLine: 1, endColumn: 1 }, text: '' }],
      },
    }),
}));
const ignoresTmp = made('X902', (ctx) => ({
  FROM: (instruction) => {
    const ignore = ctx.readContextFile('.dockerignore');
    if (ignore?.includes('tmp')) return;
    ctx.report({
      messageId: 'found',
      at: instruction,
      fix: {
        applicability: 'safe',
        title: 'Add tmp to .dockerignore',
        edits: [
          { range: { line: 1, column: 1, endLine: 1, endColumn: 1 }, text: 'tmp\n', contextFile: '.dockerignore' },
        ],
      },
    });
  },
}));

const actual = await import('../../rules/index.js');
jest.unstable_mockModule('../../rules/index.js', () => ({
  ...actual,
  loadDockerfileRules: async (codes?: Iterable<string>) => [
    ...(await actual.loadDockerfileRules(codes)),
    putsBack,
    ignoresTmp,
  ],
}));
const { runLintCli } = await import('../../src/lint/cli.js');
const { ci } = await import('../../src/services/ci.js');

async function run(args: string[], cwd: string, input = '') {
  let stdout = '';
  const code = await runLintCli(['--no-shellcheck', '--fail-on', 'none', ...args], {
    stdout: (t) => (stdout += t),
    stderr: () => undefined,
    readStdin: async () => input,
    cwd,
    env: {},
    color: false,
  });
  return { code, stdout };
}

describe('lint counts as fixable only the fixes --fix could apply', () => {
  const text = 'FROM alpine:3.20\nUSER 1000\n';

  it.each([
    // [what is linted, its flags, fixable (JSON counts), the text's line about fixing (none: it promises nothing)]
    ['a file', ['Dockerfile'], 1, '  1 problem fixable with --fix'],
    ['stdin', ['-'], 0, undefined],
    ['stdin with --context', ['-', '--context', '.'], 1, '  1 problem fixable with --fix'],
  ])('%s', async (_what, args, fixable, line) => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-fix-counts-'));
    writeFileSync(join(dir, 'Dockerfile'), text);
    const json = JSON.parse((await run([...args, '--format', 'json'], dir, text)).stdout);
    // Both made-up findings are reported: only what their fixes could do is counted.
    expect(json.targets[0].findings.map((f: { code: string }) => f.code)).toEqual(
      expect.arrayContaining(['X901', 'X902']),
    );
    expect(json.counts.fixable).toBe(fixable);
    const plain = (await run(args, dir, text)).stdout;
    if (line === undefined) expect(plain).not.toContain('fixable');
    else expect(plain.split('\n')).toContain(line);
  });

  // A dry run that would apply the one fix that changes something says so, with no "(2 fixable before any fix)".
  it('--fix-dry-run counts the fixes it would apply against what was fixable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-fix-counts-dry-'));
    writeFileSync(join(dir, 'Dockerfile'), text);
    const { stdout } = await run(['--fix-dry-run', 'Dockerfile'], dir);
    expect(stdout).toMatch(/^would fix 1 problem: X902 \(would create \.dockerignore\)$/m);
  });
});

describe('ci counts as fixable what lint counts', () => {
  it("a fix that changes nothing is not counted in ci's report either", async () => {
    // Given a Dockerfile where X901's fix changes nothing and X902's adds tmp to the .dockerignore beside it
    const dir = mkdtempSync(join(tmpdir(), 'ballast-fix-counts-ci-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:3.20\nUSER 1000\n');
    // When the gate runs on an image with that Dockerfile
    const r = await ci({
      image: resolve('test/fixtures/dive/test-docker-image.tar'),
      cwd: dir,
      dockerfile: join(dir, 'Dockerfile'),
      workers: 0,
    });
    // Then both findings are reported, and only X902's is fixable, as lint counts it
    const codes = r.report.targets.flatMap((t) => t.findings.map((f) => f.code));
    expect(codes).toEqual(expect.arrayContaining(['X901', 'X902']));
    const lint = JSON.parse((await run(['Dockerfile', '--format', 'json'], dir)).stdout);
    expect(lint.counts.fixable).toBe(1);
    expect(r.report.counts.fixable).toBe(lint.counts.fixable);
  });
});
