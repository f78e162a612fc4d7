// Markdown view of `ballast analyze`, for PR comments: a summary table, the findings with their bytes and
// lines, then folded away the layers, the biggest directories and the duplicate files. A pure function of the result.
import { biggestDirectoryFirst, leftOutAbove, leftOutLine } from '../analysis/measure.js';
import { junkTotal } from '../analysis/junk.js';
import type { AnalyzeResult } from '../services/analyze.js';
import { baseShareText, diveEfficiencyText, diveFileList, storedUncompressedMark, wastedText } from './format.js';
import { cell, code, instructionCode, lineCode } from './markdown.js';
import { findingWhere } from './index.js';
import { formatBytes, formatCount, plural } from '../report/figures.js';
import { findingsToShow } from '../report/finding-order.js';
import { imageArgument } from '../report/image-name.js';
import { lineOf } from '../report/dockerfile-lines.js';
import { cutPathToColumns } from '../report/text.js';

/**
 * A path from the image in a cell, cut in its middle (the file name stays) before escaping, as the layers'
 * instructions are: a path may be 4,096 characters, and a PR comment holds 65,536.
 */
export const PATH_COLUMNS = 120;
const pathCell = (path: string) => code(cutPathToColumns(`/${path}`, PATH_COLUMNS));

/** Paths named per duplicate group: the text report shows what fits a line, the HTML all ten the result holds. */
const GROUP_PATHS = 3;

export interface AnalyzeMarkdownOptions {
  rows?: number;
}

export function renderAnalyzeMarkdown(r: AnalyzeResult, options: AnalyzeMarkdownOptions = {}): string {
  const rows = options.rows ?? 15;
  const s = r.summary;
  const out: string[] = [];
  out.push(`### ballast analyze: ${lineCode(imageArgument(r.image))}`, '');
  out.push('| | |', '|---|---|');
  // As the text says it: a base counted from the first layer alone is a guess, not the Dockerfile's FROM.
  out.push(
    `| Layers | ${s.layers} (${s.base.layers} base${s.base.source === 'first-layer' ? ', assumed' : ''}, ${s.user.layers} yours) |`,
  );
  out.push(
    `| Compressed / uncompressed | ${formatBytes(s.compressedBytes)}${storedUncompressedMark(s)} / ${formatBytes(s.uncompressedBytes)} |`,
  );
  out.push(`| Final files | ${plural(s.finalFiles, 'file')}, ${formatBytes(s.finalFileBytes)} |`);
  // The base share and the wasted share in the text's words: a PR comment is read without the text beside it.
  out.push(`| Base share | ${baseShareText(s)} |`);
  out.push(`| Wasted | ${wastedText(s, (total) => `**${total}**`)} |`);
  // The sum `ci` checks against maxJunkBytes, as the text and HTML reports give it over their junk tables.
  out.push(`| Junk | ${formatBytes(junkTotal(r.junk))} in the final filesystem |`);
  out.push(
    `| Duplicates | ${formatBytes(s.duplicateBytes)} in ${plural(r.duplicates.groups, 'group')} of identical files |`,
  );
  // With dive's wasted bytes and user-wasted percent, as the text gives them: the figures a .dive-ci checks.
  out.push(`| Efficiency | ${diveEfficiencyText(s.efficiency, r.dive)} |`);
  out.push('');
  // Said up front: a PR comment whose findings carry no Dockerfile lines would otherwise read as a clean attribution.
  if (r.attribution && !r.attribution.matched)
    out.push(
      `> The image history does not line up with ${lineCode(r.attribution.dockerfile)}; layers are not attributed to lines.`,
      '',
    );
  if (r.findings.length) {
    out.push(`#### Findings (${r.findings.length}, ${formatBytes(s.findingBytes)} reclaimable)`, '');
    out.push('| Bytes | Rule | Where | Message |', '|---:|---|---|---|');
    for (const f of findingsToShow(r.findings, rows)) {
      // The place as every report writes it (`Dockerfile:13 (layer 2)`).
      const where = f.location.kind === 'image' ? findingWhere(f) : '';
      out.push(
        `| ${f.bytes ? formatBytes(f.bytes) : ''} | ${f.code} ${f.rule} | ${where ? code(where) : ''} | ${cell(f.message)} |`,
      );
    }
    if (r.findings.length > rows) out.push('', `…and ${r.findings.length - rows} more (\`--json\` lists all).`);
    out.push('');
  } else {
    out.push('No findings.', '');
  }
  out.push('<details><summary>Layers</summary>', '');
  out.push('| # | Size | Files | Wasted | Instruction |', '|---:|---:|---:|---:|---|');
  for (const l of r.layers) {
    // A code span, as diff's layers show theirs: as plain text, the `*` of `lists/*` and the `_` of a file name
    // turned into emphasis. Cut, with an ellipsis, only when longer than a comment can hold (instructionCode).
    const what = l.instruction
      ? `${code(`${l.instruction.file}:${lineOf(l.instruction)}`)} ${instructionCode(l.instruction.text)}`
      : instructionCode(l.historyInstruction ?? '');
    out.push(
      `| ${l.index} | ${formatBytes(l.fileBytes)} | ${formatCount(l.files)} | ${l.wastedBytes ? formatBytes(l.wastedBytes) : ''} | ${what}${l.base ? ' (base)' : ''} |`,
    );
  }
  out.push('', '</details>');

  // dive's inefficient files, the rows the text report lists: folded, as they explain the summary's dive figures.
  const dive = diveFileList(r.dive, rows);
  if (dive) {
    out.push('', `<details><summary>${dive.heading}</summary>`, '');
    out.push("| Count | dive's wasted | Path |", '|---:|---:|---|');
    for (const f of dive.shown)
      out.push(
        `| ${formatCount(f.count)} | ${formatBytes(f.sizeBytes)} | ${code(cutPathToColumns(f.file, PATH_COLUMNS))} |`,
      );
    if (dive.hidden > 0) out.push('', `…and ${formatCount(dive.hidden)} more (\`--top\` sets how many).`);
    out.push('', '</details>');
  }

  const directories = r.topDirectories.slice(0, rows);
  if (directories.length) {
    out.push('', '<details><summary>Biggest directories</summary>', '');
    out.push('| Size | Files | Directory |', '|---:|---:|---|');
    for (const d of directories)
      out.push(`| ${formatBytes(d.bytes)} | ${formatCount(d.files)} | ${pathCell(d.path)} |`);
    const leftOut = leftOutAbove(directories, r.leftOutDirectories, biggestDirectoryFirst);
    if (leftOut.length)
      out.push('', leftOutLine(leftOut.map((p) => lineCode(cutPathToColumns(`/${p}`, PATH_COLUMNS)))));
    out.push('', '</details>');
  }

  const groups = r.duplicates.top.slice(0, rows);
  if (groups.length) {
    out.push('', '<details><summary>Duplicate files</summary>', '');
    out.push('| Extra | Copies | Paths |', '|---:|---:|---|');
    for (const g of groups) {
      // One path to a line, as the HTML has them; then how many copies the row does not name.
      const paths = g.paths.slice(0, GROUP_PATHS).map(pathCell);
      const more = g.copies - paths.length;
      if (more > 0) paths.push(`…and ${formatCount(more)} more`);
      out.push(`| ${formatBytes(g.extraBytes)} | ${formatCount(g.copies)} | ${paths.join('<br>')} |`);
    }
    if (r.duplicates.groups > groups.length)
      out.push('', `The ${groups.length} largest of ${plural(r.duplicates.groups, 'group')}.`);
    out.push('', '</details>');
  }
  return out.join('\n');
}
