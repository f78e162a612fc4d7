// DF221: an ENV value that uses a variable set earlier in the same ENV instruction (hadolint DL3044).
import { expandWord } from '../../src/dockerfile/words.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF221',
    name: 'env-self-reference',
    type: 'problem',
    summary: 'Do not use a variable in the same ENV instruction that sets it',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      sameEnv:
        '`{{name}}` is set earlier in this ENV and used again in it: the builder substitutes the value from before this instruction, not the new one; split the ENV.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3044', relation: 'same' }],
  }),
  create(ctx) {
    return {
      ENV(instruction) {
        // Names in the order they were set. A value is read for the names it uses once, and plain names are looked
        // up in a set: trying each earlier name on each value (a RegExp each) was quadratic in the pairs of one ENV.
        const defined: string[] = [];
        const plain = new Map<string, number>();
        const odd: number[] = [];
        for (const pair of readPairs(instruction.shellText)) {
          if (pair.expandable.includes('$')) {
            let first = Number.POSITIVE_INFINITY;
            for (const name of namesUsed(pair.expandable)) first = Math.min(first, plain.get(name) ?? first);
            for (const at of odd) if (at < first && refersTo(pair.expandable, defined[at])) first = at;
            if (first < defined.length)
              return ctx.report({ messageId: 'sameEnv', data: { name: defined[first] }, at: instruction });
          }
          if (WORD.test(pair.key)) {
            if (!plain.has(pair.key)) plain.set(pair.key, defined.length);
          } else odd.push(defined.length);
          defined.push(pair.key);
        }
      },
    };
  },
});

export interface KeyValue {
  key: string;
  /** The value with quotes and escapes removed. */
  value: string;
  /** The parts of the value the builder expands (single-quoted text left out). */
  expandable: string;
  /** The value as written (quotes, escapes and variables in it), for expanding it with the variables in scope. */
  raw: string;
}

/**
 * Reads `KEY=value KEY2="a b"` (quotes may open anywhere in a word) or the legacy one-pair `KEY value with spaces`, as
 * ENV, LABEL and ARG write them.
 */
export function readPairs(text: string): KeyValue[] {
  const words = splitQuotedWords(text.trim());
  if (words.length === 0) return [];
  if (!words[0].value.includes('=')) {
    if (words.length === 1) return [{ key: words[0].value, value: '', expandable: '', raw: '' }];
    // Legacy form: the first word is the key, the rest of the line is the value (one word, its spaces kept).
    const rest = text.trim().slice(words[0].raw.length).trim();
    return [{ key: words[0].value, value: expandWord(rest, (reference) => reference), expandable: rest, raw: rest }];
  }
  return words.map((w) => {
    const eq = w.value.indexOf('=');
    if (eq < 0) return { key: w.value, value: '', expandable: '', raw: '' };
    const rawEq = w.expandable.indexOf('=');
    return {
      key: w.value.slice(0, eq),
      value: w.value.slice(eq + 1),
      expandable: rawEq < 0 ? '' : w.expandable.slice(rawEq + 1),
      raw: w.raw.slice(w.raw.indexOf('=') + 1),
    };
  });
}

function splitQuotedWords(text: string): { value: string; expandable: string; raw: string }[] {
  const words: { value: string; expandable: string; raw: string }[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i += 1;
    if (i >= text.length) break;
    const start = i;
    let value = '';
    let expandable = '';
    while (i < text.length && !/\s/.test(text[i])) {
      const ch = text[i];
      if (ch === '"' || ch === "'") {
        const end = findClose(text, i + 1, ch);
        const inner = text.slice(i + 1, end);
        if (ch === "'") value += inner;
        else {
          // In double quotes `\` escapes only `"`, `$` and itself (an escaped `$` is literal); before anything else it stays.
          for (const [, escaped, other] of inner.matchAll(/\\(["$\\])|(\\?[^])/g)) {
            value += escaped ?? other;
            if (escaped !== '$') expandable += escaped ?? other;
          }
        }
        i = end + 1;
        continue;
      }
      if (ch === '\\' && i + 1 < text.length) {
        value += text[i + 1];
        // An escaped `$` is literal.
        if (text[i + 1] !== '$') expandable += text[i + 1];
        i += 2;
        continue;
      }
      value += ch;
      expandable += ch;
      i += 1;
    }
    words.push({ value, expandable, raw: text.slice(start, i) });
  }
  return words;
}

function findClose(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i += 1) {
    if (quote === '"' && text[i] === '\\') {
      i += 1;
      continue;
    }
    if (text[i] === quote) return i;
  }
  return text.length;
}

const WORD = /^[A-Za-z0-9_]+$/;

/**
 * The names of `text`'s `$NAME` and `${NAME` (followed by `}` or an operator) references. For a name of word characters
 * this is exactly what `refersTo` matches; other names (rare) are tried with `refersTo`.
 */
function namesUsed(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/\$(?:\{([A-Za-z0-9_]+)(?=[}:\-+?=#%/])|([A-Za-z0-9_]+))/g)) names.push(m[1] ?? m[2]);
  return names;
}

/** `$NAME` or `${NAME...}` as a whole variable name (`$NAMEX` is another variable). */
function refersTo(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\$(?:\\{${escaped}(?=[}:\\-+?=#%/])|${escaped}(?![A-Za-z0-9_]))`).test(text);
}
