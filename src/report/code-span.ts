// A Markdown code span around text that may hold backticks of its own (a file name, a command from a Dockerfile):
// fenced with a run of backticks longer than any run inside, so a backtick of the text can neither end the span early
// nor open another one. Rule messages put the image's and the Dockerfile's text in such spans, and the Markdown
// reports fence text the same way.

/**
 * `text` as one code span: fenced with one backtick more than its longest run of them, with a space inside each fence
 * when it begins or ends with a backtick, or begins and ends with a space (CommonMark strips one from each side, so
 * it reads as `text` exactly).
 */
export function codeSpan(text: string): string {
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (/^ .* $/s.test(text) && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
