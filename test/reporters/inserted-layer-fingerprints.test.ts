// A finding for a group of files (IM002's caches of a class, IM004's rewritten package state) is one per layer, and
// code scanning (SARIF) and GitLab (Code Quality) know it by its fingerprint. A developer who adds one RUN line near
// the top of the Dockerfile shifts the index of every layer below it; nothing about those findings changed, so their
// fingerprints must not either, or every one reads as fixed and found again.
import type { Finding, Report } from '../../src/report/types.js';
import { renderCodeclimate } from '../../src/reporters/codeclimate.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { analyze } from '../../src/services/analyze.js';
import { buildOciLayout, file, layer, type LayerSpec } from '../helpers/image-builder.js';

// Two installs of packages, each leaving apt's archive behind; the second rewrites the package state of the first.
// Two identical steps (an install repeated, as a second `RUN apt-get install -y gcc` would be) are told apart by
// their order. The builder dialects differ on purpose: BuildKit's `|1 ARG=x` prefix and `# buildkit` suffix.
const base = layer({ 'bin/sh': file('sh') }, '/bin/sh -c #(nop) ADD file:0123 in / ');
const steps: LayerSpec[] = [
  layer(
    {
      'var/lib/dpkg/status': file('curl'),
      'var/log/dpkg.log': file('1'),
      'etc/passwd': file('r'),
      'var/cache/apt/archives/curl.deb': file(3000),
    },
    'RUN |1 VERSION=8 /bin/sh -c apt-get install -y curl # buildkit',
  ),
  layer(
    {
      'var/lib/dpkg/status': file('curl+gcc'),
      'var/log/dpkg.log': file('12'),
      'etc/passwd': file('ra'),
      'var/cache/apt/archives/gcc.deb': file(5000),
    },
    'RUN /bin/sh -c apt-get install -y gcc # buildkit',
  ),
  layer(
    {
      'var/lib/dpkg/status': file('curl+gcc+gcc'),
      'var/log/dpkg.log': file('123'),
      'etc/passwd': file('rab'),
      'var/cache/apt/archives/gcc-doc.deb': file(4000),
    },
    'RUN /bin/sh -c apt-get install -y gcc # buildkit',
  ),
];
const inserted = layer({ 'etc/motd': file('hello') }, 'RUN /bin/sh -c echo hello > /etc/motd # buildkit');

async function findings(layers: LayerSpec[]): Promise<Finding[]> {
  const built = await buildOciLayout(layers);
  try {
    return (await analyze({ image: built.path, workers: 0 })).findings;
  } finally {
    built.cleanup();
  }
}

function report(found: Finding[]): Report {
  return {
    tool: { name: 'ballast', version: '0.1.0' },
    targets: [
      {
        target: 'app.tar',
        findings: found.map((f) => ({ ...f, location: { ...f.location, image: 'app.tar' } })),
        stats: {},
      },
    ],
    counts: { error: 0, warning: found.length, info: 0, style: 0, fixable: 0 },
    rules: {},
  };
}

const options = { color: false, cwd: '/repo' };
// Each grouped finding's fingerprint, by what it is: rule, group and the layer's position among the steps above.
type Prints = (found: Finding[]) => string[];
const sarif: Prints = (found) =>
  JSON.parse(renderSarif(report(found), options)).runs[0].results.map(
    (r: { partialFingerprints?: { primaryLocationLineHash: string } }) =>
      r.partialFingerprints?.primaryLocationLineHash,
  );
const gitlab: Prints = (found) =>
  JSON.parse(renderCodeclimate(report(found), options)).map((i: { fingerprint: string }) => i.fingerprint);

/** The grouped findings' fingerprints, keyed by rule, group and layer counted from the first of `steps`. */
function grouped(found: Finding[], prints: Prints, first: number): Map<string, string> {
  const all = prints(found);
  const out = new Map<string, string>();
  found.forEach((f, i) => {
    if (f.location.kind !== 'image' || f.location.group === undefined) return;
    // (What the group is called, not what names the finding: so the test says which fingerprints moved.)
    const group = f.location.group.split('>')[0];
    out.set(`${f.code} ${group} ${f.location.layerIndex! - first}`, all[i]!);
  });
  return out;
}

describe.each([
  ['sarif', sarif],
  ['codeclimate', gitlab],
])('%s fingerprints of grouped image findings', (_, prints) => {
  it('stay when a layer is inserted above them', async () => {
    const before = grouped(await findings([base, ...steps]), prints, 1);
    const after = grouped(await findings([base, inserted, ...steps]), prints, 2);
    // Each install's apt cache, and the state the second and third installs rewrite.
    expect([...before.keys()].sort()).toEqual([
      'IM002 aptCache 0',
      'IM002 aptCache 1',
      'IM002 aptCache 2',
      'IM004 systemState 0',
      'IM004 systemState 1',
    ]);
    expect(new Set(before.values()).size).toBe(before.size);
    expect(Object.fromEntries(after)).toEqual(Object.fromEntries(before));
  });
});
