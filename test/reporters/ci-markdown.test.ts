// The budgets table of `ballast ci`'s Markdown report (the GitHub step summary): a failed failOn check names the rule
// of each finding behind it, so the summary says what to fix and not only where.
import type { Check } from '../../src/report/types.js';
import { renderCiMarkdown } from '../../src/reporters/ci-markdown.js';
import type { CiResult } from '../../src/services/ci.js';
import { ciResult, failOnCheck, gatedPlatforms } from '../helpers/ci-result.js';

/** A failed result with these checks (the title and headline the tests read say failed). */
const result = (checks: Check[]) => ciResult(checks, { verdict: 'fail', counts: { pass: 0, fail: 1, skip: 0 } });

describe('ci markdown report, failOn', () => {
  it('names the rule of each finding that fails the gate', () => {
    const failOn = failOnCheck(1, [
      {
        file: 'Dockerfile',
        line: 19,
        layerIndex: 3,
        bytes: 106,
        rule: 'IM009',
        text: 'IM009 `/app/.env` is in the image',
      },
    ]);
    const row = renderCiMarkdown(result([failOn]))
      .split('\n')
      .find((l) => l.includes('`failOn`'))!;
    expect(row).toContain('Dockerfile:19 (IM009, layer 3, 106 B)');
  });

  // It lists the first five findings with a place; the count said six, and the list gave no sign of the sixth.
  it.each([
    [6, 5, '; …and 1 more finding |'],
    [14, 5, '; …and 9 more findings |'],
    [5, 5, 'Dockerfile:14 (DF014) |'],
  ])('%i counted, %i listed: the row ends %j', (value, listed, end) => {
    const failOn = failOnCheck(
      value,
      Array.from({ length: listed }, (_, i) => ({ file: 'Dockerfile', line: 10 + i, rule: 'DF014' })),
      'warning',
    );
    const row = renderCiMarkdown(result([failOn]))
      .split('\n')
      .find((l) => l.includes('`failOn`'))!;
    expect(row.endsWith(end)).toBe(true);
  });
});

describe('ci markdown report, junk budgets', () => {
  it('names the largest junk of a failed junk budget, as its message does, before the places', () => {
    const junk: Check = {
      id: 'maxJunkBytes',
      title: 'junk in the final filesystem',
      target: '',
      status: 'fail',
      value: 216e6,
      limit: 1e6,
      unit: 'bytes',
      message:
        'junk in the final filesystem 216 MB is over the 1.00 MB limit (maxJunkBytes); largest: apt cache 92.9 MB, apt package lists 87.4 MB',
      detail: 'largest: apt cache 92.9 MB, apt package lists 87.4 MB',
      locations: [{ file: 'Dockerfile', line: 11, layerIndex: 1, bytes: 197e6 }],
    };
    const row = renderCiMarkdown(result([junk]))
      .split('\n')
      .find((l) => l.includes('`maxJunkBytes`'))!;
    expect(row).toMatch(
      /\| largest: apt cache 92\.9 MB, apt package lists 87\.4 MB; Dockerfile:11 \(layer 1, 197 MB\) \|$/,
    );
  });
});

describe('ci markdown report, the verdict line', () => {
  // The summary said only "PASS [pass:0 skip:1]" where the text report named the budget set but not measured: a job
  // whose only limit went unchecked looked like one that met it.
  it('names a budget set but not measured, in the words of the text report', () => {
    const skipped: Check = {
      id: 'maxImageBytes.compressed',
      title: 'compressed image size',
      target: '',
      status: 'skip',
      value: null,
      limit: 100,
      unit: 'bytes',
      message: 'compressed image size: a docker-save archive holds no compressed sizes',
    } as unknown as Check;
    const r = { ...result([skipped]), verdict: 'pass', counts: { pass: 0, fail: 0, skip: 1 } } as CiResult;
    expect(renderCiMarkdown(r)).toContain(
      '**PASS [pass:0 skip:1]**: no budget failed; 1 budget set but not measured (maxImageBytes.compressed) — ',
    );
  });
});

describe('ci markdown report, a docker save', () => {
  // Its compressed size is its tar size: the summary line said `4.68 MB compressed` as the analyze report no longer does.
  it('marks a compressed size stored uncompressed, as analyze does', () => {
    const base = result([]);
    const plain = { ...base, summary: { ...base.summary, layers: 3, plainLayers: 3 } } as CiResult;
    expect(renderCiMarkdown(plain)).toContain(
      '1 B uncompressed (tar), 1 B compressed (stored uncompressed), 0 B wasted',
    );
    const pushed = { ...base, summary: { ...base.summary, layers: 3, plainLayers: 0 } } as CiResult;
    expect(renderCiMarkdown(pushed)).toContain('1 B uncompressed (tar), 1 B compressed, 0 B wasted');
  });
});

// The layer budgets' sizes are layers' uncompressed tar sizes: the summary marks them `(tar)`, as the text report and
// the service's message do, by the check's `measure` and not by its id.
describe('ci markdown report, tar sizes', () => {
  const over = (id: string, measure: Check['measure']): Check => ({
    id,
    title: 'a title',
    target: '',
    status: 'fail',
    value: 488e6,
    limit: 300e6,
    unit: 'bytes',
    ...(measure ? { measure } : {}),
    message: 'a message',
    locations: [{ file: 'Dockerfile', line: 11, layerIndex: 1, bytes: 488e6 }],
  });
  it.each([
    // [budget, measure, its row]
    [
      'maxLayerBytes',
      'tar',
      '| ❌ FAIL | `maxLayerBytes` a title | 488 MB (tar) | 300 MB | Dockerfile:11 (layer 1, 488 MB (tar)) |',
    ],
    [
      'maxImageBytes',
      'tar',
      '| ❌ FAIL | `maxImageBytes` a title | 488 MB (tar) | 300 MB | Dockerfile:11 (layer 1, 488 MB (tar)) |',
    ],
    [
      'maxWastedBytes',
      undefined,
      '| ❌ FAIL | `maxWastedBytes` a title | 488 MB | 300 MB | Dockerfile:11 (layer 1, 488 MB) |',
    ],
  ] as [string, Check['measure'], string][])('%s (measure %s) reads %s', (id, measure, row) => {
    expect(renderCiMarkdown(result([over(id, measure)])).split('\n')).toContain(row);
  });

  // The headline's uncompressed size is the layers' summed tar size, the number the Baseline line marks (tar): with no
  // mark it read as the file bytes analyze's layer table shows.
  it('marks the headline uncompressed size (tar), as the Baseline line and the text report do', () => {
    const headline = renderCiMarkdown(result([])).split('\n')[2];
    expect(headline).toMatch(/^\*\*FAIL .*\*\*: .* — 1 B uncompressed \(tar\), 1 B compressed, 0 B wasted, /);
  });
});

// A matrix job gating each platform of a multi-platform image got the same title for each: only JSON named it.
describe('ci markdown report, the platform gated', () => {
  it.each(gatedPlatforms)('%j: %s%s', (image, name, platform) => {
    const title = renderCiMarkdown({ ...result([]), image } as unknown as CiResult).split('\n')[0];
    expect(title).toBe(`### ballast ci: failed for \`${name}\`${platform}`);
  });
});
