#!/usr/bin/env node
// Rule registry checks for CI (after `npm run build`): `node scripts/check-rules.js`.
// Every rule file is registered under its own code; codes and names are unique and well-formed; each rule has a doc
// page with the fixed sections in order and a RuleTester test file. Dockerfile rule docs are also executed
// (src/lint/rule-docs.ts): the Example must yield the rule's finding, Use instead and every Does not fire on example
// none, linted with the options the doc's `## Options` ```yaml block (a .ballast.yaml) gives the rule. Exits 1 listing
// every problem.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { dockerfileRules, imageRules, redirects } = await import(join(root, 'dist/rules/index.js'));
const { checkDockerfileRuleDoc, DOC_SECTIONS, REQUIRED_DOC_SECTIONS } = await import(
  join(root, 'dist/src/lint/rule-docs.js')
);
const allMeta = await (await import(join(root, 'dist/rules/index.js'))).loadAllRuleMeta();
// The fixed sections in order ("Does not fire on", "Options" and "References" optional), shared with the doc tests.
const SECTIONS = DOC_SECTIONS;
const problems = [];
let count = 0;

for (const [target, registry, prefix] of [
  ['dockerfile', dockerfileRules, 'DF'],
  ['image', imageRules, 'IM'],
]) {
  const registered = new Set();
  // Names are unique per target; a Dockerfile rule and an image rule may name the same problem seen from two sides.
  const seenNames = new Map();
  for (const [code, load] of Object.entries(registry)) {
    const rule = await load();
    const { meta } = rule;
    registered.add(meta.name);
    if (meta.code !== code) problems.push(`${code}: registered under ${code} but its meta.code is ${meta.code}`);
    if (typeof rule.create !== 'function')
      problems.push(`${code}: exports no create(ctx) (the rule contract in src/report/rule.ts)`);
    if (!new RegExp(`^${prefix}\\d{3}$`).test(code))
      problems.push(`${code}: codes for ${target} rules look like ${prefix}###`);
    if (code in redirects) problems.push(`${code}: is both a rule and a redirect`);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(meta.name)) problems.push(`${code}: name ${meta.name} is not kebab-case`);
    if (seenNames.has(meta.name))
      problems.push(`${code}: name ${meta.name} already used by ${seenNames.get(meta.name)}`);
    seenNames.set(meta.name, code);
    count += 1;
    if (meta.target !== target) problems.push(`${code}: target is ${meta.target}, expected ${target}`);
    const doc = join(root, 'rules', target, `${meta.name}.md`);
    if (!existsSync(doc)) problems.push(`${code}: no doc page rules/${target}/${meta.name}.md`);
    else {
      const text = readFileSync(doc, 'utf8');
      const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
      const expected = SECTIONS.filter((s) => headings.includes(s));
      if (headings.join('|') !== expected.join('|'))
        problems.push(`${code}: doc sections ${headings.join(', ')} are not in the order ${SECTIONS.join(', ')}`);
      for (const required of REQUIRED_DOC_SECTIONS)
        if (!headings.includes(required)) problems.push(`${code}: doc has no "## ${required}" section`);
      if (target === 'dockerfile') {
        // Sections were checked above; here the examples run.
        for (const problem of checkDockerfileRuleDoc(rule, text, allMeta))
          if (!problem.startsWith('doc sections') && !problem.startsWith('doc has no'))
            problems.push(`${code}: ${problem}`);
      }
    }
    if (!existsSync(join(root, 'test', 'rules', target, `${meta.name}.test.ts`)))
      problems.push(`${code}: no test file test/rules/${target}/${meta.name}.test.ts`);
  }
  const dir = join(root, 'rules', target);
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      if (/export const rule\b/.test(source) && !registered.has(file.replace(/\.ts$/, '')))
        problems.push(
          `rules/${target}/${file}: exports a rule that rules/index.ts does not register (or its name differs from the file name)`,
        );
    }
  }
}

if (problems.length > 0) {
  console.error(problems.map((p) => `check-rules: ${p}`).join('\n'));
  process.exit(1);
}
console.log(`check-rules: ${count} rules OK`);
