// The text of `ballast rules`: the table of every rule, at the terminal width.
import { renderRules } from '../../src/reporters/rules-text.js';
import { columns } from '../../src/report/text.js';
import { listRules } from '../../src/services/rules.js';

describe('rules text view', () => {
  // Regression: the table took 84 columns and up to 114 (its "same as" ids) whatever the width.
  it.each([
    // [width, header, DF001's lines]: the columns that do not fit go to a line under the rule's name
    [120, 'code   name  type  severity  fix  same as', ['DF001  apt-lists-not-removed  size  info  sometimes  DL3009']],
    [100, 'code   name  type  severity  fix  same as', ['DF001  apt-lists-not-removed  size  info  sometimes  DL3009']],
    [80, 'code   name  type  severity  fix', ['DF001  apt-lists-not-removed  size  info  sometimes', 'same as DL3009']],
    [60, 'code   name  severity', ['DF001  apt-lists-not-removed  info', 'type size, fix sometimes, same as DL3009']],
  ] as const)('fits the table to %i columns', async (width, header, df001) => {
    const lines = renderRules(await listRules({}), { color: false, width }).split('\n');
    expect(lines.filter((line) => columns(line) > width)).toEqual([]);
    const squeeze = (line: string) => line.replace(/ {2,}/g, '  ').trim();
    expect(squeeze(lines[0])).toBe(header.replace(/ {2,}/g, '  '));
    const at = lines.findIndex((line) => line.startsWith('DF001 '));
    expect(lines.slice(at, at + df001.length).map(squeeze)).toEqual(df001);
    // A rule with a long "same as" keeps every id, whole
    expect(lines.join(' ').replace(/\s+/g, ' ')).toMatch(/DF233 .*DL4003, ?MultipleInstructionsDisallowed/);
  });
});

describe('rules text view of one rule', () => {
  // Regression: the page's paragraphs were one line each, up to 1,156 columns, folded by the terminal mid-word.
  it.each([60, 80, 100])('wraps the prose of a rule page to %i columns, its code blocks whole', async (width) => {
    const result = await listRules({ code: 'DF001' });
    const lines = renderRules(result, { color: false, width }).split('\n');
    const code = lines.filter((line) => line.startsWith('    '));
    expect(code).toContain('    RUN --mount=type=cache,target=/var/lib/apt/lists \\');
    expect(lines.filter((line) => columns(line) > width && !code.includes(line))).toEqual([]);
    // A list item goes on under its own text, every word of it kept
    const item = lines.findIndex((line) => line.startsWith('- rm -rf /var/lib/apt/lists/*'));
    expect(lines[item + 1]).toMatch(/^ {2}\S/);
    const solid = (t: string) => t.replace(/\s+/g, ' ').trim();
    expect(solid(lines.join(' '))).toContain(
      'When the only removal sits inside a condition, loop or function the update is not in, the finding is reported',
    );
  });

  it('keeps each paragraph on one line without a width (a pipe)', async () => {
    const lines = renderRules(await listRules({ code: 'DF001' }), { color: false }).split('\n');
    expect(lines.some((line) => line.startsWith('Flags a RUN') && line.endsWith('silences it.'))).toBe(true);
  });

  // Regression: spans were matched one backtick at a time, so DF100's `` ` `` (a backtick) closed the span before it
  // and the prose after it read as code, its code spans as prose: "(a snippet of RUN or COPY` lines)".
  it('reads a code span of two backticks holding one as markdown does', async () => {
    const page = renderRules(await listRules({ code: 'DF100' }), { color: false, width: 1000 });
    expect(page).toContain('is neither \\ nor ` (# escape=x)');
    expect(page).not.toContain('COPY` lines');
  });
});
