// Text view of `ballast diff`: a pure function of the result, one block per section (--only picks them).
// Also the one-sentence story of a change ("grew the image by 42.0 MB: 30.1 MB in /usr/lib/node_modules ..."),
// shared with the markdown view.
import {
  KIND_WORDS,
  packagesOf,
  type ChangedFile,
  type EntryKind,
  type FileEntry,
  type HistoryStepRef,
  type MetadataChange,
  type MetadataDelta,
} from '../analysis/compare.js';
import { biggestChangeFirst, leftOutAbove, leftOutLine } from '../analysis/measure.js';
import type { PackageInfo, PackageManager } from '../analysis/packages.js';
import type { DiffResult, DiffSection } from '../services/diff.js';
import type { DeviceNumbers } from '../image/tar-header.js';
import type { ContentSide, FileContentDiff } from '../services/diff-contents.js';
import {
  cutWidth,
  READABLE_CELL,
  style,
  type Style,
  storedUncompressedMark,
  percentChange,
  wasteCauseText,
} from './format.js';
import { escapeControls, hexEscape, printablePath, printableResult, visibleBlanks } from '../report/printable.js';
import { columns, copiedWhole, cutPathToColumns, cutToColumns, graphemes } from '../report/text.js';
import { labelsOver, pathOverNote, table, tableWidth, truncate } from './width.js';
import { proseWrapper, wrapToColumns } from '../report/wrap.js';
import { formatBytes, formatCount, plural } from '../report/figures.js';
import { imageTitle } from '../report/image-name.js';

export interface DiffTextOptions {
  color: boolean;
  width?: number;
  /** Rows per list (default 10). */
  rows?: number;
  /** Sections to show (default all). */
  sections?: readonly DiffSection[];
  /** The package managers the packages section shows (default all): `--type=pip` asks for Python's only. */
  managers?: readonly PackageManager[];
}

/** The packages section's data: every manager's, or only those asked for. */
export function shownPackages(r: DiffResult, managers: readonly PackageManager[] | undefined): DiffResult['packages'] {
  return managers ? packagesOf(r.packages, managers) : r.packages;
}

/** A manager's packages on one side, with their bytes (`2 (80.1 kB)`): the packages table's A and B cells. */
export function packageCountText(side: { packages: number; bytes: number }): string {
  return `${formatCount(side.packages)} (${formatBytes(side.bytes)})`;
}

/** Said when the packages section has no manager to show. */
export function noPackagesText(managers: readonly PackageManager[] | undefined): string {
  return managers ? `no ${managers.join(' or ')} packages on either side` : 'no package databases on either side';
}

/**
 * A history entry as the reports list it: its instruction, without what the builder wrote around it (`/bin/sh -c
 * #(nop)`, a RUN's shell, `# buildkit`), as the layers section and analyze's layer table show it. A table mixing the
 * two spellings, `/bin/sh -c #(nop)  LABEL ...` beside `LABEL ...`, read as two kinds of step; --json keeps both.
 */
export function historyStepInstruction(step: HistoryStepRef): string {
  return step.instruction || step.createdBy || '(no created_by)';
}

/** Before where a history entry parts from one alike at the start, at most the characters kept to show where it is. */
const BEFORE_DIFFERENCE = 20;

/**
 * A history entry as the text lists it in `room` columns: its instruction (historyStepInstruction) and `(empty layer)`
 * for a step that made none. An instruction too long keeps its start, `…`, and from just before where it parts from
 * the most alike of `others` (the other side's entries), when the cut would hide that: a long RUN line bumping a
 * version at its end read the same on both sides.
 */
export function historyStepCut(step: HistoryStepRef, room: number, others: readonly HistoryStepRef[] = []): string {
  const fold = (text: string) => text.replace(/\s+/g, ' ').trim();
  const mark = step.emptyLayer ? ' (empty layer)' : '';
  const text = fold(historyStepInstruction(step));
  const left = Math.max(12, room - columns(mark));
  if (columns(text) <= left) return text + mark;
  const chars = graphemes(text);
  let parts = 0;
  for (const other of others) {
    const alike = graphemes(fold(historyStepInstruction(other)));
    let i = 0;
    while (i < chars.length && i < alike.length && chars[i] === alike[i]) i++;
    parts = Math.max(parts, i);
  }
  const cut = cutToColumns(text, left);
  // (the cut shows the characters up to its `…`: a difference among them is seen)
  if (parts < graphemes(cut).length - 1) return cut + mark;
  const firstWord = /^\S+ ?/.exec(text)?.[0] ?? '';
  const head = cutToColumns(text, Math.max(columns(firstWord) + 1, Math.floor(left / 3)));
  // From the start of the word that differs (`libssl3=3.0.13-1`, not `ssl3=3.0.13-1`), unless that word is long.
  let start = parts;
  while (start > 0 && chars[start - 1] !== ' ' && parts - start < BEFORE_DIFFERENCE) start--;
  const from = Math.max(graphemes(head).length - 1, chars[start - 1] === ' ' ? start : parts - BEFORE_DIFFERENCE);
  return head + cutToColumns(chars.slice(from).join(''), left - columns(head)) + mark;
}

export function signedBytes(n: number): string {
  return n > 0 ? `+${formatBytes(n)}` : formatBytes(n);
}

export function signedCount(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : formatCount(n);
}

/** A change's percentage: percentChange, as ci prints the same growth. */
export const percentText = percentChange;

export function imageName(side: DiffResult['a']): string {
  const { name, note } = imageTitle(side.image);
  return note ? `${name} (${note})` : name;
}

const METRIC_WORDS = { uncompressed: 'uncompressed', compressed: 'compressed', files: 'final file bytes' } as const;

/** The size rows: [label, A, B, delta, percent]; `mark` follows a compressed size stored as plain tars. */
export function sizeRows(
  r: DiffResult,
  mark: (summary: DiffResult['a']['summary']) => string = storedUncompressedMark,
): string[][] {
  const row = (
    label: string,
    key: keyof DiffResult['delta'],
    a: number,
    b: number,
    fmt: (n: number) => string = formatBytes,
    sign = signedBytes,
  ) => [label, fmt(a), fmt(b), sign(r.delta[key]), percentText(r.percent[key])];
  const a = r.a.summary;
  const b = r.b.summary;
  // A side storing plain tars (a `docker save`): its compressed cell is its tar size, and so the delta is no growth.
  // A tar size less a compressed one means nothing, so the delta and % are `-` (JSON keeps them, with plainLayers).
  const compressed = row('Compressed', 'compressedBytes', a.compressedBytes, b.compressedBytes);
  compressed[1] += mark(a);
  compressed[2] += mark(b);
  if (a.plainLayers || b.plainLayers) compressed.splice(3, 2, '-', '-');
  return [
    compressed,
    row('Uncompressed', 'uncompressedBytes', a.uncompressedBytes, b.uncompressedBytes),
    row('Final file bytes', 'finalFileBytes', a.finalFileBytes, b.finalFileBytes),
    row('Final files', 'files', a.finalFiles, b.finalFiles, formatCount, signedCount),
    row('Wasted', 'wastedBytes', a.wastedBytes, b.wastedBytes),
  ];
}

/**
 * "this change grew the image by 42.0 MB (uncompressed): 30.1 MB in /usr/lib/node_modules (12 node packages added), ...".
 * The sizes are the whole image's; the packages are those of the managers asked for (`--type=pip`: Python's only), as
 * the packages section below shows them, so the story does not speak of packages the report leaves out.
 */
