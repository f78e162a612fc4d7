// Markdown view of `ballast diff`, for a PR comment: the story of the change in one sentence, the size table,
// then each section (--only picks them), long lists folded. A pure function of the result.
import type { FileEntry, HistoryStepRef } from '../analysis/compare.js';
import { biggestChangeFirst, leftOutAbove, leftOutLine } from '../analysis/measure.js';
import type { PackageManager } from '../analysis/packages.js';
import type { DiffResult, DiffSection } from '../services/diff.js';
import {
  changedJunk,
  JUNK_NOTE_HEADER,
  junkNote,
  changedKindText,
  entryNoteText,
  filesCountsText,
  configValue,
  contentHeadline,
  contentSideText,
  diffStory,
  growthVerdict,
  historyCounts,
  historyStepInstruction,
  imageName,
  layersLeftOut,
  metadataBytesText,
  metadataText,
  metadataRowText,
  metadataTotalText,
  moreDirectoriesHint,
  noPackagesText,
  packageCountText,
  resizedWaste,
  shownPackages,
  signedBytes,
  sizeRows,
  wasteLayersText,
} from './diff-text.js';
import { cell, code, instructionCode, line, lineCode } from './markdown.js';
import { wasteCauseText } from './format.js';
import { cutToColumns } from '../report/text.js';
import { formatBytes, formatCount, plural } from '../report/figures.js';
import { mapCodeSpans } from '../report/code-span.js';

export interface DiffMarkdownOptions {
  rows?: number;
  sections?: readonly DiffSection[];
  /** The package managers the packages section shows (default all). */
  managers?: readonly PackageManager[];
}

/**
 * ballast's own prose (a junk class's title and advice) for a table cell. `cell` leaves emphasis alone, but these
 * name `__pycache__`, which Markdown would render as a bold "pycache": `_` and `*` are escaped outside code spans.
 */
/** A hex word GitHub would link to a commit, as a code span of its own (line() would take in the comma after it). */
const inCode = (hex: string) => `\`${hex}\``;

function prose(text: string): string {
  return cell(
    mapCodeSpans(
      text,
      (part) => part.replace(/[_*]/g, '\\$&'),
      (inside, fence) => fence + inside + fence,
    ),
  );
}

/**
 * The line under a table cut to --top rows per list, as the text report has it: without it the table reads as every
 * package or file that changed.
 */
function leftOut(lists: readonly (readonly unknown[])[], rows: number): string[] {
  const hidden = lists.reduce((n, list) => n + Math.max(0, list.length - rows), 0);
  return hidden ? ['', `…and ${formatCount(hidden)} more (\`--json\` lists all).`] : [];
}

/**
 * The detail cell of an added or removed row: `file → dir` when the name is a directory on the other side, and what
 * a link points to (`hard link to /x`, `symlink → ../x`), the target a code span as paths are.
 */
const kindCell = (x: FileEntry) => {
  const note = entryNoteText(x, '→', code);
  return note ? ` ${note} ` : ' ';
};

