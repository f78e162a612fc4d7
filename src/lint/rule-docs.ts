// Rule doc pages as tests (docs/style.md): the fixed sections in order, the Example yields this rule's finding and Use
// instead yields none. A rule that needs configuration to do anything (DF209's trustedRegistries, the label schema) shows
// that configuration as a ```yaml block under `## Options`: a `.ballast.yaml`, read with the real config loader, whose
// options for this rule both examples are linted with. Shared by test/rules/dockerfile/docs.test.ts and
// scripts/check-rules.js.
import { parse as parseYaml } from 'yaml';
import { settingsFromBallastConfig } from '../config/load.js';
import { validateBallastConfig } from '../config/schema.js';
import type { DockerfileRule } from '../report/rule.js';
import { lintWithRule } from './rule-tester.js';
import type { RuleMeta } from '../report/types.js';

// "Does not fire on" (optional) lists idioms the rule accepts; each of its ```dockerfile blocks must yield no finding.
export const DOC_SECTIONS = [
  'What it does',
  'Why is this bad?',
  'Example',
  'Use instead',
  'Does not fire on',
  'Fix safety',
  'Options',
  'Differs from hadolint',
  'References',
];
export const REQUIRED_DOC_SECTIONS = ['What it does', 'Why is this bad?', 'Example', 'Use instead', 'Fix safety'];

/** The text of `## title` up to the next H2 ('' when absent). */
export function docSection(doc: string, title: string): string {
  const start = doc.indexOf(`## ${title}\n`);
  if (start < 0) return '';
  const rest = doc.slice(start + title.length + 4);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Every fenced block of `lang` in `text`, in order. */
export function docBlocks(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```', 'g'))].map((m) => m[1]);
}

/** The first fenced block of `lang` in `text`. */
export function docBlock(text: string, lang: string): string | undefined {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```').exec(text);
  return m?.[1];
}

/** The options the doc's `## Options` configuration gives this rule ({} when the doc shows none). Throws on a bad config. */
export function docRuleOptions(doc: string, meta: RuleMeta, allRules: RuleMeta[]): Record<string, unknown> {
  const yaml = docBlock(docSection(doc, 'Options'), 'yaml');
  if (yaml === undefined) return {};
  const where = `rules/${meta.target}/${meta.name}.md (## Options)`;
  const config = validateBallastConfig(parseYaml(yaml), where);
  return settingsFromBallastConfig(config, where, allRules).ruleOptions[meta.code] ?? {};
}

/** Every problem with a Dockerfile rule's doc page; [] when it is in order and its examples behave. */
export function checkDockerfileRuleDoc(rule: DockerfileRule, doc: string, allRules: RuleMeta[]): string[] {
  const { meta } = rule;
  const problems: string[] = [];
  if (!doc.startsWith(`# ${meta.code} ${meta.name}\n`)) problems.push(`doc title is not "# ${meta.code} ${meta.name}"`);
  const headings = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  const ordered = DOC_SECTIONS.filter((s) => headings.includes(s));
  if (headings.join('|') !== ordered.join('|'))
    problems.push(`doc sections ${headings.join(', ')} are not in the order ${DOC_SECTIONS.join(', ')}`);
  for (const required of REQUIRED_DOC_SECTIONS)
    if (!headings.includes(required)) problems.push(`doc has no "## ${required}" section`);
  let options: Record<string, unknown>;
  try {
    options = docRuleOptions(doc, meta, allRules);
  } catch (error) {
    return [...problems, `the ## Options configuration is not a valid .ballast.yaml: ${(error as Error).message}`];
  }
  const exampleSection = docSection(doc, 'Example');
  const useInsteadSection = docSection(doc, 'Use instead');
  const example = docBlock(exampleSection, 'dockerfile');
  const useInstead = docBlock(useInsteadSection, 'dockerfile');
  if (example === undefined) problems.push('## Example has no ```dockerfile block');
  if (useInstead === undefined) problems.push('## Use instead has no ```dockerfile block');
  if (example === undefined || useInstead === undefined) return problems;
  // An empty build context unless the doc shows a .dockerignore next to the example.
  const filesOf = (section: string): Record<string, string> => {
    const ignore = docBlock(section, 'dockerignore');
    return ignore !== undefined ? { '.dockerignore': ignore } : {};
  };
  if (lintWithRule(rule, { code: example, files: filesOf(exampleSection), options }).length === 0)
    problems.push('the Example yields no finding of this rule');
  const clean = lintWithRule(rule, { code: useInstead, files: filesOf(useInsteadSection), options });
  if (clean.length > 0)
    problems.push(
      `Use instead yields ${clean.map((f) => `"${f.message}" (line ${f.location.kind === 'dockerfile' ? f.location.line : '?'})`).join(', ')}`,
    );
  const accepted = docSection(doc, 'Does not fire on');
  docBlocks(accepted, 'dockerfile').forEach((code, i) => {
    const found = lintWithRule(rule, { code, files: filesOf(accepted), options });
    if (found.length > 0)
      problems.push(
        `Does not fire on, example ${i + 1}, yields ${found.map((f) => `"${f.message}" (line ${f.location.kind === 'dockerfile' ? f.location.line : '?'})`).join(', ')}`,
      );
  });
  return problems;
}
