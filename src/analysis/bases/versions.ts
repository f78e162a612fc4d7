// Tags as versions: `20.11.1-slim`, `20.11-alpine3.19`, `20-slim`, `3.12.1-slim-bookworm`, `bookworm-slim`, `latest`,
// `17.0.9_9-jre`. A tag is a numeric version (1 to 3 parts, as precise as the tag is) and a variant (the rest).
// `ballast bases` uses this to find, among a repository's tags, the best tag of each variant for the version the
// user runs: the same version, or a floating tag of its line (`20.11`, `20`), or the nearest newer one in the same
// major; never an older version, and never another major unless asked.
import semver from 'semver';

export interface ParsedTag {
  tag: string;
  /** The numeric parts as written: `20.11-alpine` -> [20, 11]; [] for an unversioned tag (`bookworm-slim`). */
  parts: number[];
  /** The parts as a semver version, missing parts zero (`20.11` -> `20.11.0`); undefined when unversioned. */
  version?: string;
  /** `rc1`, `-beta.2`...: never offered in place of a release. */
  prerelease: boolean;
  /** What follows the version: `slim`, `alpine3.19`, `slim-bookworm`; '' for the plain tag (and for `latest`). */
  variant: string;
  /** A rebuild of the same version and variant: `-r2` (Bitnami), `3.12.1-1` (Debian), a date `-20240101`. */
  revision?: number;
}

/** How a candidate tag relates to the wanted version, best first. */
export type VersionMatch = 'exact' | 'line' | 'within' | 'newer' | 'other';

/** A dated snapshot's word: `bookworm-20240110-slim`. */
const DATE_WORD = /^(19|20)\d{6}$/;
const PRERELEASE = /^(rc|alpha|beta|a|b|pre|preview|dev|ea|nightly|canary|snapshot)[.\d]*$/i;
/** Tags that are not images of the repository but signatures, attestations and SBOMs stored beside them. */
const NOT_AN_IMAGE = /^sha256-[0-9a-f]{64}(\.(sig|att|sbom))?$|\.(sig|att|sbom)$/;

export function parseTag(tag: string): ParsedTag | undefined {
  if (NOT_AN_IMAGE.test(tag)) return undefined;
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(tag);
  if (!match) {
    if (tag === 'latest') return { tag, parts: [], prerelease: false, variant: '' };
    return { tag, parts: [], prerelease: false, ...withoutDate(tag) };
  }
  const parts = match
    .slice(1, 4)
    .filter((p) => p !== undefined)
    .map(Number);
  let rest = tag.slice(match[0].length);
  let prerelease = false;
  // Extra version parts (`1.2.3.4`), builds (`_9`, `+1`) and suffixes glued to the version (`rc1`, `u392`).
  // Debian's `~` (`22.04~rc`) sorts before the release whatever follows it.
  const glued = /^(?:\.\d+)*(?:[_+][0-9A-Za-z.]+|~[0-9A-Za-z.]*|[A-Za-z][0-9A-Za-z.]*)?/.exec(rest)![0];
  if (glued) {
    const suffix = glued.replace(/^(?:\.\d+)*[_+]?/, '');
    if (PRERELEASE.test(suffix) || suffix.startsWith('~')) prerelease = true;
    rest = rest.slice(glued.length);
  }
  let variant = rest.replace(/^[-_.]/, '');
  const first = variant.split('-')[0];
  if (first && PRERELEASE.test(first)) {
    prerelease = true;
    variant = variant.split('-').slice(1).join('-');
  }
  // A rebuild is the image of the same version and variant made again (new OS packages), not a variant of its own.
  // `-rN` only as the last word, so `debian-12` in `3.12.1-debian-12-r0` stays the variant, and a bare number only
  // right after the version (`3.12.1-1`, Debian's revision), as after a word it may name a release (`debian-12`).
  // A date is a rebuild wherever it stands (`bookworm-20240110-slim`, `3.12-20240101-slim`, hexpm's
  // `1.16.0-erlang-26.2.1-debian-bookworm-20231009-slim`), so dated tags are grouped with their siblings; an
  // unversioned dated tag is still an older snapshot to an undated one (sameRelease reads the whole tag).
  let revision: number | undefined;
  const rebuild = parts.length > 0 ? /(?:^|[-_])r(\d+)$|^(\d+)$/.exec(variant) : null;
  if (rebuild) {
    revision = Number(rebuild[1] ?? rebuild[2]);
    variant = variant.slice(0, rebuild.index);
  } else {
    ({ variant, revision } = withoutDate(variant));
  }
  const padded = [...parts, 0, 0].slice(0, 3);
  return {
    tag,
    parts,
    version: semver.valid(padded.join('.')) ?? undefined,
    prerelease,
    variant,
    ...(revision !== undefined ? { revision } : {}),
  };
}

