// Version order per package manager: each against cases its own tool orders (dpkg --compare-versions, rpmdev-vercmp,
// apk version -t), the ones semver gets wrong first.
import { compareVersions } from '../../src/analysis/package-versions.js';

const sign = (n: number | undefined) => (n === undefined ? undefined : Math.sign(n));

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

  it('uses semver for node and python, and gives no order for what a manager cannot read', () => {
    expect(sign(compareVersions('node', '4.18.2', '4.19.0'))).toBe(-1);
    expect(sign(compareVersions('python', '2.31.0', '2.28.1'))).toBe(1);
    expect(compareVersions('python', '2.0.0rc1', 'not-a-version')).toBeUndefined();
    expect(compareVersions('apk', '1.0-r1', 'weird version')).toBeUndefined();
    expect(compareVersions('dpkg', 'abc', '1.0')).toBeUndefined();
  });
});
