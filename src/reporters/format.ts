// Small text helpers shared by the text reporters: byte sizes, escapes, colour that honours NO_COLOR. Tables and cut
// lines are in width.ts: they need string-width, which `ballast lint`'s start-up does not load (see there). What
// prints outside the reporters too (a note, an error) is in report/: `printable` and wrapped prose.
import { splitDigest } from '../image/reference.js';
import { hexEscape, noLoggingCommands, noWorkflowCommands, printable } from '../report/printable.js';

/**
 * The image as its argument names it, so a report's name can be passed back to ballast: `host/app:1.0`,
 * `host/app@sha256:…` (pulled by digest: the reference holds the digest), `host/app:1.0@sha256:…` (with the tag
 * written beside it), `docker-daemon:app:1.0` as it was read from a daemon, and for an image inside an archive the
 * file and its selector, `demo.tar:app:1.0` or `demo.tar:@1`. A tag of `@sha256:…` is how earlier reports named a
 * pull by digest (saved baselines may hold it).
 */
export function imageArgument(image: { reference: string; tag?: string | null }): string {
  const { reference, tag } = image;
  // A daemon's image is named by the argument that read it (`docker-daemon:app:1`, `podman:app`); its tag is the
  // daemon's own name for it (`docker.io/library/app:1`), which would make `docker-daemon:app:1:app:1` of it.
  if (!tag || /^(?:docker-daemon|podman):/.test(reference)) return reference;
  if (/^@[a-z0-9]+:/.test(tag)) return `${reference}${tag}`;
  // A registry reference pinned by digest, its tag a bare tag (an archive's RepoTags hold a ':'): the tag goes before
  // the digest, as it was written.
  const pinned = splitDigest(reference);
  if (pinned.digest && /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(tag)) return `${pinned.name}:${tag}@${pinned.digest}`;
  return `${reference}:${tag}`;
}

/**
 * An image as a report's header names it: its path or reference, and a note, the tag chosen inside an archive or
 * layout that its path does not say (`demo.tar`, `app:1.0`). A registry image is named by its reference with its tag
 * where it was typed (`host/app:1.0`, `host/app:1.0@sha256:…`): the tag alone in brackets after the repository read
 * as something chosen inside it.
 */
export function imageTitle(image: { reference: string; tag?: string | null; source?: string }): {
  name: string;
  note: string;
} {
  if (image.source === 'registry') return { name: imageArgument(image), note: '' };
  return { name: image.reference, note: image.tag ?? '' };
}

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

/** `12.3 MB` (SI, like docker and dive) for people; exact bytes stay in JSON. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '-';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const text =
    unit === 0 ? String(value) : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  return `${sign}${text} ${units[unit]}`;
}

/**
 * The formats read as text, by a person at a terminal or in a CI log, or as Markdown: their finished text goes
 * through `printable`. Every other format is a document with a syntax of its own (JSON, SARIF, Code Climate, JUnit and
 * checkstyle XML, HTML), whose reporter makes the image's strings safe for that syntax where it writes them
 * (JSON.stringify, escapeXml, escapeHtml). A text pass over a finished document breaks it: `\x7f` is no JSON escape.
 */
export const TEXT_FORMATS: readonly string[] = ['text', 'markdown', 'stylish', 'github', 'gnu', 'tty'];

/**
 * A lint report as a line format (stylish, gnu, hadolint's tty) may quote it: a Dockerfile's name is the user's (or a
 * repository's), and `printable` on the finished text lets its newlines and colour sequences through, so
 * `a\nb.Dockerfile` read as a finding in `b.Dockerfile` and `ESC[8m` in a name concealed the rest of the report. The
 * github format escapes the names in its own syntax (`%0A`), and the documents keep them exact.
 */
export function printableLintReport<T>(format: string, report: T): T {
  return ['stylish', 'gnu', 'tty'].includes(format) ? printableResult(report) : report;
}

/**
 * A finished report in `format` as it may be printed or written: `printable` for a text format, and no line a CI
 * runner would obey, else as it is.
 */
export function printableAs(format: string, text: string): string {
  if (!TEXT_FORMATS.includes(format)) return text;
  // The github format is nothing but workflow commands, ballast's own; the messages in them are not Azure's to obey.
  return format === 'github' ? noLoggingCommands(printable(text)) : noWorkflowCommands(printable(text));
}

