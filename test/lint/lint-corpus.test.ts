// issue 15: the lint corpus (test/fixtures/lint-corpus), real-world-style Dockerfiles written for ballast, each carrying
// its expected findings as `# expect: CODE, CODE?` comments right above the instruction they concern (`CODE?`: the rule
// cannot tell and says so at info). Every size and cache rule's findings on the corpus must match the table exactly:
// the report below lists, per rule, unexpected and missed findings, and must be empty.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintText } from '../../src/lint/engine.js';
import { loadDockerfileRules } from '../../rules/index.js';
import type { DockerfileRule } from '../../src/report/rule.js';

const dir = join(process.cwd(), 'test', 'fixtures', 'lint-corpus');

interface Expected {
  code: string;
  line: number;
  unsure: boolean;
}

/** The `# expect:` table of a corpus file: each marker names findings of the next instruction's first line. */
function expectationsOf(text: string): Expected[] {
  const lines = text.split('\n');
  const out: Expected[] = [];
  lines.forEach((line, i) => {
    const m = /^\s*#\s*expect:\s*(.*)$/.exec(line);
    if (!m) return;
    let at = i + 1;
    while (at < lines.length && (/^\s*#/.test(lines[at]) || lines[at].trim() === '')) at += 1;
    for (const token of m[1].split(/[\s,]+/).filter(Boolean)) {
      const t = /^(DF\d{3})(\?)?$/.exec(token);
      if (!t) throw new Error(`bad expect token '${token}' on line ${i + 1}`);
      out.push({ code: t[1], line: at + 1, unsure: t[2] === '?' });
    }
  });
  return out;
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.Dockerfile'))
  .sort();
const key = (e: Expected) => `${e.code}@${e.line}${e.unsure ? '?' : ''}`;

describe('lint corpus (issue 15)', () => {
  let rules: DockerfileRule[];
  let checked: Set<string>;
  beforeAll(async () => {
    rules = await loadDockerfileRules();
    checked = new Set(rules.filter((r) => r.meta.type === 'size' || r.meta.type === 'cache').map((r) => r.meta.code));
  });

  it('has at least 100 Dockerfiles, and its tables expect findings of most size and cache rules', () => {
    expect(files.length).toBeGreaterThanOrEqual(100);
    const expectedCodes = new Set(
      files.flatMap((f) => expectationsOf(readFileSync(join(dir, f), 'utf8')).map((e) => e.code)),
    );
    // A corpus that expects nothing could not catch a missed finding: most size and cache rules must appear.
    expect([...checked].filter((c) => expectedCodes.has(c)).length).toBeGreaterThanOrEqual(18);
  });

  it('every size and cache rule finds exactly what the tables expect: zero unexpected, zero missed', () => {
    const unexpected = new Map<string, string[]>();
    const missed = new Map<string, string[]>();
    const add = (map: Map<string, string[]>, code: string, entry: string) =>
      map.set(code, [...(map.get(code) ?? []), entry]);
    let total = 0;
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      // The build context is the corpus folder: `<file>.dockerignore` next to a file is its .dockerignore
      // (BuildKit's per-Dockerfile ignore file); there is no plain .dockerignore and no package.json.
      const findings = lintText(text, file, rules, {
        readContextFile: (name) =>
          existsSync(join(dir, name)) && name.startsWith(file) ? readFileSync(join(dir, name), 'utf8') : undefined,
      }).findings.filter((f) => checked.has(f.code));
      const got = findings.map((f) => ({
        code: f.code,
        line: f.location.kind === 'dockerfile' ? f.location.line : 0,
        unsure: f.message.includes('(Unsure:'),
        message: f.message,
      }));
      for (const g of got) if (g.unsure) expect(findings.find((f) => f.message === g.message)!.severity).toBe('info');
      const want = expectationsOf(text).filter((e) => checked.has(e.code));
      total += got.length;
      for (const g of got)
        if (!want.some((w) => key(w) === key(g)))
          add(unexpected, g.code, `${file}:${g.line}${g.unsure ? ' (unsure)' : ''} ${g.message}`);
      for (const w of want)
        if (!got.some((g) => key(g) === key(w))) add(missed, w.code, `${file}:${w.line}${w.unsure ? ' (unsure)' : ''}`);
    }
    const report = [...checked]
      .sort()
      .filter((code) => unexpected.has(code) || missed.has(code))
      .map((code) =>
        [
          `${code}: ${unexpected.get(code)?.length ?? 0} unexpected, ${missed.get(code)?.length ?? 0} missed`,
          ...(unexpected.get(code) ?? []).map((u) => `  unexpected ${u}`),
          ...(missed.get(code) ?? []).map((m) => `  missed ${m}`),
        ].join('\n'),
      );
    expect(report).toEqual([]);
    expect(total).toBeGreaterThan(0);
  });
});
