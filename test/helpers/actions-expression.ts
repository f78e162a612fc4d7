// A small evaluator for the GitHub Actions expressions the example workflow uses in `if:` and `with:` (literals,
// contexts, ! == != && || and parentheses, always/success/failure/cancelled, hashFiles), so a test can tell when a step
// runs and what an input gets, without GitHub. As on GitHub: && and || give an operand (not a boolean), strings compare
// case-insensitively, and a step's `if` with no status function runs only after success.
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export interface ExpressionContext {
  /** Contexts by path: `github.event_name`, `steps.ballast.outputs.sarif`, ... (missing ones are ''). */
  values: Record<string, string | number | boolean>;
  /** The job's status so far, for the status functions. */
  status: 'success' | 'failure' | 'cancelled';
  /** The workspace hashFiles looks in. */
  workspace: string;
}

type Value = string | number | boolean | null;

const TOKEN = /\s*(?:('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|(==|!=|&&|\|\||!|\(|\)|,)|([A-Za-z_][\w.-]*))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.trimEnd().length) {
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`cannot read the expression at ${text.slice(TOKEN.lastIndex)}`);
    tokens.push(m[0].trim());
  }
  return tokens;
}

const truthy = (v: Value) => v !== null && v !== false && v !== 0 && v !== '';
const equal = (a: Value, b: Value) =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;

function usesStatus(tokens: string[]): boolean {
  return tokens.some((t, i) => /^(always|success|failure|cancelled)$/.test(t) && tokens[i + 1] === '(');
}

export function evaluate(expression: string, context: ExpressionContext): Value {
  const tokens = tokenize(expression);
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const t = tokens[i++];
    if (expected !== undefined && t !== expected) throw new Error(`expected ${expected}, got ${t} in ${expression}`);
    return t;
  };
  const call = (name: string, args: Value[]): Value => {
    switch (name) {
      case 'always':
        return true;
      case 'success':
        return context.status === 'success';
      case 'failure':
        return context.status === 'failure';
      case 'cancelled':
        return context.status === 'cancelled';
      case 'hashFiles': {
        // Plain paths only (no globs): the hash of the files that exist, '' when none does.
        const files = args.map(String).filter((p) => existsSync(join(context.workspace, p)));
        if (!files.length) return '';
        const hash = createHash('sha256');
        for (const f of files) hash.update(readFileSync(join(context.workspace, f)));
        return hash.digest('hex');
      }
      default:
        throw new Error(`no function ${name} in this evaluator`);
    }
  };
  const primary = (): Value => {
    const t = take();
    if (t === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (t === '!') return !truthy(primary());
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (/^-?\d/.test(t)) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (peek() === '(') {
      take('(');
      const args: Value[] = [];
      while (peek() !== ')') {
        args.push(or());
        if (peek() === ',') take(',');
      }
      take(')');
      return call(t, args);
    }
    return context.values[t] ?? '';
  };
  const comparison = (): Value => {
    let left = primary();
    while (peek() === '==' || peek() === '!=') {
      const op = take();
      const right = primary();
      left = op === '==' ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const and = (): Value => {
    let left = comparison();
    while (peek() === '&&') {
      take();
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): Value => {
    let left = and();
    while (peek() === '||') {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const value = or();
  if (i < tokens.length) throw new Error(`unexpected ${tokens[i]} in ${expression}`);
  return value;
}

/** Whether a step with this `if:` runs (no `if`: after success only, as is a condition with no status function). */
export function stepRuns(condition: string | undefined, context: ExpressionContext): boolean {
  const text = (condition ?? '').replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim();
  if (!text) return context.status === 'success';
  const ok = truthy(evaluate(text, context));
  return usesStatus(tokenize(text)) ? ok : ok && context.status === 'success';
}

/** A `with:` value: `${{ ... }}` evaluated, text around it kept. */
export function interpolate(text: string, context: ExpressionContext): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => {
    const v = evaluate(e, context);
    return v === null ? '' : String(v);
  });
}
