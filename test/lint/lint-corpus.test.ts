// issue 15: the lint corpus (test/fixtures/lint-corpus), real-world-style Dockerfiles written for ballast, each carrying
// its expected findings as `# expect: CODE, CODE?` comments right above the instruction they concern (`CODE?`: the rule
// cannot tell and says so at info). Every size and cache rule's findings on the corpus must match the table exactly:
// the report below lists, per rule, unexpected and missed findings, and must be empty. The findings of every other rule
// are pinned as per-rule counts (OTHER_RULE_COUNTS).
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

/**
 * Every finding of a corpus file. The build context is the corpus folder: `<file>.dockerignore` next to a file is its
 * .dockerignore (BuildKit's per-Dockerfile ignore file); there is no plain .dockerignore and no package.json.
 */
function lintCorpusFile(file: string, text: string, rules: DockerfileRule[]) {
  return lintText(text, file, rules, {
    readContextFile: (name) =>
      existsSync(join(dir, name)) && name.startsWith(file) ? readFileSync(join(dir, name), 'utf8') : undefined,
  }).findings;
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.Dockerfile'))
  .sort();
const key = (e: Expected) => `${e.code}@${e.line}${e.unsure ? '?' : ''}`;

/**
 * Findings of every rule that is not a size or cache rule (hadolint-style problems and suggestions, BuildKit's build
 * checks, security rules), counted per rule. These findings were reviewed one by one on this corpus: a change in any
 * rule's precision shows up here as a changed count, to be reviewed like the change itself. To refresh after a
 * reviewed change, read the findings (`./bin/run.js lint test/fixtures/lint-corpus/*.Dockerfile --no-shellcheck`) and
 * copy the received object from the failing test below. A rule not listed has no finding on the corpus.
 */
const OTHER_RULE_COUNTS: Record<string, number> = {
  DF105: 67, // apt-get-unpinned: one per RUN, none pins
  DF106: 4, // pip-unpinned: `pip install pyinstaller` and three `pip install --upgrade pip`
  DF108: 24, // apk-unpinned: one per RUN; `.build-deps` virtual names are not packages
  DF214: 5, // yum-install-unpinned
  DF217: 5, // zypper-install-unpinned
  DF219: 6, // dnf-install-unpinned (microdnf and dnf5 too)
  DF222: 3, // copy-relative-without-workdir: `COPY x .` in stages that never set WORKDIR
  DF224: 11, // wget-without-progress: `wget -O` downloads of the official-image style
  DF231: 11, // user-not-numeric: `USER node` and kin as the last USER of the last stage
  DF236: 13, // pipe-without-pipefail: every RUN with a pipe, none under a pipefail SHELL, but for a pipe from echo or yes (or a group of echoes, 088)
};

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
      const findings = lintCorpusFile(file, text, rules).filter((f) => checked.has(f.code));
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

  it('every other rule finds as many findings as reviewed (OTHER_RULE_COUNTS)', () => {
    const counts: Record<string, number> = {};
    for (const file of files)
      for (const f of lintCorpusFile(file, readFileSync(join(dir, file), 'utf8'), rules))
        if (!checked.has(f.code)) counts[f.code] = (counts[f.code] ?? 0) + 1;
    const sorted = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
    expect(sorted).toEqual(OTHER_RULE_COUNTS);
  });
});
