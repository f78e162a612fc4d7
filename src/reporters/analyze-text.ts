// Text view of `ballast analyze`: a pure function of the result. Exact bytes stay in --json; people get SI sizes.
import { biggestDirectoryFirst, leftOutAbove, leftOutLine } from '../analysis/measure.js';
import { junkTotal } from '../analysis/junk.js';
import type { AnalyzeResult } from '../services/analyze.js';
import {
  baseShareText,
  cutWidth,
  diveEfficiencyText,
  diveFileList,
  READABLE_CELL,
  style,
  storedUncompressedMark,
  wasteCauseText,
  wastedListText,
  wastedText,
} from './format.js';
import { columns, cutPathToColumns } from '../report/text.js';
import { diveFileTable, labelled, pathOverNote, table, tableWidth, truncate } from './width.js';
import { hanging, proseWrapper, wrapToColumns } from '../report/wrap.js';
import { formatBytes, formatCount, plural } from '../report/figures.js';
import { fileBaseName, lineOf, linesText } from '../report/dockerfile-lines.js';
import { findingsToShow } from '../report/finding-order.js';
import { imageTitle } from '../report/image-name.js';

export interface AnalyzeTextOptions {
  color: boolean;
  width?: number;
  /** Rows per list (default 10). */
  rows?: number;
}

/** The columns an instruction needs beside the layer table's numbers; with fewer it goes under its row. */
const INSTRUCTION_MIN = 30;

function layerName(r: AnalyzeResult, index: number): string {
  const l = r.layers[index];
  if (!l) return `L${index}`;
  return l.instruction ? `L${index} ${linesText(l.instruction)}` : `L${index}`;
}

