// Text from an image or a Dockerfile made safe to print: escapes for a terminal (`printable`) and for a CI runner's log
// (no line it would take as a command). Shared by the reporters and by what prints outside them (notes, errors, lint's
// fast path), which should not depend on a reporter. Also the image's names, paths and history made one line as the
// reports and the explore view quote them, and a finished report made safe for its format (`printableAs`).
import { mapCodeSpans } from './code-span.js';

/**
 * Text from an image or a Dockerfile made safe for a terminal: file names, labels and history are the image author's,
 * and a name holding ESC sequences could retitle the terminal, clear it or move the cursor. Control characters become
 * visible `\xHH` escapes, and so do the bidirectional controls (`\u202e`: U+061C, U+200E and U+200F, the embeddings
 * and overrides U+202A-U+202E, the isolates U+2066-U+2069), invisible characters that reorder the text after them (a
 * name holding U+202E shows what follows it backwards, the sizes beside it included); tabs, newlines and the colour
 * sequences (SGR, `ESC[...m`) ballast itself adds pass through,
 * so the image's own strings must already be escaped by `printableResult` before they are rendered into the text.
 * Only for text: a document format escapes the image's strings in its own syntax (see `printableAs`).
 */
export function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /\x1b\[[0-9;]*m|[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (m) => (m.length > 1 ? m : hexEscape(m)),
  );
}

/**
 * Text in which no line is a command to a CI runner. GitHub's runner reads every line of a step's output that starts
 * with `::` once leading whitespace is trimmed as one (`::add-mask::VALUE`, `::warning file=...::`,
 * `::stop-commands::`), and Azure Pipelines' log shows a line starting `##[` as a formatting command (`##[error]`,
 * `##[group]`); a label or env entry of the image starts a line of `inspect` (`  KEY=VALUE`), and a file path or a
 * Dockerfile line starts others. Ballast's own lines never start so, so the first character of such a line is shown
 * as `\x3a` or `\x23`, as printable shows the others. Azure's `##vso[` commands are obeyed wherever they are on a
 * line: see `noLoggingCommands`.
 */
