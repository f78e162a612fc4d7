// Text for `ballast rules` (a table of every rule) and `ballast rules CODE` (the rule's doc page, rendered for a terminal).
import type { RulesResult } from '../services/rules.js';
import { style } from './format.js';
import { table } from './width.js';

export function renderRules(result: RulesResult, options: { color: boolean }): string {
  const s = style(options.color);
  if (result.rule) return renderRuleDoc(result.rule, result.rule.doc, options.color);
  const rows = [[s.bold('code'), s.bold('name'), s.bold('type'), s.bold('severity'), s.bold('fix'), s.bold('same as')]];
  for (const meta of result.rules) {
    const same = meta.sources
      .filter((x) => x.relation === 'same')
      .map((x) => x.id)
      .join(',');
    // A rule off by default (its page says "off (info when turned on)") is not listed at the severity it would have.
    const severity = meta.recommended === false ? 'off' : meta.defaultSeverity;
    rows.push([meta.code, meta.name, meta.type, severity, meta.fix === 'none' ? '' : meta.fix, same]);
  }
  return `${table(rows)}\n\n${result.rules.length} rules; \`ballast rules CODE\` shows one rule's documentation.`;
}

function renderRuleDoc(meta: RulesResult['rules'][number], doc: string | undefined, color: boolean): string {
  const s = style(color);
  const same = meta.sources.map((x) => `${x.tool} ${x.id} (${x.relation})`).join(', ');
  const header = [
    s.bold(`${meta.code} ${meta.name}`),
    `${meta.summary}.`,
    s.dim(
      `type: ${meta.type}   default severity: ${meta.recommended === false ? `off (${meta.defaultSeverity} when turned on)` : meta.defaultSeverity}   fix: ${meta.fix}${same ? `   sources: ${same}` : ''}`,
    ),
    '',
  ];
  if (!doc) return header.join('\n');
  // Markdown for a terminal: headings bold, fenced code indented (fences dropped), inline code highlighted.
  let inCode = false;
  const body: string[] = [];
  doc.split('\n').forEach((line, i) => {
    if (i === 0 && line.startsWith('# ')) return;
    if (line.startsWith('```')) {
      inCode = !inCode;
      return;
    }
    if (inCode) body.push(`    ${s.green(line)}`);
    else if (line.startsWith('## ')) body.push(s.bold(s.cyan(line.slice(3))));
    else body.push(line.replace(/`([^`]+)`/g, (_, code: string) => s.yellow(code)));
  });
  return [...header, ...body].join('\n').replace(/\n{3,}/g, '\n\n');
}
