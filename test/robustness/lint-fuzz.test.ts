// Property-based fuzzing of `lint` and its fixes with fast-check: the lint corpus's real Dockerfiles with lines
// spliced in from other files, lines dropped, bytes and Dockerfile/shell tokens inserted (continuations, quotes,
// heredocs, parser directives, flags, NUL, CR, non-ASCII). Every rule runs on each mutant, then the fixes (safe ones,
// or unsafe ones too) are applied until stable. A pre-commit hook runs on whatever a developer saves, half-typed lines
// included, so the bar is:
// - linting never throws, and takes under a second;
// - fixing never throws, and converges: once fixUntilStable returns, the text has no fix left to apply (a fix that
//   undoes another's, or one whose edit does not remove its finding, would loop to the pass limit and leave one).
//
// CI runs LINT_FUZZ_RUNS (default 300) cases from LINT_FUZZ_SEED (default below, printed); a long run by hand:
//   LINT_FUZZ_RUNS=5000 LINT_FUZZ_SEED=$RANDOM npm test -- test/robustness/lint-fuzz.test.ts
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { loadDockerfileRules } from '../../rules/index.js';
import { lintText } from '../../src/lint/engine.js';
import { fixableEdits, fixUntilStable } from '../../src/lint/fixer.js';

const RUNS = Number(process.env.LINT_FUZZ_RUNS ?? 300);
const SEED = Number(process.env.LINT_FUZZ_SEED ?? 2_661_093);
const LINT_MS = 1000;

const corpusDir = new URL('../fixtures/lint-corpus/', import.meta.url);
const CORPUS = readdirSync(corpusDir)
  .filter((name) => /Dockerfile/.test(name))
  .sort()
  .map((name) => readFileSync(new URL(name, corpusDir), 'utf8'));

const TOKENS = [
  '\\',
  '\\\n',
  '"',
  "'",
  '$',
  '${',
  '}',
  '<<EOF\n',
  '<<-"EOF"\n',
  '\nEOF\n',
  '\t',
  '\r',
  '\r\n',
  '&&',
  '||',
  ';',
  '|',
  '#',
  '# syntax=docker/dockerfile:1\n',
  '# escape=`\n',
  '`',
  '--mount=type=cache,target=/root/.cache ',
  '--from=',
  '--chown=',
  'ARG ',
  'FROM ',
  'RUN ',
  'COPY ',
  'ONBUILD ',
  'HEALTHCHECK ',
  'SHELL ["/bin/sh", "-c"]\n',
  '[',
  ']',
  '=',
  'é',
  '\u0000',
  '\u{1F600}',
  'apt-get install -y ',
  'apk add ',
  'pip install ',
  'npm ci ',
  ' AS ',
  '\n',
];

type Mutation =
  | { kind: 'insert'; at: number; token: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'splice'; at: number; from: number; line: number; count: number }
  | { kind: 'drop-line'; line: number }
  | { kind: 'byte'; at: number; code: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fraction, token: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fraction,
    from: fc.nat({ max: CORPUS.length - 1 }),
    line: fraction,
    count: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({ kind: fc.constant('drop-line' as const), line: fraction }),
  fc.record({ kind: fc.constant('byte' as const), at: fraction, code: fc.nat({ max: 127 }) }),
);

function apply(text: string, mutations: Mutation[]): string {
  for (const m of mutations) {
    const at = Math.floor(('at' in m ? m.at : 0) * (text.length + 1));
    if (m.kind === 'insert') text = text.slice(0, at) + m.token + text.slice(at);
    else if (m.kind === 'delete') text = text.slice(0, at) + text.slice(at + m.length);
    else if (m.kind === 'byte') text = text.slice(0, at) + String.fromCharCode(m.code) + text.slice(at);
    else if (m.kind === 'splice') {
      const lines = CORPUS[m.from].split('\n');
      const first = Math.floor(m.line * lines.length);
      text = `${text.slice(0, at)}${lines.slice(first, first + m.count).join('\n')}\n${text.slice(at)}`;
    } else {
      const lines = text.split('\n');
      lines.splice(Math.floor(m.line * lines.length), 1);
      text = lines.join('\n');
    }
  }
  return text;
}

describe('fuzz: mutated Dockerfiles through every rule and --fix', () => {
  it(`never throws, stalls or leaves a fix unapplied (${RUNS} cases, seed ${SEED})`, async () => {
    console.log(`lint fuzz: ${RUNS} cases, LINT_FUZZ_SEED=${SEED}`);
    const rules = await loadDockerfileRules();
    const lint = (text: string) => lintText(text, 'Dockerfile', rules).findings;
    const tally = { findings: 0, fixed: 0 };
    fc.assert(
      fc.property(
        fc.nat({ max: CORPUS.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (index, mutations, unsafe) => {
          const text = apply(CORPUS[index], mutations);
          const started = performance.now();
          const findings = lint(text);
          const took = performance.now() - started;
          if (took > LINT_MS) throw new Error(`linting took ${Math.round(took)} ms`);
          tally.findings += findings.length;
          if (fixableEdits(findings, unsafe).length === 0) return;
          const fixed = fixUntilStable(text, lint, unsafe);
          tally.fixed += fixed.fixed;
          const left = lint(fixed.text).filter((f) => fixableEdits([f], unsafe).length > 0);
          if (left.length > 0) throw new Error(`fixes left after fixing: ${left.map((f) => f.code).join(', ')}`);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`lint fuzz: ${tally.findings} findings, ${tally.fixed} fixes applied, no failure`);
    // The mutants are Dockerfiles the rules have things to say about, and fix: the run did exercise the fixes.
    expect(tally.fixed).toBeGreaterThan(0);
  }, 600_000);
});
