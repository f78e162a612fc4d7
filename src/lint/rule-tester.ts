// RuleTester: a table of valid and invalid Dockerfiles per rule (eslint's RuleTester, in our shapes). Runs under any
// test framework that provides describe/it globals; `checkCase` is usable alone and throws on a mismatch.
import { applyEdits, fixableEdits } from './fixer.js';
import { lintText } from './engine.js';
import type { ContextEntry, DockerfileRule } from '../report/rule.js';
import type { Finding } from '../report/types.js';

export interface ValidCase {
  code: string;
  /** Files next to the Dockerfile (`.dockerignore`...); omitted means "no build context" (stdin). */
  files?: Record<string, string>;
  options?: Record<string, unknown>;
  name?: string;
}

export interface ExpectedError {
  messageId: string;
  line?: number;
  message?: string;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** The file after safe fixes; only for rules that can fix. */
  output?: string;
  /** The file after safe and unsafe fixes (`--fix --unsafe-fixes`). */
  unsafeOutput?: string;
}

export interface RuleCases {
  valid: (string | ValidCase)[];
  invalid: InvalidCase[];
}

type Globals = { describe: (name: string, fn: () => void) => void; it: (name: string, fn: () => void) => void };

export function lintWithRule(rule: DockerfileRule, testCase: ValidCase): Finding[] {
  const files = testCase.files;
  return lintText(testCase.code, 'Dockerfile', [rule], {
    // The rule under test runs even when it is off by default (not recommended).
    severities: { [rule.meta.code]: rule.meta.defaultSeverity },
    ruleOptions: testCase.options ? { [rule.meta.code]: testCase.options } : undefined,
    readContextFile: files ? (name) => files[name] : () => null,
    contextEntry: files ? (name) => contextEntryOf(files, name) : () => null,
  }).findings.filter((f) => f.code === rule.meta.code);
}

/** Checks one case; throws an Error describing the mismatch. */
export function checkCase(rule: DockerfileRule, testCase: ValidCase | InvalidCase): void {
  const findings = lintWithRule(rule, testCase);
  const got = findings.map(
    (f) => `${f.messageId}@${f.location.kind === 'dockerfile' ? f.location.line : '?'}: ${f.message}`,
  );
  if (!('errors' in testCase)) {
    if (findings.length > 0) throw new Error(`expected no findings for:\n${testCase.code}\ngot:\n${got.join('\n')}`);
    return;
  }
  for (const expected of testCase.errors) {
    if (!(expected.messageId in rule.meta.messages))
      throw new Error(`undeclared messageId '${expected.messageId}' in a test case`);
  }
  const matches =
    findings.length === testCase.errors.length &&
    testCase.errors.every((expected, i) => {
      const f = findings[i];
      const line = f.location.kind === 'dockerfile' ? f.location.line : undefined;
      return (
        f.messageId === expected.messageId &&
        (expected.line === undefined || expected.line === line) &&
        (expected.message === undefined || expected.message === f.message)
      );
    });
  if (!matches) {
    const want = testCase.errors.map((e) => `${e.messageId}@${e.line ?? '?'}`);
    throw new Error(`for:\n${testCase.code}\nexpected:\n${want.join('\n')}\ngot:\n${got.join('\n') || '(nothing)'}`);
  }
  const invalid = testCase as InvalidCase;
  if (invalid.output !== undefined) {
    if (rule.meta.fix === 'none') throw new Error(`case has output but rule ${rule.meta.code} cannot fix`);
    const fixed = applyEdits(testCase.code, fixableEdits(findings)).text;
    if (fixed !== invalid.output)
      throw new Error(`fix output differs:\n--- expected\n${invalid.output}\n--- got\n${fixed}`);
  }
  if (invalid.unsafeOutput !== undefined) {
    if (rule.meta.fix === 'none') throw new Error(`case has unsafeOutput but rule ${rule.meta.code} cannot fix`);
    const fixed = applyEdits(testCase.code, fixableEdits(findings, true)).text;
    if (fixed !== invalid.unsafeOutput)
      throw new Error(`unsafe fix output differs:\n--- expected\n${invalid.unsafeOutput}\n--- got\n${fixed}`);
  }
}

export class RuleTester {
  run(rule: DockerfileRule, cases: RuleCases): void {
    const { describe, it } = globalThis as unknown as Globals;
    const seen = new Set<string>();
    const all: (ValidCase | InvalidCase)[] = [
      ...cases.valid.map((c) => (typeof c === 'string' ? { code: c } : c)),
      ...cases.invalid,
    ];
    for (const c of all) {
      const key = JSON.stringify([c.code, c.files, c.options]);
      if (seen.has(key)) throw new Error(`duplicate test case for ${rule.meta.code}:\n${c.code}`);
      seen.add(key);
    }
    describe(`${rule.meta.code} ${rule.meta.name}`, () => {
      describe('valid', () => {
        for (const c of cases.valid.map((v) => (typeof v === 'string' ? { code: v } : v)))
          it(c.name ?? c.code.replace(/\n/g, ' ⏎ ').slice(0, 100), () => checkCase(rule, c));
      });
      describe('invalid', () => {
        for (const c of cases.invalid)
          it(c.name ?? c.code.replace(/\n/g, ' ⏎ ').slice(0, 100), () => checkCase(rule, c));
      });
    });
  }
}

export const ruleTester = new RuleTester();

/** A test's build context given as files: a name is a directory when files sit below it. */
export function contextEntryOf(files: Record<string, string>, name: string): ContextEntry {
  const path = name.replace(/^\.\//, '').replace(/\/+$/, '');
  if (path === '' || path === '.') return 'directory';
  if (files[path] !== undefined) return 'file';
  return Object.keys(files).some((f) => f.startsWith(`${path}/`)) ? 'directory' : undefined;
}
