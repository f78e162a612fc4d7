// Version order per package manager, for "upgrade"/"downgrade" in a package diff. Each manager has its own rules, and
// semver's are wrong for most of them: for dpkg `5.2.15` is older than `5.2.15-2+b13` (a Debian revision), for apk
// `1.2.4-r10` is newer than `1.2.4-r9`. The algorithms are the managers' documented ones (deb-version(7), rpm's
// rpmvercmp, apk's version.c order); a version one of them cannot read gives no direction rather than a guess.
import semver from 'semver';
import type { PackageManager } from './packages.js';

/** Negative when `a` is older than `b`, positive when newer, 0 when the manager orders them equal; undefined: unknown. */
export function compareVersions(manager: PackageManager, a: string, b: string): number | undefined {
  switch (manager) {
    case 'dpkg':
      return compareDpkg(a, b);
    case 'rpm':
      return compareRpm(a, b);
    case 'apk':
      return compareApk(a, b);
    case 'python':
      return comparePep440(a, b);
    default: {
      const va = semver.valid(a, { loose: true });
      const vb = semver.valid(b, { loose: true });
      return va && vb ? semver.compare(va, vb, { loose: true }) : undefined;
    }
  }
}

// deb-version(7): [epoch:]upstream[-revision]; each part compared by alternating non-digit runs (letters before
// non-letters, `~` before anything, even the end) and digit runs (as numbers).
function compareDpkg(a: string, b: string): number | undefined {
  const pa = splitDpkg(a);
  const pb = splitDpkg(b);
  if (!pa || !pb) return undefined;
  return pa.epoch - pb.epoch || debianPart(pa.upstream, pb.upstream) || debianPart(pa.revision, pb.revision);
}

function splitDpkg(version: string): { epoch: number; upstream: string; revision: string } | undefined {
  const m = /^(?:(\d+):)?([0-9][A-Za-z0-9.+~:-]*?)(?:-([A-Za-z0-9.+~]+))?$/.exec(version.trim());
  return m ? { epoch: Number(m[1] ?? 0), upstream: m[2], revision: m[3] ?? '0' } : undefined;
}

function debianOrder(ch: string | undefined): number {
  if (ch === undefined) return 0;
  if (ch === '~') return -1;
  if (/[A-Za-z]/.test(ch)) return ch.charCodeAt(0);
  return ch.charCodeAt(0) + 256;
}

function debianPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // The non-digit run, character by character.
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ca = i < a.length && !isDigit(a[i]) ? a[i] : undefined;
      const cb = j < b.length && !isDigit(b[j]) ? b[j] : undefined;
      const diff = debianOrder(ca) - debianOrder(cb);
      if (diff !== 0) return diff;
      if (ca !== undefined) i++;
      if (cb !== undefined) j++;
    }
    const da = digitRun(a, i);
    const db = digitRun(b, j);
    const diff = compareNumbers(da, db);
    if (diff !== 0) return diff;
    i += da.length;
    j += db.length;
  }
  return 0;
}

// rpmvercmp: [epoch:]version[-release]; segments of digits or letters (anything else separates), a digit segment is
// newer than a letter one, `~` sorts before everything and `^` after the end but before any further segment.
function compareRpm(a: string, b: string): number | undefined {
  const pa = /^(?:(\d+):)?([^-]+)(?:-(.+))?$/.exec(a.trim());
  const pb = /^(?:(\d+):)?([^-]+)(?:-(.+))?$/.exec(b.trim());
  if (!pa || !pb) return undefined;
  return (
    Number(pa[1] ?? 0) - Number(pb[1] ?? 0) ||
    rpmvercmp(pa[2], pb[2]) ||
    (pa[3] !== undefined && pb[3] !== undefined ? rpmvercmp(pa[3], pb[3]) : 0)
  );
}

function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !/[A-Za-z0-9~^]/.test(a[i])) i++;
    while (j < b.length && !/[A-Za-z0-9~^]/.test(b[j])) j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]);
    const sa = numeric ? digitRun(a, i) : letterRun(a, i);
    const sb = numeric ? digitRun(b, j) : letterRun(b, j);
    // Segments of different kinds: the numeric one is newer.
    if (sb === '') return numeric ? 1 : -1;
    const diff = numeric ? compareNumbers(sa, sb) : sa < sb ? -1 : sa > sb ? 1 : 0;
    if (diff !== 0) return diff;
    i += sa.length;
    j += sb.length;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

