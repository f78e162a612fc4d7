// A failed budget in the machine formats (annotations, SARIF, JUnit, Code Quality, checkstyle) says what to do about
// it, as the text report does under "the lines to fix": its biggest place, not only its value and limit.
import { budgetRule, loadReporter } from '../../src/reporters/index.js';
import { BUDGET_KEYS } from '../../src/config/ci.js';
import type { Check, Report } from '../../src/report/types.js';
import { wastedBudget as wasted } from '../helpers/findings.js';
import { parseJunit } from '../helpers/junit.js';

const report = (checks: Check[]): Report => ({
  tool: { name: 'ballast', version: '0.0.0' },
  targets: [],
  counts: { error: 0, warning: 0, info: 0, style: 0, fixable: 0 },
  rules: {},
  checks,
});

const ADVICE = 'fix first: Dockerfile:13 (layer 2, 1.00 MB): RUN curl -o /tmp/tool.tgz https://x (and 1 more place)';

describe('a failed budget in the machine formats', () => {
  const render = async (format: string, checks: Check[] = [wasted]) =>
    (await loadReporter(format))(report(checks), { color: false, cwd: '/repo' });

  it('github: the annotation says what to fix first', async () => {
    expect(await render('github')).toBe(
      `::error file=Dockerfile,line=13,title=budget/maxWastedBytes wasted-bytes::${wasted.message}; ${ADVICE}`,
    );
  });

  it("every budget a config can set, and dive's, has a rule name of its own", () => {
    const ids = [...BUDGET_KEYS, 'maxImageBytes.compressed', 'lowestEfficiency', 'highestWastedBytes'];
    for (const id of [...ids, 'highestUserWastedPercent'])
      expect({ id, rule: budgetRule(id) }).not.toEqual({ id, rule: 'budget' });
  });

  it('each format names a budget once: its id as the code, what it measures as the rule', async () => {
    const junk: Check = { ...wasted, id: 'maxJunkBytes.pythonBytecode', title: 'junk: Python bytecode' };
    expect(await render('github', [junk])).toContain('title=budget/maxJunkBytes.pythonBytecode junk-python-bytecode::');
    expect(JSON.parse(await render('codeclimate'))[0].check_name).toBe('budget/maxWastedBytes wasted-bytes');
    expect(await render('checkstyle', [junk])).toContain(
      'source="ballast.budget/maxJunkBytes.pythonBytecode.junk-python-bytecode"',
    );
    const rule = JSON.parse(await render('sarif')).runs[0].tool.driver.rules[0];
    expect(rule).toMatchObject({ id: 'budget/maxWastedBytes', name: 'wasted-bytes' });
  });

  it('sarif: the result message says what to fix first', async () => {
    const sarif = JSON.parse(await render('sarif'));
    expect(sarif.runs[0].results[0].message.text).toBe(`${wasted.message}; ${ADVICE}`);
  });

  it('codeclimate and checkstyle: the description and message say what to fix first', async () => {
    expect(JSON.parse(await render('codeclimate'))[0].description).toBe(`${wasted.message}; ${ADVICE}`);
    // GitLab matches issues by fingerprint (path, line, code, message): naming the budget's rule must not move it.
    expect(JSON.parse(await render('codeclimate'))[0].fingerprint).toBe('8a15fc919ebb362336e6f95e518b18d3');
    expect(await render('checkstyle')).toContain(`message="${wasted.message}; ${ADVICE}"`);
  });

  it("junit: the failure's message says what to fix first; its body still lists every place", async () => {
    const failure = parseJunit(await render('junit')).cases[0].failure!;
    expect(failure.message).toBe(`${wasted.message}; ${ADVICE}`);
    expect(failure.text).toContain(
      'fix: Dockerfile:13 (layer 2, 1.00 MB, 1,000,000 B); Dockerfile:15 (layer 3, 405 kB, 405,000 B)',
    );
    // Under 1 kB the size is exact already: once, not `106 B, 106 B`
    const small: Check = { ...wasted, locations: [{ ...wasted.locations[0], bytes: 106 }] };
    expect(parseJunit(await render('junit', [small])).cases[0].failure!.text).toContain(
      'fix: Dockerfile:13 (layer 2, 106 B)',
    );
  });

  it('one line, whatever the instruction: a multi-line RUN is folded and cut; a finding (failOn) is kept whole', async () => {
    const long = `RUN apt-get update \\\n    && apt-get install -y ${'package '.repeat(30)}`;
    const finding = `IM001 apt package lists are left in layer 1; add \`&& rm -rf /var/lib/apt/lists/*\` ${'to the same RUN '.repeat(8)}`;
    const annotations = await render('github', [
      { ...wasted, locations: [{ ...wasted.locations[0], text: long }] },
      {
        ...wasted,
        id: 'failOn',
        message: '1 finding at or above warning (failOn)',
        locations: [{ file: 'Dockerfile', line: 8, layerIndex: 1, bytes: 600_000, rule: 'IM001', text: finding }],
      },
    ]);
    const lines = annotations.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /; fix first: Dockerfile:13 \(layer 2, 1\.00 MB\): RUN apt-get update \\ && apt-get install -y package .*…$/,
    );
    expect(lines[1]).toContain(`; fix first: Dockerfile:8 (layer 1, 600 kB): ${finding.trim()}`);
  });

  // failOn counts findings and lists the first five with a place: "6 findings ... (and 4 more places)" added up to 5.
  it.each([
    [6, 5, '(and 5 more findings)'],
    [3, 1, '(and 2 more findings)'],
    [1, 1, ''],
  ])('failOn with %i findings, %i listed: the advice ends %j', async (value, listed, end) => {
    const failOn: Check = {
      ...wasted,
      id: 'failOn',
      unit: 'count',
      value,
      limit: 0,
      message: `${value} findings at or above warning (failOn)`,
      locations: Array.from({ length: listed }, (_, i) => ({
        file: 'Dockerfile',
        line: 11 + i,
        rule: 'DF014',
        text: 'DF014 apt-get install without --no-install-recommends',
      })),
    };
    const annotation = await render('github', [failOn]);
    expect(annotation).toContain('; fix first: Dockerfile:11: DF014 apt-get install without --no-install-recommends');
    expect(annotation.endsWith(`--no-install-recommends${end ? ` ${end}` : ''}`)).toBe(true);
    // JUnit's body lists the places and then the rest, as the text and Markdown reports do
    const failure = parseJunit(await render('junit', [failOn])).cases[0].failure!;
    expect(failure.message.endsWith(`--no-install-recommends${end ? ` ${end}` : ''}`)).toBe(true);
    if (value > listed)
      expect(failure.text).toMatch(
        new RegExp(`Dockerfile:${10 + listed} \\(DF014\\); …and ${value - listed} more findings?$`),
      );
  });

  it('codeclimate: a budget still failed with another value and biggest place is the same GitLab issue', async () => {
    // Given the next pipeline's image: more wasted bytes, its biggest place another line
    const next: Check = {
      ...wasted,
      value: 2_000_000,
      message: 'wasted bytes 2.00 MB is over the 500 kB limit (maxWastedBytes)',
      locations: [{ ...wasted.locations[1], bytes: 1_200_000 }, wasted.locations[0]],
    };
    const [before] = JSON.parse(await render('codeclimate'));
    const [after] = JSON.parse(await render('codeclimate', [next]));
    // Then GitLab reads the same issue (it matches by fingerprint), not one fixed and one new
    expect(after.fingerprint).toBe(before.fingerprint);
    expect(after.location.lines.begin).toBe(15);
  });

  it('a budget with no place to point at (growth) keeps its message alone', async () => {
    const growth: Check = {
      ...wasted,
      id: 'maxGrowthBytes',
      message: 'growth is over (maxGrowthBytes)',
      locations: [],
    };
    expect(JSON.parse(await render('sarif', [growth])).runs[0].results[0].message.text).toBe(growth.message);
  });
});

