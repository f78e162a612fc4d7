import { hostPlatform, normalizePlatform, parsePlatform, platformMatches } from '../../src/image/platform.js';

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
});
