// A note for people on stderr, as every command prints it: the oclif commands (commands/base.ts) and lint's fast path
// (lint/cli.ts), which loads no oclif, share it so a note reads the same on both.
import { extname } from 'node:path';
import { listed } from './report/lists.js';
import { escapeControls, noLoggingCommands, printable } from './report/printable.js';
import { proseWrapper } from './report/wrap.js';

/** COLUMNS as a width, when it is a whole number from 20 to 1000 (anything else is ignored, as if unset). */
export function columnsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.COLUMNS?.trim();
  if (!value || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 20 && n <= 1000 ? n : undefined;
}

/**
 * The width notes wrap to: COLUMNS, else the terminal's that stderr is on. Piped with no COLUMNS (a CI log, a file),
 * none: each note stays one line, for grep.
 */
export function noteWidth(env: NodeJS.ProcessEnv, stderr: { isTTY?: boolean; columns?: number }): number | undefined {
  return columnsFromEnv(env) ?? (stderr.isTTY ? stderr.columns : undefined);
}

/**
 * `note: MESSAGE` and its newline, wrapped between words as the reports' notices are, to `width`: a 200-column note
 * was folded mid-word by the terminal.
 */
export function noteText(message: string, width: number | undefined): string {
  const wrap = proseWrapper(width);
  return `${`note: ${noLoggingCommands(printable(message))}`
    .split('\n')
    .map((line) => wrap(line))
    .join('\n')}\n`;
}

/**
 * The stderr line of a run that failed (exit 1) with its report only in files (`-o FILE`): stdout is empty then, and a
 * CI log would show a red job with no reason. `reason` is the report's own verdict; the paths are as the user gave them.
 * No paths: the report is on stdout but does not state the verdict (analyze's), and a log whose stdout went elsewhere
 * (`> report.json`) would show no reason either.
 */
export function failedReportLine(reason: string, paths: readonly string[]): string {
  const where = paths.length === 0 ? '' : `; ${paths.length === 1 ? 'report' : 'reports'} written to ${listed(paths)}`;
  return `${noLoggingCommands(escapeControls(`ballast: ${reason}${where}`))}\n`;
}

// The formats a report file's extension names, and how a note calls each. `.xml` is JUnit's: ci's CI systems read it
// for test results (checkstyle's XML is asked for by name).
const FORMAT_OF_EXTENSION: Record<string, string> = {
  '.html': 'html',
  '.htm': 'html',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.json': 'json',
  '.sarif': 'sarif',
  '.xml': 'junit',
};
const FORMAT_WORDS: Record<string, string> = {
  html: 'the web page',
  markdown: 'Markdown',
  json: 'JSON',
  sarif: 'SARIF',
  junit: 'JUnit XML',
};

/**
 * The note for a report file whose extension names another of the command's `formats` than the text report written
 * there by default (`analyze img -o report.html`): the file was text, with no word. The format written stays the
 * default (scripts rely on it); `ask` says how the command asks for the other one.
 */
export function defaultFormatNote(
  path: string,
  formats: readonly string[],
  ask: (format: string) => string,
): string | undefined {
  const format = FORMAT_OF_EXTENSION[extname(path).toLowerCase()];
  if (!format || !formats.includes(format)) return undefined;
  return `writing the text report to ${path}; ${ask(format)} for ${FORMAT_WORDS[format]}`;
}
