// DF253: an instruction keyword cased unlike most of the file's (BuildKit ConsistentInstructionCasing).
import { INSTRUCTION_KEYWORDS, type Instruction } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF253',
    name: 'consistent-instruction-casing',
    type: 'suggestion',
    summary: 'Case every instruction keyword the same way',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      casing: '`{{keyword}}` is not {{casing}} like most instructions in this file; write `{{want}}`.',
    },
    sources: [
      { tool: 'buildkit', id: 'ConsistentInstructionCasing', relation: 'same' },
      // dockerfilelint wants uppercase always; this follows the file's majority, as BuildKit does.
      { tool: 'dockerfilelint', id: 'uppercase_commands', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      end() {
        // A word that is no instruction in any case (DF100) is left out: its casing means nothing, and the fix would
        // only shout the parse error (`wget` → `WGET`).
        const all: Instruction[] = ctx.parsed.instructions.filter((i) => INSTRUCTION_KEYWORDS.has(i.keyword));
        let lower = 0;
        let upper = 0;
        for (const { keywordText: k } of all) {
          if (k === k.toLowerCase()) lower += 1;
          else if (k === k.toUpperCase()) upper += 1;
        }
        // As the builder decides: lowercase only when strictly more keywords are lowercase; a tie means uppercase.
        const majorityLower = lower > upper;
        for (const instruction of all) {
          const k = instruction.keywordText;
          const want = majorityLower ? k.toLowerCase() : k.toUpperCase();
          if (k === want) continue;
          const column = instruction.column;
          const fix = {
            applicability: 'safe' as const,
            title: `Write ${want}`,
            edits: [
              {
                range: { line: instruction.line, column, endLine: instruction.line, endColumn: column + k.length },
                text: want,
              },
            ],
          };
          ctx.report({
            messageId: 'casing',
            data: { keyword: k, casing: majorityLower ? 'lowercase' : 'uppercase', want },
            at: instruction,
            fix,
          });
        }
      },
    };
  },
});