export function diffStory(
  r: DiffResult,
  shownManagers?: readonly PackageManager[],
  /** The digest as the report writes a hex word (Markdown: a code span, which GitHub does not link), and its arrow. */
  style: { hex: (text: string) => string; arrow: string } = { hex: (text) => text, arrow: '->' },
): string {
  const packages = shownPackages(r, shownManagers);
  const g = r.growth;
  // One config is one image (its layers' diffIds are in it): nothing below can differ, and "did not change the image
  // size" would leave the reader to check every section for a difference. Only how it is stored can differ.
  const id = r.a.image.imageId;
  if (r.sameImage && id) {
    const a = r.a.summary.compressedBytes;
    const b = r.b.summary.compressedBytes;
    const same = `A and B are the same image (${style.hex(id.slice(0, 19))})`;
    return a === b
      ? `${same}: nothing differs`
      : `${same}, stored differently: compressed ${formatBytes(a)}${storedUncompressedMark(r.a.summary)} ${style.arrow} ${formatBytes(b)}${storedUncompressedMark(r.b.summary)}`;
  }
  const managers = Object.entries(packages.managers)
    .filter(([, m]) => m.added || m.removed || m.changed)
    .map(
      ([name, m]) =>
        `${name}: ${counted([
          [m.added, 'added'],
          [m.removed, 'removed'],
          [m.changed, 'changed'],
        ]).join(', ')}`,
    );
  const verb = g.bytes > 0 ? 'grew' : g.bytes < 0 ? 'shrank' : undefined;
  if (!verb) {
    // The size is the same, not the image: a file rewritten with as many bytes, a package upgrade, an ENV. Said
    // here, as the story of a growth says it, so the first line does not read as "nothing changed".
    const t = r.files.totals;
    const files = counted([
      [t.added.files, 'added'],
      [t.removed.files, 'removed'],
      [t.changed.files, 'changed'],
      [t.metadata.files, 'metadata only'],
    ]);
    const changes = [
      files.length ? `files: ${files.join(', ')}` : '',
      managers.length ? `packages ${managers.join('; ')}` : '',
      r.config.length ? `config: ${plural(r.config.length, 'difference')}` : '',
    ].filter(Boolean);
    return `this change did not change the image size (${METRIC_WORDS[g.metric]})${changes.length ? `: ${changes.join('; ')}` : ''}`;
  }
  // r.explaining, not r.directories: those are cut to --top rows, and the story must not change with --top.
  const parts = r.explaining.map((d) => {
    // Per manager: only Python and Node packages have a place in the tree (dpkg's do not), so a bare "66 packages
    // added" in /usr/share would read as all that was installed there.
    // The rest of a directory leaves out the folders named on their own, and their packages with them.
    const inside = (location: string, path: string) => location === path || location.startsWith(`${path}/`);
    // Packages that carry under half of the directory's change are told with their bytes ("1.06 MB of it in 66 node
    // packages added"): "+174 MB in /usr/share (66 node packages added)" read as if they made the 174 MB, where dpkg's
    // files, which have no place to count them in, did.
    const part = Math.abs(d.rest?.deltaBytes ?? d.deltaBytes);
    const within = (list: PackageInfo[], word: string) => {
      const found = new Map<string, { n: number; bytes: number }>();
      for (const p of list)
        if (
          p.location !== undefined &&
          inside(p.location, d.path) &&
          !(d.rest?.except ?? []).some((path) => inside(p.location!, path))
        ) {
          const x = found.get(p.manager) ?? { n: 0, bytes: 0 };
          found.set(p.manager, { n: x.n + 1, bytes: x.bytes + p.bytes });
        }
      return [...found].map(([manager, { n, bytes }]) => {
        const counted = `${plural(n, `${manager} package`)} ${word}`;
        return bytes * 2 >= part ? counted : `${formatBytes(bytes)} of it in ${counted}`;
      });
    };
    const notes = [...within(packages.added, 'added'), ...within(packages.removed, 'removed')];
    const where = d.rest
      ? `${signedBytes(d.rest.deltaBytes)} in the rest of /${d.path}`
      : `${signedBytes(d.deltaBytes)} in /${d.path}`;
    return {
      bytes: Math.abs(d.rest?.deltaBytes ?? d.deltaBytes),
      text: `${where}${notes.length ? ` (${notes.join(', ')})` : ''}`,
    };
  });
  const waste = r.explainingWaste;
  if (waste) {
    const where = waste.biggest.map(
      (w) =>
        `/${w.path} ${formatBytes(w.bytes)} in ${w.layers.length > 3 ? `${w.layers.length} layers` : w.layers.map((l) => `L${l}`).join(', ')}`,
    );
    parts.push({
      bytes: Math.abs(waste.deltaBytes),
      text:
        waste.deltaBytes > 0
          ? `${signedBytes(waste.deltaBytes)} wasted (written by one layer, deleted or replaced by a later one${where.length ? `: ${where.join('; ')}` : ''})`
          : `${signedBytes(waste.deltaBytes)} of wasted bytes (fewer files written by one layer and deleted or replaced by a later one)`,
    });
  }
  // The biggest first, the waste among them: it may be most of the change.
  parts.sort((x, y) => y.bytes - x.bytes);
  const ratio = g.ratio === null ? '' : ` (${percentText(g.ratio * 100)})`;
  let text = `this change ${verb} the image by ${formatBytes(Math.abs(g.bytes))}${ratio} ${METRIC_WORDS[g.metric]}`;
  // The names below are sized uncompressed (a file's share of a compressed layer is not known): said, or they would
  // add up to more than the compressed change they explain.
  if (g.metric === 'compressed' && parts.length) text += ` (${signedBytes(r.delta.uncompressedBytes)} uncompressed)`;
  const fewer = Math.sign(r.delta.finalFileBytes) !== Math.sign(g.bytes) && r.delta.wastedBytes !== 0;
  // No directory moved the way the image did: the files went the other way, which says more than the waste alone.
  if (!r.explaining.length && fewer)
    text += `: the files changed by ${signedBytes(r.delta.finalFileBytes)} while wasted bytes changed by ${signedBytes(r.delta.wastedBytes)} (deleted and overwritten files still ship in their layers)`;
  else {
    if (parts.length) text += `: ${parts.map((p) => p.text).join(', ')}`;
    // A quarter of the change or more left out: said, so the names above do not read as the whole of it (with none
    // named, the sentence claims no whole). It is mostly directories below the threshold or past the three named (on
    // corpus `big` against its base, 458 MB of 1.10 GB: /usr/lib/gcc 124 MB, /usr/lib/python3.11 89 MB, ...), with
    // tar's headers and padding a few percent: "not explained (other changes, tar headers)" read as overhead.
    const left = r.unexplainedBytes;
    if (parts.length && left !== null && left !== undefined && Math.abs(left) * 4 > Math.abs(g.bytes))
      // The names can overshoot: amd64 against arm64 adds aarch64 directories and removes x86_64 ones, and "-58.9 MB
      // not explained" read as a defect. The rest moved the other way: said as such.
      // Final file bytes hold no tar headers: measured on them, the rest is directories alone.
      text +=
        Math.sign(left) === Math.sign(g.bytes)
          ? `; ${signedBytes(left)} in other directories${g.metric === 'files' ? '' : ' and tar headers'}`
          : `; ${signedBytes(left)} elsewhere (what ${g.bytes > 0 ? 'shrank' : 'grew'})`;
  }
  if (managers.length) text += `; packages ${managers.join('; ')}`;
  return text;
}