// The advice names its file as the result it is in does: a job run from services/api has its annotation on
// services/api/Dockerfile, and a Dockerfile outside the checkout starts its annotation with its absolute path; the
// advice read `Dockerfile:13` or `../x/Dockerfile:13` (from the working directory) beside them.
describe("a failed budget's advice names its file as its result does", () => {
  const at = (file: string): Check => ({
    ...wasted,
    locations: wasted.locations.map((l) => ({ ...l, file })),
  });
  const render = async (format: string, check: Check) =>
    (await loadReporter(format))(report([check]), { color: false, cwd: '/srv/repo/services/api', root: '/srv/repo' });

  it('github: from the root under it, absolute outside it', async () => {
    expect(await render('github', at('Dockerfile'))).toContain(
      '::error file=services/api/Dockerfile,line=13,title=budget/maxWastedBytes wasted-bytes::wasted bytes 1.41 MB is over the 500 kB limit (maxWastedBytes); fix first: services/api/Dockerfile:13 (layer 2, 1.00 MB)',
    );
    expect(await render('github', at('../../../x/Dockerfile'))).toContain(
      '::/srv/x/Dockerfile:13: wasted bytes 1.41 MB is over the 500 kB limit (maxWastedBytes); fix first: /srv/x/Dockerfile:13 (layer 2, 1.00 MB)',
    );
  });

  it('sarif and codeclimate: as their locations name it', async () => {
    const sarif = JSON.parse(await render('sarif', at('../../../x/Dockerfile')));
    expect(sarif.runs[0].results[0].message.text).toContain('fix first: /srv/x/Dockerfile:13 (layer 2, 1.00 MB)');
    const issue = JSON.parse(await render('codeclimate', at('Dockerfile')))[0];
    expect(issue.location.path).toBe('services/api/Dockerfile');
    expect(issue.description).toContain('fix first: services/api/Dockerfile:13 (layer 2, 1.00 MB)');
  });
});

