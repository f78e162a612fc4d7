// Every Dockerfile rule's doc page has the fixed sections in order, and its examples are executed:
// "Example" yields this rule's finding, "Use instead" yields none (docs/style.md: doc examples are tests).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerfileRules } from '../../../rules/index.js';
import { lintWithRule } from '../../../src/lint/rule-tester.js';

const SECTIONS = ['What it does', 'Why is this bad?', 'Example', 'Use instead', 'Fix safety', 'Options', 'References'];
const REQUIRED = ['What it does', 'Why is this bad?', 'Example', 'Use instead', 'Fix safety'];

function section(doc: string, title: string): string {
  const start = doc.indexOf(`## ${title}\n`);
  if (start < 0) return '';
  const rest = doc.slice(start + title.length + 4);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

function block(text: string, lang: string): string | undefined {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(text);
  return m?.[1];
}

describe('rule docs', () => {
  for (const [code, load] of Object.entries(dockerfileRules)) {
    it(`${code}: sections in order, Example fires, Use instead is clean`, async () => {
      const rule = await load();
      const path = join('rules', 'dockerfile', `${rule.meta.name}.md`);
      // Given the doc page next to the rule (scripts/check-rules.ts requires one for every rule; rules still being written
      // by others may not have theirs yet, and are checked as soon as it exists)
      if (!existsSync(path)) return;
      const doc = readFileSync(path, 'utf8');
      expect(doc.startsWith(`# ${rule.meta.code} ${rule.meta.name}\n`)).toBe(true);
      const headings = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
      for (const required of REQUIRED) expect(headings).toContain(required);
      expect(headings).toEqual(SECTIONS.filter((s) => headings.includes(s)));
      // When its examples are linted with this rule alone (an empty build context unless the doc shows a .dockerignore)
      const exampleSection = section(doc, 'Example');
      const example = block(exampleSection, 'dockerfile');
      const exampleIgnore = block(exampleSection, 'dockerignore');
      const useInstead = section(doc, 'Use instead');
      const fixed = block(useInstead, 'dockerfile');
      expect(example).toBeDefined();
      expect(fixed).toBeDefined();
      const ignore = block(useInstead, 'dockerignore');
      // Then the Example shows the problem and Use instead does not
      expect(lintWithRule(rule, { code: example!, files: exampleIgnore !== undefined ? { '.dockerignore': exampleIgnore } : {} }).length).toBeGreaterThan(0);
      expect(lintWithRule(rule, { code: fixed!, files: ignore !== undefined ? { '.dockerignore': ignore } : {} })).toEqual([]);
    });
  }
});