export function growthVerdict(r: DiffResult): string | undefined {
  if (r.growth.limit === null) return undefined;
  const bytes = r.growth.limitBytes;
  // A limit in bytes is written as the growth is (`100MB` and `0` beside `+93.0 MB` and `0 B` were two spellings to
  // set side by side); where the two round to one text, the exact bytes are given (--json has them too).
  let limit = r.growth.limit.trim();
  let exact = '';
  if (bytes !== null && bytes !== undefined) {
    limit = formatBytes(bytes);
    if (formatBytes(Math.abs(r.growth.bytes)) === limit && Math.abs(r.growth.bytes) !== bytes) {
      exact = ` (${formatCount(r.growth.bytes)} bytes)`;
      limit += ` (${formatCount(bytes)} bytes)`;
    }
  }
  // A percentage limit is judged on the ratio: given beside the bytes, or the log says only `+83.9 MB ... over 10%`.
  const ratio = limit.endsWith('%') && r.growth.ratio !== null ? ` (${percentText(r.growth.ratio * 100)})` : '';
  const growth = `growth ${signedBytes(r.growth.bytes)}${exact}${ratio} ${METRIC_WORDS[r.growth.metric]}`;
  return r.growth.exceeded ? `${growth} is over the limit ${limit}` : `${growth} is within the limit ${limit}`;
}

/** Where a wasted file is: `L2 hidden by L5`, the layer that wrote it and the one that deleted or replaced it. */
export function wasteLayersText(x: { layer: number; byLayer: number }): string {
  return `L${x.layer} hidden by L${x.byLayer}`;
}

/**
 * The config changes as the reports show them: a value (an env variable, a label) is exact data, so its control
 * characters are escaped one by one (`\x0a`), where the rest of a result turns newlines into spaces: `a\nb` against
 * `a b` read as two equal values.
 */
export function printableConfig(changes: DiffResult['config']): DiffResult['config'] {
  const shown = (v: string | null) => (v === null ? null : escapeControls(v));
  return changes.map((c) => ({ key: escapeControls(c.key), a: shown(c.a), b: shown(c.b) }));
}

/**
 * A config value as shown: one that is empty or only blanks (a `base.name` annotation of "") is quoted, so it does
 * not read as a blank cell, like a key with no value at all. The blanks a report would fold into one space or trim
 * (leading, trailing, a run of them, a no-break space) are written as `\x20`, `\xa0`: `PATH=/bin ` against
 * `PATH=/bin`, or `a  b` against `a b`, read as two equal values beside "1 difference".
 */
export function configValue(v: string): string {
  if (v.trim() === '') return `"${v.replace(/\s/g, hexEscape)}"`;
  return visibleBlanks(v);
}

/** `3 added, 1 changed`: the counts that are not 0, each with its word. */
function counted(counts: Array<[number, string]>): string[] {
  return counts.filter(([n]) => n).map(([n, word]) => `${formatCount(n)} ${word}`);
}

/**
 * `file -> dir` for an added or removed entry whose name is a directory on the other side, or a changed one whose
 * kind changed, else ''.
 */
export function entryKindText(x: { kind: string; kindBefore?: string; kindAfter?: string }, arrow: string): string {
  if (x.kindBefore) return `${x.kindBefore} ${arrow} ${x.kind}`;
  return x.kindAfter ? `${x.kind} ${arrow} ${x.kindAfter}` : '';
}

/**
 * What an added or removed link points to: `hard link to /opt/data/blob.bin` (the name its bytes are counted at) or
 * `symlink -> ../lib/x`, else ''. `target` writes the target (markdown: a code span, as paths are).
 */
export function entryLinkText(x: FileEntry, arrow: string, target = (text: string) => text): string {
  if (x.link === undefined) return '';
  return x.kind === 'hardlink' ? `hard link to ${target(`/${x.link}`)}` : `symlink ${arrow} ${target(x.link)}`;
}

/** A device's numbers as `ls -l` gives them (`1,3`), or ''. */
const deviceNumbers = (device: DeviceNumbers | undefined) => (device ? `${device.major},${device.minor}` : '');

/**
 * The words a files row's note keeps on one line when it is wrapped under its path, in lines of `room` columns: a
 * bracketed part of `text` that fits on a line (`(fifo -> char-device 0,0)`), a device's kind and its `major,minor`
 * (`char-device` ending a line and `1,3` starting the next read as two things), and an arrow with what follows it,
 * so a line ends on the before and the next starts with `-> after`.
 */
function noteTogether(text: string, room: number): (previous: string, word: string) => boolean {
  const groups = (text.match(/\([^()]*\)/g) ?? []).filter((g) => columns(g) <= room);
  return (previous, word) => {
    if (columns(`${previous} ${word}`) > room) return false;
    const open = previous.lastIndexOf('(');
    const inGroup = open >= 0 && !previous.slice(open).includes(')');
    if (inGroup && groups.some((g) => g.startsWith(`${previous.slice(open)} ${word}`))) return true;
    if (/-device$/.test(previous) && /^\d+,\d+\W*$/.test(word)) return true;
    return /(?:^|\s)->$/.test(previous) && !word.startsWith('(');
  };
}

/** A kind with the device numbers it has (`char-device 1,3`). */
const withDevice = (kind: string, device: DeviceNumbers | undefined) =>
  device ? `${kind} ${deviceNumbers(device)}` : kind;

const SPECIAL = new Set<EntryKind>(['fifo', 'char-device', 'block-device', 'other']);

/**
 * The note after an added or removed row: the kind on the other side and what a link points to, or ''. A special
 * file says what it is (`fifo`, `char-device 1,3`): its row's 0 B alone would not.
 */
export function entryNoteText(x: FileEntry, arrow: string, target?: (text: string) => string): string {
  if (x.kind === 'dir') return 'empty directory';
  const kind =
    x.kindBefore || x.kindAfter
      ? entryKindText({ ...x, kind: withDevice(x.kind, x.device) }, arrow)
      : SPECIAL.has(x.kind)
        ? withDevice(x.kind, x.device)
        : '';
  return [kind, entryLinkText(x, arrow, target)].filter(Boolean).join('; ');
}

/**
 * What kind of change a changed row is, beyond its sizes: the kind of entry it was and is, or for a hardlink (which
 * holds no bytes of its own, so reads 0 B -> 0 B) that it reads other bytes.
 */
export function changedKindText(x: ChangedFile, arrow: string, target = (text: string) => text): string {
  // A device node changed in its numbers only (`char-device 1,3 -> 1,5`).
  if (!x.kindBefore && (x.device || x.deviceBefore))
    return ` (${withDevice(x.kind, x.deviceBefore)} ${arrow} ${deviceNumbers(x.device)})`;
  if (!x.kindBefore) return x.kind === 'hardlink' ? ' (hardlink: its content changed)' : '';
  // Each side that is a link says where it points (`file -> symlink to ../x`, `hard link to /a -> symlink to b`), in
  // the words an added or removed link's note uses, and few: the note may have to fit under the path when narrow.
  const side = (kind: EntryKind, link: string | undefined, device: DeviceNumbers | undefined) => {
    if (link === undefined) return withDevice(kind, device);
    if (kind === 'hardlink') return `hard link to ${target(`/${link}`)}`;
    return kind === 'symlink' ? `symlink to ${target(link)}` : kind;
  };
  return ` (${side(x.kindBefore, x.linkBefore, x.deviceBefore)} ${arrow} ${side(x.kind, x.link, x.device)})`;
}

/**
 * `arrow`: `->` in text, `→` in markdown (where every before-after pair uses it). `kinds`: each side's kind, so a
 * hardlink's target reads as the path of its file (`link /opt/a -> /opt/b`), as every other row names it, and a
 * symlink's as written (`link ../lib/x -> ../lib/y`); a side that is neither has no link (`-`).
 */
