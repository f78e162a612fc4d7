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
  // Nearly every text has no backtick (a rule's message makes one for each finding): one backtick, no scan for runs.
  if (!text.includes('`')) return /^ .* $/s.test(text) && text.trim() !== '' ? `\` ${text} \`` : `\`${text}\``;
  const fence = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (/^ .* $/s.test(text) && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Markdown text with its code spans mapped apart from the text around them, as CommonMark reads spans: a run of
 * backticks opens a span that the next run of the same length closes, and a run nothing closes is text. Rule
 * messages, summaries and advice fence names and commands this way (`codeSpan`); each report shows the spans as its
 * format needs: `span` gets what a span holds and its fence, `text` what stands between spans.
 */
export function mapCodeSpans(
  markdown: string,
  text: (part: string) => string,
  span: (inside: string, fence: string) => string,
): string {
  let out = '';
  let at = 0;
  for (const match of markdown.matchAll(/(?<!`)(`+)(?!`)([\s\S]*?)(?<!`)\1(?!`)/g)) {
    out += text(markdown.slice(at, match.index)) + span(match[2], match[1]);
    at = match.index + match[0].length;
  }
  return out + text(markdown.slice(at));
}
