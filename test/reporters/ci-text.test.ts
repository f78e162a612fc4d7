// The budgets table of `ballast ci`'s text report: a skipped budget shows why it was skipped, the part of its message
// after its title, whatever the title holds.
import type { Check } from '../../src/report/types.js';
import { renderCiText } from '../../src/reporters/ci-text.js';
import type { CiResult } from '../../src/services/ci.js';

function skipped(title: string, reason: string): Check {
  return {
    id: 'someBudget',
    title,
    target: '',
    status: 'skip',
    value: null,
    limit: null,
    unit: 'bytes',
    message: `${title}: ${reason}`,
    locations: [],
  };
}

/** A passing result with these checks and nothing else (the parts of CiResult the text view reads). */
function result(checks: Check[]): CiResult {
  return {
    image: { reference: 'app.tar' },
    verdict: 'pass',
    counts: { pass: 0, fail: 0, skip: checks.length },
    checks,
    fixFirst: [],
    notes: [],
    report: { targets: [], counts: { error: 0, warning: 0, info: 0, style: 0 } },
  } as unknown as CiResult;
}

describe('ci text report, skipped budgets', () => {
  it.each([
    ['wasted bytes', 'no limit set'],
    ['wasted bytes (dive: every copy of a duplicated path)', 'no limit set'],
    ['efficiency', 'not measured: the image has one layer'],
  ])('a budget titled %j shows %j', (title, reason) => {
    const row = renderCiText(result([skipped(title, reason)]), { color: false })
      .split('\n')
      .find((l) => l.startsWith('SKIP'))!;
    expect(row.trimEnd()).toMatch(new RegExp(`^SKIP\\s+someBudget\\s+.*\\s{2}${reason.replace(/[().:]/g, '\\$&')}$`));
  });
});

describe('ci text report, headline of a pass', () => {
  // A job that set only `compressed=500MB` on a docker-save archive (stored uncompressed: not measured) was told
  // "every budget met" although no budget was checked; the SKIP row below said why, the line a reader stops at did not.
  it('names the budgets set but not measured', () => {
    const notMeasured = { ...skipped('compressed image size', 'not measured: stored uncompressed'), limit: 500e6 };
    notMeasured.id = 'maxImageBytes.compressed';
    const head = renderCiText(result([notMeasured, skipped('wasted bytes', 'no limit set')]), { color: false }).split(
      '\n',
    )[0];
    expect(head).toBe('PASS app.tar: no budget failed; 1 budget set but not measured (maxImageBytes.compressed)');
  });

  const failOn = (status: 'pass' | 'skip'): Check => ({
    ...skipped('findings at or above error', status === 'skip' ? 'failOn is none' : ''),
    id: 'failOn',
    status,
    limit: status === 'skip' ? null : 0,
    value: 0,
  });

  it('says every budget met when each one set was measured', () => {
    const met: Check = { ...skipped('wasted bytes', ''), status: 'pass', value: 1, limit: 2 };
    const head = renderCiText(result([met, skipped('efficiency', 'no limit set'), failOn('pass')]), {
      color: false,
    }).split('\n')[0];
    expect(head).toBe('PASS app.tar: every budget met');
  });

  // A first run with no config passed with "every budget met" when no size budget was set at all: only failOn.
  it('says no budget is set when none is but failOn, or none at all', () => {
    const head = (checks: Check[]) => renderCiText(result(checks), { color: false }).split('\n')[0];
    expect(head([skipped('wasted bytes', 'no limit set'), failOn('pass')])).toBe(
      'PASS app.tar: no budget set; failOn met',
    );
    expect(head([skipped('wasted bytes', 'no limit set'), failOn('skip')])).toBe('PASS app.tar: no budget set');
  });
});