export function renderAnalyzeText(r: AnalyzeResult, options: AnalyzeTextOptions): string {
  const s = style(options.color);
  // Names, paths and instructions are cut, and the summary's values and the findings wrapped, only to a width the
  // terminal or COLUMNS gave: a pipe or a report file keeps each whole on its line, as diff's tables do (grep on a
  // saved report missed the end of a long RUN line, and a finding wrapped at 120 columns in a wider CI log broke
  // mid-sentence beside tables kept whole).
  const width = cutWidth(options.width);
  // Paths end a table's rows: cut in their middle (the file name stays) to the width the other columns leave.
  const pathColumn = { width, cut: cutPathToColumns };
  // Notices are wrapped only to a width the terminal or COLUMNS gave: a pipe or a report file keeps each on one line.
  const wrap = proseWrapper(options.width);
  const rows = options.rows ?? 10;
  const sum = r.summary;
  const out: string[] = [];
  // Laid out only to a width the terminal or COLUMNS gave: a pipe or a report file keeps the header on one line.
  const title = imageTitle(r.image);
  out.push(...pathOverNote(title.name, title.note, r.image.platform, width).map((line) => s.bold(line)));
  out.push(
    labelled(
      [
        [
          'Layers',
          `${sum.layers} (${sum.base.layers} base${sum.base.source === 'first-layer' ? ', assumed' : ''}, ${sum.user.layers} yours)`,
        ],
        ['Compressed', `${formatBytes(sum.compressedBytes)}${storedUncompressedMark(sum)}`],
        ['Uncompressed', formatBytes(sum.uncompressedBytes)],
        [
          'Files',
          `${formatCount(sum.finalFiles)} in the final filesystem, ${formatBytes(sum.finalFileBytes)} (${plural(sum.files, 'file')}, ${formatBytes(sum.fileBytes)} over all layers)`,
        ],
        ['Base share', baseShareText(sum)],
        ['Wasted', wastedText(sum, s.bold)],
        [
          'Duplicates',
          `${formatBytes(sum.duplicateBytes)} in ${plural(r.duplicates.groups, 'group')} of identical files`,
        ],
        ['Efficiency', diveEfficiencyText(sum.efficiency, r.dive)],
      ],
      width,
    ),
  );

  // Said up front, as the markdown says it: the layer table and findings below carry no Dockerfile lines, and read
  // last it came after everything it qualifies.
  if (r.attribution && !r.attribution.matched) {
    out.push(
      '',
      s.yellow(
        wrap(
          `The image history does not line up with ${r.attribution.dockerfile}; layers are not attributed to lines.`,
        ),
      ),
    );
  }

  out.push('', s.bold('Layers'));
  const header = ['#', 'Size', 'Files', 'Wasted', 'Instruction'].map((h) => s.dim(h));
  const numbers = r.layers.map((l) => [
    String(l.index),
    formatBytes(l.fileBytes),
    formatCount(l.files),
    l.wastedBytes ? formatBytes(l.wastedBytes) : '-',
  ]);
  // The instruction gets what the number columns (as wide as their widest cell) and the gaps between them leave.
  const fixed = ['#', 'Size', 'Files', 'Wasted'].reduce(
    (sum, h, i) => sum + Math.max(columns(h), ...numbers.map((n) => columns(n[i]))) + 2,
    0,
  );
  // With less than INSTRUCTION_MIN beside them, each instruction goes under its row (table's `fit`), a line's width.
  const instructionWidth = width - fixed < INSTRUCTION_MIN ? width - 4 : width - fixed;
  // A long Dockerfile path would fill the column on a narrow terminal, every row the same cut path with no line or
  // instruction left: with less than READABLE_CELL columns left for them, the rows name the file by its base name
  // (the findings below name it whole).
  const fileName = (file: string) => (columns(file) + 8 + READABLE_CELL > instructionWidth ? fileBaseName(file) : file);
  out.push(
    table(
      [
        header,
        ...r.layers.map((l, i) => [
          ...numbers[i].slice(0, 3),
          l.wastedBytes ? s.yellow(numbers[i][3]) : '-',
          (l.instruction
            ? `${fileName(l.instruction.file)}:${lineOf(l.instruction)} ${l.instruction.text}`
            : (l.historyInstruction ?? '?')) + (l.base ? ' [base]' : ''),
        ]),
      ],
      ['r', 'r', 'r', 'r'],
      { width, cut: truncate, min: INSTRUCTION_MIN },
    ),
  );

  if (r.findings.length) {
    out.push('', s.bold(`Findings (${r.findings.length}, ${formatBytes(sum.findingBytes)} reclaimable)`));
    // `rows` of them, as every other list here and the Markdown and HTML reports show: `--top 3` listed six.
    for (const f of findingsToShow(r.findings, rows)) {
      const sev =
        f.severity === 'error'
          ? s.red(f.severity)
          : f.severity === 'warning'
            ? s.yellow(f.severity)
            : s.cyan(f.severity);
      const at = f.location.kind === 'image' ? f.location : undefined;
      // A layer several instructions were committed as is named by its span, as in the layer table.
      const lines = at?.endLine !== undefined ? `${at.line}-${at.endLine}` : at?.line;
      const loc = at?.file ? `${at.file}:${lines} ` : '';
      const bytes = f.bytes ? `${formatBytes(f.bytes)} ` : '';
      // Wrapped, not cut (the message ends with what to do), under the finding's own indentation.
      const plain = `${f.severity} ${f.code} ${bytes}${loc}`;
      const [first, ...more] = hanging(plain + f.message, width - 2).split('\n');
      const head = first.startsWith(plain)
        ? `${sev} ${s.dim(f.code)} ${bytes}${loc}${first.slice(plain.length)}`
        : first;
      out.push(`  ${head}`, ...more.map((l) => `  ${l}`));
    }
    // Said, as the markdown says it: the heading counts them all, and the list alone would read as all of them.
    const hidden = r.findings.length - rows;
    if (hidden > 0) out.push(s.dim(`  …and ${formatCount(hidden)} more (--json lists all)`));
    // Said, as the Markdown and HTML reports say it: a report that never mentions findings reads as one cut short.
  } else out.push('', 'No findings.');

  if (r.wastedFiles.length) {
    out.push('', s.bold('Biggest wasted files'));
    const shown = r.wastedFiles.slice(0, rows);
    // The cause and the layer in the HTML report's words: "same content" and "In" there were "copied again, same
    // content" and "Shipped in", two names for one thing. What else a copy changed (mode, owner) is the HTML's and
    // --json's: beside the cause it left a path no room on an 80-column line.
    const wastedRows = (name: (index: number) => string, cause = true) => [
      ['Size', ...(cause ? ['Cause'] : []), 'Shipped in', 'Hidden by'].map((h) => s.dim(h)),
      ...shown.map((w) => [
        formatBytes(w.sizeBytes),
        ...(cause ? [wasteCauseText(w.cause)] : []),
        name(w.layer),
        name(w.byLayer),
      ]),
    ];
    // Two layers with their lines leave a narrow line too little for the path (it overflowed, cut to its ends): the
    // layers are then named as `L2` alone, the Layers table above gives each one's line.
    // When the path goes under its row anyway, the rows keep the layers' lines if they fit on the line.
    const named = wastedRows((index) => layerName(r, index));
    const plain = wastedRows((index) => `L${index}`);
    const beside = (rows: string[][]) => tableWidth(rows) + 2 + READABLE_CELL <= width;
    const layerRows = beside(named) || (!beside(plain) && tableWidth(named) <= width) ? named : plain;
    if (tableWidth(layerRows) > width) {
      // Still too wide (a 40-column terminal): the cause goes under its row, with the path, each on a line of its own.
      const lines = table(
        wastedRows((index) => `L${index}`, false),
        ['r'],
      ).split('\n');
      out.push(
        lines[0],
        ...shown.flatMap((w, i) => [
          lines[i + 1],
          `    ${s.dim(wasteCauseText(w.cause))}`,
          `    ${cutPathToColumns(`/${w.path}`, width - 4)}`,
        ]),
      );
    } else
      out.push(
        table(
          layerRows.map((row, i) => [...row, i === 0 ? s.dim('Path') : `/${shown[i - 1].path}`]),
          ['r'],
          // Under READABLE_CELL beside the cause and layers, a path is cut to its ends (`/opt/t…toolchain.tar`):
          // it goes under its row, whole where the line holds it.
          { ...pathColumn, min: READABLE_CELL },
        ),
      );
    // As the HTML report says it: the list is cut to --top, and without this read as every wasted file.
    const listed = wastedListText(shown, sum.wastedBytes);
    out.push(s.dim(`  ${listed}${listed.endsWith('largest') ? ' (--top sets how many)' : ''}`));
  }

  // Beside ballast's wasted files, dive's: the paths behind the inefficient bytes of the summary's Efficiency line, as
  // dive's CI log and `ci` with dive's rules list them (the Markdown and HTML reports list the same rows).
  const dive = diveFileList(r.dive, rows);
  if (dive) {
    out.push(...diveFileTable(dive, s, wrap, { ...pathColumn, min: READABLE_CELL }));
    if (dive.hidden > 0) out.push(s.dim(`  …and ${formatCount(dive.hidden)} more (--top sets how many)`));
  }

  const junk = r.junk.filter((j) => j.bytes > 0).sort((a, b) => b.bytes - a.bytes);
  if (junk.length) {
    // With its total, the sum `ci` checks against maxJunkBytes, as the HTML and Markdown reports give it.
    out.push('', s.bold(`Junk in the final filesystem (${formatBytes(junkTotal(r.junk))})`));
    out.push(
      table(
        [
          ['Size', 'Files', 'Class'].map((h) => s.dim(h)),
          ...junk.slice(0, rows).map((j) => [formatBytes(j.bytes), formatCount(j.files), j.title]),
        ],
        ['r', 'r'],
        { width },
      ),
    );
  }

  if (r.packages.top.length) {
    out.push('', s.bold('Biggest packages'));
    out.push(
      table(
        [
          ['Size', 'Files', 'Kind', 'Package'].map((h) => s.dim(h)),
          ...r.packages.top
            .slice(0, rows)
            .map((p) => [
              formatBytes(p.bytes),
              formatCount(p.files),
              p.manager,
              p.version ? `${p.name} ${p.version}` : p.name,
            ]),
        ],
        ['r', 'r'],
        { width },
      ),
    );
  }
  // A package database that was not (fully) read makes the list above incomplete: say so next to it.
  for (const db of r.packages.unsupported) out.push(s.dim(wrap(`package database not read: ${db}`)));
  for (const w of r.packages.warnings) out.push(s.yellow(wrap(`warning: ${w}`)));

  out.push('', s.bold('Biggest directories'));
  const directories = r.topDirectories.slice(0, rows);
  out.push(
    table(
      [
        ['Size', 'Files', 'Path'].map((h) => s.dim(h)),
        ...directories.map((d) => [formatBytes(d.bytes), formatCount(d.files), `/${d.path}`]),
      ],
      ['r', 'r'],
      pathColumn,
    ),
  );
  const leftOut = leftOutAbove(directories, r.leftOutDirectories, biggestDirectoryFirst);
  if (leftOut.length) out.push(...wrapToColumns(leftOutLine(leftOut.map((p) => `/${p}`)), width).map((l) => s.dim(l)));
  out.push('', s.bold('Biggest files'));
  out.push(
    table(
      [
        ['Size', 'Layer', 'Path'].map((h) => s.dim(h)),
        ...r.topFiles.slice(0, rows).map((f) => [formatBytes(f.sizeBytes), layerName(r, f.layer), `/${f.path}`]),
      ],
      ['r'],
      pathColumn,
    ),
  );
  if (r.duplicates.top.length) {
    out.push('', s.bold('Duplicate files'));
    out.push(
      table(
        [
          ['Extra', 'Copies', 'Paths'].map((h) => s.dim(h)),
          ...r.duplicates.top
            .slice(0, rows)
            .map((d) => [formatBytes(d.extraBytes), formatCount(d.copies), d.paths.map((p) => `/${p}`).join(', ')]),
        ],
        ['r', 'r'],
        { width, cut: truncate },
      ),
    );
  }
  return out.join('\n');
}