export function renderDiffMarkdown(r: DiffResult, options: DiffMarkdownOptions = {}): string {
  const rows = options.rows ?? 15;
  const show = (section: DiffSection) => !options.sections || options.sections.includes(section);
  const out: string[] = [];
  out.push(`### ballast diff: ${lineCode(imageName(r.a))} → ${lineCode(imageName(r.b))}`, '');
  const story = diffStory(r, options.managers, { hex: inCode, arrow: '→' });
  // The story names the directories that changed, which are the image's.
  out.push(`${line(`${story.charAt(0).toUpperCase()}${story.slice(1)}`)}.`, '');
  const verdict = growthVerdict(r);
  if (verdict) out.push(`${r.growth.exceeded ? '**Failed:**' : 'Passed:'} ${verdict}.`, '');

  if (show('size')) {
    out.push('| | A | B | Delta | % |', '|---|---:|---:|---:|---:|');
    for (const row of sizeRows(r)) out.push(`| ${row.map(cell).join(' | ')} |`);
    out.push('');
  }

  if (show('directories') && r.directories.length) {
    out.push('#### Directories', '', '| Delta | A | B | Path |', '|---:|---:|---:|---|');
    const directories = r.directories.slice(0, rows);
    for (const d of directories)
      out.push(
        `| ${signedBytes(d.deltaBytes)} | ${formatBytes(d.aBytes)} | ${formatBytes(d.bBytes)} | ${code(`/${d.path}`)} |`,
      );
    // --json cuts this list to --top too: the line says which --top lists more.
    const hidden = r.directoryCount - directories.length;
    if (hidden > 0) {
      const hint = moreDirectoriesHint(directories.length, r.directoryCount);
      out.push('', `…and ${formatCount(hidden)} more (\`--top ${hint.top}\` ${hint.lists}).`);
    }
    const leftOut = leftOutAbove(directories, r.leftOutDirectories, biggestChangeFirst).map((p) => lineCode(`/${p}`));
    if (leftOut.length) out.push('', leftOutLine(leftOut, 'change'));
    out.push('');
  }

  if (show('packages')) {
    const p = shownPackages(r, options.managers);
    const managers = Object.entries(p.managers).filter(([, m]) => m.added || m.removed || m.changed || m.deltaBytes);
    if (managers.length) {
      out.push(
        '#### Packages',
        '',
        '| Manager | A | B | Delta | Added | Removed | Changed |',
        '|---|---:|---:|---:|---:|---:|---:|',
      );
      for (const [name, m] of managers)
        out.push(
          `| ${name} | ${packageCountText(m.a)} | ${packageCountText(m.b)} | ${signedBytes(m.deltaBytes)} | ${formatCount(m.added)} | ${formatCount(m.removed)} | ${formatCount(m.changed)} |`,
        );
      const lines = [
        ...p.added
          .slice(0, rows)
          .map(
            (x) =>
              `| added | ${x.manager} | ${code(`${x.name} ${x.version ?? ''}`.trim())} | ${signedBytes(x.bytes)} |`,
          ),
        ...p.removed
          .slice(0, rows)
          .map(
            (x) =>
              `| removed | ${x.manager} | ${code(`${x.name} ${x.version ?? ''}`.trim())} | ${signedBytes(-x.bytes)} |`,
          ),
        ...p.changed
          .slice(0, rows)
          .map(
            (x) =>
              `| ${x.direction ?? 'changed'} | ${x.manager} | ${code(`${x.name} ${x.aVersion ?? '?'} → ${x.bVersion ?? '?'}`)} | ${signedBytes(x.deltaBytes)} |`,
          ),
      ];
      if (lines.length)
        out.push(
          '',
          '<details><summary>Package changes</summary>',
          '',
          '| | Manager | Package | Delta |',
          '|---|---|---|---:|',
          ...lines,
          ...leftOut([p.added, p.removed, p.changed], rows),
          '',
          '</details>',
        );
      out.push('');
    } else {
      // Said rather than left out, as the text report does: `--only packages` on two images gets an answer.
      out.push(
        '#### Packages',
        '',
        Object.keys(p.managers).length
          ? 'No package changes.'
          : `${noPackagesText(options.managers).replace(/^n/, 'N')}.`,
        '',
      );
    }
  }

  if (show('files')) {
    const t = r.files.totals;
    out.push(
      `#### Files`,
      '',
      `${filesCountsText(r.files)}, ${metadataTotalText(t.metadata)}; net ${signedBytes(t.netBytes)}${t.ignored ? ` (${formatCount(t.ignored)} ignored)` : ''}.`,
      '',
    );
    const lines = [
      ...r.files.added
        .slice(0, rows)
        .map((x) => `| added | ${signedBytes(x.sizeBytes)} | ${code(`/${x.path}`)} |${kindCell(x)}|`),
      ...r.files.removed
        .slice(0, rows)
        .map((x) => `| removed | ${signedBytes(-x.sizeBytes)} | ${code(`/${x.path}`)} |${kindCell(x)}|`),
      ...r.files.changed
        .slice(0, rows)
        .map(
          (x) =>
            `| changed | ${signedBytes(x.deltaBytes)} | ${code(`/${x.path}`)} | ${formatBytes(x.beforeBytes)} → ${formatBytes(x.afterBytes)}${changedKindText(x, '→', code)}${x.metadata ? `, ${cell(metadataText(x.metadata, '→', { a: x.kindBefore ?? x.kind, b: x.kind }))}` : ''} |`,
        ),
      ...r.files.metadata
        .slice(0, rows)
        .map(
          (x) => `| metadata | ${metadataBytesText(x)} | ${code(`/${x.path}`)} | ${cell(metadataRowText(x, '→'))} |`,
        ),
    ];
    if (lines.length)
      out.push(
        '<details><summary>Biggest file changes</summary>',
        '',
        '| | Bytes | Path | |',
        '|---|---:|---|---|',
        ...lines,
        ...leftOut([r.files.added, r.files.removed, r.files.changed, r.files.metadata], rows),
        '',
        '</details>',
        '',
      );
  }

  for (const c of r.files.contents ?? []) {
    // Outside tables: the path as a code span whose pipes stay pipes, then the status.
    out.push(`#### File ${lineCode(c.path)}${line(contentHeadline(c, '→').slice(c.path.length))}`, '');
    if (c.status !== 'missing')
      out.push(
        `- A: ${line(contentSideText(c.a, inCode, '→'))}`,
        `- B: ${line(contentSideText(c.b, inCode, '→'))}`,
        '',
      );
    if (c.diff) {
      // A fence longer than any backtick run in the diff, so the file's text cannot close it.
      const runs = c.diff.match(/`+/g) ?? [];
      const fence = '`'.repeat(Math.max(3, ...runs.map((x) => x.length + 1)));
      out.push(`${fence}diff`, c.diff.replace(/\n$/, ''), fence, '');
    }
  }

  if (show('layers')) {
    const l = r.layers;
    out.push(
      `#### Layers`,
      '',
      `${l.shared.length} shared, ${l.onlyA.length} only in A, ${l.onlyB.length} only in B.`,
      '',
    );
    // Whole, or cut with an ellipsis when longer than a comment can hold (instructionCode): `... > /o` alone reads
    // as the whole line.
    const row = (side: string, x: (typeof l.onlyA)[number]) =>
      `| ${side} | L${x.index} | ${formatBytes(x.uncompressedBytes)} | ${instructionCode(x.instruction ?? '?')} |`;
    // Cut to --top rows per side like the other lists (the shared layers are not listed here).
    const lines = [
      ...l.onlyA.slice(0, rows).map((x) => row('only A', x)),
      ...l.onlyB.slice(0, rows).map((x) => row('only B', x)),
    ];
    const hidden = layersLeftOut(l, rows, ['onlyA', 'onlyB']);
    if (lines.length)
      out.push(
        '<details><summary>Layers not shared</summary>',
        '',
        '| | # | Tar size | Instruction |',
        '|---|---:|---:|---|',
        ...lines,
        ...(hidden ? ['', `…and ${formatCount(hidden)} more (\`--json\` lists all).`] : []),
        '',
        '</details>',
        '',
      );
  }

  if (show('history')) {
    const h = r.history;
    out.push('#### History', '', `${historyCounts(h)}.`, '');
    // Its instruction, as the text and the layers table show it, and cut as the layers' instructions are: with an
    // ellipsis, since a command cut bare (`... /var/lib`) reads as the whole of it.
    const step = (x: HistoryStepRef) =>
      `${instructionCode(historyStepInstruction(x))}${x.emptyLayer ? ' (empty layer)' : ''}`;
    const lines = [
      ...h.removed.slice(0, rows).map((x) => `| only A | ${x.index} | ${step(x)} |`),
      ...h.added.slice(0, rows).map((x) => `| only B | ${x.index} | ${step(x)} |`),
    ];
    if (lines.length)
      out.push(
        '<details><summary>History entries not shared</summary>',
        '',
        '| | # | Instruction |',
        '|---|---:|---|',
        ...lines,
        ...leftOut([h.removed, h.added], rows),
        '',
        '</details>',
        '',
      );
  }

  if (show('config') && !r.config.length) out.push('#### Config', '', 'No differences.', '');
  else if (show('config')) {
    out.push('#### Config', '', '| Key | A | B |', '|---|---|---|');
    // A key with no value shows as (none), as in the text report; an empty value as "".
    // A long value (a label holding a script) is cut with an ellipsis, not bare, so it does not read as whole.
    const value = (v: string | null) => (v === null ? '*(none)*' : code(cutToColumns(configValue(v), 200)));
    for (const c of r.config) out.push(`| ${code(c.key)} | ${value(c.a)} | ${value(c.b)} |`);
    out.push('');
  }

  if (show('waste')) {
    const w = r.waste;
    out.push(
      '#### Waste',
      '',
      `Wasted ${formatBytes(w.a.wastedBytes)} → ${formatBytes(w.b.wastedBytes)} (${signedBytes(w.deltaBytes)}); new in B: ${plural(w.newTotals.files, 'file')}, ${formatBytes(w.newTotals.bytes)}${resizedWaste(w)}.`,
    );
    // The paths, as the text lists them (largest first, then the biggest change of those A wastes too): the counts
    // alone left a PR's reader to run ballast again to learn which files.
    if (w.newFiles.length)
      out.push(
        '',
        '<details><summary>New wasted files in B</summary>',
        '',
        '| Bytes | Cause | Layers | Path |',
        '|---:|---|---|---|',
        ...w.newFiles
          .slice(0, rows)
          .map(
            (x) =>
              `| ${formatBytes(x.sizeBytes)} | ${wasteCauseText(x.cause, x.change)} | ${wasteLayersText(x)} | ${code(`/${x.path}`)} |`,
          ),
        ...leftOut([w.newFiles], rows),
        '',
        '</details>',
      );
    if (w.resizedFiles.length)
      out.push(
        '',
        '<details><summary>Also wasted in A, at another size</summary>',
        '',
        '| Delta | A → B | Cause | Layers | Path |',
        '|---:|---:|---|---|---|',
        ...w.resizedFiles
          .slice(0, rows)
          .map(
            (x) =>
              `| ${signedBytes(x.deltaBytes)} | ${formatBytes(x.beforeBytes)} → ${formatBytes(x.afterBytes)} | ${wasteCauseText(x.cause, x.change)} | ${wasteLayersText(x)} | ${code(`/${x.path}`)} |`,
          ),
        ...leftOut([w.resizedFiles], rows),
        '',
        '</details>',
      );
    const junk = changedJunk(w);
    if (junk.length) {
      out.push('', `| Junk | A | B | Delta | ${JUNK_NOTE_HEADER} |`, '|---|---:|---:|---:|---|');
      for (const j of junk.slice(0, rows)) {
        const note = junkNote(j);
        out.push(
          `| ${prose(j.title)} | ${formatBytes(j.a.bytes)} | ${formatBytes(j.b.bytes)} | ${signedBytes(j.deltaBytes)} | ${note ? `${note}: ${prose(j.advice)}` : ''} |`,
        );
      }
      // Cut to --top as the other tables: without the line the table read as every class that changed.
      out.push(...leftOut([junk], rows));
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}