// apk (Alpine): digits.digits... then an optional letter, suffixes (_alpha < _beta < _pre < _rc < none < _cvs < _svn <
// _git < _hg < _p, each with an optional number), then -rN, the package revision.
const APK_SUFFIX = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'];

function compareApk(a: string, b: string): number | undefined {
  const pa = parseApk(a);
  const pb = parseApk(b);
  if (!pa || !pb) return undefined;
  for (let k = 0; k < Math.max(pa.numbers.length, pb.numbers.length); k++) {
    if (k >= pa.numbers.length) return -1;
    if (k >= pb.numbers.length) return 1;
    const diff = compareNumbers(pa.numbers[k], pb.numbers[k]);
    if (diff !== 0) return diff;
  }
  if (pa.letter !== pb.letter) return pa.letter < pb.letter ? -1 : 1;
  for (let k = 0; k < Math.max(pa.suffixes.length, pb.suffixes.length); k++) {
    const sa = pa.suffixes[k] ?? { rank: APK_SUFFIX.indexOf(''), n: 0 };
    const sb = pb.suffixes[k] ?? { rank: APK_SUFFIX.indexOf(''), n: 0 };
    if (sa.rank !== sb.rank) return sa.rank - sb.rank;
    if (sa.n !== sb.n) return sa.n - sb.n;
  }
  return pa.revision - pb.revision;
}

function parseApk(
  version: string,
): { numbers: string[]; letter: string; suffixes: { rank: number; n: number }[]; revision: number } | undefined {
  const m = /^(\d+(?:\.\d+)*)([a-z]?)((?:_[a-z]+\d*)*)(?:-r(\d+))?$/.exec(version.trim());
  if (!m) return undefined;
  const suffixes: { rank: number; n: number }[] = [];
  for (const s of m[3].split('_').slice(1)) {
    const [, name, n] = /^([a-z]+)(\d*)$/.exec(s)!;
    const rank = APK_SUFFIX.indexOf(name);
    if (rank < 0) return undefined;
    suffixes.push({ rank, n: Number(n || 0) });
  }
  return { numbers: m[1].split('.'), letter: m[2], suffixes, revision: Number(m[4] ?? 0) };
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function digitRun(text: string, from: number): string {
  let end = from;
  while (isDigit(text[end])) end++;
  return text.slice(from, end);
}

function letterRun(text: string, from: number): string {
  let end = from;
  while (end < text.length && /[A-Za-z]/.test(text[end])) end++;
  return text.slice(from, end);
}

/** Two runs of digits as numbers, without a limit on their length (leading zeros do not count). */
function compareNumbers(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

// PEP 440: [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the spellings it normalizes (alpha, c, pre, rev, r,
// `-1` for a post-release, `_` and `-` separators). A final release sorts after its pre-releases and before its
// post-releases; a dev release before everything else of its release. Local labels do not order here.
const PEP440 =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$/;

function pep440Key(version: string): number[][] | undefined {
  const m = PEP440.exec(version.trim().toLowerCase());
  if (!m) return undefined;
  const [, epoch, release, phase, preN, postDash, post, postN, devN] = m;
  const parts = release.split('.').map(Number);
  while (parts.length > 1 && parts[parts.length - 1] === 0) parts.pop();
  const hasPost = postDash !== undefined || post !== undefined;
  const hasDev = devN !== undefined;
  const rank = phase === undefined ? 3 : phase.startsWith('a') ? 0 : phase.startsWith('b') ? 1 : 2;
  // X.devN sorts before X's pre-releases; a final (no pre-release) after them.
  const pre = phase === undefined && !hasPost && hasDev ? [-1, 0] : [rank, Number(preN || 0)];
  return [
    [Number(epoch ?? 0)],
    parts,
    pre,
    [hasPost ? Number(postDash ?? (postN || 0)) : -1],
    [hasDev ? Number(devN || 0) : Number.MAX_SAFE_INTEGER],
  ];
}

function comparePep440(a: string, b: string): number | undefined {
  const ka = pep440Key(a);
  const kb = pep440Key(b);
  if (!ka || !kb) return undefined;
  for (let i = 0; i < ka.length; i++) {
    const x = ka[i];
    const y = kb[i];
    for (let j = 0; j < Math.max(x.length, y.length); j++) {
      const d = (x[j] ?? 0) - (y[j] ?? 0);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
  }
  return 0;
}
