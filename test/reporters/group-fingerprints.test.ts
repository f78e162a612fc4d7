// A finding for a group of files (IM002's caches of a class in a layer, IM009's many files of a kind) points at the
// group's largest file, which changes from run to run as sizes do. Code scanning (SARIF partialFingerprints) and GitLab
// (the Code Quality fingerprint) must know it by what the group is, or every rebuild reads as an alert fixed and a new
// one found.
import type { Finding, Report } from '../../src/report/types.js';
import { renderCodeclimate } from '../../src/reporters/codeclimate.js';
import { renderSarif } from '../../src/reporters/sarif.js';

const cache = (path: string, bytes: number, group = 'aptCache', layerIndex = 2): Finding => ({
  code: 'IM002',
  rule: 'package-cache-in-image',
  severity: 'warning',
  message: `/var/cache/apt (${bytes} B) is left in layer ${layerIndex} (line 7); clean it in the same RUN.`,
  messageId: 'cache',
  location: { kind: 'image', image: 'app.tar', layerIndex, path, group, file: 'Dockerfile', line: 7 },
  bytes,
});

function report(findings: Finding[]): Report {
  return {
    tool: { name: 'ballast', version: '0.1.0' },
    targets: [{ target: 'app.tar:app:1', findings, stats: {} }],
    counts: { error: 0, warning: findings.length, info: 0, style: 0, fixable: 0 },
    rules: {},
  };
}

const options = { color: false, cwd: '/repo' };
const sarif = (findings: Finding[]): string[] =>
  JSON.parse(renderSarif(report(findings), options)).runs[0].results.map(
    (r: { partialFingerprints?: { primaryLocationLineHash: string } }) =>
      r.partialFingerprints?.primaryLocationLineHash,
  );
const gitlab = (findings: Finding[]): string[] =>
  JSON.parse(renderCodeclimate(report(findings), options)).map((i: { fingerprint: string }) => i.fingerprint);

describe.each([
  ['sarif', sarif],
  ['codeclimate', gitlab],
])('%s fingerprint of a grouped image finding', (_, prints) => {
  it('stays when the largest file of the group and its size change', () => {
    const [before] = prints([cache('/var/cache/apt/archives/curl.deb', 5000)]);
    const [after] = prints([cache('/var/cache/apt/archives/gcc.deb', 9000)]);
    expect(before).toMatch(/^[0-9a-f]{32}$/);
    expect(after).toBe(before);
  });

  it('differs by group and by layer', () => {
    const path = '/root/.cache/pip/http/a';
    const all = prints([cache(path, 10), cache(path, 10, 'pipCache'), cache(path, 10, 'aptCache', 3)]);
    expect(new Set(all).size).toBe(3);
  });
});

describe('codeclimate fingerprint of an image finding', () => {
  // IM001's message holds the size of the apt lists, which changes with every rebuild that refreshes them.
  const lists = (bytes: number, line = 7, path = '/var/lib/apt/lists'): Finding => ({
    code: 'IM001',
    rule: 'apt-lists-in-image',
    severity: 'warning',
    message: `${path} (${bytes} B) is left in layer 2 (line ${line}); remove it in the same RUN.`,
    messageId: 'lists',
    location: { kind: 'image', image: 'app.tar', layerIndex: 2, path, file: 'Dockerfile', line },
    bytes,
  });

  it('stays when its size or its line changes, as in SARIF: it is its rule and its path in the image', () => {
    const [before] = gitlab([lists(5000)]);
    const [after] = gitlab([lists(9000, 9)]);
    expect(after).toBe(before);
    const [other] = gitlab([lists(5000, 7, '/var/cache/apt')]);
    expect(other).not.toBe(before);
  });
});

describe.each([
  ['sarif', sarif],
  ['codeclimate', gitlab],
])('%s fingerprints of one rule on one path in two layers', (_, prints) => {
  // The bloated image's model.bin, copied from layer 6 to 7 and again to 8: IM005 twice on one path. Findings are
  // reported largest first, so the repeats' order (and once their numbers) follows size, which changes between runs.
  const copied = (layerIndex: number, bytes: number): Finding => ({
    code: 'IM005',
    rule: 'metadata-only-copy',
    severity: 'warning',
    message: `/app/data/model.bin (${bytes} B) is copied again in layer ${layerIndex} to change its mode.`,
    messageId: 'copied',
    location: { kind: 'image', image: 'app.tar', layerIndex, path: '/app/data/model.bin', file: 'Dockerfile', line: 9 },
    bytes,
  });

  it('keep to their layers when their sizes, and so their report order, swap', () => {
    const [three, five] = prints([copied(3, 900), copied(5, 100)]);
    const [fiveAfter, threeAfter] = prints([copied(5, 900), copied(3, 100)]);
    expect(three).not.toBe(five);
    expect(threeAfter).toBe(three);
    expect(fiveAfter).toBe(five);
  });

  it('give the earliest layer the fingerprint the finding has alone', () => {
    const [alone] = prints([copied(3, 100)]);
    const [, three] = prints([copied(5, 900), copied(3, 100)]);
    expect(three).toBe(alone);
  });
});
