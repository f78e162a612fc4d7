// The budgets table of `ballast ci`'s Markdown report (the GitHub step summary): a failed failOn check names the rule
// of each finding behind it, so the summary says what to fix and not only where.
import type { Check } from '../../src/report/types.js';
import { renderCiMarkdown } from '../../src/reporters/ci-markdown.js';
import type { CiResult } from '../../src/services/ci.js';

function result(checks: Check[]): CiResult {
  return {
    image: { reference: 'app.tar' },
    verdict: 'fail',
    counts: { pass: 0, fail: 1, skip: 0 },
    checks,
    fixFirst: [],
    notes: [],
    summary: { uncompressedBytes: 1, compressedBytes: 1, wastedBytes: 0, efficiency: 1 },
    report: { targets: [], counts: { error: 1, warning: 0, info: 0, style: 0 } },
  } as unknown as CiResult;
}

describe('ci markdown report, failOn', () => {
  it('names the rule of each finding that fails the gate', () => {
    const failOn: Check = {
      id: 'failOn',
      title: 'findings at or above error',
      target: '',
      status: 'fail',
      value: 1,
      limit: 0,
      unit: 'count',
      message: '1 finding at or above error (failOn)',
      locations: [
        {
          file: 'Dockerfile',
          line: 19,
          layerIndex: 3,
          bytes: 106,
          rule: 'IM009',
          text: 'IM009 `/app/.env` is in the image',
        },
      ],
    };
    const row = renderCiMarkdown(result([failOn]))
      .split('\n')
      .find((l) => l.includes('`failOn`'))!;
    expect(row).toContain('Dockerfile:19 (IM009, layer 3, 106 B)');
  });
});
