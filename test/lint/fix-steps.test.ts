// lint --fix --verify's plan: the fixes one at a time, with the files after each (fixSteps, through the lint service's
// fixPlan). No build here: the order, the cumulative files, and that the last step is exactly what --fix writes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDockerfileRules } from '../../rules/index.js';
import { lintText } from '../../src/lint/engine.js';
import { fixSteps } from '../../src/lint/fixer.js';
import { contextEntryOf } from '../../src/lint/rule-tester.js';
import type { Finding } from '../../src/report/types.js';
import { lint } from '../../src/services/lint.js';

const temp = () => mkdtempSync(join(tmpdir(), 'ballast-fix-steps-'));

async function plan(dir: string) {
  const result = await lint({
    files: ['Dockerfile'],
    cwd: dir,
    fixDryRun: true,
    fixPlan: true,
    unsafeFixes: true,
    shellcheck: false,
  });
  return result.fixSteps!;
}

async function fixForReal(dir: string): Promise<void> {
  await lint({ files: ['Dockerfile'], cwd: dir, fix: true, unsafeFixes: true, shellcheck: false });
}

describe('fix steps (lint --fix --verify, one fix at a time)', () => {
  it('applies a pass bottom-up, one fix per step, each step on top of the one before; the last is what --fix writes', async () => {
    const dir = temp();
    const original = [
      'FROM debian:12',
      'RUN apt-get update',
      'COPY big.bin /x',
      'RUN chmod 600 /x',
      'WORKDIR /',
      'RUN head -c 10 /dev/zero > /blob',
      'ENV A=1',
      'RUN rm /blob',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'Dockerfile'), original);
    writeFileSync(join(dir, '.dockerignore'), '.git\n');
    // A file in the build context: DF014 folds the chmod into COPY --chmod only when the source is one.
    writeFileSync(join(dir, 'big.bin'), 'x');
    const steps = await plan(dir);
    expect(steps.map((s) => [s.findings.map((f) => f.code).join('+'), s.pass, s.passStart])).toEqual([
      ['DF015', 1, -1],
      ['DF014', 1, -1],
      ['DF001', 1, -1],
    ]);
    // Each step changes the file from a line no higher than the step before it (so the builds share their beginning)
    const lines = (t: string) => t.split('\n');
    const firstChange = (a: string, b: string) => lines(a).findIndex((l, i) => l !== lines(b)[i]);
    const texts = [original, ...steps.map((s) => s.text)];
    const changed = texts.slice(1).map((t, i) => firstChange(texts[i]!, t));
    expect(changed).toEqual([5, 2, 1]);
    expect(steps[0]!.text).toContain('RUN head -c 10 /dev/zero > /blob && rm /blob\nENV A=1\n');
    expect(steps[0]!.text).toContain('RUN chmod 600 /x'); // DF014 not yet
    expect(steps[1]!.text).toContain('COPY --chmod=600 big.bin /x');
    expect(steps[1]!.text).toContain('RUN apt-get update\n'); // DF001 not yet
    // planning wrote nothing; --fix then writes exactly the last step
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(original);
    await fixForReal(dir);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(steps.at(-1)!.text);
  });

  it('.dockerignore fixes come first, one entry per step, with the ignore file each step builds with', async () => {
    const dir = temp();
    // (An install: without one the context's node_modules is the app's, and DF026 leaves it in.)
    const original = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD ["node", "index.js"]\n';
    writeFileSync(join(dir, 'Dockerfile'), original);
    writeFileSync(join(dir, 'package.json'), '{}\n');
    writeFileSync(join(dir, '.dockerignore'), 'dist\n');
    const steps = await plan(dir);
    const df026 = steps.filter((s) => s.findings[0]!.code === 'DF026');
    expect(df026.map((s) => s.findings[0]!.fix!.title)).toEqual([
      'Add .git to .dockerignore',
      'Add node_modules to .dockerignore',
    ]);
    expect(df026.map((s) => s.context.get('.dockerignore'))).toEqual(['dist\n.git\n', 'dist\nnode_modules\n.git\n']);
    // the Dockerfile is untouched by these steps
    expect(df026.every((s) => s.text === original)).toBe(true);
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe('dist\n');
    await fixForReal(dir);
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe(steps.at(-1)!.context.get('.dockerignore'));
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(steps.at(-1)!.text);
  });

  it('a fix that needs an earlier one is a later pass, starting from the step that ended the pass before', async () => {
    const dir = temp();
    // Three short RUNs: joining the second onto the first overlaps joining the third onto the second, so the fixer
    // joins one pair per pass.
    writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12\nRUN echo a\nRUN echo b\nRUN echo c\n');
    const steps = await plan(dir);
    expect(steps.map((s) => [s.findings[0]!.code, s.pass, s.passStart])).toEqual([
      ['DF016', 1, -1],
      ['DF016', 2, 0],
    ]);
    await fixForReal(dir);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(steps.at(-1)!.text);
  });

  it('lints the text where the .dockerignore passes end and the Dockerfile passes begin once, not twice', async () => {
    const rules = await loadDockerfileRules();
    const files: Record<string, string> = { 'package.json': '{}' };
    const text =
      'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN apt-get update && apt-get install -y curl\nCOPY dist/ /srv/\n';
    // Each lint, with the Dockerfile text and the context files it saw.
    const calls: string[] = [];
    const steps = fixSteps(
      text,
      (t, read) => {
        const seen = Object.fromEntries(['.dockerignore', 'package.json'].map((name) => [name, read(name) ?? null]));
        calls.push(`${JSON.stringify(seen)}\n${t}`);
        return lintText(t, 'Dockerfile', rules, {
          readContextFile: read,
          contextEntry: (name) => contextEntryOf(files, name),
        }).findings;
      },
      (name) => files[name],
      true,
    );
    // Both kinds of pass ran, and no lint repeated the one just before it (same text, same context files).
    expect(steps.some((s) => s.findings.some((f) => f.fix!.edits.some((e) => e.context)))).toBe(true);
    expect(steps.at(-1)!.text).not.toBe(text);
    expect(calls.filter((c, i) => i > 0 && c === calls[i - 1])).toEqual([]);
  });

  it('a fix that edits the Dockerfile and its .dockerignore is one step, with both files as it leaves them', () => {
    // Made up for the fixer: it turns `RUN c` into `RUN c2` and appends `logs` to .dockerignore, until both are done.
    const fixOf = (text: string, read: (name: string) => string | undefined | null): Finding[] =>
      text.includes('RUN c\n') && !(read('.dockerignore') ?? '').includes('logs')
        ? [
            {
              code: 'X003',
              rule: 'X003',
              severity: 'warning',
              message: 'X003',
              messageId: 'X003',
              location: { kind: 'dockerfile', file: 'Dockerfile', line: 2, column: 1, endLine: 2, endColumn: 6 },
              fix: {
                applicability: 'safe',
                title: 'X003',
                edits: [
                  { file: 'Dockerfile', range: { line: 2, column: 6, endLine: 2, endColumn: 6 }, text: '2' },
                  {
                    file: '.dockerignore',
                    range: { line: 2, column: 1, endLine: 2, endColumn: 1 },
                    text: 'logs\n',
                    context: true,
                  },
                ],
              },
            },
          ]
        : [];
    const steps = fixSteps('FROM a\nRUN c\n', fixOf, () => '.git\n', false);
    expect(steps.map((s) => ({ codes: s.findings.map((f) => f.code), text: s.text, context: [...s.context] }))).toEqual(
      [{ codes: ['X003'], text: 'FROM a\nRUN c2\n', context: [['.dockerignore', '.git\nlogs\n']] }],
    );
  });
});
