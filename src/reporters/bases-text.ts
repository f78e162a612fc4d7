// Text view of `ballast bases`: the candidates as one table ordered by size, the current base and those on an older
// runtime marked, then what may break on each. A pure function of the result.
import type { BasesResult } from '../services/bases.js';
import {
  basesColumns,
  guessedFrom,
  heading,
  otherTagsLine,
  rebuildLine,
  sharedLines,
  questionMarks,
  recordedDigestLine,
  skippedParts,
  tagsLine,
} from './bases-view.js';
import { style } from './format.js';
import { columns as widthOf } from '../report/text.js';
import { table } from './width.js';
import { hanging, proseWrapper, wrapToColumns } from '../report/wrap.js';

export interface BasesTextOptions {
  color: boolean;
  width?: number;
}

export function renderBasesText(result: BasesResult, options: BasesTextOptions): string {
  const s = style(options.color);
  const width = options.width ?? 120;
  const columns = basesColumns(result);
  // Wrapped as the notes are: a registry reference in it leaves little room beside it at 40 columns.
  const lines: string[] = [
    ...proseWrapper(options.width)(heading(result), width)
      .split('\n')
      .map((l) => s.bold(l)),
    '',
  ];
  const rows = [
    ['', ...columns.map((c) => s.dim(c.title))],
    ...result.candidates.map((c) => [
      c.current ? s.green('*') : c.older ? s.yellow('<') : '',
      ...columns.map((col, i) => (i === 0 && c.current ? s.bold(col.cell(c)) : col.cell(c))),
    ]),
  ];
  const wide = table(rows, ['l', ...columns.map((c) => c.align)]);
  // A terminal narrower than the table wraps each row onto the next line, under the wrong columns: then each
  // candidate is a block, its name on a line of its own and its values (`Layers 3 · OS debian`...) packed under it.
  // Only for a width the terminal or COLUMNS gave: a file or a pipe keeps the table, lines as long as they are.
  const fits = options.width === undefined || wide.split('\n').every((l) => widthOf(l) <= width);
  if (fits) lines.push(wide);
  else
    for (const [mark, name, ...cells] of rows.slice(1)) {
      const head = markedName(mark, name, width);
      lines.push(head.line);
      const pairs = cells
        .map((cell, i) => (cell === '' ? '' : `${columns[i + 1].title} ${cell}`))
        .filter((pair) => pair !== '');
      lines.push(...packed(pairs, ' · ', width - 5).map((l, i) => `${i === 0 && head.markBelow ? mark : ' '}    ${l}`));
    }
  const legend: string[] = [];
  if (result.candidates.some((c) => c.current)) legend.push('* current base');
  if (result.candidates.some((c) => c.older)) legend.push('< older runtime than the current base');
  const marks = questionMarks(result, columns);
  // The name may be a local file's (debian-base.oci): said to be no reading of the image, and where one is had.
  if (marks.guessed)
    legend.push(
      `? guessed from ${guessedFrom(result)}, not read from the image${result.deep ? '' : ' (--deep reads the files)'}`,
    );
  if (marks.unknown) legend.push('? alone: unknown');
  // Wrapped to the terminal: the "? guessed from" note alone is longer than 80 columns.
  if (legend.length)
    lines.push(
      ...proseWrapper(options.width)(legend.join(' · '), width)
        .split('\n')
        .map((l) => s.dim(l)),
    );
  const extra = [tagsLine(result), rebuildLine(result), recordedDigestLine(result)].filter(
    (l): l is string => l !== undefined,
  );
  if (extra.length)
    lines.push(
      '',
      ...extra.flatMap((l) => (options.width === undefined ? [l] : wrapToColumns(l, width)).map((w) => s.dim(w))),
    );

  const withCaveats = result.candidates.filter(
    (c) => c.caveats.length > 0 || c.aliases.length > 0 || c.alsoMatching.length > 0 || c.sharedLayers.length > 0,
  );
  if (withCaveats.length) {
    lines.push('', s.bold('Notes'));
    for (const c of withCaveats) {
      lines.push(options.width === undefined ? `  ${c.reference}` : indentedName(c.reference, 2, width));
      // Wrapped between paths, each whole so it copies as one.
      if (c.aliases.length)
        lines.push(
          `    ${proseWrapper(options.width)(`same image as ${c.aliases.join(', ')}`, width - 4).replace(/\n/g, '\n    ')}`,
        );
      if (c.alsoMatching.length)
        lines.push(s.dim(`    ${proseWrapper(options.width)(otherTagsLine(c), width - 4).replace(/\n/g, '\n    ')}`));
      for (const caveat of c.caveats) {
        // Wrapped, not cut: a note ends with what it means for the user (`rebuild them`, `move them to a build stage`).
        lines.push(`    ${s.yellow('!')} ${hanging(caveat.message, width - 4).replace(/\n/g, '\n    ')}`);
        for (const l of caveat.lines ?? [])
          lines.push(
            ...(options.width === undefined
              ? [`${l.file}:${l.line}  ${oneLine(l.text)}`]
              : placedLine(`${l.file}:${l.line}`, l.text, width - 6)
            ).map((w) => s.dim(`      ${w}`)),
          );
      }
      // What it shares with the other images: said last, a fact rather than a warning.
      for (const shared of sharedLines(c))
        lines.push(`    ${proseWrapper(options.width)(shared, width - 4).replace(/\n/g, '\n    ')}`);
    }
  }
  if (result.skipped.length) {
    lines.push('', s.bold('Not compared'));
    for (const k of result.skipped) {
      const { reference, rest } = skippedParts(k);
      // Wrapped, not cut: the reason ends with what was asked for (`not linux/arm64`).
      lines.push(`  ${proseWrapper(options.width)(oneLine(`${reference}${rest}`), width - 2).replace(/\n/g, '\n  ')}`);
      // Wrapped between tags as a candidate's aliases are: cut, the last tag was lost.
      if (k.aliases?.length)
        lines.push(
          s.dim(
            `    ${proseWrapper(options.width)(`same image as ${k.aliases.join(', ')}`, width - 4).replace(/\n/g, '\n    ')}`,
          ),
        );
    }
  }
  for (const w of result.warnings) lines.push('', s.yellow(proseWrapper(options.width)(`warning: ${w}`, width)));
  return lines.join('\n');
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * A Dockerfile line in `width` columns: its place (`Dockerfile:12`), whole since it is what to open, and its text
 * beside it, wrapped between words with further lines under the place; with too little room beside it, all under it.
 */
function placedLine(place: string, text: string, width: number): string[] {
  const words = oneLine(text);
  const whole = `${place}  ${words}`;
  if (widthOf(whole) <= width) return [whole];
  const beside = width - widthOf(place) - 2;
  const first = beside >= 20 ? wrapToColumns(words, beside)[0] : '';
  const under = (rest: string) => wrapToColumns(rest, width - 2).map((l) => `  ${l}`);
  if (first === '' || widthOf(first) > beside) return [place, ...under(words)];
  return [`${place}  ${first}`, ...under(words.slice(first.length).trim())];
}

/**
 * A name indented by up to `indent` columns, as far as it still fits `width`; wider than the line, whole at its full
 * indent, as a path is kept whole elsewhere (cut, it could not be copied).
 */
function indentedName(name: string, indent: number, width: number): string {
  const room = width - widthOf(name);
  return `${' '.repeat(room < 0 ? indent : Math.min(indent, room))}${name}`;
}

/**
 * A block's first line: its mark (current, older) and name in the mark column and two columns on. A name that fits
 * the line but not beside them keeps the mark one space from it, or else leaves it to the line below, whose indent
 * has room for it.
 */
function markedName(mark: string, name: string, width: number): { line: string; markBelow: boolean } {
  const room = width - widthOf(name);
  if (room >= 3 || room < 0) return { line: `${mark || ' '}  ${name}`, markBelow: false };
  if (mark && room === 2) return { line: `${mark} ${name}`, markBelow: false };
  return { line: indentedName(name, 3, width), markBelow: mark !== '' };
}

/**
 * `pieces` joined by `separator` into lines of at most `width` columns, breaking only between pieces. A piece wider than
 * a line alone (`Packages 572 dpkg, 2 python, 66 node` at 40 columns) gets lines of its own, wrapped between its items.
 */
function packed(pieces: string[], separator: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const piece of pieces) {
    if (widthOf(piece) > width) {
      if (line !== '') out.push(line);
      out.push(...wrappedPiece(piece, width));
      line = '';
      continue;
    }
    const next = line === '' ? piece : `${line}${separator}${piece}`;
    if (widthOf(next) > width) {
      out.push(line);
      line = piece;
    } else line = next;
  }
  if (line !== '') out.push(line);
  return out;
}

/** A value wider than `width`, broken after its commas (else between words), further lines indented under it. */
function wrappedPiece(piece: string, width: number): string[] {
  const items = piece.split(/(?<=,) /);
  const lines = items.length > 1 ? packed(items, ' ', width - 2) : wrapToColumns(piece, width - 2);
  return lines.map((l, i) => (i === 0 ? l : `  ${l}`));
}
