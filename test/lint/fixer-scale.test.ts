// The fixer on files with many fixable findings: the work per finding must not grow with the file. The sizes are chosen
// so that work proportional to the file per finding (as before) takes minutes and linear work about a second; the bound
// (jest cannot time out a synchronous test) sits far between the two, so a loaded machine does not fail it.
import { describe, expect, it } from '@jest/globals';
import { mergeRuns } from '../../src/lint/autofix.js';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { loadDockerfileRules } from '../../rules/index.js';
import { lintText } from '../../src/lint/engine.js';
import { changesSomething, fixSteps, fixUntilStable } from '../../src/lint/fixer.js';
import type { Finding } from '../../src/report/types.js';

/** A finding on `line` whose fix replaces `from` there (column 1) by `to`. */
function finding(line: number, from: string, to: string): Finding {
  const range = { line, column: 1, endLine: line, endColumn: from.length + 1 };
  return {
    code: 'DF000',
    rule: 'test',
    severity: 'info',
    message: 'm',
    messageId: 'm',
    location: { kind: 'dockerfile', file: 'Dockerfile', ...range },
    fix: { applicability: 'safe', title: 't', edits: [{ file: 'Dockerfile', range, text: to }] },
  };
}

const N = 40_000;
const BOUND_MS = 20_000;

/** Runs `work` and checks it finished under BOUND_MS. */
function linear<T>(work: () => T): T {
  const start = Date.now();
  const result = work();
  expect(Date.now() - start).toBeLessThan(BOUND_MS);
  return result;
}
const text = ['FROM alpine:3.19', ...Array.from({ length: N }, () => 'RUN true'), ''].join('\n');

describe('fixer on many findings', () => {
  it('tells for each finding whether its fix changes the text, without applying it to the whole text', () => {
    const findings = Array.from({ length: N }, (_, i) => finding(i + 2, 'RUN true', i % 2 ? 'RUN true' : 'RUN :'));
    const changing = linear(() => findings.filter((f) => changesSomething(text, f)));
    expect(changing.length).toBe(N / 2);
    expect(changing[0].location).toMatchObject({ line: 2 });
  }, 60_000);

  it('applies thousands of fixes in one pass, each checked against its neighbours only', () => {
    const lint = (current: string) =>
      current.split('\n').flatMap((l, i) => (l === 'RUN true' ? [finding(i + 1, 'RUN true', 'RUN :')] : []));
    const fixed = linear(() => fixUntilStable(text, lint));
    expect(fixed.fixed).toBe(N);
    expect(fixed.text).toBe(text.replaceAll('RUN true', 'RUN :'));
  }, 60_000);

  it('takes one fix of 200,000 edits: -y after each apt-get install of a 4 MB RUN (DF204)', async () => {
    // `lint --fix` of it stopped with 'Maximum call stack size exceeded': the span and the top of a fix's edits were
    // found with Math.min(...edits) and Math.max(...edits), one argument per edit.
    const rules = await loadDockerfileRules();
    const dockerfile = `FROM alpine:3.19\nRUN ${'apt-get install a; '.repeat(200_000)}true\n`;
    const lint = (current: string) =>
      lintText(current, 'Dockerfile', rules, { readContextFile: () => undefined }).findings;
    const [missingYes] = lint(dockerfile).filter((f) => f.code === 'DF204');
    expect(missingYes.fix!.edits).toHaveLength(200_000);
    expect(changesSomething(dockerfile, missingYes)).toBe(true);
    const fixed = fixUntilStable(dockerfile, lint);
    // Compared as counts: a failure printing 4 MB texts says nothing.
    expect(fixed.text.split('apt-get install -y ').length - 1).toBe(200_000);
    expect(lint(fixed.text).filter((f) => f.code === 'DF204').length).toBe(0);
    // --fix --dry-run's steps, ordered by the top of each fix
    expect(fixSteps(dockerfile, lint, () => undefined).at(-1)?.text === fixed.text).toBe(true);
  }, 600_000);

  it('joins two RUNs at the same cost however many lines are above them', () => {
    const parsed = parseDockerfile(
      ['FROM alpine:3.19', ...Array.from({ length: 100_000 }, () => '# c'), 'RUN a', 'RUN b', ''].join('\n'),
      'Dockerfile',
    );
    const [, first, second] = parsed.instructions;
    const edit = linear(() => {
      let last;
      for (let i = 0; i < 100_000; i += 1) last = mergeRuns(parsed, first, second, undefined);
      return last;
    });
    expect(edit?.text).toBe('RUN a \\\n && b');
  }, 60_000);

  it('lints a RUN installing thousands of packages at a cost linear in them (DF105, DF005)', async () => {
    const rules = await loadDockerfileRules();
    for (const command of ['apt-get install -y', 'apk add']) {
      const packages = Array.from({ length: 40_000 }, (_, i) => `  pkg${i} \\`);
      const dockerfile = ['FROM alpine:3.19', `RUN ${command} \\`, ...packages, '  last', ''].join('\n');
      const codes = linear(() => lintText(dockerfile, 'Dockerfile', rules).findings.map((f) => f.code));
      expect(codes).toContain(command === 'apk add' ? 'DF005' : 'DF105');
    }
  }, 600_000);
});
