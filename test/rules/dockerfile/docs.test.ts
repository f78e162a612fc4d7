// Every Dockerfile rule's doc page has the fixed sections in order, and its examples are executed:
// "Example" yields this rule's finding, "Use instead" yields none (docs/style.md: doc examples are tests). A rule that
// does nothing until configured shows its configuration as a ```yaml .ballast.yaml block under "## Options"; both examples
// are linted with the options that configuration gives the rule (src/lint/rule-docs.ts, shared with scripts/check-rules.js).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerfileRules, loadAllRuleMeta } from '../../../rules/index.js';
import { checkDockerfileRuleDoc, docBlocks, docRuleOptions, docSection } from '../../../src/lint/rule-docs.js';
import type { RuleMeta } from '../../../src/report/types.js';

let metas: RuleMeta[] = [];

beforeAll(async () => {
  metas = await loadAllRuleMeta();
});

describe('rule docs', () => {
  for (const [code, load] of Object.entries(dockerfileRules)) {
    it(`${code}: sections in order, Example fires, Use instead is clean`, async () => {
      // Given the doc page next to the rule
      const rule = await load();
      const path = join('rules', 'dockerfile', `${rule.meta.name}.md`);
      expect(existsSync(path)).toBe(true);
      // When it is checked, with the options its ## Options configuration gives the rule
      const problems = checkDockerfileRuleDoc(rule, readFileSync(path, 'utf8'), metas);
      // Then the sections are in order, the Example shows the problem and Use instead does not
      expect(problems).toEqual([]);
    });
  }
});

describe('Does not fire on (issue 15)', () => {
  it('every size and cache rule documents the idioms it accepts, with examples that are linted', async () => {
    // Given every size and cache rule
    const missing: string[] = [];
    for (const load of Object.values(dockerfileRules)) {
      const rule = await load();
      if (rule.meta.type !== 'size' && rule.meta.type !== 'cache') continue;
      const doc = readFileSync(join('rules', 'dockerfile', `${rule.meta.name}.md`), 'utf8');
      // Then its page has a Does not fire on section with at least one dockerfile example (run by the doc check above)
      if (docBlocks(docSection(doc, 'Does not fire on'), 'dockerfile').length === 0) missing.push(rule.meta.code);
    }
    expect(missing).toEqual([]);
  });

  it('reports a Does not fire on example on which the rule fires', async () => {
    // Given DF001's page with an example that leaves the lists behind added to the section
    const rule = await dockerfileRules.DF001();
    const text = readFileSync(join('rules', 'dockerfile', 'apt-lists-not-removed.md'), 'utf8').replace(
      '## Does not fire on\n',
      '## Does not fire on\n\n```dockerfile\nFROM debian:12\nRUN apt-get update || rm -rf /var/lib/apt/lists/*\n```\n',
    );
    // Then the check names the example and the finding
    expect(checkDockerfileRuleDoc(rule, text, metas)).toEqual([
      expect.stringMatching(/^Does not fire on, example 1, yields "`apt-get update` leaves the package lists/),
    ]);
  });
});

describe('doc options', () => {
  const doc = (options: string): string => `# DF209 untrusted-registry\n\n## Options\n\n${options}\n\n## References\n`;
  it('reads a .ballast.yaml block under ## Options through the config loader', () => {
    // Given a top-level key (trustedRegistries) and a per-rule option written by the rule's hadolint id
    const meta = metas.find((m) => m.code === 'DF209')!;
    expect(docRuleOptions(doc('```yaml\ntrustedRegistries: [registry.example.com]\n```'), meta, metas)).toEqual({
      trustedRegistries: ['registry.example.com'],
    });
    expect(
      docRuleOptions(
        doc('```yaml\nrules:\n  DL3026:\n    options: { trustedRegistries: [a.example.com] }\n```'),
        meta,
        metas,
      ),
    ).toEqual({ trustedRegistries: ['a.example.com'] });
    // Without a block the rule gets no options; a block that is not a valid config is an error naming the key
    expect(docRuleOptions(doc('- `trustedRegistries`: a list'), meta, metas)).toEqual({});
    expect(() => docRuleOptions(doc('```yaml\ntrustedRegistry: [x]\n```'), meta, metas)).toThrow(
      /trustedRegistry is not a known key/,
    );
  });

  it('reports an Example that only fires with options the doc does not show', async () => {
    // Given DF209's finished page with its ## Options block removed
    const rule = await dockerfileRules.DF209();
    const text = readFileSync(join('rules', 'dockerfile', 'untrusted-registry.md'), 'utf8').replace(
      /```yaml[\s\S]*?```/,
      '',
    );
    // Then the check says the Example does not fire (the rule is off without trustedRegistries)
    expect(checkDockerfileRuleDoc(rule, text, metas)).toEqual(['the Example yields no finding of this rule']);
  });
});
