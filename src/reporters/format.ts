// Small helpers the reporters alone share: the summary's wording, changes in percent, colour. Tables and cut lines are
// in width.ts. What other layers word too (sizes and counts, lists, escapes, image names, the order of findings, a
// check's figures) is in report/, so that analysis, rules, services and the explore view depend on no reporter.
import { sizeMark } from '../report/check-figures.js';
import { efficiencyPercent, formatBytes, formatCount, percentText, plural } from '../report/figures.js';
import { imageArgument } from '../report/image-name.js';

/**
 * Said after a compressed size of an image storing plain tar layers (a `docker save`), which is its tar size and not
 * what a pull downloads: ` (stored uncompressed)`, or ` (2 of 3 layers stored uncompressed)`; empty for a compressed
 * image. As `bases` notes such a row and `ci` skips its compressed budget.
 */
export function storedUncompressedMark(summary: { layers: number; plainLayers: number }): string {
  if (!summary.plainLayers) return '';
  return summary.plainLayers === summary.layers
    ? ' (stored uncompressed)'
    : ` (${summary.plainLayers} of ${summary.layers} layers stored uncompressed)`;
}

/** `host/app:1.2, linux/arm64`: an image and, when known, its platform; `code` wraps the image (Markdown). */
export function imageAndPlatform(
  image: { reference: string; tag?: string | null; platform?: string | null },
  code: (text: string) => string = (text) => text,
): string {
  return `${code(imageArgument(image))}${image.platform ? `, ${image.platform}` : ''}`;
}

/**
 * The columns a text report cuts its names, paths, instructions and values to: the width the terminal or COLUMNS gave,
 * and without one (a pipe, a CI log, `-o FILE`) no limit, so each stays whole on its line, for grep and for a reader
 * with a wider window than any default would guess. Prose is wrapped by the same rule (`proseWrapper`).
 */
export function cutWidth(width: number | undefined): number {
  return width ?? Infinity;
}

/**
 * The columns a table's last cell (an instruction, a message) needs to say something: with fewer left beside a
 * Dockerfile's path, analyze's layer table and ci's rows name the file by its base name (fileBaseName).
 */
export const READABLE_CELL = 24;

/**
 * Past this growth, in percent (the new size over ten times the old), a percentage no longer reads: +868099% says
 * less than 8,682x, and a tiny old size (a 262 B current base, an empty-ish image) makes every change one of them.
 */
const TIMES_ABOVE_PERCENT = 900;

/** A growth of `percent` as a multiple of the old size: `10.1x`, `8,682x`. */
function timesText(percent: number): string {
  const times = 1 + percent / 100;
  return `${times < 100 ? times.toFixed(1) : formatCount(Math.round(times))}x`;
}

/**
 * A change in percent as diff and ci both print it, signed: `+172.46%`, with the two decimals ci gives every ratio it
 * gates on (one rounding, or the same growth read 172.5% in one and 172.46% in the other); `-` when there is no old
 * size; a change too small for them with one significant digit (`-0.009%`, `+0.004%`); past TIMES_ABOVE_PERCENT a
 * multiple (`10.1x`).
 */
export function percentChange(p: number | null): string {
  if (p === null) return '-';
  if (p > TIMES_ABOVE_PERCENT) return timesText(p);
  return `${p > 0 ? '+' : ''}${percentText(p)}`;
}

/** `12.3%` of a whole, or `-` when there is no whole to divide by. */
export function percentOf(part: number, whole: number): string {
  if (whole <= 0) return '-';
  return `${((100 * part) / whole).toFixed(1)}%`;
}

/** The summary's `Base share`: `164 MB base, 514 MB yours (75.8%)`, the share being yours of all layers' bytes. */
export function baseShareText(sum: {
  fileBytes: number;
  base: { fileBytes: number };
  user: { fileBytes: number };
}): string {
  return `${formatBytes(sum.base.fileBytes)} base, ${formatBytes(sum.user.fileBytes)} yours (${percentOf(sum.user.fileBytes, sum.fileBytes)})`;
}

/**
 * `; 46.26% of your layers', ci maxWastedPercent`: the share that budget checks, as ci prints it, after the share of
 * all file bytes, which is lower when the base wastes little; empty when there is none (the budget skips).
 */
export function yourWastedShareText(sum: { user: { wastedPercent?: number | null } }): string {
  const percent = yourWastedPercent(sum);
  return percent ? `; ${percent} of your layers', ci maxWastedPercent` : '';
}

/**
 * `46.26%`, two decimals as ci prints it; empty when there is none, or in a result saved before the share was kept.
 */
export function yourWastedPercent(sum: { user: { wastedPercent?: number | null } }): string {
  const share = sum.user.wastedPercent;
  return share === null || share === undefined ? '' : `${(share * 100).toFixed(2)}%`;
}

/** dive's user-wasted percent as the reports give it (`42.00%`), `-` for a one-layer image, where dive divides 0 by 0. */
export function diveUserWastedText(percent: number | null): string {
  return percent === null ? '-' : `${(percent * 100).toFixed(2)}%`;
}

