// Tables and cut lines of the text reports, laid out by terminal columns (`columns` in report/text.ts); their prose is
// wrapped by report/wrap.ts.
import { columns, cutToColumns } from '../report/text.js';
import { spanWords, wrapToColumns } from '../report/wrap.js';
import { formatBytes, formatCount } from '../report/figures.js';

/**
 * Each column's width in a table of `rows`: its widest cell's, leaving out cells wider than `padAtMost` (those run
 * into the next column, two spaces before it).
 */
function columnWidths(rows: string[][], padAtMost = Infinity): number[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      const width = columns(cell);
      widths[i] = Math.max(widths[i] ?? 0, width > padAtMost ? 0 : width);
    });
  return widths;
}

/** The columns `table` (without `fit`) takes on a line for `rows`: its columns as wide as their widest cell, two apart. */
export function tableWidth(rows: string[][]): number {
  const widths = columnWidths(rows);
  return widths.reduce((sum, w) => sum + w, 0) + 2 * Math.max(0, widths.length - 1);
}

/**
 * Whether a wrapped last column (`table`'s `fit.wrap`) goes beside the other columns, in `room` columns: at least
 * `min` of them, and no word or code span (as a line of `under` columns keeps it) wider. The words and spans as a line
 * under the rows keeps them whole: one wider than the room beside the columns puts every message under its row, so
 * the rows of one table read alike.
 */
function lastCellsBeside(cells: (string | undefined)[], room: number, under: number, min = 20): boolean {
  return (
    room >= min &&
    cells.every((cell) => cell === undefined || spanWords(cell, under).every((word) => columns(word) <= room))
  );
}

/**
 * Whether `table(rows, align, { width, min, wrap: { indent } })` lays each row's last cell under the row rather than
 * beside it: for a caller choosing what the other columns hold (a name shortened to leave the messages room is
 * shortened for nothing when they go under anyway).
 */
export function lastCellsUnder(rows: string[][], fit: { width: number; min?: number; indent: number }): boolean {
  const last = Math.max(0, ...rows.map((row) => row.length - 1));
  const cells = rows.map((row) => (row.length - 1 === last ? row[last] : undefined));
  const before = columnWidths(rows.filter((row) => row.length - 1 === last).map((row) => row.slice(0, last)))
    .slice(0, last)
    .reduce((sum, w) => sum + w + 2, 0);
  return !lastCellsBeside(cells, fit.width - before, Math.max(20, fit.width - fit.indent), fit.min);
}

/** How far a last cell laid under its row (`table`'s `fit`, on a narrow line) is indented: as ci's messages are. */
const UNDER_INDENT = 4;

/**
 * Left-aligned columns; `align` marks right-aligned (numeric) columns with 'r'. With `fit`, a left-aligned last
 * column (a path, a name) is cut by `fit.cut` (default: at its end) to the width the other columns leave on a line of
 * `fit.width`: the report fits the terminal it is written for. When they leave it less than `fit.min` columns
 * (default 20), it goes under its row instead, indented, cut to that line.
 *
 * With `fit.wrap`, the last column is prose that ends with what to do (a finding's message): it is wrapped between
 * words as `hanging` wraps analyze's findings, never cut, its further lines under its start. When the other columns
 * leave it less than `fit.min`, it starts under its row instead, indented by `fit.wrap.indent`: a column a dozen
 * letters wide made a message twenty lines tall. So do they when a message holds a word or code span wider than the
 * room beside the columns (a long path, a command): on a line of its own there it ran past the line's end by the
 * width of the columns before it, or a command was broken in two.
 *
 * With `padAtMost`, a column is padded to its widest cell of at most that many columns: one giant cell (a finding
 * quoting a 64 KB value) no longer pads every other row of its column to its width.
 */
