// Markdown view of `ballast bases`, for issues and PR comments: the same table as the text view, then the notes
// (aliases, other matching tags, caveats).
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
import { cell, code, line, lineCode } from './markdown.js';

export function renderBasesMarkdown(result: BasesResult): string {
  const columns = basesColumns(result);
  const out: string[] = [`### ballast bases: ${line(heading(result))}`, ''];
  out.push(`| ${columns.map((c) => c.title).join(' | ')} |`);
  out.push(`|${columns.map((c) => (c.align === 'r' ? '---:' : '---')).join('|')}|`);
  for (const c of result.candidates) {
    out.push(
      `| ${columns.map((col, i) => (i === 0 ? (c.current ? `**${code(col.cell(c))}** (current)` : `${code(col.cell(c))}${c.older ? ' (older)' : ''}`) : cell(col.cell(c)))).join(' | ')} |`,
    );
  }
  const marks = questionMarks(result, columns);
  if (marks.guessed)
    out.push(
      '',
      `\`?\`: guessed from ${guessedFrom(result, code)}, not read from the image${result.deep ? '' : ' (`--deep` reads the files)'}.`,
    );
  if (marks.unknown) out.push('', '`?` alone: unknown, neither read from the image nor told by its name.');
  for (const note of [tagsLine(result), rebuildLine(result), recordedDigestLine(result)])
    if (note) out.push('', line(note));
  // Aliases and the other matching tags too, as the text view gives them: a reader of the comment otherwise never
  // learns that node:20-slim is the very image shown as node:20.11.1-slim.
  const withNotes = result.candidates.filter(
    (c) => c.caveats.length > 0 || c.aliases.length > 0 || c.alsoMatching.length > 0 || c.sharedLayers.length > 0,
  );
  if (withNotes.length) {
    out.push('', '#### Notes', '');
    for (const c of withNotes) {
      out.push(`- ${lineCode(c.reference)}`);
      if (c.aliases.length) out.push(`  - same image as ${c.aliases.map(lineCode).join(', ')}`);
      if (c.alsoMatching.length) out.push(`  - ${otherTagsLine(c, lineCode)}`);
      for (const caveat of c.caveats) {
        out.push(`  - ${line(caveat.message)}`);
        for (const l of caveat.lines ?? [])
          out.push(`    - ${lineCode(`${l.file}:${l.line}`)} ${lineCode(l.text.slice(0, 100))}`);
      }
      for (const shared of sharedLines(c, lineCode)) out.push(`  - ${shared}`);
    }
  }
  if (result.skipped.length) {
    out.push('', '<details><summary>Not compared</summary>', '');
    for (const k of result.skipped) {
      const { reference, rest } = skippedParts(k);
      out.push(`- ${lineCode(reference)}${rest.startsWith(':') ? ':' : ''} ${line(rest.replace(/^:? /, ''))}`);
      if (k.aliases?.length) out.push(`  - same image as ${k.aliases.map(lineCode).join(', ')}`);
    }
    out.push('', '</details>');
  }
  for (const w of result.warnings) out.push('', `> **Warning:** ${line(w)}`);
  return out.join('\n');
}
