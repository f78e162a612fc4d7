// Text from an image or a Dockerfile made safe to print: escapes for a terminal (`printable`) and for a CI runner's log
// (no line it would take as a command). Shared by the reporters and by what prints outside them (notes, errors, lint's
// fast path), which should not depend on a reporter.

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