/**
 * The summary's efficiency with the two other figures a .dive-ci checks, as the text and Markdown reports give it:
 * `98.44% (dive: 32.0 kB inefficient, user wasted 48.35%)`.
 */
export function diveEfficiencyText(
  efficiency: number,
  dive: { inefficientBytes: number; userWastedPercent: number | null },
): string {
  return `${efficiencyPercent(efficiency)} (dive: ${formatBytes(dive.inefficientBytes)} inefficient, user wasted ${diveUserWastedText(dive.userWastedPercent)})`;
}

/** A path dive finds inefficient: how many layers hold it and their copies' cumulative size, the kept one too. */
export interface DiveFileReference {
  file: string;
  count: number;
  sizeBytes: number;
}

/**
 * dive's inefficient files as every report lists them (dive's CI log lists them under "Inefficient Files"): the
 * largest first, each with dive's cumulative size. That counts every copy of a path, the one kept too, as dive's wasted
 * bytes do: the heading says so, and that they are dive's, so the sizes are not read as ballast's wasted bytes, which
 * are reclaimable bytes and another sum. `hidden` is how many the `rows` shown leave out. Undefined when dive finds
 * none (or the result does not carry them: ci's without dive's rules).
 */
export function diveFileList(
  dive: { fileReferences?: DiveFileReference[]; fileReferenceCount?: number; inefficientBytes: number },
  rows: number,
): { heading: string; shown: DiveFileReference[]; hidden: number } | undefined {
  const { fileReferences: files, fileReferenceCount: count } = dive;
  if (!files?.length || count === undefined) return undefined;
  const shown = files.slice(0, rows);
  return {
    heading: `dive's inefficient files: ${plural(count, 'path')}, ${formatBytes(dive.inefficientBytes)} (dive's wasted bytes: every copy of a path, the kept one too)`,
    shown,
    hidden: count - shown.length,
  };
}

/**
 * The summary's `Wasted`: `239 MB (35.3% of all file bytes; 46.26% of your layers', ci maxWastedPercent): deleted
 * 97.8 MB, overwritten …, same-content copies …`; `bold` marks the total (a terminal's bold, Markdown's `**`).
 */
export function wastedText(
  sum: {
    fileBytes: number;
    wastedBytes: number;
    wasted: { deleted: number; overwrittenChanged: number; overwrittenSameContent: number };
    user: { wastedPercent: number | null };
  },
  bold: (text: string) => string = (text) => text,
): string {
  return `${bold(formatBytes(sum.wastedBytes))} (${percentOf(sum.wastedBytes, sum.fileBytes)} of all file bytes${yourWastedShareText(sum)}): deleted ${formatBytes(sum.wasted.deleted)}, overwritten ${formatBytes(sum.wasted.overwrittenChanged)}, same-content copies ${formatBytes(sum.wasted.overwrittenSameContent)}`;
}

/** Why a wasted copy's bytes are hidden (see wasteCauseText, which every report names it by). */
const WASTE_CAUSE: Record<string, string> = {
  deleted: 'deleted',
  overwrittenChanged: 'overwritten',
  overwrittenSameContent: 'copied again, same content',
};

/**
 * A wasted file's cause, with what else its copy changed when given (`copied again, same content (mode changed)`):
 * said alike by analyze's text, HTML and Markdown and by diff's waste lists, so the two commands name one cause one
 * way. The text tables leave `change` out: beside the cause it left a path no room on an 80-column line.
 */
export function wasteCauseText(cause: string, change?: string): string {
  return (WASTE_CAUSE[cause] ?? cause) + (change && change !== 'none' ? ` (${change} changed)` : '');
}

/**
 * Whether a wasted files list shows them all (`All 15`, `The only one`) or the largest (`The 10 largest`): the list is
 * cut to --top, and the result keeps no more, so all are shown when the rows hold every wasted byte.
 */
export function wastedListText(shown: readonly { sizeBytes: number }[], wastedBytes: number): string {
  const all = shown.reduce((n, w) => n + w.sizeBytes, 0) >= wastedBytes;
  return all ? (shown.length === 1 ? 'The only one' : `All ${shown.length}`) : `The ${shown.length} largest`;
}

/** A size of a check's, with the check's mark: `236 MB (tar)` (see sizeMark). */
export function checkBytes(check: { measure?: 'tar' }, bytes: number): string {
  return `${formatBytes(bytes)}${sizeMark(check)}`;
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

const plain: Style = {
  bold: (t) => t,
  dim: (t) => t,
  red: (t) => t,
  yellow: (t) => t,
  green: (t) => t,
  cyan: (t) => t,
};
const sgr = (open: number, close: number) => (t: string) => `\u001b[${open}m${t}\u001b[${close}m`;
const ansi: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  green: sgr(32, 39),
  cyan: sgr(36, 39),
};

export function style(color: boolean): Style {
  return color ? ansi : plain;
}
