// Version order per package manager: each against cases its own tool orders (dpkg --compare-versions, rpmdev-vercmp,
// apk version -t), the ones semver gets wrong first.
import { comparePackages } from '../../src/analysis/compare.js';
import { compareVersions } from '../../src/analysis/package-versions.js';
import type { PackageInfo } from '../../src/analysis/packages.js';

const sign = (n: number | undefined) => (n === undefined ? undefined : Math.sign(n));

const PEP440_ORDER = [
  '1.0.dev456',
  '1.0a1',
  '1.0a2.dev456',
  '1.0a12.dev456',
  '1.0a12',
  '1.0b1.dev456',
  '1.0b2',
  '1.0b2.post345.dev456',
  '1.0b2.post345',
  '1.0rc1.dev456',
  '1.0rc1',
  '1.0',
  '1.0.post456.dev34',
  '1.0.post456',
  '1.1.dev1',
];

describe('compareVersions', () => {
  it.each([
    // A Debian revision makes a version newer than the bare upstream (semver reads `-2+b13` as a pre-release).
    ['5.2.15', '5.2.15-2+b13', -1],
    ['5.2.15-2+b13', '5.2.15-2+b14', -1],
    ['1.0~rc1', '1.0', -1],
    ['1.0', '1.0+deb12u1', -1],
    ['1:1.0', '2.0', 1],
    ['2.36-9+deb12u4', '2.36-9+deb12u10', -1],
    ['7.88.1-10+deb12u5', '7.88.1-10+deb12u5', 0],
    ['1.0a', '1.0b', -1],
    ['1.0', '1.0a', -1],
  ])('dpkg %s vs %s', (a, b, expected) => {
    expect(sign(compareVersions('dpkg', a, b))).toBe(expected);
  });

  it.each([
    ['1.2.4-r9', '1.2.4-r10', -1],
    ['1.2.4_rc1-r0', '1.2.4-r0', -1],
    ['1.2.4-r0', '1.2.4_p1-r0', -1],
    ['3.0.15-r0', '3.1.0-r0', -1],
    ['1.36.1-r29', '1.36.1-r29', 0],
    ['1.2.10-r0', '1.2.9-r0', 1],
  ])('apk %s vs %s', (a, b, expected) => {
    expect(sign(compareVersions('apk', a, b))).toBe(expected);
  });

  it.each([
    ['1.0-1.el9', '1.0-2.el9', -1],
    ['1.0~rc1-1', '1.0-1', -1],
    ['1.0^git1-1', '1.0-1', 1],
    ['1.0^git1', '1.0.1', -1],
    ['2:1.0-1', '1:9.0-1', 1],
    ['1.10-1', '1.9-1', 1],
    ['1.0a-1', '1.0-1', 1],
  ])('rpm %s vs %s', (a, b, expected) => {
    expect(sign(compareVersions('rpm', a, b))).toBe(expected);
  });

  it.each([
    // PEP 440's own ordering example (its local version left out: local labels do not order here), each older than
    // the next
    ...PEP440_ORDER.slice(1).map((newer, i) => [PEP440_ORDER[i], newer, -1]),
    ['2.0.0', '10.0.0', -1],
    ['1.16.0', '1.16.0.post1', -1],
    ['1.0rc1', '1.0', -1],
    ['1.0', '1.0.0', 0],
    ['1.0-1', '1.0', 1],
    ['1!0.1', '2.0', 1],
    ['1.0.0-alpha.1', '1.0.0', -1],
    ['1.0', '1.0+local', 0],
  ])('python (PEP 440) %s vs %s', (a, b, expected) => {
    expect(sign(compareVersions('python', a as string, b as string))).toBe(expected);
  });

  it('uses semver for node, and gives no order for what a manager cannot read', () => {
    expect(sign(compareVersions('node', '4.18.2', '4.19.0'))).toBe(-1);
    expect(sign(compareVersions('python', '2.31.0', '2.28.1'))).toBe(1);
    expect(compareVersions('python', '2.0.0rc1', 'not-a-version')).toBeUndefined();
    expect(compareVersions('apk', '1.0-r1', 'weird version')).toBeUndefined();
    expect(compareVersions('dpkg', 'abc', '1.0')).toBeUndefined();
  });
});

describe('comparePackages', () => {
  const py = (name: string, version: string, bytes = 100): PackageInfo => ({
    manager: 'python',
    name,
    version,
    files: 1,
    bytes,
    location: `usr/lib/python3/site-packages/${name}-${version}.dist-info`,
  });

  it('matches a Python package across versions (its dist-info directory is named with the version)', () => {
    // Given flask upgraded, six post-released, Django renamed in case, and a package at another site-packages
    const a = [py('flask', '2.0.0'), py('six', '1.16.0'), py('Django', '4.2.0'), py('attrs', '23.1.0')];
    const b = [py('flask', '10.0.0', 300), py('six', '1.16.0.post1'), py('django', '4.2.1'), py('attrs', '23.1.0')];
    b[3] = { ...b[3], location: 'opt/venv/lib/site-packages/attrs-23.1.0.dist-info' };
    const diff = comparePackages(a, b);
    // Then the three are changes with their direction, not a removal and an addition each
    expect(diff.changed.map((c) => [c.name, c.aVersion, c.bVersion, c.direction]).sort()).toEqual([
      ['django', '4.2.0', '4.2.1', 'upgrade'],
      ['flask', '2.0.0', '10.0.0', 'upgrade'],
      ['six', '1.16.0', '1.16.0.post1', 'upgrade'],
    ]);
    // And the package that moved to another site-packages is a removal and an addition (two installs)
    expect(diff.added.map((p) => p.location)).toEqual(['opt/venv/lib/site-packages/attrs-23.1.0.dist-info']);
    expect(diff.removed.map((p) => p.name)).toEqual(['attrs']);
  });
});
