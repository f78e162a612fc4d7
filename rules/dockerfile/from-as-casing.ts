// DF252: `AS` in FROM cased unlike the FROM keyword (BuildKit FromAsCasing).
import { defineRule, dockerfileMeta, replaceMatches } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF252',
    name: 'from-as-casing',
    type: 'suggestion',
    summary: 'Case AS like FROM',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      casing: '`{{as}}` is cased unlike `{{from}}`; write `{{want}}`.',
    },
    sources: [{ tool: 'buildkit', id: 'FromAsCasing', relation: 'same' }],
  }),
  create(ctx) {
    return {
      FROM(instruction) {
        const words = instruction.shellText.trim().split(/\s+/);
        if (words.length < 3 || words[1].toLowerCase() !== 'as') return;
        const from = instruction.keywordText;
        const as = words[1];
        // A mixed-case keyword (`From`) is the casing rule's finding (DF253); the builder says nothing more here.
        let want: string;
        if (from === from.toLowerCase()) want = 'as';
        else if (from === from.toUpperCase()) want = 'AS';
        else return;
        if (as === want) return;
        // Only the keyword's casing changes: the build is the same.
        // Matched on the lines the builder joins (`FROM debian \` + `  as build`): each line alone misses the word a
        // continuation ends or the escape follows.
        const edits = replaceMatches(ctx.parsed, instruction, /(?<=\s)as(?=\s+\S+\s*$)/gim, () => want, true);
        const fix = edits.length === 1 ? { applicability: 'safe' as const, title: `Write ${want}`, edits } : undefined;
        ctx.report({ messageId: 'casing', data: { as, from, want }, at: instruction, fix });
      },
    };
  },
});
