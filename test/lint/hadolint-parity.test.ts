// Parity with hadolint (issue 14): on the table in test/fixtures/hadolint-parity/cases.ts (hadolint's documented examples
// and edge cases, with hadolint's verdicts), the ballast rule that aliases each hadolint rule must give the same verdict
// on the same lines in at least 99% of the cases, and every case where it does not must be explained under
// "## Differs from hadolint" in that rule's doc (which `ballast rules CODE` prints).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDockerfileRules } from '../../rules/index.js';
import { lintWithRule } from '../../src/lint/rule-tester.js';
import type { DockerfileRule } from '../../src/report/rule.js';
import { runCli } from '../helpers/cli.js';
import { cases, deliberate, type ParityCase } from '../fixtures/hadolint-parity/cases.js';

interface Outcome {
  testCase: ParityCase;
  rule?: DockerfileRule;
  got: number[];
  agrees: boolean;
}

let outcomes: Outcome[] = [];
let rules: DockerfileRule[] = [];

beforeAll(async () => {
  rules = await loadDockerfileRules();
  outcomes = cases.map((testCase) => {
    const rule = rules.find((r) =>
      r.meta.sources.some((s) => s.tool === 'hadolint' && s.relation === 'same' && s.id === testCase.id),
    );
    if (!rule) return { testCase, got: [], agrees: false };
    const got = [
      ...new Set(
        lintWithRule(rule, { code: testCase.dockerfile, options: testCase.options }).map((f) =>
          f.location.kind === 'dockerfile' ? f.location.line : 0,
        ),
      ),
    ];
    return { testCase, rule, got, agrees: JSON.stringify(got) === JSON.stringify(testCase.lines) };
  });
});

describe('hadolint parity table', () => {
  it('names only hadolint rules that a ballast rule aliases, each case once', () => {
    expect(outcomes.filter((o) => !o.rule).map((o) => `${o.testCase.id} ${o.testCase.what}`)).toEqual([]);
    const keys = cases.map((c) => `${c.id}\n${c.dockerfile}\n${JSON.stringify(c.options ?? {})}`);
    expect(keys.length - new Set(keys).size).toBe(0);
    // Both verdicts are represented: cases where hadolint fires and where it stays quiet.
    expect(cases.filter((c) => c.lines.length > 0).length).toBeGreaterThan(80);
    expect(cases.filter((c) => c.lines.length === 0).length).toBeGreaterThan(80);
  });

  it('agrees with hadolint on at least 99% of the cases', () => {
    const agreed = outcomes.filter((o) => o.agrees).length;
    const ratio = agreed / outcomes.length;
    const differences = outcomes
      .filter((o) => !o.agrees)
      .map(
        (o) =>
          `${o.testCase.id} (${o.rule?.meta.code ?? 'no rule'}) ${o.testCase.what}: hadolint [${o.testCase.lines.join(', ')}], ballast [${o.got.join(', ')}]`,
      );
    // The measured figure, for the "before and after".
    console.log(
      `hadolint parity: ${agreed}/${outcomes.length} = ${(ratio * 100).toFixed(1)}%\n${differences.join('\n')}`,
    );
    expect(ratio).toBeGreaterThanOrEqual(0.99);
  });

  it('explains every difference in the rule doc under "Differs from hadolint"', () => {
    const undocumented = outcomes
      .filter((o) => !o.agrees && o.rule)
      .filter((o) => {
        const doc = readFileSync(join('rules', 'dockerfile', `${o.rule!.meta.name}.md`), 'utf8');
        const section = /^## Differs from hadolint\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(doc)?.[1] ?? '';
        return section.trim() === '';
      })
      .map((o) => `${o.rule!.meta.code} ${o.rule!.meta.name}: ${o.testCase.what}`);
    expect(undocumented).toEqual([]);
  });

  it('differs where it says it deliberately does, and each rule\'s doc explains it under "Differs from hadolint"', () => {
    const wrong = deliberate.flatMap((testCase) => {
      const rule = rules.find((r) =>
        r.meta.sources.some((s) => s.tool === 'hadolint' && s.relation === 'same' && s.id === testCase.id),
      );
      if (!rule) return [`${testCase.id}: no rule`];
      const got = [
        ...new Set(
          lintWithRule(rule, { code: testCase.dockerfile, options: testCase.options }).map((f) =>
            f.location.kind === 'dockerfile' ? f.location.line : 0,
          ),
        ),
      ];
      const doc = readFileSync(join('rules', 'dockerfile', `${rule.meta.name}.md`), 'utf8');
      const section = /^## Differs from hadolint\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(doc)?.[1] ?? '';
      return [
        ...(JSON.stringify(got) === JSON.stringify(testCase.lines)
          ? [`${rule.meta.code} ${testCase.what}: the same as hadolint now, no longer a difference`]
          : []),
        ...(section.trim() === '' ? [`${rule.meta.code} ${rule.meta.name}: no "Differs from hadolint" section`] : []),
      ];
    });
    expect(wrong).toEqual([]);
  });

  it('`ballast rules CODE` prints the "Differs from hadolint" section (compiled CLI: npm run build first)', async () => {
    const differing = [...new Set(outcomes.filter((o) => !o.agrees && o.rule).map((o) => o.rule!.meta.code))];
    for (const code of differing) {
      const result = await runCli(['rules', code]);
      expect([code, result.code]).toEqual([code, 0]);
      expect(result.stdout).toMatch(/Differs from hadolint\n\n\S/);
    }
  });
});