export function noWorkflowCommands(text: string): string {
  return noLoggingCommands(
    // eslint-disable-next-line no-control-regex -- colour before the text does not stop the runner: it is passed over
    text.replace(/^((?:\s|\x1b\[[0-9;]*m)*)(:(?=:)|#(?=#\[))/gm, (_m, lead: string, c: string) => lead + hexEscape(c)),
  );
}

/**
 * Text in which Azure Pipelines finds no logging command (`##vso[task.setvariable ...]`, `##vso[task.prependpath]`):
 * its agent looks for `##vso[` anywhere in a line of output, not only at its start, so every one is broken by showing
 * its first `#` as `\x23`. Ballast's own text never holds one.
 */
export function noLoggingCommands(text: string): string {
  return text.replace(/#(?=#vso\[)/gi, '\\x23');
}

/** One character (UTF-16 code unit) as `\xHH`, or `\uHHHH` past U+00FF. */
export const hexEscape = (c: string): string => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * A file path from the image in a text or Markdown report: a tab or newline shown as `\x09` or `\x0a`, like every
 * other control character, as the HTML report shows it. Made a space, `/app/new\nline` would print as
 * `/app/new line`, the name of another file that may well be in the image too. For the same reason the blanks a
 * report would trim or fold are escaped (`visibleBlanks`): `/data/a ` is shown `/data/a\x20`.
 */
export function printablePath(path: string): string {
  return visibleBlanks(escapeControls(path));
}

/**
 * `text` with the blanks a report would fold into one space or trim (leading, trailing, a run of them, and any
 * blank but the space: a no-break space) written as `\x20`, `\xa0`: a file `/data/a ` beside `/data/a`, or a value
 * `a  b` beside `a b`, read as the same name. One space between words stays as it is.
 */
export function visibleBlanks(text: string): string {
  return text.replace(/^\s+|\s+$|\s{2,}|[^\S ]/g, (blanks) => blanks.replace(/\s/g, hexEscape));
}

/**
 * A message that quotes paths in code spans (`/app/new\nline` is overwritten ...): the spans' insides shown as
 * paths, so the message names the same file as the table beside it; the prose around them made one line.
 */
export function oneLineWithSpans(text: string): string {
  return mapCodeSpans(text, oneLine, (inside, fence) => {
    // The one space each side a span holding a backtick at an end is padded with (codeSpan) is the span's, not the
    // path's: escaped as a path's blanks, `` ` a`b ` `` showed as `\x20a`b\x20`.
    const padded = inside.length > 2 && inside.startsWith(' ') && inside.endsWith(' ') && inside.trim() !== '';
    return padded ? `${fence} ${printablePath(inside.slice(1, -1))} ${fence}` : fence + printablePath(inside) + fence;
  });
}

/**
 * Text from the image on one line: runs of tabs and newlines as one space (history keeps a Dockerfile's indentation
 * and heredoc lines, which read as words, not as `\x09\x0a`), every other control character (ESC included) as `\xHH`.
 */
export function oneLine(text: string): string {
  return escapeControls(text.replace(/[\r\n\t]+/g, ' '));
}

/** Every control character of `text` (newlines, tabs and ESC included) as `\xHH`, bidirectional ones as `\uHHHH`. */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, hexEscape);
}

/**
 * The formats read as text, by a person at a terminal or in a CI log, or as Markdown: their finished text goes
 * through `printable`. Every other format is a document with a syntax of its own (JSON, SARIF, Code Climate, JUnit and
 * checkstyle XML, HTML), whose reporter makes the image's strings safe for that syntax where it writes them
 * (JSON.stringify, escapeXml, escapeHtml). A text pass over a finished document breaks it: `\x7f` is no JSON escape.
 */
export const TEXT_FORMATS: readonly string[] = ['text', 'markdown', 'stylish', 'github', 'gnu', 'tty'];

/**
 * A lint report as a line format (stylish, gnu, hadolint's tty) may quote it: a Dockerfile's name is the user's (or a
 * repository's), and `printable` on the finished text lets its newlines and colour sequences through, so
 * `a\nb.Dockerfile` read as a finding in `b.Dockerfile` and `ESC[8m` in a name concealed the rest of the report. The
 * github format escapes the names in its own syntax (`%0A`), and the documents keep them exact.
 */
export function printableLintReport<T>(format: string, report: T): T {
  return ['stylish', 'gnu', 'tty'].includes(format) ? printableResult(report) : report;
}

/**
 * A finished report in `format` as it may be printed or written: `printable` for a text format, and no line a CI
 * runner would obey, else as it is.
 */
export function printableAs(format: string, text: string): string {
  if (!TEXT_FORMATS.includes(format)) return text;
  // The github format is nothing but workflow commands, ballast's own; the messages in them are not Azure's to obey.
  return format === 'github' ? noLoggingCommands(printable(text)) : noWorkflowCommands(printable(text));
}

/**
 * A result as the text and Markdown reports may quote it: a deep copy in which every string (and object key) is
 * `oneLine`, but file paths (`PATH_KEYS`), labels, annotations and env entries, which show their tabs and newlines escaped too, and messages, whose code
 * spans do (`oneLineWithSpans`). The names, history, labels and tags in a result are the image author's, and `printable` on the finished
 * text must let newlines and colour sequences through because ballast's own layout uses them: a file named
 * `a\nWasted 0 B` would print a forged report line, and `ESC[8m` in a history step would conceal the rest of the
 * report. Made one line here, before rendering, nothing from the image reaches the text as a newline or an escape
 * sequence. JSON keeps the exact strings (it escapes them itself).
 */
export function printableResult<T>(value: T, key?: string): T {
  if (typeof value === 'string') {
    if (key !== undefined && PATH_KEYS.has(key)) return printablePath(value) as T;
    if (key === 'message') return oneLineWithSpans(value) as T;
    // An environment variable (`KEY=VALUE`) is exact data, as a label is: `a\tb` shown `a b` would be another value.
    if (key === 'env') return escapeControls(value) as T;
    return oneLine(value) as T;
  }
  // The elements of `paths: [...]` are paths too. What needed no escaping comes back as it was, the same object: a
  // copy of every array and object of a report (a 2 MB RUN's findings, say) took half a second to change nothing.
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((v: unknown, i) => {
      const shown = printableResult(v, key);
      if (shown !== v) (copy ??= value.slice())[i] = shown;
    });
    return (copy ?? value) as T;
  }
  if (value === null || typeof value !== 'object') return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  // A label (or a manifest's annotation) is a key and a value, each exact data like a file name: `a\nb` shown `a b`
  // would be another value.
  const labels = key === 'labels' || key === 'annotations';
  const entries = Object.entries(value).map(([k, v]): [string, unknown, boolean] => {
    const shownKey = labels ? escapeControls(k) : oneLine(k);
    const shown = labels ? (typeof v === 'string' ? escapeControls(v) : v) : printableResult(v, k);
    return [shownKey, shown, shownKey !== k || shown !== v];
  });
  if (!entries.some(([, , changed]) => changed)) return value;
  // fromEntries defines each key as its own property: assigned, a key `__proto__` (a label, an image's JSON) would
  // set the copy's prototype instead and vanish from the report.
  return Object.fromEntries(entries.map(([k, v]) => [k, v])) as T;
}

/**
 * Keys whose strings in a result are file paths (a file, a directory, a package's folder, a symlink's target, a
 * Dockerfile's or archive's path): shown by `printablePath`, not made one line, as labels are. The other strings are
 * prose (history, titles), whose tabs and newlines read as spaces.
 */
const PATH_KEYS = new Set(['path', 'paths', 'file', 'link', 'target', 'location']);