export function metadataText(m: MetadataDelta, arrow = '->', kinds?: { a: string; b: string }): string {
  const link = (target: string | undefined, kind: string | undefined) =>
    target === undefined ? '-' : kind === undefined || kind === 'symlink' ? target : `/${target}`;
  return m.fields
    .map((f) => {
      if (f === 'mode') return `mode ${m.a.mode} ${arrow} ${m.b.mode}`;
      if (f === 'owner') return `owner ${m.a.uid}:${m.a.gid} ${arrow} ${m.b.uid}:${m.b.gid}`;
      if (f === 'link') return `link ${link(m.a.link, kinds?.a)} ${arrow} ${link(m.b.link, kinds?.b)}`;
      // Names alone read the same when only a value changed: those are named as changed.
      const changed = m.xattrsChanged?.length ? `${m.xattrsChanged.join(',')} value changed` : '';
      const [a, b] = [(m.a.xattrs ?? []).join(',') || '-', (m.b.xattrs ?? []).join(',') || '-'];
      if (a === b) return `xattrs ${changed}`;
      return `xattrs ${a} ${arrow} ${b}${changed && ` (${changed})`}`;
    })
    .join(', ');
}

/**
 * A metadata-only row: a file that became a hardlink of same-content bytes (or the other way) says where its bytes
 * are counted now, so the row's bytes and the files line's net add up. A file's size is told here, as unchanged: in
 * the bytes column, where the other rows put a change, it would read as one.
 */
export function metadataRowText(x: MetadataChange, arrow = '->'): string {
  const kinds = { a: x.kindBefore ?? x.kind, b: x.kind };
  if (!x.kindBefore)
    return `${metadataText(x, arrow, kinds)}${x.kind === 'file' ? ` (${formatBytes(x.sizeBytes)}, same content)` : ''}`;
  const before = x.sizeBytes - (x.deltaBytes ?? 0);
  return `${x.kindBefore} ${arrow} ${x.kind}, same content (${formatBytes(before)} ${arrow} ${formatBytes(x.sizeBytes)} counted here), ${metadataText(x, arrow, kinds)}`;
}

/** The metadata rows' bytes: the bytes now counted at another name when any moved, else none (0 B). */
export function metadataBytesText(x: MetadataChange): string {
  return signedBytes(x.deltaBytes ?? 0);
}

/**
 * One count of the files line with its bytes: `953 added (548 files, 405 symlinks; 193 MB)`. The entries are files,
 * symlinks, hardlinks..., where the Size table's final files are regular files only: each kind is counted when any
 * entry is not a regular file, or `953 added` beside `Final files +548` reads as two answers to one question.
 */
export function entriesText(
  entries: readonly { kind: EntryKind }[],
  count: number,
  word: string,
  bytes: string,
): string {
  const kinds = new Map<EntryKind, number>();
  for (const e of entries) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  const byKind =
    kinds.size && [...kinds.keys()].some((k) => k !== 'file')
      ? (Object.keys(KIND_WORDS) as EntryKind[])
          .filter((k) => kinds.get(k))
          .map((k) => `${formatCount(kinds.get(k)!)} ${KIND_WORDS[k][kinds.get(k) === 1 ? 0 : 1]}`)
      : [];
  return `${formatCount(count)} ${word} (${byKind.length ? `${byKind.join(', ')}; ` : ''}${bytes})`;
}

/** The files line's added, removed and changed counts, as the text and markdown reports write them. */
export function filesCountsText(f: DiffResult['files']): string {
  const t = f.totals;
  return [
    entriesText(f.added, t.added.files, 'added', formatBytes(t.added.bytes)),
    entriesText(f.removed, t.removed.files, 'removed', formatBytes(t.removed.bytes)),
    entriesText(f.changed, t.changed.files, 'changed', signedBytes(t.changed.bytes)),
  ].join(', ');
}

/** The files line's metadata count, with the bytes that moved between names when any did (they are in the net). */
export function metadataTotalText(t: DiffResult['files']['totals']['metadata']): string {
  return `${formatCount(t.files)} metadata only${t.deltaBytes ? ` (${signedBytes(t.deltaBytes)})` : ''}`;
}

/** "2 only in A, 1 only in B (1 entry in A, 3 in B, 0 the same)": the history section's counts. */
export function historyCounts(h: DiffResult['history']): string {
  return `${formatCount(h.removed.length)} only in A, ${formatCount(h.added.length)} only in B (${formatCount(h.a)} ${h.a === 1 ? 'entry' : 'entries'} in A, ${formatCount(h.b)} in B, ${formatCount(h.same)} the same)`;
}

/** The layer rows a list of `rows` per group (shared, only in A, only in B) leaves out. */
export function layersLeftOut(
  l: DiffResult['layers'],
  rows: number,
  groups: readonly ('shared' | 'onlyA' | 'onlyB')[] = ['shared', 'onlyA', 'onlyB'],
): number {
  return groups.reduce((n, g) => n + Math.max(0, l[g].length - rows), 0);
}

/**
 * `; 3 wasted paths also in A changed size: +1.20 MB`, or nothing: waste A has too at another size (a rebuild's
 * apt lists) is not new, but its bytes are part of the change above.
 */
export function resizedWaste(w: Pick<DiffResult['waste'], 'resizedTotals'>): string {
  const { files, deltaBytes } = w.resizedTotals;
  return files ? `; ${plural(files, 'wasted path')} also in A changed size: ${signedBytes(deltaBytes)}` : '';
}

/**
 * The junk classes the text and Markdown reports list: each that grew, shrank or is new in B. The Markdown table
 * listed grown and new ones only, so a PR that cleaned the apt lists up showed no row for it where the text did.
 */
export function changedJunk(w: Pick<DiffResult['waste'], 'junk'>): DiffResult['waste']['junk'] {
  return w.junk.filter((j) => j.deltaBytes !== 0 || j.new);
}

/** The header of the junk table's last column, which holds junkNote (and, in Markdown, the class's advice). */
export const JUNK_NOTE_HEADER = 'Note';

/**
 * What the junk table's last column says of a class: B has more of it than A, new or grown. An apt cache of 93 MB
 * that became 225 MB wants the same cleanup as one B brought, yet only new classes were marked (and, in Markdown,
 * advised), so a PR that made its junk worse read as if nothing needed doing. A class that shrank gets none.
 */
export function junkNote(j: DiffResult['waste']['junk'][number]): string | undefined {
  return j.new ? 'new in B' : j.deltaBytes > 0 ? 'grew in B' : undefined;
}

/** Up to this many changed directories, the `--top` that lists them all is one a reader would type and read. */
const DIRECTORIES_ALL_AT_MOST = 100;

/**
 * The directories' `…and N more` hint, a `--top` to type (--json cuts this list to --top too, so --json alone lists no
 * more of it): the one that lists them all, when that is a list one reads; else the next of 100, 1000... past the rows
 * shown, with what it lists. `--top 5563 lists all` named a number nobody would type for a list nobody would read.
 */
export function moreDirectoriesHint(shown: number, total: number): { top: number; lists: string } {
  let top = DIRECTORIES_ALL_AT_MOST;
  while (top <= shown) top *= 10;
  return top >= total ? { top: total, lists: 'lists all' } : { top, lists: `lists the biggest ${formatCount(top)}` };
}

/** A list's `…and N more`, saying what lists it all: --json (but for the directories: moreDirectoriesHint). */
function more(s: Style, shown: number, total: number): string[] {
  return total > shown ? [s.dim(`  …and ${formatCount(total - shown)} more (--json lists all)`)] : [];
}

/**
 * `diff --filename` results made safe to print: `printableResult` would put a unified diff on one line, so here each
 * of its lines is escaped on its own (tabs kept: config files indent with them), the rest made one line.
 */
export function printableContents(contents: FileContentDiff[]): FileContentDiff[] {
  const side = (x: ContentSide | null) => (x && x.target !== null ? { ...x, target: printablePath(x.target) } : x);
  return contents.map((c) => ({
    ...c,
    path: printablePath(c.path),
    // A hardlink's target is a name like any other: escaped, or a newline in it would start a line of its own.
    ...(c.metadata ? { metadata: printableResult(c.metadata) } : {}),
    a: side(c.a),
    b: side(c.b),
    diff:
      c.diff === null
        ? null
        : c.diff
            .split('\n')
            .map((line) => line.split('\t').map(escapeControls).join('\t'))
            .join('\n'),
  }));
}

