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

// What a report file's extension names: `offer`, the formats a note offers for it, the first the usual one (`.xml` is
// JUnit's: ci's CI systems read it for test results; checkstyle's XML is the other); `holds`, the formats a file of that
// name may hold as it is (a GitLab job names its Code Quality report, codeclimate's JSON, gl-code-quality-report.json).
const EXTENSIONS: Record<string, { offer: readonly string[]; holds: readonly string[] }> = {
  '.html': { offer: ['html'], holds: ['html'] },
  '.htm': { offer: ['html'], holds: ['html'] },
  '.md': { offer: ['markdown'], holds: ['markdown'] },
  '.markdown': { offer: ['markdown'], holds: ['markdown'] },
  '.json': { offer: ['json'], holds: ['json', 'sarif', 'codeclimate', 'sonarqube'] },
  '.sarif': { offer: ['sarif'], holds: ['sarif'] },
  '.xml': { offer: ['junit', 'checkstyle'], holds: ['junit', 'checkstyle'] },
};
const FORMAT_WORDS: Record<string, string> = {
  html: 'the web page',
  markdown: 'Markdown',
  json: 'JSON',
  sarif: 'SARIF',
  junit: 'JUnit XML',
  checkstyle: 'Checkstyle XML',
};

/** `the text report`, `the SARIF report`, `the web page`: a format as the note names what was written. */
function reportWords(format: string): string {
  return format === 'html' ? FORMAT_WORDS.html : `the ${FORMAT_WORDS[format] ?? format} report`;
}

/**
 * The note for a report file whose extension names another of the command's `formats` than the one written there
 * (`written`): `analyze img -o report.html` wrote the text report, with no word. `setBy` says what set `written`
 * when the user did not choose it for this file (`$BALLAST_FORMAT=markdown`, set for the whole job), undefined for the
 * command's default; a format typed on the command line is what the user meant, and the caller asks for no note. The
 * format written stays as it was (scripts rely on it); `ask` says how the command asks for another one (`pass`), and
 * `spell` each format (`--format html`); with two of the extension's (`.xml`: JUnit, Checkstyle) both are offered.
 * `elsewhere` says where a format the command lacks is written instead (`html` for ci: analyze's page).
 */
export function defaultFormatNote(
  path: string,
  formats: readonly string[],
  written: string,
  setBy: string | undefined,
  ask: string,
  spell: (format: string) => string,
  elsewhere: Record<string, string> = {},
): string | undefined {
  const extension = EXTENSIONS[extname(path).toLowerCase()];
  const offered = extension?.offer.filter((f) => formats.includes(f)) ?? [];
  const set = setBy ? ` (${setBy})` : '';
  // A format the command lacks, which another command writes (ci's `-o report.html`: the page is analyze's).
  const other = extension?.offer.find((f) => !formats.includes(f) && elsewhere[f]);
  if (offered.length === 0 && other && !extension.holds.includes(written))
    return `writing ${reportWords(written)} to ${path}${set}; ${elsewhere[other]}`;
  if (offered.length === 0 || extension.holds.includes(written)) return undefined;
  const asks = offered.map((f) => `${spell(f)} for ${FORMAT_WORDS[f]}`).join(', or ');
  return `writing ${reportWords(written)} to ${path}${set}; ${ask} ${asks}`;
}
