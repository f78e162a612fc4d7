// Platform strings, normalisation (as containerd does it) and matching for index selection.
import { SourceError, UsageError } from '../errors.js';
import type { Platform } from './types.js';

// The architecture and OS names Go (and so Docker and containerd) know, plus the aliases normalizePlatform maps.
const KNOWN_ARCHITECTURES = new Set([
  '386',
  'amd64',
  'amd64p32',
  'arm',
  'armbe',
  'arm64',
  'arm64be',
  'loong64',
  'mips',
  'mipsle',
  'mips64',
  'mips64le',
  'mips64p32',
  'mips64p32le',
  'ppc',
  'ppc64',
  'ppc64le',
  'riscv',
  'riscv64',
  's390',
  's390x',
  'sparc',
  'sparc64',
  'wasm',
  'i386',
  'x86_64',
  'x86-64',
  'aarch64',
  'armhf',
  'armel',
]);
const KNOWN_OSES = new Set([
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'js',
  'linux',
  'macos',
  'nacl',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
  'zos',
]);

/** The distinct platforms a list of index entries (or candidates) names, in the list's order, as `os/arch[/variant]`. */
export function platformNames(entries: readonly { platform?: Partial<Platform> }[]): string[] {
  return [...new Set(entries.map((entry) => formatPlatform(entry.platform)))];
}

/**
 * Reads `os/arch[/variant]`, or, as Docker does, an architecture alone with an optional variant (`arm64`, `arm/v7`)
 * as linux/ARCH[/VARIANT] (images are Linux ones unless said otherwise), and an OS alone (`linux`) as that OS on this
 * machine's architecture.
 */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().split('/');
  const first = parts[0].toLowerCase();
  if (parts.length === 1 && KNOWN_OSES.has(first)) return normalizePlatform({ ...hostPlatform(), os: first });
  const archFirst = KNOWN_ARCHITECTURES.has(first) && !KNOWN_OSES.has(first);
  if (archFirst && (parts.length === 1 || parts.length === 2) && parts.every((p) => p !== '')) {
    return normalizePlatform({ os: 'linux', architecture: parts[0], variant: parts[1] });
  }
  // An architecture where the OS goes (`arm64/v8/x`) is nonsense, not an OS named arm64.
  if (archFirst || parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new UsageError(`invalid platform "${text}"`, {
      code: 'bad-platform',
      hint: 'use os/arch[/variant], an architecture alone or an OS alone, for example linux/amd64, linux/arm64/v8, arm64 or linux',
    });
  }
  return normalizePlatform({ os: parts[0], architecture: parts[1], variant: parts[2] });
}

export function formatPlatform(platform: Partial<Platform> | undefined): string {
  if (!platform?.os && !platform?.architecture) return 'unknown';
  const p = normalizePlatform({
    os: platform.os ?? 'unknown',
    architecture: platform.architecture ?? 'unknown',
    variant: platform.variant,
  });
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

export function normalizePlatform(platform: Platform): Platform {
  let os = (platform.os ?? '').toLowerCase();
  let architecture = (platform.architecture ?? '').toLowerCase();
  let variant = platform.variant?.toLowerCase() || undefined;
  if (os === 'macos') os = 'darwin';
  switch (architecture) {
    case 'i386':
      architecture = '386';
      variant = undefined;
      break;
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      architecture = 'amd64';
      if (variant === 'v1') variant = undefined;
      break;
    case 'aarch64':
    case 'arm64':
      architecture = 'arm64';
      if (variant === '8' || variant === 'v8' || variant === 'v8.0') variant = undefined;
      else if (variant === '9') variant = 'v9';
      break;
    case 'armhf':
      architecture = 'arm';
      variant = 'v7';
      break;
    case 'armel':
      architecture = 'arm';
      variant = 'v6';
      break;
    case 'arm':
      if (!variant || variant === '7') variant = 'v7';
      else if (/^[5-8]$/.test(variant)) variant = `v${variant}`;
      break;
  }
  const result: Platform = { ...platform, os, architecture };
  if (variant) result.variant = variant;
  else delete result.variant;
  return result;
}

/**
 * The platform an image is taken for on this machine when none is named: Linux on its architecture, whatever the OS
 * (`host`, the real machine by default). Docker Desktop runs Linux containers in a VM of the machine's architecture
 * on macOS, and on Windows too in its default mode, so `docker pull` there gets linux/ARCH: darwin/arm64 is in no
 * index, and windows/amd64 would be the wrong image for most Windows users (`--platform windows` still picks it).
 */
export function hostPlatform(host: { platform: string; arch: string } = process): Platform {
  const archMap: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };
  return normalizePlatform({ os: 'linux', architecture: archMap[host.arch] ?? host.arch });
}

