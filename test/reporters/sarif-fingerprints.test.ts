// GitHub code scanning tracks an alert across runs by its result's partialFingerprints; a result without one gets a
// hash of the content of its line. A failed budget's line is its biggest place, which moves from run to run, and an
// image finding's line is the instruction that brought its file in, which it shares with the other files of that
// layer: both need a fingerprint of what they are, not of the line they point at.
import type { Check, Finding, Report } from '../../src/report/types.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { dockerfileFinding, imageFinding, wastedBudget as wasted } from '../helpers/findings.js';
import { sarifValidator } from '../helpers/sarif.js';

// The next run's image: more wasted bytes, its biggest place another line.
const next: Check = {
  ...wasted,
  value: 2_000_000,
  message: 'wasted bytes 2.00 MB is over the 500 kB limit (maxWastedBytes)',
  locations: [{ ...wasted.locations[1], bytes: 1_200_000 }, wasted.locations[0]],
};

const secret = (path: string, line: number): Finding => {
  const f = imageFinding('app.tar', 'Dockerfile');
  return {
    ...f,
    message: `\`${path}\` (an environment file) is in the image`,
    location: { ...f.location, path, line } as Finding['location'],
    bytes: 10,
  };
};

type Result = { ruleId: string; partialFingerprints?: Record<string, string> };

function results(findings: Finding[], checks: Check[] = []): Result[] {
  const report: Report = {
    tool: { name: 'ballast', version: '0.1.0' },
    targets: findings.length ? [{ target: 'app.tar:app:1', findings, stats: {} }] : [],
    counts: { error: 0, warning: 0, info: 0, style: 0, fixable: 0 },
    rules: {},
    checks,
  };
  const sarif = JSON.parse(renderSarif(report, { color: false, cwd: '/repo' }));
  expect(sarifValidator()(sarif)).toBe(true);
  return sarif.runs[0].results;
}

const fingerprint = (r: Result) => r.partialFingerprints?.primaryLocationLineHash;

describe('sarif partialFingerprints', () => {
  it('a failed budget keeps its fingerprint when its value and biggest place change', () => {
    const [before] = results([], [wasted]);
    const [after] = results([], [next]);
    expect(fingerprint(before)).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint(after)).toBe(fingerprint(before));
  });

  it('budgets differ by id and by the file they are on', () => {
    const junk: Check = { ...wasted, id: 'maxJunkBytes.aptLists' };
    const elsewhere: Check = {
      ...wasted,
      locations: wasted.locations.map((l) => ({ ...l, file: 'services/api/Dockerfile' })),
    };
    const prints = [wasted, junk, elsewhere].map((c) => fingerprint(results([], [c])[0]));
    expect(new Set(prints).size).toBe(3);
  });

  it('image findings on one line are told apart by the file they name, and keep it when the line moves', () => {
    const [env, key] = results([secret('/app/.env', 7), secret('/app/id_rsa', 7)]);
    expect(fingerprint(env)).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint(env)).not.toBe(fingerprint(key));
    const [moved] = results([secret('/app/.env', 9)]);
    expect(fingerprint(moved)).toBe(fingerprint(env));
  });

  it("an image finding's fingerprint does not hold its size (the message says it, and it changes)", () => {
    const [small] = results([secret('/app/.env', 7)]);
    const [big] = results([{ ...secret('/app/.env', 7), message: 'other text', bytes: 99 }]);
    expect(fingerprint(big)).toBe(fingerprint(small));
  });

  it('Dockerfile findings keep the hash of their line, which code scanning computes', () => {
    const [lint] = results([dockerfileFinding('Dockerfile')]);
    expect(lint.partialFingerprints).toBeUndefined();
  });

  // ShellCheck's SC2086 twice on `RUN echo $a $b`: code scanning's hash of the line would be the same for both, and it
  // would show one alert.
  const quote = (line: number, column = 10): Finding => ({
    code: 'SC2086',
    rule: 'SC2086',
    severity: 'info',
    message: 'Double quote to prevent globbing and word splitting.',
    messageId: 'shellcheck',
    location: { kind: 'dockerfile', file: 'Dockerfile', line, column, endLine: line, endColumn: column + 2 },
  });

  it('a rule firing twice on one line: the repeat has a fingerprint of its own, the first keeps the line hash', () => {
    const [first, second, third] = results([quote(3, 10), quote(3, 13), quote(3, 16)]);
    expect(first.partialFingerprints).toBeUndefined();
    expect(fingerprint(second)).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint(third)).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint(third)).not.toBe(fingerprint(second));
    // Other rules on that line, and the rule alone on another line, keep the line hash.
    const [other, alone] = results([quote(3), dockerfileFinding('Dockerfile'), quote(5)]).slice(1);
    expect(other.partialFingerprints).toBeUndefined();
    expect(alone.partialFingerprints).toBeUndefined();
  });

  it("a repeat's fingerprint stays when its line moves, and differs from another line's repeat", () => {
    const [, onThree] = results([quote(3, 10), quote(3, 13)]);
    const [, moved] = results([quote(5, 10), quote(5, 13)]);
    expect(fingerprint(moved)).toBe(fingerprint(onThree));
    const [, a, , b] = results([quote(3, 10), quote(3, 13), quote(7, 10), quote(7, 13)]);
    expect(fingerprint(b)).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint(b)).not.toBe(fingerprint(a));
  });
});