/** A variant without its date word, the date as the revision: `bookworm-20240110-slim` is `bookworm-slim` of 20240110. */
function withoutDate(variant: string): { variant: string; revision?: number } {
  const words = variant.split(/([-_])/);
  const at = words.findLastIndex((word, i) => i % 2 === 0 && DATE_WORD.test(word));
  if (at < 0) return { variant };
  const revision = Number(words[at]);
  // The date goes with the separator before it, or after it when it is the first word.
  words.splice(at > 0 ? at - 1 : at, 2);
  return { variant: words.join(''), revision };
}

/** The variant as a key where word order does not matter: `slim-bookworm` and `bookworm-slim` are one variant. */
export function variantKey(variant: string): string {
  return variant.split('-').filter(Boolean).sort().join('-');
}

function isPrefix(short: number[], long: number[]): boolean {
  return short.every((part, i) => long[i] === part);
}

/** The words that name a distribution release in a tag: Debian's codenames and suites, Ubuntu's codenames. */
const RELEASE_WORDS = new Set([
  ...['wheezy', 'jessie', 'stretch', 'buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'sid', 'experimental'],
  ...['rc-buggy', 'oldoldstable', 'oldstable', 'stable', 'testing', 'unstable'],
  ...['xenial', 'bionic', 'focal', 'jammy', 'lunar', 'mantic', 'noble', 'oracular', 'plucky', 'questing', 'devel'],
]);

/** The release a tag names (`bookworm` in `slim-bookworm`), or undefined when it names none (`slim`, `alpine`). */
function releaseOf(tag: string): string | undefined {
  if (/(^|[-_])rc-buggy([-_]|$)/.test(tag)) return 'rc-buggy';
  return tag.split(/[-_]/).find((word) => RELEASE_WORDS.has(word));
}

/**
 * Whether an unversioned candidate may stand for an unversioned wanted tag. Two tags naming different releases are
 * not variants of one another (`sid`, `trixie`, `bullseye` are other Debian releases than `bookworm-slim`), and a dated
 * snapshot (`bookworm-20240110-slim`) is an older build of the tag it dates. A tag naming no release (`slim`, `alpine`,
 * `latest`) says nothing of it, so `python:bookworm` is still offered `slim-bookworm` and `alpine`.
 */
function sameRelease(wanted: string, candidate: string): boolean {
  const dated = (tag: string) => tag.split(/[-_]/).some((word) => DATE_WORD.test(word));
  if (dated(candidate) && !dated(wanted)) return false;
  const [w, c] = [releaseOf(wanted), releaseOf(candidate)];
  return w === undefined || c === undefined || w === c;
}

/**
 * How `candidate` stands to `wanted`, or undefined when it must not be offered: a pre-release for a release, an
 * older version, another major (or an unversioned tag for a versioned one, whose major is unknown) unless `anyVersion`.
 */
export function matchVersion(wanted: ParsedTag, candidate: ParsedTag, anyVersion = false): VersionMatch | undefined {
  // A pre-release is never offered for a release unless every version is asked for (--any-version), as a release tag
  // whose image runs a pre-release is not (services/bases.ts).
  if (candidate.prerelease && !wanted.prerelease) return anyVersion ? 'other' : undefined;
  if (wanted.parts.length === 0 || candidate.parts.length === 0) {
    if (wanted.parts.length === 0 && candidate.parts.length === 0 && sameRelease(wanted.tag, candidate.tag))
      return 'exact';
    return anyVersion ? 'other' : undefined;
  }
  if (wanted.parts[0] !== candidate.parts[0]) return anyVersion ? 'other' : undefined;
  if (isPrefix(candidate.parts, wanted.parts)) return candidate.parts.length === wanted.parts.length ? 'exact' : 'line';
  if (isPrefix(wanted.parts, candidate.parts)) return 'within';
  if (wanted.version && candidate.version && semver.gt(candidate.version, wanted.version)) return 'newer';
  return anyVersion ? 'other' : undefined;
}

const RANK: Record<VersionMatch, number> = { exact: 0, line: 1, within: 2, newer: 3, other: 4 };

/** The version as a tag writes it (`v20`, `22.04`, `03.12`), '' for a tag without one. */
function versionSpelling(tag: string): string {
  return /^v?\d+(?:\.\d+){0,2}/.exec(tag)?.[0] ?? '';
}

/**
 * A candidate's rebuild as a rank, higher the newer. The tag without a revision ranks above every rebuild of its
 * version and variant: publishers that rebuild move it to each new build, whether they date the builds (Debian's
 * `bookworm` beside `bookworm-20240301`, `3.12-slim` beside `3.12-slim-20240301`) or number them (Bitnami's
 * `3.12.1-debian-12` tracks the newest `3.12.1-debian-12-rN`, Red Hat's `9.3` the newest `9.3-1476`). Dated and
 * numbered rebuilds are ranked alike so that a user is offered the same kind of tag whichever way they are named.
 */
function revisionRank(parsed: ParsedTag): number {
  return parsed.revision ?? Number.MAX_SAFE_INTEGER;
}

/** Orders two candidates of one variant: better match first, then the closest version, then `spelling`'s. */
function better(
  a: { parsed: ParsedTag; match: VersionMatch },
  b: { parsed: ParsedTag; match: VersionMatch },
  spelling: string,
): number {
  if (RANK[a.match] !== RANK[b.match]) return RANK[a.match] - RANK[b.match];
  // A line tag closer to the wanted version (20.11 before 20) is the more faithful one.
  if (a.match === 'line' && a.parsed.parts.length !== b.parsed.parts.length)
    return b.parsed.parts.length - a.parsed.parts.length;
  const av = a.parsed.version ?? '0.0.0';
  const bv = b.parsed.version ?? '0.0.0';
  // Within the wanted line and above it, the lowest version is the closest; elsewhere the newest.
  const order = a.match === 'other' ? semver.rcompare(av, bv) : semver.compare(av, bv);
  if (order !== 0) return order;
  // One version apart from pre-releases (`3.13.0rc1-slim`, `3.13.0rc2-slim` for a user on rc2): the latest, so an
  // earlier release candidate than the one in use is not chosen for its name sorting first.
  const [ar, br] = [releaseVersion(a.parsed.tag), releaseVersion(b.parsed.tag)];
  const pre = ar && br ? semver.rcompare(ar, br) : 0;
  // Rebuilds of one version (`-r0`, `-r10`): the newest, by number, as `r10` sorts before `r2` by name, and the tag
  // without a revision above them all, as it moves to each new build (see revisionRank).
  const rebuilt = revisionRank(b.parsed) - revisionRank(a.parsed);
  // One version spelled two ways (`3.12-slim` and `03.12-slim`, `v1.2-slim` and `1.2-slim`): the repository's own
  // spelling that the current tag uses, not whichever sorts first by name.
  const spelled =
    Number(versionSpelling(b.parsed.tag) === spelling) - Number(versionSpelling(a.parsed.tag) === spelling);
  return (
    pre ||
    rebuilt ||
    a.parsed.parts.length - b.parsed.parts.length ||
    spelled ||
    a.parsed.tag.localeCompare(b.parsed.tag)
  );
}

export interface TagChoice {
  tag: string;
  variant: string;
  match: VersionMatch;
  /** Every listed tag of this variant that matched, best first (the chosen one included). */
  alternatives: string[];
  /** Set on a newer rebuild of the wanted tag itself (`-r2` for `-r0`): the tag it rebuilds. */
  rebuildOf?: string;
  /**
   * On a newer rebuild: the listed tag of the same version and variant without a revision, which moves to each new
   * rebuild (`3.12.1-debian-12` for `3.12.1-debian-12-r2`, `bookworm` for `bookworm-20240301`).
   */
  rolling?: string;
}

/**
 * The best tag of each variant for the wanted tag, in the order of the wanted variant first, then by variant name.
 * The wanted tag itself is always among them when the list holds it.
 */
export function chooseVariantTags(
  wantedTag: string,
  tags: string[],
  options: { anyVersion?: boolean } = {},
): TagChoice[] {
  const wanted = parseTag(wantedTag);
  if (!wanted) return [];
  const byVariant = new Map<string, { parsed: ParsedTag; match: VersionMatch }[]>();
  for (const tag of new Set(tags)) {
    const parsed = parseTag(tag);
    if (!parsed) continue;
    const match = tag === wantedTag ? 'exact' : matchVersion(wanted, parsed, options.anyVersion);
    if (!match) continue;
    const key = variantKey(parsed.variant);
    if (!byVariant.has(key)) byVariant.set(key, []);
    byVariant.get(key)!.push({ parsed, match });
  }
  const wantedKey = variantKey(wanted.variant);
  const choices: TagChoice[] = [];
  const spelling = versionSpelling(wantedTag);
  for (const [key, list] of byVariant) {
    list.sort((a, b) => better(a, b, spelling));
    // The wanted tag stands for its own variant, even when another tag of it would rank the same.
    const own = key === wantedKey ? list.find((c) => c.parsed.tag === wantedTag) : undefined;
    const chosen = own ?? list[0];
    // A user on an old rebuild of a tag (`-r0` while `-r2` is out, `bookworm-20240101` while `bookworm-20240301` is)
    // runs the same version with older OS packages: the newest rebuild of that very tag is offered beside it. Pinned
    // as the tag in use is, not the tag that moves (`3.12.1-debian-12`, `bookworm`): whoever pinned a rebuild chose
    // to take new builds when they decide, so the newest pinned one is what replaces theirs; the moving tag is named
    // with it (`rolling`) for whoever would rather follow every rebuild.
    const sameVersion = (c: { parsed: ParsedTag }) =>
      c.parsed.prerelease === wanted.prerelease && c.parsed.parts.join('.') === wanted.parts.join('.');
    const rebuilt = own
      ? list.find(
          (c) =>
            wanted.revision !== undefined &&
            c.parsed.revision !== undefined &&
            c.parsed.revision > wanted.revision &&
            sameVersion(c),
        )
      : undefined;
    const rolling = rebuilt ? list.find((c) => c.parsed.revision === undefined && sameVersion(c)) : undefined;
    choices.push({
      tag: chosen.parsed.tag,
      variant: chosen.parsed.variant,
      match: chosen.match,
      alternatives: list.map((c) => c.parsed.tag).filter((t) => t !== rebuilt?.parsed.tag),
    });
    if (rebuilt)
      choices.push({
        tag: rebuilt.parsed.tag,
        variant: rebuilt.parsed.variant,
        match: rebuilt.match,
        alternatives: [rebuilt.parsed.tag],
        rebuildOf: wantedTag,
        ...(rolling ? { rolling: rolling.parsed.tag } : {}),
      });
  }
  return choices.sort(
    (a, b) =>
      Number(variantKey(b.variant) === wantedKey) - Number(variantKey(a.variant) === wantedKey) ||
      Number(b.tag === wantedTag) - Number(a.tag === wantedTag) ||
      a.variant.localeCompare(b.variant),
  );
}

/**
 * Orders tags of one image by how close each is to `wantedTag`, closest first, to name the image by the one the user
 * would recognise: one writing the same version (`12-slim` for a user on `12`, over `bookworm-slim`), then the
 * shortest (the least qualified: `12-slim` over `12-slim-bookworm`), then by name so that the choice is stable.
 */
export function closerTag(wantedTag: string, a: string, b: string): number {
  const version = parseTag(wantedTag)?.parts.join('.');
  const same = (tag: string) =>
    Number(version !== undefined && version !== '' && parseTag(tag)?.parts.join('.') === version);
  return same(b) - same(a) || a.length - b.length || a.localeCompare(b);
}

/**
 * What a newer rebuild of `tag` keeps, as the note on it says: `same version and variant` for `3.12.1-debian-12-r0`;
 * for a tag with no version (`bookworm-20240101`, `bookworm-slim-20240101`) the release name it carries instead,
 * which is what stays the same.
 */
export function rebuildKeeps(tag: string): string {
  const parsed = parseTag(tag);
  if (!parsed || parsed.parts.length > 0 || !parsed.variant) return 'same version and variant';
  return `same release (${parsed.variant})`;
}

/** The `{major}`, `{minor}`, `{version}` of a tag, for family templates; undefined parts are not filled. */
export function versionFields(tag: string): Record<string, string> {
  const parsed = parseTag(tag);
  const out: Record<string, string> = {};
  if (!parsed || parsed.parts.length === 0) return out;
  out.major = String(parsed.parts[0]);
  if (parsed.parts.length > 1) out.minor = String(parsed.parts[1]);
  out.version = parsed.parts.join('.');
  return out;
}

/** The major of a version string such as `20.11.1` or `3.12`, when it has one. */
export function majorOf(version: string | undefined): number | undefined {
  const match = version ? /^v?(\d+)/.exec(version) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * Whether `candidate` is an older release than `current` (`20.10.0` against `20.18.1`), each as stated by the
 * image (`NODE_VERSION`, the version label) or its full tag. Only versions of one source are set side by side (a
 * distro's version label says nothing of the Node.js it carries), and an unknown or unparsable one says nothing.
 */
export function isOlderVersion(candidate: string, current: string): boolean {
  const [a, b] = [releaseVersion(candidate), releaseVersion(current)];
  return a !== null && b !== null && semver.lt(a, b);
}

/** Pre-release words, each as a semver identifier that sorts in PEP 440's order: dev < a < b < rc < the release. */
const PRERELEASE_RANK: Record<string, string> = {
  dev: '0dev',
  nightly: '0dev',
  snapshot: '0dev',
  canary: '0dev',
  ea: '0ea',
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rc: 'rc',
};
const PRERELEASE_SUFFIX =
  /^(?:\.\d+)*(~)?[-_.]?(dev|nightly|snapshot|canary|ea|alpha|beta|preview|pre|rc|a|b|c)?\.?(\d*)(?![A-Za-z])/i;

/**
 * A version as semver, its pre-release kept: `1.2.0-beta.1` by semver's own rules; Python's `3.13.0rc1`,
 * `3.13.0b2`, `3.13.0.dev1` and Debian's `22.04~rc` as pre-releases of the version they lead to. What is not a
 * pre-release is dropped as before (`20.10.0-buster`, `17.0.9+9`, `17.0.9_9`). Null when there is no version.
 */
export function releaseVersion(text: string): semver.SemVer | null {
  const head = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text.trim());
  if (!head) return null;
  const core = [head[1], head[2] ?? '0', head[3] ?? '0'].map(Number).join('.');
  const whole = semver.parse(text.trim().replace(/^v/, ''));
  // A semver pre-release proper (`-rc.1`, `-beta.2`), not a variant word that happens to follow a dash (`-buster`).
  if (whole && whole.prerelease.length > 0 && /^[a-z]+$/i.test(String(whole.prerelease[0]))) {
    const word = String(whole.prerelease[0]).toLowerCase();
    if (word in PRERELEASE_RANK) return whole;
  }
  const rest = text.trim().slice(head[0].length);
  const suffix = PRERELEASE_SUFFIX.exec(rest);
  const [tilde, word, number] = [suffix?.[1], suffix?.[2]?.toLowerCase(), suffix?.[3]];
  if (!tilde && !word) return semver.parse(core);
  // `~` alone (`1.0~20240101`) is below the release and below any named pre-release.
  const ids = word ? [PRERELEASE_RANK[word], ...(number ? [number] : [])] : ['0'];
  return semver.parse(`${core}-${ids.join('.')}`);
}

/** Whether a version is a pre-release (`3.14.0rc1`, `22.0.0-rc.1`, `24.04~beta`); false when unknown. */
export function isPrerelease(version: string | undefined): boolean {
  return version !== undefined && (releaseVersion(version)?.prerelease.length ?? 0) > 0;
}