describe('stylish: failed budgets under the image they measured', () => {
  it("are listed after the image's findings under its one heading, not under a second heading of the same name", async () => {
    const finding = {
      code: 'IM003',
      rule: 'deleted-file-still-shipped',
      severity: 'warning' as const,
      message: 'layer 2 adds a file that layer 5 deletes',
      messageId: 'deleted',
      location: { kind: 'image' as const, image: 'app.tar', layerIndex: 2, file: 'Dockerfile', line: 13 },
    };
    const text = (await loadReporter('stylish'))(
      { ...report([wasted]), targets: [{ target: 'app.tar:app:1', findings: [finding], stats: {} }] },
      { color: false, cwd: '/repo' },
    );
    expect(text.split('\n').filter((l) => l === 'app.tar:app:1')).toHaveLength(1);
    expect(text).toMatch(
      /app\.tar:app:1\n {2}layer 2 +warning +layer 2 adds.*\n {2}layer 2 +error +wasted bytes 1\.41 MB/,
    );
  });

  it('image rows are at their layer, or `-`: never a Dockerfile line:col under the image heading', async () => {
    // Given image findings under the image: one attributed to a Dockerfile line, one with only an image path, one
    // with neither (a growth budget has no place at all)
    const at = (location: Record<string, unknown>, message: string) => ({
      code: 'IM004',
      rule: 'overwritten-in-later-layer',
      severity: 'info' as const,
      message,
      messageId: 'x',
      location: { kind: 'image' as const, image: 'app.tar', ...location },
    });
    const growth: Check = { ...wasted, id: 'maxGrowthBytes', message: 'grew 2 MB (maxGrowthBytes)', locations: [] };
    const text = (await loadReporter('stylish'))(
      {
        ...report([growth]),
        targets: [
          {
            target: 'app.tar:app:1',
            findings: [
              at({ layerIndex: 6, file: 'Dockerfile', line: 29 }, 'first'),
              at({ layerIndex: 1, path: '/var/cache/apt/pkgcache.bin' }, 'second'),
              at({}, 'third'),
            ],
            stats: {},
          },
        ],
      },
      { color: false, cwd: '/repo' },
    );
    // Then each reads at its layer, or `-` when it has none
    expect(text).toMatch(/^ {2}layer 6 +info +first/m);
    expect(text).toMatch(/^ {2}layer 1 +info +second/m);
    expect(text).toMatch(/^ {2}- +info +third/m);
    expect(text).toMatch(/^ {2}- +error +grew 2 MB/m);
    expect(text).not.toMatch(/\d+:\d+/);
  });
});
