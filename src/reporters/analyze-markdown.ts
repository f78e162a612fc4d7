// Markdown view of `ballast analyze`, for PR comments: a summary table, the findings with their bytes and
// lines, and the layers. A pure function of the result.
import type { AnalyzeResult } from '../services/analyze.js';
import {
  efficiencyPercent,
  findingsToShow,
  formatBytes,
  formatCount,
  imageArgument,
  lineOf,
  plural,
} from './format.js';
import { cell, code, lineCode } from './markdown.js';
import { findingWhere } from './index.js';
import { truncate } from './width.js';

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
  out.push(`| Compressed / uncompressed | ${formatBytes(s.compressedBytes)} / ${formatBytes(s.uncompressedBytes)} |`);
  out.push(`| Final files | ${plural(s.finalFiles, 'file')}, ${formatBytes(s.finalFileBytes)} |`);
  out.push(
    `| Wasted | **${formatBytes(s.wastedBytes)}** (deleted ${formatBytes(s.wasted.deleted)}, overwritten ${formatBytes(s.wasted.overwrittenChanged)}, same-content copies ${formatBytes(s.wasted.overwrittenSameContent)}) |`,
  );
  out.push(`| Duplicates | ${formatBytes(s.duplicateBytes)} |`);
  out.push(`| Efficiency (dive) | ${efficiencyPercent(s.efficiency)} |`);
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
    if (r.findings.length > rows) out.push('', `…and ${r.findings.length - rows} more.`);
    out.push('');
  } else {
    out.push('No findings.', '');
  }
  out.push('<details><summary>Layers</summary>', '');
  out.push('| # | Size | Files | Wasted | Instruction |', '|---:|---:|---:|---:|---|');
  for (const l of r.layers) {
    // Cut before escaping: a cut through an entity or a code span would leave text that reads otherwise. The
    // ellipsis says it was cut, as in the text report: `… > /o` alone reads as the whole command.
    const what = l.instruction
      ? `${code(`${l.instruction.file}:${lineOf(l.instruction)}`)} ${cell(truncate(l.instruction.text, 120))}`
      : cell(truncate(l.historyInstruction ?? '', 120));
    out.push(
      `| ${l.index} | ${formatBytes(l.fileBytes)} | ${formatCount(l.files)} | ${l.wastedBytes ? formatBytes(l.wastedBytes) : ''} | ${what}${l.base ? ' (base)' : ''} |`,
    );
  }
  out.push('', '</details>');
  return out.join('\n');
}
