// Markdown view of `ballast ci`, for the GitHub step summary and PR comments: the verdict, what to fix first, every
// budget, the baseline comparison. A pure function of the result.
import type { CiResult } from '../services/ci.js';
import { PATH_COLUMNS } from './analyze-markdown.js';
import { budgetSources, budgetVerdict, diveFiles, uncompressedTar, verdictLine } from './ci-text.js';
import { diveEfficiencyText, imageAndPlatform, storedUncompressedMark, percentChange } from './format.js';
import { checkWhere, findingWhere } from './index.js';
import { cell, code, line, lineCode } from './markdown.js';
import { checkFigures } from '../report/check-figures.js';
import { efficiencyPercent, formatBytes, formatCount } from '../report/figures.js';
import { cutPathToColumns } from '../report/text.js';

export function renderCiMarkdown(r: CiResult): string {
  const out: string[] = [];
  // The platform named, as the text headline names it: a matrix job gating each platform of an index got one title.
  out.push(
    `### ballast ci: ${r.verdict === 'pass' ? 'passed' : 'failed'} for ${imageAndPlatform(r.image, lineCode)}`,
    '',
  );
  // With dive's rules, the efficiency as analyze gives it, with dive's wasted bytes and user-wasted percent: beside
  // ballast's wasted bytes alone (239 MB on corpus bloated), the headline read as contradicting the highestWastedBytes
  // row under it (216 MB, dive's count).
  const efficiency =
    r.dive.fileReferenceCount !== undefined
      ? diveEfficiencyText(r.summary.efficiency, r.dive)
      : efficiencyPercent(r.summary.efficiency);
  out.push(
    `**${verdictLine(r)}**: ${line(budgetVerdict(r))} — ${uncompressedTar(formatBytes(r.summary.uncompressedBytes))}, ${formatBytes(r.summary.compressedBytes)} compressed${storedUncompressedMark(r.summary)}, ${formatBytes(r.summary.wastedBytes)} wasted, efficiency ${efficiency}`,
    '',
  );
  if (r.fixFirst.length) {
    out.push('#### Fix first', '', '| Bytes | Where | Rule | Message |', '|---:|---|---|---|');
    for (const f of r.fixFirst)
      out.push(
        `| ${formatBytes(f.bytes ?? 0)} | ${findingWhere(f) ? code(findingWhere(f)) : ''} | ${f.code} | ${cell(f.message)} |`,
      );
    out.push('');
  }
  out.push('#### Budgets', '');
  const sources = budgetSources(r);
  if (sources) out.push(line(sources), '');
  out.push('| | Budget | Value | Limit | Fix |', '|---|---|---:|---:|---|');
  for (const c of r.checks) {
    const mark = c.status === 'pass' ? '✅ PASS' : c.status === 'fail' ? '❌ FAIL' : '⏭️ SKIP';
    // A failed junk budget says which junk first (its largest classes or files), then where it was added.
    const fix =
      c.status === 'fail'
        ? [c.detail ?? '', checkWhere(c)].filter(Boolean).join('; ')
        : c.status === 'skip'
          ? c.message.replace(/^[^:]*: /, '')
          : '';
    const figures = checkFigures(c, c.value, c.limit);
    out.push(`| ${mark} | \`${c.id}\` ${cell(c.title)} | ${figures.value} | ${figures.limit} | ${cell(fix)} |`);
  }
  out.push('');
  const dive = diveFiles(r);
  if (dive) {
    out.push(`#### ${line(dive.heading)}`, '', "| Count | dive's wasted | Path |", '|---:|---:|---|');
    for (const f of dive.shown)
      out.push(
        `| ${formatCount(f.count)} | ${formatBytes(f.sizeBytes)} | ${code(cutPathToColumns(f.file, PATH_COLUMNS))} |`,
      );
    out.push('', ...(dive.more ? [`…and ${line(dive.more)}`, ''] : []));
  }
  if (r.baseline) {
    const b = r.baseline;
    const g = b.uncompressed;
    const head = `**Baseline** ${lineCode(b.source)} (${imageAndPlatform(b.baseline, lineCode)})`;
    out.push(
      b.notCompared
        ? `${head}: not compared, ${line(b.notCompared)}`
        : `${head}: ${formatBytes(g.before)} → ${formatBytes(g.after)} uncompressed (tar, ${g.bytes <= 0 ? '' : '+'}${formatBytes(g.bytes)}${g.ratio === null ? '' : `, ${percentChange(g.ratio * 100)}`}); wasted ${formatBytes(b.wasted.before)} → ${formatBytes(b.wasted.after)}`,
      '',
    );
  }
  for (const note of r.notes) out.push(`> ${line(note)}`, '');
  return out.join('\n');
}
