// The cells `ballast bases` shows, shared by its text and markdown views so both say the same thing.
import { guessedSource, type Trait } from '../analysis/bases/traits.js';
import type { BaseCandidate, BasesResult } from '../services/bases.js';
import { percentChange } from './format.js';
import { formatBytes, formatCount, plural } from '../report/figures.js';

/**
 * A trait's value; `?` marks one guessed from a name (the image's, its base's) or a label's words rather than read from
 * the image.
 */
export function traitCell<T>(trait: Trait<T> | null, show: (value: T) => string): string {
  if (!trait) return '?';
  return `${show(trait.value)}${guessedSource(trait.source) ? '?' : ''}`;
}

/**
 * `-12.3 MB (-40.00%)` against the reference size, `+2.27 MB (8,682x)` past ten times it: percentChange, as `diff`
 * and `ci` write a change (in whole percents a 0.4% saving read `-0%`); '' for the reference itself.
 */
export function deltaCell(value: number, reference: number | undefined, isReference: boolean): string {
  if (isReference || reference === undefined) return '';
  const delta = value - reference;
  const bytes = `${delta > 0 ? '+' : ''}${formatBytes(delta)}`;
  // (no share of nothing: a reference of 0 bytes gets the bytes alone)
  if (reference <= 0) return bytes;
  return `${bytes} (${percentChange((delta / reference) * 100)})`;
}

export interface BasesColumn {
  title: string;
  align: 'l' | 'r';
  cell(c: BaseCandidate): string;
}

/** The size the table compares on: uncompressed with --deep, else compressed. */
export function sizeOf(result: BasesResult, c: BaseCandidate): number {
  return result.deep && c.deep ? c.deep.uncompressedBytes : c.compressedBytes;
}

/**
 * The change a move to `c` would make, or `older` for a candidate on an older release than the current base: a
 * saving beside it reads as a recommendation to downgrade the runtime (its size is still in the size columns).
 */
function changeCell(c: BaseCandidate, value: number, reference: number | undefined): string {
  if (c.current) return '';
  return c.older ? 'older' : deltaCell(value, reference, false);
}

/**
 * Which `?` marks of `traitCell` the table holds, for the legend to explain only those: after a value (`debian?`,
 * guessed from a name) or alone (unknown: neither in the image's metadata nor in its name).
 */
export function questionMarks(result: BasesResult, columns: BasesColumn[]): { guessed: boolean; unknown: boolean } {
  const cells = result.candidates.flatMap((c) => columns.slice(1).map((col) => col.cell(c)));
  return {
    guessed: cells.some((cell) => cell.length > 1 && cell.endsWith('?')),
    unknown: cells.some((cell) => cell === '?'),
  };
}

/**
 * Where the values marked `?` were guessed from, for the legend: the image's name (`debian:12`), the base image's
 * name it records in a label or annotation, which the legend saying "the name" read as the image's own, or a word in
 * a label that names or describes the image (`debian-tools`). `code` wraps
 * the key (backticks in markdown).
 */
export function guessedFrom(result: BasesResult, code: (key: string) => string = (k) => k): string {
  const sources = new Set(
    result.candidates
      .flatMap((c) => [c.os, c.libc, c.shell, c.packageManager])
      .flatMap((t) => (t && guessedSource(t.source) ? [t.source] : [])),
  );
  const key = code('org.opencontainers.image.base.name');
  const named =
    sources.has('base-name') && sources.has('name')
      ? `a name: the image's, or the base image's it records (${key})`
      : sources.has('base-name')
        ? `the base image's name it records (${key})`
        : sources.has('name')
          ? 'the name'
          : undefined;
  const worded = sources.has('label-text') ? 'a word in a label (a title, a description)' : undefined;
  return [named, worded].filter((s) => s !== undefined).join(', or ') || 'the name';
}

/** With --deep, the uncompressed size of the user's image rebuilt on `c`, when the walk gave one. */
function estimateOf(result: BasesResult, c: BaseCandidate): number | undefined {
  return result.deep ? (c.estimate?.uncompressedBytes ?? undefined) : undefined;
}

export function basesColumns(result: BasesResult): BasesColumn[] {
  const current = result.candidates.find((c) => c.current);
  const columns: BasesColumn[] = [
    { title: 'Image', align: 'l', cell: (c) => c.reference },
    { title: 'Compressed', align: 'r', cell: (c) => formatBytes(c.compressedBytes) },
  ];
  if (result.deep) {
    columns.push(
      { title: 'Uncompressed', align: 'r', cell: (c) => (c.deep ? formatBytes(c.deep.uncompressedBytes) : '-') },
      { title: 'Files', align: 'r', cell: (c) => (c.deep ? formatCount(c.deep.finalFiles) : '-') },
      {
        title: 'Packages',
        align: 'l',
        cell: (c) =>
          c.deep
            ? Object.entries(c.deep.packages)
                .map(([m, n]) => `${formatCount(n)} ${m}`)
                .join(', ') || 'none'
            : '-',
      },
      { title: 'Junk', align: 'r', cell: (c) => (c.deep ? formatBytes(c.deep.junkBytes) : '-') },
    );
  }
  if (current && result.mode !== 'rebuild') {
    columns.push({
      title: 'vs current',
      align: 'r',
      cell: (c) => changeCell(c, sizeOf(result, c), sizeOf(result, current)),
    });
  }
  if (result.mode === 'rebuild') {
    // Sized as the rows are ordered and compared: uncompressed with --deep (the JSON has both).
    const estimated = (c: BaseCandidate): number | undefined =>
      c.estimate ? (estimateOf(result, c) ?? c.estimate.compressedBytes) : undefined;
    const onCurrent = current ? estimated(current) : undefined;
    columns.push(
      {
        title: 'Your image on it',
        align: 'r',
        cell: (c) => (c.estimate ? formatBytes(estimated(c)!) : '-'),
      },
      {
        title: 'Change',
        align: 'r',
        cell: (c) =>
          c.estimate
            ? changeCell(
                c,
                estimated(c)!,
                estimateOf(result, c) !== undefined && onCurrent !== undefined
                  ? onCurrent
                  : c.estimate.compressedBytes - c.estimate.deltaBytes,
              )
            : '',
      },
    );
  }
  columns.push(
    { title: 'Layers', align: 'r', cell: (c) => formatCount(c.layers) },
    { title: 'OS', align: 'l', cell: (c) => traitCell(c.os, (v) => v) },
    { title: 'libc', align: 'l', cell: (c) => traitCell(c.libc, (v) => v) },
    { title: 'Shell', align: 'l', cell: (c) => traitCell(c.shell, (v) => (v ? 'yes' : 'no')) },
    { title: 'Pkg mgr', align: 'l', cell: (c) => traitCell(c.packageManager, (v) => v ?? 'none') },
    { title: 'User', align: 'l', cell: (c) => c.user || 'root' },
  );
  return columns;
}

