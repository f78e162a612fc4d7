// DF254: `ENV key value` / `LABEL key value`, the legacy whitespace form (BuildKit LegacyKeyValueFormat).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta, replaceInstruction } from '../../src/lint/helpers.js';

// One word as the builder splits ENV arguments: no unquoted whitespace, and nothing escaped (kept out of the fix).
const ONE_WORD = /^(?:[^\s"'\\`]|"[^"\\`]*"|'[^'\\`]*')+$/;
// Text that means the same inside double quotes as bare: no quote, escape character or backtick.
const PLAIN = /^[^"'\\`]+$/;

/**
 * The first word of the arguments as the builder splits them to tell the two forms apart: whitespace inside quotes (or
 * escaped) does not end it, so `LABEL "a b"=c` is one `key=value` word, the current form.
 */
function firstWord(text: string, escape: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === escape) i++;
    else if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (/\s/.test(ch)) return text.slice(0, i);
  }
  return text;
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF254',
    name: 'legacy-key-value-format',
    type: 'suggestion',
    summary: 'Write ENV and LABEL as key=value',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      legacy:
        '`{{keyword}} {{key}} ...` is the legacy form (the whole rest of the line is the value); write `{{keyword}} {{key}}=...`.',
    },
    sources: [{ tool: 'buildkit', id: 'LegacyKeyValueFormat', relation: 'same' }],
  }),
  create(ctx) {
    const check = (instruction: Instruction) => {
      const text = instruction.shellText.trim();
      const m = /^(\S+)\s+([\s\S]+)$/.exec(text);
      // `ENV key` alone is refused by the builder; `key=value` is the current form (with a quoted key too).
      if (!m || firstWord(text, ctx.parsed.escapeChar).includes('=')) return;
      const [, key, rawValue] = m;
      const value = rawValue.trim();
      // The legacy value is the rest of the line, spaces included: `ENV A b c` sets A to "b c". The fix keeps that
      // meaning, so it is offered only where the value needs no new quoting or escaping.
      let replacement: string | undefined;
      if (ONE_WORD.test(value)) replacement = `${key}=${value}`;
      else if (PLAIN.test(value)) replacement = `${key}="${value}"`;
      const fix =
        replacement !== undefined && instruction.line === instruction.endLine && ctx.parsed.escapeChar === '\\'
          ? {
              applicability: 'safe' as const,
              title: `Write ${instruction.keywordText} ${key}=...`,
              edits: [replaceInstruction(ctx.parsed, instruction, `${instruction.keywordText} ${replacement}`)],
            }
          : undefined;
      ctx.report({ messageId: 'legacy', data: { keyword: instruction.keywordText, key }, at: instruction, fix });
    };
    return { ENV: check, LABEL: check };
  },
});