/** One side of a `--filename` comparison: `file, 1.2 KB, sha256 0123456789ab, layer 2`. */
/** `hash` writes the short sha256 (markdown puts it in a code span of its own, outside the comma after it). */
export function contentSideText(x: ContentSide | null, hash = (short: string) => short, arrow = '->'): string {
  if (!x) return 'absent';
  if (x.kind === 'symlink') return `symlink ${arrow} ${x.target}, layer ${x.layer}`;
  if (x.kind === 'directory') return 'directory';
  if (x.kind === 'other') return `special file, layer ${x.layer}`;
  if (x.kind !== 'file') return `${withDevice(x.kind, x.device ?? undefined)}, layer ${x.layer}`;
  return `${x.binary ? 'binary ' : ''}file, ${formatBytes(x.sizeBytes)}, sha256 ${hash(x.sha256?.slice(0, 12) ?? '')}, layer ${x.layer}`;
}

/** Whether `word` is the hex a `sha256` before it names: the wrapper keeps the two on one line. */
const withAlgorithm = (previous: string, word: string): boolean =>
  /(?:^|\s)sha256$/.test(previous) && /^[0-9a-f]+,?$/.test(word);

const CONTENT_NOTES: Record<NonNullable<FileContentDiff['note']>, string> = {
  binary: 'binary files differ',
  'too-large': 'compared by size and sha256 only (above the 4 MiB content limit)',
  kind: 'not the same kind of entry',
  target: 'symlink target differs',
  device: 'device numbers differ',
  'too-many-changes': 'too many changed lines to show a diff',
  metadata: 'same content',
  directory: 'a directory: see the files section',
};

/** The notes of a file on one side only, said after where it is: there is no other file to differ from. */
const ONE_SIDE_NOTES: Partial<Record<NonNullable<FileContentDiff['note']>, string>> = {
  binary: 'binary file',
  'too-large': 'shown by size and sha256 only: above the 4 MiB content limit',
  'too-many-changes': 'too many lines to show',
  directory: 'a directory: see the files section',
};

const WHERE: Partial<Record<FileContentDiff['status'], string>> = {
  added: 'only in B',
  removed: 'only in A',
  missing: 'in neither image',
  directory: 'not compared: see the files section',
};

/**
 * The headline of a `--filename` comparison: `/etc/os-release: changed (binary files differ)`, `/app/data.bin: added
 * (only in B; binary file)`, and the metadata that changed with or without the content: `/app/run.sh: changed (same
 * content; mode 0644 -> 0755)`.
 */
export function contentHeadline(c: FileContentDiff, arrow = '->'): string {
  const oneSide = c.note && WHERE[c.status] ? ONE_SIDE_NOTES[c.note] : undefined;
  const notes = oneSide
    ? [WHERE[c.status], oneSide]
    : [
        c.note ? CONTENT_NOTES[c.note] : WHERE[c.status],
        c.metadata && metadataText(c.metadata, arrow, c.a && c.b ? { a: c.a.kind, b: c.b.kind } : undefined),
      ];
  const note = notes.filter(Boolean).join('; ');
  return `${c.path}: ${c.status}${note ? ` (${note})` : ''}`;
}

/**
 * A value shaped as an RFC 3339 date and time (`created`, an `org.opencontainers.image.created` label): the layout
 * keeps it whole. Its shape only, not whether its fields are in range: this decides a layout, it checks nothing.
 */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;
const isTimestamp = (value: string): boolean => TIMESTAMP.test(value);

/** A config value the layout never cuts: too wide for the line under its key, it runs past the end, as a path does. */
const keptWhole = (value: string): boolean => isTimestamp(value) || copiedWhole(value);

/**
 * A config key in lines of at most `room` columns, each broken after the last `.`, `/`, `_` or `-` that fits (a label's
 * name is dotted words), else at the room: a key is what tells two differences apart, so it is kept whole.
 */