/**
 * A row's other matching tags, as far as they are known: those read and found to be other images, and those not read
 * (beyond the first few, or refused), which may or may not be this one. Tags of this image are its aliases instead.
 */
export function otherTagsLine(c: BaseCandidate, show: (tag: string) => string = (t) => t): string {
  const differ = c.alsoMatching.filter((t) => !c.alsoUnread.includes(t));
  const parts = [
    ...(differ.length ? [`other images: ${differ.map(show).join(', ')}`] : []),
    ...(c.alsoUnread.length ? [`not read: ${c.alsoUnread.map(show).join(', ')}`] : []),
  ];
  return `other tags of this variant, ${parts.join('; ')}`;
}

/**
 * The layers a row shares with other images, as `shares 1 of 3 layers (63.3 MB) with a, b`: one line per figure, the
 * images with the same figure named together. `show` writes a name (code in markdown).
 */
export function sharedLines(c: BaseCandidate, show: (name: string) => string = (n) => n): string[] {
  const groups = new Map<string, string[]>();
  for (const s of [...c.sharedLayers].sort((a, b) => b.layers - a.layers)) {
    const figure = `shares ${s.layers} of ${plural(c.layers, 'layer')} (${formatBytes(s.compressedBytes)})`;
    groups.set(figure, [...(groups.get(figure) ?? []), show(s.reference)]);
  }
  return [...groups].map(([figure, names]) => `${figure} with ${names.join(', ')}`);
}

export function heading(result: BasesResult): string {
  if (result.mode === 'compare')
    return `${plural(result.candidates.length, 'image')} side by side (${result.platform})`;
  if (result.mode === 'rebuild')
    return `${result.image?.reference ?? 'your image'} rebuilt on other bases than ${result.base} (${result.platform})`;
  return `bases for ${result.base} (${result.platform})`;
}

export function rebuildLine(result: BasesResult): string | undefined {
  const image = result.image;
  if (!image) return undefined;
  return `${image.reference}: ${formatBytes(image.compressedBytes)} in ${plural(image.layers, 'layer')} as stored, of which yours: ${plural(image.ownLayers, 'layer')}, ${formatBytes(image.ownCompressedBytes)}${
    image.ownUncompressedBytes !== null ? ` (${formatBytes(image.ownUncompressedBytes)} uncompressed)` : ''
  }. Estimates${result.candidates.some((c) => estimateOf(result, c) !== undefined) ? ' (uncompressed, as --deep compares)' : ''} keep your layers as they are; a rebuild on another base installs other packages, so treat them as a guide.`;
}

/** Which base the user's layers were told apart from: the exact one its recorded digest names, or the tag today. */
export function recordedDigestLine(result: BasesResult): string | undefined {
  const r = result.recordedDigest;
  if (!r) return undefined;
  if (r.used === 'digest')
    return `Base layers matched against ${r.reference}, the base digest the image records (org.opencontainers.image.base.digest).`;
  return `The base digest the image records (${r.digest}) could not be read (${r.reason ?? 'not found'}), so base layers were matched against ${result.base} as it is today.`;
}

export function tagsLine(result: BasesResult): string | undefined {
  const t = result.tags;
  if (!t) return undefined;
  // "Same major" means nothing for a tag with no version: then the offer is the unversioned tags of its release.
  // With --any-version given, "unless --any-version" would read as though it were not.
  const offered = t.anyVersion
    ? 'any version (--any-version)'
    : t.versioned
      ? 'none older or of another major unless --any-version'
      : `${t.tag} has no version, so only unversioned tags not naming another release unless --any-version`;
  return `${plural(t.listed, 'tag')} of ${t.repository} read (${plural(t.pages, 'page')}${t.truncated ? ', truncated' : ''}); one per variant, ${offered}.`;
}

/**
 * Why a candidate was not compared, split so its name is shown once: most reasons open with the image they are about
 * (`x:1 is a single-platform linux/arm64 image, ...`), and the name twice pushed the part that says why off the line.
 * `rest` starts with ' ' when it reads on from the name, with ': ' when it is a reason of its own.
 */
export function skippedParts(k: { reference: string; reason: string }): { reference: string; rest: string } {
  return k.reason.startsWith(`${k.reference} `)
    ? { reference: k.reference, rest: k.reason.slice(k.reference.length) }
    : { reference: k.reference, rest: `: ${k.reason}` };
}
