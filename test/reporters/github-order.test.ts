// GitHub shows only the first annotations of each level per step (10 errors, 10 warnings): the lines that decide the
// gate (failed budgets, files that could not be read) come first, then findings largest first, so that the ones cut
// off are the smallest findings rather than the verdict.
import { loadReporter } from '../../src/reporters/index.js';
import type { Check, Finding, Report } from '../../src/report/types.js';
import { dockerfileFinding, imageFinding } from '../helpers/findings.js';

const budget: Check = {
  id: 'maxImageBytes',
  title: 'image size',
  status: 'fail',
  value: 2_000_000,
  limit: 1_000_000,
  unit: 'bytes',
  message: 'image size 2.00 MB is over the 1.00 MB limit (maxImageBytes)',
  locations: [],
  target: 'app.tar',
  image: 'app.tar',
};

// Twelve error findings of growing size, in the order a target lists them (not sorted).
const findings: Finding[] = Array.from({ length: 12 }, (_, i) => ({
  ...imageFinding('app.tar', 'Dockerfile'),
  message: `secret ${i}`,
  bytes: 100 + i,
}));

const report: Report = {
  tool: { name: 'ballast', version: '0.0.0' },
  targets: [
    { target: 'app.tar', findings: findings.slice(0, 6), stats: {} },
    { target: 'Dockerfile', findings: findings.slice(6), stats: {} },
  ],
  counts: { error: 12, warning: 0, info: 0, style: 0, fixable: 0 },
  rules: {},
  checks: [{ ...budget, id: 'maxJunkBytes', status: 'pass' }, budget],
  unreadable: [{ path: 'other/Dockerfile', code: 'ENOENT', message: 'cannot read other/Dockerfile' }],
};

describe('github annotations: the verdict before the findings', () => {
  it('prints failed budgets and unreadable files first, then findings largest first', async () => {
    const lines = (await loadReporter('github'))(report, { color: false, cwd: '/repo' }).split('\n');
    expect(lines).toHaveLength(14);
    // Then the budget is within the first ten errors GitHub shows, whatever the number of findings
    expect(lines[0]).toContain('title=budget/maxImageBytes');
    expect(lines[1]).toBe('::error title=ballast::cannot read other/Dockerfile');
    expect(lines.slice(2).map((l) => l.slice(l.lastIndexOf('::') + 2))).toEqual(
      Array.from({ length: 12 }, (_, i) => `secret ${11 - i}`),
    );
  });
});

// A gate over ten budgets, as ci's bloated example is: the one secret (106 B, the only error finding) must not be the
// 11th error, after every warning, where GitHub drops it.
const tenBudgets: Check[] = Array.from({ length: 10 }, (_, i) => ({ ...budget, id: `maxBudget${i}` }));
const secret: Finding = { ...imageFinding('app.tar', 'Dockerfile'), message: 'the secret', bytes: 106 };
// Twelve image warnings bigger than the secret, and two Dockerfile warnings with no bytes.
const bigWarnings: Finding[] = Array.from({ length: 12 }, (_, i) => ({
  ...imageFinding('app.tar', 'Dockerfile'),
  code: 'IM001',
  severity: 'warning',
  message: `warning ${i}`,
  bytes: 1_000_000 + i,
}));
const lintWarnings: Finding[] = [0, 1].map((i) => ({ ...dockerfileFinding('Dockerfile'), message: `lint ${i}` }));
const gated: Report = {
  ...report,
  targets: [
    { target: 'app.tar', findings: [...bigWarnings.slice(0, 6), secret, ...bigWarnings.slice(6)], stats: {} },
    { target: 'Dockerfile', findings: lintWarnings, stats: {} },
  ],
  counts: { error: 1, warning: 14, info: 0, style: 0, fixable: 0 },
  checks: tenBudgets,
  unreadable: [],
};
const messageOf = (l: string) => l.slice(l.lastIndexOf('::') + 2);