export function breakKey(key: string, room: number): string[] {
  const lines: string[] = [];
  let rest = key;
  while (columns(rest) > room) {
    const head = cutToColumns(rest, room + 1).slice(0, -1); // `room` columns of it (the cut's `…` dropped)
    const at = Math.max(...['.', '/', '_', '-'].map((c) => head.lastIndexOf(c)));
    const end = at > 0 ? at + 1 : head.length;
    lines.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  return [...lines, rest];
}

/**
 * The columns a path needs beside a row's figures to be read cut (`/var/lib/apt/lists/deb…amd64_Packages`): with less,
 * a path the room does not hold goes under its row. Cut to 22 or 26 columns, two paths of one directory read alike.
 */
const PATH_ROOM = 40;

/**
 * The narrowest line the report is laid out for: its tables' figures need it (the Size table's sizes with their
 * labels over them are 36 columns, the packages' counts 38, a junk row's sizes and note 39). On a narrower terminal
 * the report is laid out as at this width, and the terminal folds its lines: laid out at 20 columns, the tables ran
 * past the line anyway and every path, value and package name was cut to a dozen columns (`/var/…4_Packages`).
 */
export const NARROWEST_WIDTH = 40;

export function renderDiffText(r: DiffResult, options: DiffTextOptions): string {
  const s = style(options.color);
  const given = options.width !== undefined;
  const asked = given ? Math.max(NARROWEST_WIDTH, options.width!) : undefined;
  const width = asked ?? 120;
  // Headlines are wrapped, and names, paths, instructions, history entries and config values cut, only to a width the
  // terminal or COLUMNS gave: a pipe or a report file keeps them whole, one line each (as `bases` does), for grep and
  // for a reader with a wider window than 120 columns. Each table's last cell is cut to what its other columns,
  // measured, leave.
  const cutAt = cutWidth(asked);
  const wrap = proseWrapper(asked);
  const fit = (cut: (text: string, room: number) => string = truncate, min = 12) =>
    given ? { width, cut, min } : undefined;
  const rows = options.rows ?? 10;
  const show = (section: DiffSection) => !options.sections || options.sections.includes(section);
  const out: string[] = [];
  // A long path gets a line of its own, whole, its note and platform under it, all after the side's label.
  const side = (label: string, x: DiffResult['a']) =>
    (given
      ? pathOverNote(imageTitle(x.image).name, imageTitle(x.image).note, x.image.platform, Math.max(20, width - 3))
      : [`${imageName(x)}  ${x.image.platform}`]
    )
      .map((line, i) => s.bold(`${i === 0 ? label : ' '.repeat(columns(label))}  ${line}`))
      .join('\n');
  out.push(side('A', r.a), side('B', r.b), '', wrap(diffStory(r, options.managers)));

  if (show('size')) {
    out.push('', s.bold('Size'));
    const header = ['', 'A', 'B', 'Delta', '%'].map((h) => s.dim(h));
    let sizes = [header, ...sizeRows(r)];
    // On a narrow line a side's "(stored uncompressed)", 22 columns in its cell, is a `*` and a note under the table:
    // the sizes and the columns all stay.
    const stored = [r.a, r.b].map((x) => storedUncompressedMark(x.summary).slice(2, -1));
    const marked = given && tableWidth(sizes) > width && stored.some(Boolean);
    if (marked) {
      sizes = [header, ...sizeRows(r, (x) => (storedUncompressedMark(x) ? '*' : ''))];
      // The other sizes of a marked column get a space where the `*` stands, so the column's digits still line up.
      for (const column of [1, 2])
        if (sizes.some((row) => row[column].endsWith('*')))
          for (const row of sizes) if (!row[column].endsWith('*')) row[column] += ' ';
    }
    // Still too wide (the labels take 16 columns): each label goes over its sizes.
    out.push(given ? labelsOver(sizes, ['l', 'r', 'r', 'r', 'r'], width) : table(sizes, ['l', 'r', 'r', 'r', 'r']));
    if (marked)
      out.push(
        wrap(
          // Each side's own words when they differ (3 of 7 layers stored uncompressed, and all of them)
          `* ${
            stored[0] && stored[1] && stored[0] !== stored[1]
              ? `A: ${stored[0]}; B: ${stored[1]}`
              : stored[0] || stored[1]
          }`,
        ),
      );
  }

  if (show('layers')) {
    const l = r.layers;
    out.push(
      '',
      wrap(
        s.bold(`Layers: ${l.shared.length} shared, ${l.onlyA.length} only in A, ${l.onlyB.length} only in B`) +
          (r.walk.sharedLayers ? s.dim(` (the ${r.walk.sharedLayers} lowest read once for both)`) : ''),
      ),
    );
    // Each group cut to --top rows like the other lists: a 50-layer image listed every shared layer, and the layers
    // that changed, after them, scrolled out of sight.
    const shared = l.shared.slice(0, rows);
    const onlyA = l.onlyA.slice(0, rows);
    const onlyB = l.onlyB.slice(0, rows);
    // Cut as history entries are, keeping where each parts from the most alike other row: three `RUN apt-get update
    // && apt-get install -y --no-ins…` rows on an 80-column terminal did not say which layer installed what.
    const step = (instruction: string | null) => ({
      index: 0,
      createdBy: '',
      instruction: instruction ?? '?',
      emptyLayer: false,
    });
    const steps = [...shared, ...onlyA, ...onlyB].map((x) => step(x.instruction));
    const room = Math.max(30, cutAt - 30);
    const text = (instruction: string | null) => {
      const own = step(instruction);
      return historyStepCut(
        own,
        room,
        steps.filter((other) => other.instruction !== own.instruction),
      );
    };
    out.push(
      table(
        [
          // Said: analyze's Size (dive's) is the sum of file bytes, less by the tar's headers and padding, and one word
          // for both read as two sizes of the same layer.
          ['', 'A', 'B', 'Tar size', 'Instruction'].map((h) => s.dim(h)),
          ...shared.map((x) => [
            '=',
            `L${x.aIndex}`,
            `L${x.bIndex}`,
            formatBytes(x.uncompressedBytes),
            text(x.instruction),
          ]),
          ...onlyA.map((x) => [s.red('-'), `L${x.index}`, '', formatBytes(x.uncompressedBytes), text(x.instruction)]),
          ...onlyB.map((x) => [s.green('+'), '', `L${x.index}`, formatBytes(x.uncompressedBytes), text(x.instruction)]),
        ],
        ['l', 'r', 'r', 'r'],
        fit(),
      ),
    );
    out.push(...more(s, 0, layersLeftOut(l, rows)));
  }

  if (show('history')) {
    const h = r.history;
    out.push('', wrap(s.bold(`History: ${historyCounts(h)}`)));
    const room = Math.max(30, cutAt - 12);
    const lines = [
      ...h.removed.slice(0, rows).map((x) => [s.red('-'), `A#${x.index}`, historyStepCut(x, room, h.added)]),
      ...h.added.slice(0, rows).map((x) => [s.green('+'), `B#${x.index}`, historyStepCut(x, room, h.removed)]),
    ];
    if (lines.length) out.push(table(lines, ['l', 'r'], fit()));
    out.push(...more(s, 0, Math.max(0, h.removed.length - rows) + Math.max(0, h.added.length - rows)));
  }

  if (show('files')) {
    const f = r.files;
    const t = f.totals;
    out.push(
      '',
      wrap(
        s.bold(`Files: ${filesCountsText(f)}, ${metadataTotalText(t.metadata)}; net ${signedBytes(t.netBytes)}`) +
          (t.ignored ? s.dim(` (${formatCount(t.ignored)} ignored)`) : ''),
      ),
    );
    // Rows are a sign, a size and a path with, for changed entries, what changed after it (for an added or removed
    // link, what it points to): the path takes the width the rest leaves (at least 30 columns), cut in its middle so
    // the file name stays. `fitted` cuts a note that can be longer than a line (a link's target) to a room.
    type Row = [sign: string, size: string, path: string, after: string, fitted?: (room: number) => string];
    const entryRow = (sign: string, bytes: number, x: FileEntry): Row => {
      const note = (target?: (text: string) => string) => {
        const text = entryNoteText(x, '->', target);
        return text ? `(${text})` : '';
      };
      // A target is cut in its middle, as a path is, so its file name stays; the words around it stay whole.
      const around = columns(note(() => ''));
      return [
        sign,
        signedBytes(bytes),
        x.path,
        note(),
        (room) => note((t) => cutPathToColumns(t, Math.max(12, room - around))),
      ];
    };
    const rowsOf: Row[] = [
      ...f.added.slice(0, rows).map((x) => entryRow(s.green('+'), x.sizeBytes, x)),
      ...f.removed.slice(0, rows).map((x) => entryRow(s.red('-'), -x.sizeBytes, x)),
      ...f.changed.slice(0, rows).map((x): Row => {
        const note = (target?: (text: string) => string) =>
          `${formatBytes(x.beforeBytes)} -> ${formatBytes(x.afterBytes)}${changedKindText(x, '->', target)}${x.metadata ? `, ${metadataText(x.metadata, '->', { a: x.kindBefore ?? x.kind, b: x.kind })}` : ''}`;
        const around = columns(note(() => ''));
        return [
          s.yellow('~'),
          signedBytes(x.deltaBytes),
          x.path,
          note(),
          (room) => note((t) => cutPathToColumns(t, Math.max(12, room - around))),
        ];
      }),
      ...f.metadata.slice(0, rows).map((x): Row => [s.cyan('m'), metadataBytesText(x), x.path, metadataRowText(x)]),
    ];
    const sizeColumns = Math.max(0, ...rowsOf.map((row) => columns(row[1])));
    const lead = 1 + 2 + sizeColumns + 2;
    // A line under a row: the path or what changed, indented as a cell laid under its row is (width.ts).
    type Line = string[] | { under: string };
    const noteLines = (after: string, fitted: ((room: number) => string) | undefined, room: number) => {
      const text = fitted ? fitted(room) : after;
      return wrapToColumns(text, Math.max(12, room), noteTogether(text, Math.max(12, room)));
    };
    const lines = rowsOf.flatMap(([sign, size, p, after, fitted]): Line[] => {
      const path = `/${p}`;
      // A path the line does not hold beside the sign and size goes on a line of its own under them, indented 4, when
      // it fits there whole or the room beside is under PATH_ROOM: at 40 columns one was cut to 22 (`/var/lib…_Packages`).
      const besideRoom = width - lead;
      if (given && columns(path) > besideRoom && (columns(path) <= width - 4 || besideRoom < PATH_ROOM)) {
        const shown = cutPathToColumns(path, width - 4);
        if (after && 4 + columns(shown) + 1 + columns(after) <= width)
          return [[sign, size], { under: `${shown} ${s.dim(after)}` }];
        return [
          [sign, size],
          { under: shown },
          ...(after ? noteLines(after, fitted, width - 4).map((line) => ({ under: s.dim(line) })) : []),
        ];
      }
      const room = Math.max(given ? 16 : 30, cutAt - lead - (after ? columns(after) + 1 : 0));
      const shown = cutPathToColumns(path, room);
      if (!after) return [[sign, size, shown]];
      // What changed goes under the path when the two, the path cut as far as it goes, do not fit on one line.
      // A note with no link in it (a metadata row's `mode 0644 -> 0600 (6 B, same content)`) is wrapped there between
      // words: on one line it ran past a 40-column terminal by ten.
      if (given && lead + columns(shown) + 1 + columns(after) > width)
        return [
          [sign, size, cutPathToColumns(path, Math.max(16, width - lead))],
          ...noteLines(after, fitted, width - lead).map((line) => ['', '', s.dim(line)]),
        ];
      return [[sign, size, `${shown} ${s.dim(after)}`]];
    });
    const laid = table(
      lines.filter((l): l is string[] => Array.isArray(l)),
      ['l', 'r'],
    ).split('\n');
    let next = 0;
    if (lines.length) out.push(...lines.map((l) => (Array.isArray(l) ? laid[next++] : `    ${l.under}`)));
    const hidden =
      Math.max(0, f.added.length - rows) +
      Math.max(0, f.removed.length - rows) +
      Math.max(0, f.changed.length - rows) +
      Math.max(0, f.metadata.length - rows);
    out.push(...more(s, 0, hidden));
  }

  for (const c of r.files.contents ?? []) {
    out.push('', wrap(s.bold(`File ${contentHeadline(c)}`)));
    // Each side wrapped under its text (`A: file, 4.74 MB, sha256 aa01e614af63, layer 1` is 47 columns at 40), a
    // symlink's target whole on its line, the hash with its `sha256` as a digest is kept whole in diff's other rows:
    // `sha256` ending one line and the hex starting the next read as two values.
    const sideLines = (label: string, x: ContentSide | null) =>
      wrap(`${label}: ${contentSideText(x)}`, width - 2, 3, withAlgorithm)
        .split('\n')
        .map((l) => `  ${l}`);
    if (c.status !== 'missing') out.push(...sideLines('A', c.a), ...sideLines('B', c.b));
    if (c.diff) {
      for (const line of c.diff.replace(/\n$/, '').split('\n')) {
        if (line.startsWith('+') && !line.startsWith('+++')) out.push(s.green(line));
        else if (line.startsWith('-') && !line.startsWith('---')) out.push(s.red(line));
        else if (line.startsWith('@@')) out.push(s.cyan(line));
        else out.push(line);
      }
    }
  }

  if (show('directories') && r.directories.length) {
    out.push('', s.bold('Directories (biggest changes)'));
    const directories = r.directories.slice(0, rows);
    const directoryRows = [
      ['Delta', 'A', 'B', 'Files', 'Path'].map((h) => s.dim(h)),
      ...directories.map((d) => [
        signedBytes(d.deltaBytes),
        formatBytes(d.aBytes),
        formatBytes(d.bBytes),
        `${formatCount(d.aFiles)} -> ${formatCount(d.bFiles)}`,
        `/${d.path}`,
      ]),
    ];
    if (given && tableWidth(directoryRows.map((row) => row.slice(0, 4))) > width) {
      // The sizes and the file counts are wider than the line (42 columns at 40): the counts go under the row after
      // the path, or on a line of their own when the path leaves them no room (cut for them, it named nothing).
      const laid = table(
        directoryRows.map((row) => row.slice(0, 3)),
        ['r', 'r', 'r'],
      ).split('\n');
      out.push(
        laid[0],
        ...directoryRows.slice(1).flatMap(([, , , files, path], i) => {
          const note = s.dim(`(${files} files)`);
          const shown = `    ${cutPathToColumns(path, width - 4)}`;
          return columns(shown) + 1 + columns(note) <= width
            ? [laid[i + 1], `${shown} ${note}`]
            : [laid[i + 1], shown, `    ${note}`];
        }),
      );
    } else out.push(table(directoryRows, ['r', 'r', 'r', 'r'], fit(cutPathToColumns)));
    if (r.directoryCount > directories.length) {
      const hint = moreDirectoriesHint(directories.length, r.directoryCount);
      const left = formatCount(r.directoryCount - directories.length);
      // Wrapped, as the line under it: 52 columns at 40 for 5,553 more directories.
      const line = wrap(`…and ${left} more (--top ${hint.top} ${hint.lists})`, width - 2, 2);
      out.push(...line.split('\n').map((l) => s.dim(`  ${l}`)));
    }
    // As under analyze's Biggest directories: a reader looking for /var/lib above /var/lib/apt/lists is told why.
    const leftOut = leftOutAbove(directories, r.leftOutDirectories, biggestChangeFirst).map((p) => `/${p}`);
    const note = leftOut.length ? wrap(leftOutLine(leftOut, 'change'), width, 0) : '';
    if (note) out.push(...note.split('\n').map((l) => s.dim(l)));
  }

  if (show('packages')) {
    const p = shownPackages(r, options.managers);
    const managers = Object.entries(p.managers);
    out.push('', s.bold('Packages'));
    if (managers.length === 0) out.push(s.dim(`  ${noPackagesText(options.managers)}`));
    else {
      const managerRows = [
        ['Manager', 'A', 'B', 'Delta', 'Added', 'Removed', 'Changed'].map((h) => s.dim(h)),
        ...managers.map(([name, m]) => [
          name,
          packageCountText(m.a),
          packageCountText(m.b),
          signedBytes(m.deltaBytes),
          formatCount(m.added),
          formatCount(m.removed),
          formatCount(m.changed),
        ]),
      ];
      // On a narrow line the counts go, the package rows below and the headline tell them: a column of zeros first,
      // then Changed, Removed and Added. The sizes stay, they are what this table adds.
      let shown = [0, 1, 2, 3, 4, 5, 6];
      if (given) {
        const zero = (i: number) => managerRows.slice(1).every((row) => row[i] === '0');
        const counts = [6, 5, 4];
        for (const drop of [...counts.filter(zero), ...counts.filter((i) => !zero(i))]) {
          if (tableWidth(managerRows.map((row) => shown.map((i) => row[i]))) <= width) break;
          shown = shown.filter((i) => i !== drop);
        }
      }
      // Still too wide with the counts gone: each manager's name goes over its sizes.
      const managerTable = managerRows.map((row) => shown.map((i) => row[i]));
      const managerAlign = shown.map((i) => (i === 0 ? 'l' : 'r') as 'l' | 'r');
      const laid = given ? labelsOver(managerTable, managerAlign, width) : table(managerTable, managerAlign);
      if (given && laid.split('\n').some((line) => columns(line) > width)) {
        // Still too wide under the names (`1,234 (1.23 GB)  5,678 (4.56 GB)  +3.33 GB` is 44 columns): each side's
        // count goes over its size, in the same column, the delta beside the sizes it is the difference of.
        const split = table(
          [
            ['A', 'B', 'Delta'].map((h) => s.dim(h)),
            ...managers.flatMap(([, m]) => [
              [formatCount(m.a.packages), formatCount(m.b.packages), ''],
              [`(${formatBytes(m.a.bytes)})`, `(${formatBytes(m.b.bytes)})`, signedBytes(m.deltaBytes)],
            ]),
          ],
          ['r', 'r', 'r'],
        ).split('\n');
        out.push(
          `  ${split[0]}`,
          ...managers.flatMap(([name], i) => [name, `  ${split[2 * i + 1]}`, `  ${split[2 * i + 2]}`]),
        );
      } else out.push(laid);
      const lines: string[][] = [
        ...p.added
          .slice(0, rows)
          .map((x) => [s.green('+'), x.manager, signedBytes(x.bytes), `${x.name} ${x.version ?? ''}`.trim()]),
        ...p.removed
          .slice(0, rows)
          .map((x) => [s.red('-'), x.manager, signedBytes(-x.bytes), `${x.name} ${x.version ?? ''}`.trim()]),
        ...p.changed
          .slice(0, rows)
          .map((x) => [
            s.yellow('~'),
            x.manager,
            signedBytes(x.deltaBytes),
            `${x.name} ${x.aVersion ?? '?'} -> ${x.bVersion ?? '?'}${x.direction ? ` (${x.direction})` : ''}`,
          ]),
      ];
      // A name and version cut to a dozen columns (`openss…0.22-1~deb12u2`) named no package: under its row instead.
      if (lines.length) out.push('', table(lines, ['l', 'l', 'r'], fit(cutPathToColumns, READABLE_CELL)));
      out.push(
        ...more(
          s,
          0,
          Math.max(0, p.added.length - rows) +
            Math.max(0, p.removed.length - rows) +
            Math.max(0, p.changed.length - rows),
        ),
      );
    }
  }

  if (show('config')) {
    out.push('', s.bold(`Config: ${plural(r.config.length, 'difference')}`));
    // The key gets at most 40% of the line beside its values. A key longer than that (`labels.org.opencontainers.
    // image.title`) goes on a line of its own over its values, as a long value does, rather than cut: cut in its
    // middle beside values that had room it lost the words that tell two labels apart, and sized for the longest key
    // the column left the values nothing. On its own line it is broken after a `.` or `/` where the line ends.
    const keyRoom = Math.max(20, Math.floor(cutAt * 0.4));
    const keyFits = (key: string) => columns(key) <= keyRoom;
    const keyColumns = Math.max(0, ...r.config.map((c) => columns(c.key)).filter((n) => n <= keyRoom));
    const valueRoom = Math.max(8, Math.floor((cutAt - 2 - keyColumns - 2 - 2 - 2 - 2) / 2));
    // A timestamp is never cut: its cut end (`2026-12-06T16:24:52.3322…`) held the time that differs. Nor is a digest
    // (`keptWhole`). Too wide for the line under its key, such a value runs past the end, as a path in prose does.
    const value = (v: string | null, room: number) =>
      v === null ? s.dim('(none)') : keptWhole(v) ? configValue(v) : truncate(configValue(v), room);
    // A row whose values do not fit beside its key is laid over three lines, its key and then each side's value, cut
    // to the line: beside it at 40 columns they were cut to 7 (`sha256:…`, `2026-12…`), which said nothing.
    // (With READABLE_CELL columns or more a cut value still says what it is, and the rows stay one line each; but a
    // timestamp, which a cut does not leave saying what it is, goes under its key whenever it does not fit whole.)
    const fits = (v: string | null) =>
      v === null || columns(configValue(v)) <= valueRoom || (valueRoom >= READABLE_CELL && !keptWhole(v));
    const beside = r.config.map((c) => !given || (keyFits(c.key) && fits(c.a) && fits(c.b)));
    const laid = table(
      r.config.flatMap((c, i) =>
        beside[i] ? [[`  ${c.key}`, value(c.a, valueRoom), '->', value(c.b, valueRoom)]] : [],
      ),
    ).split('\n');
    let next = 0;
    for (const [i, c] of r.config.entries())
      out.push(
        ...(beside[i]
          ? [laid[next++]]
          : [
              ...breakKey(c.key, Math.max(20, width - 2)).map((line) => `  ${line}`),
              `    A  ${value(c.a, width - 7)}`,
              `    B  ${value(c.b, width - 7)}`,
            ]),
      );
  }

  if (show('waste')) {
    const w = r.waste;
    out.push(
      '',
      wrap(
        s.bold(
          `Waste: ${formatBytes(w.a.wastedBytes)} -> ${formatBytes(w.b.wastedBytes)} (${signedBytes(w.deltaBytes)}); new in B: ${plural(w.newTotals.files, 'file')}, ${formatBytes(w.newTotals.bytes)}${resizedWaste(w)}`,
        ),
      ),
    );
    // Rows of figures, a cause, the layers and a path. The path goes under its row when less than READABLE_CELL
    // columns are left for it beside them, as analyze's wasted files do; on a line too narrow for the figures, the
    // cause and the layers (`copied again, same content` is 26 columns), the cause goes under too, over the path.
    const wasteRows = (cells: [...figures: string[], cause: string, layers: string, path: string][], align: 'r'[]) => {
      const head = cells.map((row) => row.slice(0, -1));
      if (!given || tableWidth(head) <= width) {
        // (The same rule as the files' paths: with less than PATH_ROOM beside the row, a path that would be cut there
        // is laid under it, where the line holds most of it.)
        const room = width - tableWidth(head) - 2;
        const cut = cells.some((row) => columns(row[row.length - 1]) > room);
        return table(cells, align, fit(cutPathToColumns, cut ? PATH_ROOM : READABLE_CELL));
      }
      const laid = table(
        cells.map((row) => [...row.slice(0, -3), row[row.length - 2]]),
        align,
      ).split('\n');
      return cells
        .flatMap((row, i) => [
          laid[i],
          `    ${s.dim(row[row.length - 3])}`,
          `    ${cutPathToColumns(row[row.length - 1], width - 4)}`,
        ])
        .join('\n');
    };
    if (w.newFiles.length) {
      out.push(
        wasteRows(
          w.newFiles
            .slice(0, rows)
            .map((x) => [formatBytes(x.sizeBytes), wasteCauseText(x.cause), wasteLayersText(x), `/${x.path}`]),
          ['r'],
        ),
      );
      out.push(...more(s, Math.min(rows, w.newFiles.length), w.newTotals.files));
    }
    // The paths the headline counts as changed in size, the biggest change first: which waste grew (a rebuild's apt
    // lists, a download) was in the JSON only. The change comes first, so they do not read as new waste.
    if (w.resizedFiles.length) {
      out.push(
        s.dim('Also wasted in A, at another size:'),
        wasteRows(
          w.resizedFiles
            .slice(0, rows)
            .map((x) => [
              signedBytes(x.deltaBytes),
              `${formatBytes(x.beforeBytes)} -> ${formatBytes(x.afterBytes)}`,
              wasteCauseText(x.cause),
              wasteLayersText(x),
              `/${x.path}`,
            ]),
          ['r', 'r'],
        ),
      );
      out.push(...more(s, Math.min(rows, w.resizedFiles.length), w.resizedTotals.files));
    }
    const junk = changedJunk(w);
    if (junk.length) {
      const junkRows = [
        ['Junk', 'A', 'B', 'Delta', JUNK_NOTE_HEADER].map((h) => s.dim(h)),
        ...junk.slice(0, rows).map((j) => {
          const note = junkNote(j);
          return [
            j.title,
            formatBytes(j.a.bytes),
            formatBytes(j.b.bytes),
            signedBytes(j.deltaBytes),
            note ? s.yellow(note) : '',
          ];
        }),
      ];
      // On a narrow line the note goes first (the sizes say it), then the titles are cut at their end while
      // READABLE_CELL columns or more are left for them (a title's first words name its class); with less, each
      // title goes over its sizes, whole, as the Size table's labels do, and the note comes back when it fits beside
      // them there. Cut to the 11 columns left at 40, `apt cache a…` and `apt package…` named no class.
      const align: ('l' | 'r')[] = ['l', 'r', 'r', 'r', 'l'];
      const noNote = junkRows.map((row) => row.slice(0, 4));
      const sizesWidth = tableWidth(noNote.map((row) => row.slice(1)));
      if (!given || tableWidth(junkRows) <= width) out.push('', table(junkRows, align));
      else if (width - sizesWidth - 2 >= READABLE_CELL)
        out.push(
          '',
          table(
            noNote.map(([title, ...sizes]) => [truncate(title, width - sizesWidth - 2), ...sizes]),
            align,
          ),
        );
      else {
        const over = 2 + tableWidth(junkRows.map((row) => row.slice(1))) <= width ? junkRows : noNote;
        // (labelsOver leaves the header's first cell out: here it is the table's name, said over it)
        out.push('', junkRows[0][0], labelsOver(over, align, width));
      }
      // Cut to --top as the other tables: without the line the table read as every junk class that changed.
      out.push(...more(s, Math.min(rows, junk.length), junk.length));
    }
  }

  const verdict = growthVerdict(r);
  if (verdict) out.push('', wrap(r.growth.exceeded ? s.red(verdict) : s.green(verdict)));
  return out.join('\n');
}
