// DF221: an ENV value that uses a variable set earlier in the same ENV instruction (hadolint DL3044).
import { readPairs } from '../../src/dockerfile/words.js';
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
        for (const pair of readPairs(instruction.shellText, ctx.parsed.escapeChar)) {
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
