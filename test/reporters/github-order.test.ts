// GitHub shows only the first annotations of each level per step (10 errors, 10 warnings): the lines that decide the
// gate (failed budgets, files that could not be read) come first, then findings largest first, so that the ones cut
// off are the smallest findings rather than the verdict.
import { loadReporter } from '../../src/reporters/index.js';
import type { Check, Finding, Report } from '../../src/report/types.js';
import { imageFinding } from '../helpers/findings.js';

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