/**
 * A result as the text and Markdown reports may quote it: a deep copy in which every string (and object key) is
 * `oneLine`, but file paths (`PATH_KEYS`), labels, annotations and env entries, which show their tabs and newlines escaped too, and messages, whose code
 * spans do (`oneLineWithSpans`). The names, history, labels and tags in a result are the image author's, and `printable` on the finished
 * text must let newlines and colour sequences through because ballast's own layout uses them: a file named
 * `a\nWasted 0 B` would print a forged report line, and `ESC[8m` in a history step would conceal the rest of the
 * report. Made one line here, before rendering, nothing from the image reaches the text as a newline or an escape
 * sequence. JSON keeps the exact strings (it escapes them itself).
 */
export function printableResult<T>(value: T, key?: string): T {
  if (typeof value === 'string') {
    if (key !== undefined && PATH_KEYS.has(key)) return printablePath(value) as T;
    if (key === 'message') return oneLineWithSpans(value) as T;
    // An environment variable (`KEY=VALUE`) is exact data, as a label is: `a\tb` shown `a b` would be another value.
    if (key === 'env') return escapeControls(value) as T;
    return oneLine(value) as T;
  }
  // The elements of `paths: [...]` are paths too. What needed no escaping comes back as it was, the same object: a
  // copy of every array and object of a report (a 2 MB RUN's findings, say) took half a second to change nothing.
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((v: unknown, i) => {
      const shown = printableResult(v, key);
      if (shown !== v) (copy ??= value.slice())[i] = shown;
    });
    return (copy ?? value) as T;
  }
  if (value === null || typeof value !== 'object') return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  // A label (or a manifest's annotation) is a key and a value, each exact data like a file name: `a\nb` shown `a b`
  // would be another value.
  const labels = key === 'labels' || key === 'annotations';
  const entries = Object.entries(value).map(([k, v]): [string, unknown, boolean] => {
    const shownKey = labels ? escapeControls(k) : oneLine(k);
    const shown = labels ? (typeof v === 'string' ? escapeControls(v) : v) : printableResult(v, k);
    return [shownKey, shown, shownKey !== k || shown !== v];
  });
  if (!entries.some(([, , changed]) => changed)) return value;
  // fromEntries defines each key as its own property: assigned, a key `__proto__` (a label, an image's JSON) would
  // set the copy's prototype instead and vanish from the report.
  return Object.fromEntries(entries.map(([k, v]) => [k, v])) as T;
}

/**
 * Keys whose strings in a result are file paths (a file, a directory, a package's folder, a symlink's target, a
 * Dockerfile's or archive's path): shown by `printablePath`, not made one line, as labels are. The other strings are
 * prose (history, titles), whose tabs and newlines read as spaces.
 */
const PATH_KEYS = new Set(['path', 'paths', 'file', 'link', 'target', 'location']);

/**
 * The first `max` of `items` joined by `separator`, then how many more. Lists in one-line messages come from the input
 * (an archive's images, an index's platforms): a docker-save archive of 10,000 images made a 218 KB notice line.
 */
export function someOf(items: readonly string[], separator = ', ', max = 20): string {
  if (items.length <= max) return items.join(separator);
  return `${items.slice(0, max).join(separator)}${separator}and ${items.length - max} more`;
}

/** `a`, `a and b`, `a, b and c`: items in running text. */
export function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * `listed` of the first `max` items and a count of the rest ("`a`, `b` and 9,998 more"): for lists a config writes,
 * which may run to thousands (10,000 ci.images patterns made one note of 129 KB).
 */
export function listedAtMost(items: readonly string[], max = 5): string {
  return items.length <= max
    ? listed(items)
    : listed([...items.slice(0, max), `${formatCount(items.length - max)} more`]);
}

/**
 * A file path from the image in a text or Markdown report: a tab or newline shown as `\x09` or `\x0a`, like every
 * other control character, as the HTML report shows it. Made a space, `/app/new\nline` would print as
 * `/app/new line`, the name of another file that may well be in the image too. For the same reason the blanks a
 * report would trim or fold are escaped (`visibleBlanks`): `/data/a ` is shown `/data/a\x20`.
 */
export function printablePath(path: string): string {
  return visibleBlanks(escapeControls(path));
}

/**
 * `text` with the blanks a report would fold into one space or trim (leading, trailing, a run of them, and any
 * blank but the space: a no-break space) written as `\x20`, `\xa0`: a file `/data/a ` beside `/data/a`, or a value
 * `a  b` beside `a b`, read as the same name. One space between words stays as it is.
 */
