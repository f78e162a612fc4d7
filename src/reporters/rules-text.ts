// Text for `ballast rules` (a table of every rule) and `ballast rules CODE` (the rule's doc page, rendered for a terminal).
import type { RulesResult, ShellcheckCheck } from '../services/rules.js';
import type { RuleMeta } from '../report/types.js';
import { style } from './format.js';
import { columns } from '../report/text.js';
import { table, tableWidth } from './width.js';
import { hanging, proseWrapper, wrapToColumns } from '../report/wrap.js';

export function renderRules(result: RulesResult, options: { color: boolean; width?: number }): string {
  const s = style(options.color);
  if (result.rule && 'tool' in result.rule) return renderShellcheck(result.rule, options.color, options.width);
  if (result.rule) return renderRuleDoc(result.rule, result.rule.doc, options.color, options.width);
  const header = ['code', 'name', 'type', 'severity', 'fix'];
  const rules = result.rules.map((meta) => ({
    // A rule off by default (its page says "off (info when turned on)") is not listed at the severity it would have.
    cells: [meta.code, meta.name, meta.type, meta.recommended === false ? 'off' : meta.defaultSeverity, meta.fix],
    same: meta.sources.filter((x) => x.relation === 'same').map((x) => x.id),
  }));
  const footer = `${result.rules.length} rules; \`ballast rules CODE\` shows one rule's documentation.`;
  const width = options.width;
  const render = (shown: number[], sameRoom: number) => {
    const sameShown = (same: string[]) => columns(same.join(',')) <= sameRoom;
    const rows = [
      [...shown.map((i) => header[i]), ...(sameRoom > 0 ? ['same as'] : [])].map((h) => s.bold(h)),
      ...rules.map(({ cells, same }) => [
        ...shown.map((i) => (i === 4 && cells[4] === 'none' ? '' : cells[i])),
        ...(sameRoom > 0 ? [sameShown(same) ? same.join(',') : ''] : []),
      ]),
    ];
    const lines = table(rows).split('\n');
    // What has no column of its own goes on a line under the rule's name, wrapped there.
    const moved = [2, 4].filter((i) => !shown.includes(i));
    return lines.flatMap((line, row) => {
      if (row === 0 || width === undefined) return [line];
      const { cells, same } = rules[row - 1];
      const rest = [
        ...moved.filter((i) => cells[i] !== 'none').map((i) => `${header[i]} ${cells[i]}`),
        ...(same.length && !sameShown(same) ? [`same as ${same.join(', ')}`] : []),
      ];
      if (!rest.length) return [line];
      return [line, ...wrapToColumns(rest.join(', '), Math.max(20, width - 7)).map((l) => `       ${l}`)];
    });
  };
  if (width === undefined) return `${render([0, 1, 2, 3, 4], Infinity).join('\n')}\n\n${footer}`;
  // On a narrow line the fix column goes first, then the type; the severity stays beside the name. The "same as"
  // ids keep a column when it has room for them, else go under the name with what else has no column.
  let shown = [0, 1, 2, 3, 4];
  const frontWidth = () => tableWidth([header, ...rules.map((r) => r.cells)].map((row) => shown.map((i) => row[i])));
  for (const drop of [4, 2]) if (frontWidth() > width) shown = shown.filter((i) => i !== drop);
  const sameRoom = width - frontWidth() - 2 >= 12 ? width - frontWidth() - 2 : 0;
  return `${render(shown, sameRoom).join('\n')}\n\n${hanging(footer, width)}`;
}

/** `rules SC2086`: what ballast does with the check, and where ShellCheck documents it. */
function renderShellcheck(check: ShellcheckCheck, color: boolean, width: number | undefined): string {
  const s = style(color);
  const wrap = proseWrapper(width);
  const code = check.code;
  return [
    s.bold(`${code} (ShellCheck)`),
    wrap(`${check.summary}.`),
    wrap(
      `Off like a rule: \`# ballast-ignore ${code}\`, \`# hadolint ignore=${code}\`, \`rules: {${code}: off}\` in .ballast.yaml, \`--ignore ${code}\`.`,
    ),
    ...(check.differs ? [wrap(`Differs from hadolint: ${check.differs}`)] : []),
    `ShellCheck's page: ${check.url}`,
  ].join('\n');
}

function renderRuleDoc(meta: RuleMeta, doc: string | undefined, color: boolean, width: number | undefined): string {
  const s = style(color);
  // Prose wraps only to a width the terminal or COLUMNS gave: piped, the page keeps the lines of its source.
  const wrap = proseWrapper(width);
  const same = meta.sources.map((x) => `${x.tool} ${x.id} (${x.relation})`).join(', ');
  const facts = [
    `type: ${meta.type}`,
    `default severity: ${meta.recommended === false ? `off (${meta.defaultSeverity} when turned on)` : meta.defaultSeverity}`,
    `fix: ${meta.fix}`,
    ...(same ? [`sources: ${same}`] : []),
  ];
  // The facts keep their three-space gaps: a fact that does not fit beside the others starts a line, wrapped there.
  const factLines: string[] = [];
  for (const fact of facts) {
    const last = factLines.length - 1;
    if (last >= 0 && columns(`${factLines[last]}   ${fact}`) <= (width ?? Infinity)) factLines[last] += `   ${fact}`;
    else factLines.push(wrap(fact));
  }
  const header = [s.bold(`${meta.code} ${meta.name}`), wrap(`${meta.summary}.`), s.dim(factLines.join('\n')), ''];
  if (!doc) return header.join('\n');
  // Markdown for a terminal: headings bold, fenced code indented (fences dropped), inline code highlighted.
  let inCode = false;
  const body: string[] = [];
  // A code span as markdown has it: a run of backticks closed by a run of as many (`` ` `` is one backtick, one space
  // either side stripped); matched one backtick at a time, such a span swapped code and prose to the paragraph's end.
  const inlineCode = (text: string) =>
    text.replace(/(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)/g, (_, __, code: string) =>
      s.yellow(/^ .*[^ ].* $/.test(code) ? code.slice(1, -1) : code),
    );
  // A paragraph or list item, its source lines joined, then wrapped as one: a list item under its own text.
  let prose: string[] = [];
  const flush = () => {
    if (!prose.length) return;
    const text = inlineCode(prose.join(' '));
    body.push(wrap(text, width, text.startsWith('- ') ? 2 : 0));
    prose = [];
  };
  doc.split('\n').forEach((line, i) => {
    if (i === 0 && line.startsWith('# ')) return;
    if (width !== undefined && !inCode && line.trim() && !line.startsWith('```') && !line.startsWith('## ')) {
      if (line.startsWith('- ')) flush();
      prose.push(line.trim());
      return;
    }
    flush();
    if (line.startsWith('```')) {
      inCode = !inCode;
      return;
    }
    if (inCode) body.push(`    ${s.green(line)}`);
    else if (line.startsWith('## ')) body.push(s.bold(s.cyan(line.slice(3))));
    else body.push(inlineCode(line));
  });
  flush();
  return [...header, ...body].join('\n').replace(/\n{3,}/g, '\n\n');
}
