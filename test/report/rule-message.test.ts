// Rule messages quote the Dockerfile's and the image's text in code spans (src/report/rule.ts interpolate): a backtick
// of that text must not end the span early, or the Markdown reports show another command or path than the one meant.
import { codeSpan } from '../../src/report/code-span.js';
import { interpolate, MESSAGE_VALUE_COLUMNS } from '../../src/report/rule.js';
import { lintText } from '../../src/lint/engine.js';
import { loadDockerfileRules } from '../../rules/index.js';

describe('codeSpan', () => {
  it.each([
    ['/tmp/x', '`/tmp/x`'],
    ['/tmp/a`b', '``/tmp/a`b``'],
    ['a ``b`` c', '```a ``b`` c```'],
    ['`x`', '`` `x` ``'],
    // CommonMark takes a space at each end for padding: padded once more, the text keeps them
    [' a ', '`  a  `'],
    [' a', '` a`'],
    ['  ', '`  `'],
  ])('fences %s longer than its backticks', (text, span) => {
    expect(codeSpan(text)).toBe(span);
  });
});

describe('interpolate', () => {
  it("fences a template's code span again around the values it was given", () => {
    expect(interpolate('`{{program}} install {{pkg}}` is unpinned', { program: 'pip', pkg: 'a`b' })).toBe(
      '``pip install a`b`` is unpinned',
    );
    expect(interpolate('`{{path}}` and `{{path}}`', { path: '`x' })).toBe('`` `x `` and `` `x ``');
  });

  it('leaves the rest as it was: spans without placeholders, text around them, values that look like placeholders', () => {
    expect(interpolate('add `&& rm -rf x` after `{{a}}`, {{b}}', { a: 'cmd', b: '`{{a}}`' })).toBe(
      'add `&& rm -rf x` after `cmd`, `{{a}}`',
    );
    expect(interpolate('a lone ` and {{a}}', { a: 1 })).toBe('a lone ` and 1');
  });

  it("fills the same template with each call's own values (templates are cut up once and kept)", () => {
    const template = '`{{cmd}}` on line {{line}}, {{ missing }}';
    expect(interpolate(template, { cmd: 'a`b', line: 3 })).toBe('``a`b`` on line 3, {{ missing }}');
    expect(interpolate(template, { cmd: 'x', line: 4, missing: 'here' })).toBe('`x` on line 4, here');
    expect(interpolate(template, {})).toBe('`{{cmd}}` on line {{line}}, {{ missing }}');
  });
});

describe('a long value in a message', () => {
  // Regression (hostile input review): ARG defaults doubling to 64 KB gave DF259 a 64 KB image name to quote.
  it('is cut to MESSAGE_VALUE_COLUMNS with an ellipsis; shorter ones are whole', () => {
    const long = 'x'.repeat(70_000);
    expect(interpolate('asks for `{{image}}`.', { image: long })).toBe(
      `asks for \`${'x'.repeat(MESSAGE_VALUE_COLUMNS - 1)}…\`.`,
    );
    const fits = 'y'.repeat(MESSAGE_VALUE_COLUMNS);
    expect(interpolate('{{a}}', { a: fits })).toBe(fits);
  });
});

describe('a Dockerfile rule quoting a command with a backtick', () => {
  it('fences the command longer than the backtick', async () => {
    const rules = await loadDockerfileRules();
    // Single quotes keep the backtick literal (in double quotes it would open a command substitution).
    const { findings } = lintText("FROM python:3.12\nRUN pip install 'a`b'\n", 'Dockerfile', rules);
    expect(findings.map((f) => f.message)).toContainEqual(expect.stringMatching(/^``pip install a`b`` does not pin/));
  });
});
