// DF254: `ENV key value` / `LABEL key value`, the legacy whitespace form (BuildKit LegacyKeyValueFormat).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta, replaceInstruction } from '../../src/lint/helpers.js';
import { splitRawWords } from '../../src/dockerfile/words.js';

// One word as the builder splits ENV arguments: no unquoted whitespace, and nothing escaped (kept out of the fix).
const ONE_WORD = /^(?:[^\s"'\\`]|"[^"\\`]*"|'[^'\\`]*')+$/;
// Text that means the same inside double quotes as bare: no quote, escape character or backtick.
const PLAIN = /^[^"'\\`]+$/;

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
      // `ENV key` alone is refused by the builder; `key=value` is the current form. The builder tells them apart by its
      // first word split with quotes and escapes kept together, so `LABEL "a b"=c` is the current form too.
      if (!m || (splitRawWords(text, ctx.parsed.escapeChar)[0] ?? '').includes('=')) return;
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