export function visibleBlanks(text: string): string {
  return text.replace(/^\s+|\s+$|\s{2,}|[^\S ]/g, (blanks) => blanks.replace(/\s/g, hexEscape));
}

/**
 * Markdown text with its code spans mapped apart from the text around them, as CommonMark reads spans: a run of
 * backticks opens a span that the next run of the same length closes, and a run nothing closes is text. Rule
 * messages, summaries and advice fence names and commands this way (`codeSpan`); each report shows the spans as its
 * format needs: `span` gets what a span holds and its fence, `text` what stands between spans.
 */
export function mapCodeSpans(
  markdown: string,
  text: (part: string) => string,
  span: (inside: string, fence: string) => string,
): string {
  let out = '';
  let at = 0;
  for (const match of markdown.matchAll(/(?<!`)(`+)(?!`)([\s\S]*?)(?<!`)\1(?!`)/g)) {
    out += text(markdown.slice(at, match.index)) + span(match[2], match[1]);
    at = match.index + match[0].length;
  }
  return out + text(markdown.slice(at));
}

/**
 * A message that quotes paths in code spans (`/app/new\nline` is overwritten ...): the spans' insides shown as
 * paths, so the message names the same file as the table beside it; the prose around them made one line.
 */
export function oneLineWithSpans(text: string): string {
  return mapCodeSpans(text, oneLine, (inside, fence) => {
    // The one space each side a span holding a backtick at an end is padded with (codeSpan) is the span's, not the
    // path's: escaped as a path's blanks, `` ` a`b ` `` showed as `\x20a`b\x20`.
    const padded = inside.length > 2 && inside.startsWith(' ') && inside.endsWith(' ') && inside.trim() !== '';
    return padded ? `${fence} ${printablePath(inside.slice(1, -1))} ${fence}` : fence + printablePath(inside) + fence;
  });
}

/**
 * Text from the image on one line: runs of tabs and newlines as one space (history keeps a Dockerfile's indentation
 * and heredoc lines, which read as words, not as `\x09\x0a`), every other control character (ESC included) as `\xHH`.
 */
export function oneLine(text: string): string {
  return escapeControls(text.replace(/[\r\n\t]+/g, ' '));
}

/** Every control character of `text` (newlines, tabs and ESC included) as `\xHH`, bidirectional ones as `\uHHHH`. */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, hexEscape);
}

/** `45,123`: a count grouped by thousands, whatever the locale (reports read the same on every machine). */
/**
 * The Dockerfile line a layer is told by: its instruction's first line (where an editor goes for one written over
 * several), or `2-4` for a layer several instructions were committed as, any of which may have written a file.
 */
export function lineOf(instruction: { line: number; endLine: number; merged?: number }): string {
  return spansLines(instruction) ? `${instruction.line}-${instruction.endLine}` : String(instruction.line);
}

/**
 * The columns a table's last cell (an instruction, a message) needs to say something: with fewer left beside a
 * Dockerfile's path, analyze's layer table and ci's rows name the file by its base name (fileBaseName).
 */
export const READABLE_CELL = 24;

/** A Dockerfile path's last part, for a narrow column; either separator, as a Windows path may name it. */
export function fileBaseName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/** `line 2`, or `lines 2-4` (lineOf). */
export function linesText(instruction: { line: number; endLine: number; merged?: number }): string {
  return `${spansLines(instruction) ? 'lines' : 'line'} ${lineOf(instruction)}`;
}

// A layer the base's ONBUILD triggers alone made is several instructions on the FROM's one line: `1-1` told nothing.
function spansLines(instruction: { line: number; endLine: number; merged?: number }): boolean {
  return instruction.merged !== undefined && instruction.merged > 1 && instruction.endLine > instruction.line;
}

export function formatCount(n: number): string {
  // Not toLocaleString: its first call sets up ICU's number formatting, some 25 ms of a lint's cold start (every
  // summary line counts something).
  return Number.isInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-US');
}

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

/**
 * `p` percent with `digits` decimals (`-12.34%`), or, when they would round a change to nothing, with one significant
 * digit (`-0.004%`): percentChange's figure, and a ratio budget's in ci (maxGrowthPercent), so one report never says
 * the same growth is `-0.004%` in one place and `-0.00%` in another.
 */
export function percentText(p: number, digits = 2): string {
  const size = Math.abs(p);
  const figure = size > 0 && size < 10 ** -digits ? size.toPrecision(1) : size.toFixed(digits);
  return `${p < 0 ? '-' : ''}${figure}%`;
}

/** The order the reports list findings in: errors first, then the biggest first within a severity. */
export function findingOrder(a: { severity: string; bytes?: number }, b: { severity: string; bytes?: number }): number {
  return severityOrder(a.severity) - severityOrder(b.severity) || (b.bytes ?? 0) - (a.bytes ?? 0);
}

/** A severity's place in the reports' order: errors, then warnings, then the rest (info and style together). */
export function severityOrder(severity: string): number {
  return severity === 'error' ? 0 : severity === 'warning' ? 1 : 2;
}

/**
 * The first `limit` items are shared between the kinds (in the GitHub annotations: what decides the gate, the image's
 * findings, each Dockerfile's findings; in failOn's places: the image's findings and the Dockerfile's), one slot each in
 * turn, the earlier kind taking a slot left over, and a kind with fewer items giving its slots to the others. Each kind
 * keeps its own order, and its items past its share come after the first `limit`.
 */
export function sharedFirst<T>(kinds: readonly (readonly T[])[], limit: number): T[] {
  const share = kinds.map(() => 0);
  let left = limit;
  let open = kinds.flatMap((k, i) => (k.length > 0 ? [i] : []));
  while (left > 0 && open.length > 0) {
    for (const i of open) {
      if (left === 0) break;
      share[i]++;
      left--;
    }
    open = open.filter((i) => share[i] < kinds[i].length);
  }
  return [...kinds.flatMap((k, i) => k.slice(0, share[i])), ...kinds.flatMap((k, i) => k.slice(share[i]))];
}

/**
 * The `n` findings a report lists: errors first (a secret of 106 B is not to go under "…and 30 more" while bigger
 * warnings are shown), the biggest first within a severity. When it must cut, up to a quarter of the rows (at least
 * one) go to the biggest findings by bytes the severity-first pick left out: forty small secrets are not to hide a
 * 262 MB warning, the one `explore` and ci's "Fix first" put on top. The JSON keeps every finding.
 */
export function findingsToShow<T extends { severity: string; bytes?: number }>(findings: readonly T[], n: number): T[] {
  const bytes = (f: T) => f.bytes ?? 0;
  const order = (a: { f: T; i: number }, b: { f: T; i: number }) => findingOrder(a.f, b.f) || a.i - b.i;
  const ranked = findings.map((f, i) => ({ f, i })).sort(order);
  if (ranked.length <= n) return ranked.map(({ f }) => f);
  // Equal bytes: the more severe first (the sort is stable over `ranked`).
  const biggest = new Set(
    ranked
      .filter(({ f }) => bytes(f) > 0)
      .sort((a, b) => bytes(b.f) - bytes(a.f))
      .slice(0, Math.min(n, Math.max(1, Math.floor(n / 4)))),
  );
  // The biggest the severity-first pick already holds keep their row; the others push out its last ones.
  const rest = ranked.filter((x) => !biggest.has(x)).slice(0, n - biggest.size);
  return [...biggest, ...rest].sort(order).map(({ f }) => f);
}

/** `1 file`, `2 files`: a count and its noun, plural when the count is not one. */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 findings at or above warning`: what fails a run on its findings, as the gate's failOn check words it. */
export function findingsAtOrAbove(count: number, failOn: string): string {
  return `${plural(count, 'finding')} at or above ${failOn}`;
}

/**
 * The stderr line of a run that failed (exit 1) with its report only in files (`-o FILE`): stdout is empty then, and a
 * CI log would show a red job with no reason. `reason` is the report's own verdict; the paths are as the user gave them.
 */
export function failedReportLine(reason: string, paths: readonly string[]): string {
  const where = `${paths.length === 1 ? 'report' : 'reports'} written to ${listed(paths)}`;
  return `${noLoggingCommands(escapeControls(`ballast: ${reason}; ${where}`))}\n`;
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

/**
 * An efficiency score (0-1) as a percentage with `digits` decimals, rounded down: an image that wastes anything is
 * never shown as 100% (0.9999982 with 8 MB wasted is 99.99%, not 100.00%), as dive truncates its score.
 */
export function efficiencyPercent(efficiency: number, digits = 2): string {
  const scale = 10 ** digits;
  // Rounded to 6 places before the floor: 0.8174 * 10000 is 8173.999999999999, and a limit of 81.74% must not show
  // as 81.73%.
  const scaled = Number((efficiency * 100 * scale).toFixed(6));
  return `${(Math.floor(scaled) / scale).toFixed(digits)}%`;
}

/** The checks whose value is an efficiency score (ci's minEfficiency, dive's lowestEfficiency): shown by efficiencyPercent. */
export const EFFICIENCY_CHECKS: readonly string[] = ['minEfficiency', 'lowestEfficiency'];

/**
 * The mark after a size of a check whose sizes are layers' uncompressed tar sizes (`measure: 'tar'`), so that a reader
 * does not take them for the file bytes analyze's layer table shows for the same layer: ` (tar)`, else nothing.
 */
export function sizeMark(check: { measure?: 'tar' }): string {
  return check.measure === 'tar' ? ' (tar)' : '';
}

/** A size of a check's, with the check's mark: `236 MB (tar)` (see sizeMark). */
export function checkBytes(check: { measure?: 'tar' }, bytes: number): string {
  return `${formatBytes(bytes)}${sizeMark(check)}`;
}

/**
 * A check's value and limit as every report shows them: bytes in kB/MB, efficiencies rounded down (as dive does), other
 * ratios rounded. When the two differ but would print alike, they get the digits that tell them apart (a failure at
 * the boundary must never read "92.81% is below the 92.81% minimum"); bytes then print exactly.
 */
export function checkFigures(
  check: { id: string; unit: 'bytes' | 'ratio' | 'count'; measure?: 'tar' },
  value: number | null,
  limit: number | null,
): { value: string; limit: string } {
  const ratio = (n: number, digits: number) =>
    EFFICIENCY_CHECKS.includes(check.id) ? efficiencyPercent(n, digits) : percentText(n * 100, digits);
  let show: (n: number) => string = String;
  if (check.unit === 'bytes') {
    show = formatBytes;
    if (value !== null && limit !== null && value !== limit && show(value) === show(limit))
      show = (n) => `${formatCount(n)} B`;
  } else if (check.unit === 'ratio') {
    let digits = 2;
    if (value !== null && limit !== null && value !== limit)
      while (digits < 8 && ratio(value, digits) === ratio(limit, digits)) digits++;
    show = (n) => ratio(n, digits);
  }
  // The value only: the limit is on the same measure, and one mark per figure pair says which it is. A share of tar
  // sizes (maxGrowthPercent) is no size: "12.34% (tar)" would read as a percentage of some tar.
  return {
    value: value === null ? '-' : `${show(value)}${check.unit === 'bytes' ? sizeMark(check) : ''}`,
    limit: limit === null ? '-' : show(limit),
  };
}

/**
 * How far a failed budget's value is past its limit, as every format words it (`293 MB`, `8.27 points`): a reader
 * should not have to subtract to size the fix. In the figures' own digits, so a boundary failure (92.8168% against
 * 92.8169%) reads `0.0001 points` and not `0.00`; a share's excess is in percentage points, not a share of the limit.
 */
export function checkExcess(
  check: { id: string; unit: 'bytes' | 'ratio' | 'count' },
  value: number,
  limit: number,
): string {
  const excess = Math.abs(value - limit);
  if (check.unit === 'bytes') return formatBytes(excess);
  if (check.unit === 'count') return formatCount(excess);
  // The difference of the figures as shown, so that 90.00% less 81.73% reads 8.27 and not the exact 8.26.
  const shown = checkFigures(check, value, limit);
  const digits = Math.max(2, shown.value.replace(/^[^.]*\.?/, '').replace(/\D.*$/, '').length);
  const points = Math.abs(parseFloat(shown.value.replace(/,/g, '')) - parseFloat(shown.limit.replace(/,/g, '')));
  return `${(Number.isFinite(points) ? points : excess * 100).toFixed(digits)} points`;
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

/**
 * Whether to colour output: a TTY, and neither NO_COLOR nor TERM=dumb; FORCE_COLOR forces it on, except `0` and
 * `false`, which turn it off even on a terminal, as Node's own streams and chalk read them.
 */
export function colorEnabled(stream: { isTTY?: boolean } = process.stdout, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR !== undefined) return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}