describe('github annotations: the first ten of a level hold every kind', () => {
  // When the checks write ten errors of their own, GitHub shows at most ten of each level: a secret pushed to the
  // eleventh error was never shown on the pull request.
  const table: { name: string; level: string; within: string[] }[] = [
    { name: 'the error finding is among the first ten errors', level: '::error ', within: ['the secret'] },
    {
      name: 'the Dockerfile warnings are among the first ten warnings',
      level: '::warning ',
      within: ['lint 0', 'lint 1'],
    },
  ];
  it.each(table)('$name', async ({ level, within }) => {
    const lines = (await loadReporter('github'))(gated, { color: false, cwd: '/repo' }).split('\n');
    const shown = lines
      .filter((l) => l.startsWith(level))
      .slice(0, 10)
      .map(messageOf);
    for (const m of within) expect(shown).toContain(m);
  });

  it('writes the errors before the warnings, as the reports list them', async () => {
    const lines = (await loadReporter('github'))(gated, { color: false, cwd: '/repo' }).split('\n');
    const levels = lines.map((l) => l.slice(0, l.indexOf(' ')));
    expect(levels).toEqual([...Array(11).fill('::error'), ...Array(14).fill('::warning')]);
  });
});

// lint over many files (pre-commit passes many): GitHub shows the first ten warnings, and with the files in turn they
// were all the first file's, so files 2..N had no annotation on the pull request.
const fileFindings = (file: string, n: number, severity: Finding['severity']): Finding[] =>
  Array.from({ length: n }, (_, i) => ({ ...dockerfileFinding(file), severity, message: `${file} ${i}` }));
const manyFiles: Report = {
  ...report,
  targets: ['a/Dockerfile', 'b/Dockerfile', 'c/Dockerfile', 'd/Dockerfile'].map((file) => ({
    target: file,
    findings: (['error', 'warning', 'info'] as const).flatMap((severity) =>
      fileFindings(file, file === 'a/Dockerfile' ? 12 : 3, severity),
    ),
    stats: {},
  })),
  counts: { error: 21, warning: 21, info: 21, style: 0, fixable: 0 },
  checks: [],
  unreadable: [],
};

describe('github annotations: the first ten of a level shared between files', () => {
  // Slots go to the files in turn (a, b, c, d, a, b, c, d, a, b); the lines of a file stay together.
  const inTurn = [
    ...['a/Dockerfile 0', 'a/Dockerfile 1', 'a/Dockerfile 2'],
    ...['b/Dockerfile 0', 'b/Dockerfile 1', 'b/Dockerfile 2'],
    ...['c/Dockerfile 0', 'c/Dockerfile 1'],
    ...['d/Dockerfile 0', 'd/Dockerfile 1'],
  ];
  const table: { name: string; level: string; first: string[] }[] = [
    {
      name: 'the first ten errors take each file in turn, each file in its own order',
      level: '::error ',
      first: inTurn,
    },
    {
      name: 'the first ten warnings take each file in turn, each file in its own order',
      level: '::warning ',
      first: inTurn,
    },
    {
      // GitHub documents no limit for notices: they stay in the files' order.
      name: 'notices stay in the files order',
      level: '::notice ',
      first: Array.from({ length: 10 }, (_, i) => `a/Dockerfile ${i}`),
    },
  ];
  it.each(table)('$name', async ({ level, first }) => {
    const lines = (await loadReporter('github'))(manyFiles, { color: false, cwd: '/repo' }).split('\n');
    const of = lines.filter((l) => l.startsWith(level)).map(messageOf);
    expect(of.slice(0, 10)).toEqual(first);
    // Every annotation is still printed (GitHub drops those past the tenth), each file's in its own order.
    expect(of).toHaveLength(21);
    for (const file of ['a/Dockerfile', 'b/Dockerfile']) {
      const mine = of.filter((m) => m.startsWith(file));
      expect(mine).toEqual(mine.map((_, i) => `${file} ${i}`));
    }
  });
});
