// The `lint --fix --verify` table (a pure reporter): one row per fix with its estimate, the measured bytes and the
// difference; unknown estimates and cache fixes said as such, never given a number.
import { renderFixVerifyText } from '../../src/reporters/fix-verify-text.js';
import type { FixVerifyReport, ImageTotals } from '../../src/services/fix-verify.js';

const totals = (uncompressedBytes: number, findingBytes: number): ImageTotals => ({
  layers: 5,
  uncompressedBytes,
  finalFileBytes: 0,
  wastedBytes: 0,
  findingBytes,
});

type Fix = FixVerifyReport['fixes'][number];
const fix = (over: Partial<Fix>): Fix => ({
  codes: ['DF015'],
  line: 9,
  title: 't',
  pass: 1,
  estimate: { bytes: 1_000_000, basis: 'b' },
  measuredBytes: 1_003_008,
  reclaimableBytes: 1_000_000,
  wastedBytes: 1_000_000,
  after: totals(0, 0),
  built: true,
  ruleType: 'size',
  ...over,
});

describe('renderFixVerifyText', () => {
  it('prints each fix, the total and the builds; unknown estimates and cache fixes are said, not guessed', () => {
    const report: FixVerifyReport = {
      before: totals(10_000_000, 3_000_000),
      after: totals(8_996_992, 2_000_000),
      savedBytes: 1_003_008,
      findingBytesSaved: 1_000_000,
      fixes: [
        fix({}),
        fix({
          codes: ['DF013'],
          line: 4,
          ruleType: 'cache',
          estimate: { bytes: 0, basis: 'c' },
          measuredBytes: -512,
          reclaimableBytes: 0,
        }),
        fix({
          codes: ['DF002'],
          line: 2,
          estimate: { bytes: null, basis: 'unknown' },
          measuredBytes: 512,
          reclaimableBytes: 0,
          pass: 2,
        }),
      ],
      builds: [
        { build: 'before', seconds: 10, cachedSteps: 0 },
        { build: 1, seconds: 5, cachedSteps: 3 },
        { build: 2, seconds: 4, cachedSteps: 2 },
        { build: 3, seconds: 3, cachedSteps: 1 },
      ],
      buildSeconds: 22.04,
      estimatedBytes: 1_000_000,
      unknownEstimates: 1,
    };
    const lines = renderFixVerifyText(report).split('\n');
    expect(lines[1]).toMatch(/^ {2}rule +line +estimate +measured +difference +reclaimable$/);
    expect(lines[2]).toMatch(/^ {2}DF015 +9 +1\.00 MB +1\.00 MB +\+3\.01 kB +1\.00 MB$/);
    expect(lines[3]).toMatch(/^ {2}DF013 +4 +0 B +-512 B +-512 B +0 B +cache fix: saves rebuild time$/);
    expect(lines[4]).toMatch(/^ {2}DF002 +2 +unknown +512 B +- +0 B +pass 2: line of the file the earlier fixes made$/);
    // the total's difference is over the fixes with an estimate only
    expect(lines[5]).toMatch(/^ {2}total +1\.00 MB \+ 1 unknown +1\.00 MB +\+2\.50 kB +1\.00 MB$/);
    expect(lines[6]).toBe(
      'verify: image 10.0 MB before the fixes, 9.00 MB after: measured 1.00 MB saved (1003008 bytes); reclaimable 3.00 MB -> 2.00 MB',
    );
    expect(lines[7]).toBe("verify: 4 builds in 22.0 s (6 steps from buildah's layer cache)");
  });
});
