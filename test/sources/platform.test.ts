import {
  bestPlatformMatch,
  formatPlatform,
  hostPlatform,
  normalizePlatform,
  parsePlatform,
  platformMatches,
} from '../../src/image/platform.js';

describe('platform', () => {
  it.each([
    ['linux/x86_64', { os: 'linux', architecture: 'amd64' }],
    ['linux/aarch64', { os: 'linux', architecture: 'arm64' }],
    ['linux/arm64/v8', { os: 'linux', architecture: 'arm64' }],
    ['linux/arm', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['linux/armhf', { os: 'linux', architecture: 'arm', variant: 'v7' }],
  ])('normalises %s', (text, expected) => {
    expect(parsePlatform(text)).toEqual(expected);
  });

  it.each([
    ['arm64', { os: 'linux', architecture: 'arm64' }],
    ['amd64', { os: 'linux', architecture: 'amd64' }],
    ['AMD64', { os: 'linux', architecture: 'amd64' }],
    ['x86_64', { os: 'linux', architecture: 'amd64' }],
    ['arm/v7', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['arm/v6', { os: 'linux', architecture: 'arm', variant: 'v6' }],
    ['arm64/v8', { os: 'linux', architecture: 'arm64' }],
    ['s390x', { os: 'linux', architecture: 's390x' }],
  ])('reads the architecture alone, %s, as a Linux platform, as Docker does', (text, expected) => {
    expect(parsePlatform(text)).toEqual(expected);
  });

  it.each([
    ['linux', 'linux'],
    ['Linux', 'linux'],
    ['windows', 'windows'],
  ])("reads an OS alone, %s, as that OS on this machine's architecture, as Docker does", (text, os) => {
    expect(parsePlatform(text)).toEqual({ ...hostPlatform(), os });
  });

  it.each([
    ['darwin', 'arm64', 'linux/arm64'],
    ['darwin', 'x64', 'linux/amd64'],
    ['win32', 'arm64', 'linux/arm64'],
    ['win32', 'x64', 'linux/amd64'],
    ['linux', 'arm64', 'linux/arm64'],
    ['linux', 'x64', 'linux/amd64'],
  ] as const)(
    'defaults to Linux on a %s %s machine (%s), as Docker Desktop pulls there',
    (platform, arch, expected) => {
      // A Mac said darwin/arm64, which no index holds: `ballast analyze node:20` failed where `docker pull` works.
      expect(formatPlatform(hostPlatform({ platform, arch }))).toBe(expected);
    },
  );

  it('defaults to the real machine when given none', () => {
    expect(hostPlatform()).toEqual(hostPlatform(process));
    expect(hostPlatform().os).toBe('linux');
  });

  it.each(['amd46', 'linuxx', 'arm64/v8/x', 'arm//v7', '', '/', 'linux/', 'a/b/c/d'])(
    'rejects %j with a usage error',
    (text) => {
      expect(() => parsePlatform(text)).toThrow(/invalid platform/);
    },
  );

  it('lets arm/v7 run v6 but not v8', () => {
    const v7 = normalizePlatform({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(platformMatches(v7, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBe(true);
    expect(platformMatches(v7, { os: 'linux', architecture: 'arm', variant: 'v8' })).toBe(false);
    expect(platformMatches(v7, { os: 'linux', architecture: 'arm64' })).toBe(false);
  });

  it('picks the best fit from an index, not the first compatible entry', () => {
    // alpine's index lists arm/v6 before arm/v7: --platform linux/arm/v7 used to get the v6 image.
    const index = ['linux/amd64', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm64/v8', 'linux/amd64/v3'].map((p) => {
      const [os, architecture, variant] = p.split('/');
      return { name: p, platform: { os, architecture, variant } };
    });
    const pick = (wanted: string) => bestPlatformMatch(parsePlatform(wanted), index, (e) => e.platform)?.name;
    expect(pick('linux/arm/v7')).toBe('linux/arm/v7');
    expect(pick('linux/arm')).toBe('linux/arm/v7');
    expect(pick('linux/arm/v6')).toBe('linux/arm/v6');
    expect(pick('linux/arm/v8')).toBe('linux/arm/v7');
    expect(pick('linux/arm/v5')).toBeUndefined();
    expect(pick('linux/arm64')).toBe('linux/arm64/v8');
    expect(pick('linux/amd64')).toBe('linux/amd64');
    expect(pick('linux/amd64/v3')).toBe('linux/amd64/v3');
    expect(pick('linux/amd64/v2')).toBe('linux/amd64');
    expect(pick('linux/s390x')).toBeUndefined();
  });
});
