// Hand-made `ballast ci` results for the reporters' tests (text and Markdown): only the parts the views read.
import type { Check, CheckLocation } from '../../src/report/types.js';
import type { CiResult } from '../../src/services/ci.js';

/** A result with these checks and nothing else; failed when any check failed, passed otherwise. */
export function ciResult(checks: Check[], extra: Record<string, unknown> = {}): CiResult {
  const fail = checks.filter((c) => c.status === 'fail').length;
  const skip = checks.filter((c) => c.status === 'skip').length;
  return {
    image: { reference: 'app.tar' },
    verdict: fail > 0 ? 'fail' : 'pass',
    counts: { pass: checks.length - fail - skip, fail, skip },
    checks,
    fixFirst: [],
    notes: [],
    summary: { uncompressedBytes: 1, compressedBytes: 1, wastedBytes: 0, efficiency: 1 },
    dive: { inefficientBytes: 0 },
    report: { targets: [], counts: { error: fail, warning: 0, info: 0, style: 0 } },
    ...extra,
  } as unknown as CiResult;
}

/** A failed failOn gate that counted `value` findings at or above `severity` and lists these places. */
export function failOnCheck(value: number, locations: CheckLocation[], severity = 'error'): Check {
  return {
    id: 'failOn',
    title: `findings at or above ${severity}`,
    target: '',
    status: 'fail',
    value,
    limit: 0,
    unit: 'count',
    message: `${value} finding${value === 1 ? '' : 's'} at or above ${severity} (failOn)`,
    locations,
  };
}

/** [image, how a headline names it, then its platform]: a matrix job gating each platform must tell them apart. */
export const gatedPlatforms: [image: Record<string, string>, name: string, platform: string][] = [
  [{ reference: 'multiarch.oci', tag: 'latest', platform: 'linux/arm64' }, 'multiarch.oci:latest', ', linux/arm64'],
  [{ reference: 'app.tar', platform: 'linux/amd64' }, 'app.tar', ', linux/amd64'],
  // Not known (an image config with no os or architecture): the image alone
  [{ reference: 'app.tar', platform: '' }, 'app.tar', ''],
];