/**
 * Whether an image of platform `candidate` runs on `wanted`: same os and architecture, and a variant that
 * `wanted` accepts (a missing wanted variant accepts any; arm v7 accepts v6 and v5, amd64/v3 accepts v2, v1).
 */
export function platformMatches(wanted: Platform, candidate: Platform | undefined): boolean {
  if (!candidate) return false;
  const w = normalizePlatform(wanted);
  const c = normalizePlatform(candidate);
  if (w.os !== c.os || w.architecture !== c.architecture) return false;
  if (!w.variant || w.variant === c.variant) return true;
  if (!c.variant) return w.architecture !== 'arm';
  const level = (v: string): number => Number.parseFloat(v.replace(/^v/, ''));
  return level(c.variant) <= level(w.variant);
}

/**
 * The entry of an index that best fits `wanted`, as containerd orders them: an exact match (after normalisation)
 * first, else the compatible one with the highest variant (arm/v7 over arm/v6, whatever the index order: alpine
 * lists v6 first). Among equals the first listed wins, as the spec says.
 */
export function bestPlatformMatch<T>(
  wanted: Platform,
  items: T[],
  platformOf: (item: T) => Platform | undefined,
): T | undefined {
  const w = normalizePlatform(wanted);
  const level = (p: Platform | undefined): number => {
    const variant = p && normalizePlatform(p).variant;
    return variant ? Number.parseFloat(variant.replace(/^v/, '')) || 0 : 0;
  };
  let best: T | undefined;
  let bestRank = -Infinity;
  for (const item of items) {
    const platform = platformOf(item);
    if (!platformMatches(w, platform)) continue;
    const exact = normalizePlatform(platform!).variant === w.variant;
    const rank = exact ? Infinity : level(platform);
    if (rank > bestRank) {
      best = item;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * Whether a malformed index entry naming `listed` is the image asked for as `wanted`: it names that very platform and
 * the readable `match` does not (a lesser arm variant), or nothing readable matches and it would have. Saying such a
 * platform is absent, or quietly taking the lesser variant, would send the user looking for an image the index lists.
 */
export function brokenEntryWanted(wanted: Platform, listed: Platform, match: Partial<Platform> | undefined): boolean {
  if (!match) return platformMatches(wanted, listed);
  const same = (p: Partial<Platform> | undefined) => formatPlatform(p) === formatPlatform(wanted);
  return same(listed) && !same(match);
}

/**
 * The error when the wanted platform's index entry is malformed (see brokenEntryWanted), worded alike for layouts,
 * archives and registries. With no --platform (`asked` false) the wanted platform is this machine's, and the hint adds
 * that the other platforms can still be read, but only when named, as `docker pull --platform` would need too.
 */
export function brokenEntryError(
  what: string,
  listed: Platform,
  reason: string,
  options: { asked: boolean; available: string; repair: string },
): SourceError {
  return new SourceError(
    `${what} lists an image for platform ${formatPlatform(listed)}${options.asked ? '' : " (this machine's)"}, ` +
      `but its entry is broken: ${reason}`,
    {
      code: 'bad-index',
      hint: options.asked
        ? options.repair
        : `to read another platform, name it with --platform (available platforms: ${options.available}); else ${options.repair}`,
    },
  );
}

/**
 * The note when an index without this machine's platform (`wanted`) is read through its only platform, `available`,
 * as `docker pull` takes it, with no --platform: the image runs here only under emulation, which the user should
 * know. Worded alike for registries, layouts and archives. `absent`: the platforms a saved index lists but whose
 * images were never saved (a containerd-store save lists them all), named so "its only one" is not read as the only
 * one there is.
 */
export function onlyPlatformNote(what: string, wanted: Platform, available: string, absent: string[] = []): string {
  const listed = absent.length ? `listed but not included: ${absent.join(', ')}; ` : '';
  return `${what} has no image for this machine's platform (${formatPlatform(wanted)}); using its only one, ${available} (${listed}--platform picks another)`;
}

/** Attestation manifests that buildkit puts into indexes: `unknown/unknown`. */
export function isUnknownPlatform(platform: Platform | undefined): boolean {
  return platform?.os === 'unknown' && platform.architecture === 'unknown';
}