export function table(
  rows: string[][],
  align: ('l' | 'r')[] = [],
  fit?: {
    width: number;
    cut?: (text: string, width: number) => string;
    min?: number;
    wrap?: { indent: number; style?: (line: string) => string };
  },
  padAtMost?: number,
): string {
  const widths = columnWidths(rows, padAtMost);
  const last = widths.length - 1;
  if (fit?.wrap && last > 0 && align[last] !== 'r') {
    const { indent, style = (line: string) => line } = fit.wrap;
    const cells = rows.map((row) => (row.length - 1 === last ? row[last] : undefined));
    const head = rows.map((row) => (row.length - 1 === last ? row.slice(0, last) : row));
    const before = columnWidths(head.filter((_, i) => cells[i] !== undefined))
      .slice(0, last)
      .reduce((sum, w) => sum + w + 2, 0);
    const room = fit.width - before;
    const under = Math.max(20, fit.width - indent);
    const beside = lastCellsBeside(cells, room, under, fit.min);
    const laid = table(head, align).split('\n');
    return laid
      .flatMap((line, i) => {
        const cell = cells[i];
        if (cell === undefined) return [line];
        if (!beside) return [line, ...wrapToColumns(cell, under).map((l) => ' '.repeat(indent) + style(l))];
        const [first, ...more] = wrapToColumns(cell, room);
        return [
          `${line}${' '.repeat(Math.max(0, before - columns(line)))}${style(first)}`.trimEnd(),
          ...more.map((l) => ' '.repeat(before) + style(l)),
        ];
      })
      .join('\n');
  }
  if (fit && last > 0 && align[last] !== 'r') {
    const before = widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
    const cut = fit.cut ?? cutToColumns;
    // Less than `min` left beside the other columns: each last cell goes on a line of its own under its row, cut to
    // the line there. Kept beside them at `min`, a path ran past a narrow terminal's edge on every row, and cut to a
    // dozen columns (`/va…ache/apt`) it no longer named anything.
    if (fit.width - before < (fit.min ?? 20)) {
      const under = Math.max(8, fit.width - UNDER_INDENT);
      const head = rows.map((row) => (row.length - 1 === last ? row.slice(0, last) : row));
      const laid = table(head, align).split('\n');
      return laid
        .flatMap((line, i) =>
          rows[i].length - 1 === last ? [line, ' '.repeat(UNDER_INDENT) + cut(rows[i][last], under)] : [line],
        )
        .join('\n');
    }
    const room = fit.width - before;
    rows = rows.map((row) => (row.length - 1 === last ? [...row.slice(0, last), cut(row[last], room)] : row));
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          if (i === row.length - 1 && align[i] !== 'r') return cell;
          const pad = ' '.repeat(Math.max(0, widths[i] - columns(cell)));
          return align[i] === 'r' ? pad + cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * `table(rows, align)`, or on a line of `width` it does not fit, each row's first cell (a label: `Final file bytes`,
 * a package manager) on a line of its own over the rest of its row, indented 2; the header row (the first) keeps
 * its other cells alone. The figures stay whole and in their columns: cut or dropped to fit, they said nothing.
 */
export function labelsOver(rows: string[][], align: ('l' | 'r')[], width: number): string {
  const whole = table(rows, align);
  if (tableWidth(rows) <= width) return whole;
  const laid = table(
    rows.map((row) => row.slice(1)),
    align.slice(1),
  ).split('\n');
  return [`  ${laid[0]}`, ...rows.slice(1).flatMap((row, i) => [row[0], `  ${laid[i + 1]}`])].join('\n');
}

/**
 * Label-and-value lines (a report's summary block): labels padded to one column, each value wrapped between words
 * to the width left beside them, its further lines under its first.
 */
export function labelled(rows: [label: string, value: string][], width: number): string {
  const labelWidth = Math.max(0, ...rows.map(([label]) => columns(label)));
  const indent = ' '.repeat(labelWidth + 2);
  return rows
    .flatMap(([label, value]) =>
      wrapToColumns(value, Math.max(20, width - indent.length)).map(
        (line, i) => (i === 0 ? label + ' '.repeat(labelWidth - columns(label) + 2) : indent) + line,
      ),
    )
    .map((line) => line.trimEnd())
    .join('\n');
}

/**
 * A report's header line, an image path with its note (its tag) and what follows them (its platform), in `width`
 * columns. When they do not fit, the path gets a line of its own, whole, as wrapped prose keeps a path: cut in its
 * middle it could not be copied. The note and the platform follow on the next line, whole; the note is cut at its end
 * only when it is wider than a line itself, and the platform moves down a line when it does not fit beside it.
 */
export function pathOverNote(path: string, note: string, after: string, width: number): string[] {
  const shown = note ? `(${note})` : '';
  const whole = [note ? `${path} ${shown}` : path, after].filter(Boolean).join('  ');
  if (columns(whole) <= width) return [whole];
  const noteLine = note ? `(${cutToColumns(note, width - 2)})` : '';
  if (!noteLine || !after) return [path, noteLine || after].filter(Boolean);
  return columns(noteLine) + 2 + columns(after) <= width ? [path, `${noteLine}  ${after}`] : [path, noteLine, after];
}

export function truncate(text: string, max: number): string {
  return cutToColumns(text.replace(/\s+/g, ' '), max);
}

/**
 * dive's inefficient files as the text reports list them (analyze's and ci's): the heading in bold, wrapped by
 * `wrap`, then a table of the paths shown with their count and dive's wasted bytes, fitted by `fit` as `table` does.
 */
export function diveFileTable(
  list: { heading: string; shown: { count: number; sizeBytes: number; file: string }[] },
  s: { bold(text: string): string; dim(text: string): string },
  wrap: (text: string) => string,
  fit: Parameters<typeof table>[2],
): string[] {
  return [
    '',
    ...wrap(list.heading)
      .split('\n')
      .map((l) => s.bold(l)),
    table(
      [
        ['Count', "dive's wasted", 'Path'].map((h) => s.dim(h)),
        ...list.shown.map((f) => [formatCount(f.count), formatBytes(f.sizeBytes), f.file]),
      ],
      ['r', 'r'],
      fit,
    ),
  ];
}
