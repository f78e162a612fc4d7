// DF264: an instruction whose trailing `\` takes in the next one (`USER 1000` read as more of a RUN's script, `RUN ...`
// read as more of an ENV's words).
import { defineRule, dockerfileMeta, swallowedInstruction } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF264',
    name: 'run-swallows-instruction',
    type: 'problem',
    summary: 'End an instruction without a `\\` before the next one',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      swallowed:
        'This {{keyword}} continues onto line {{line}}: the builder runs `{{text}}` as part of the script instead of as an instruction (a `{{escape}}` left at the end of a line above it).',
      swallowedWords:
        'This {{keyword}} continues onto line {{line}}: the builder reads `{{text}}` as more of its arguments instead of as an instruction (a `{{escape}}` left at the end of a line above it).',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      // Every instruction takes `\` continuations, so every one can swallow the next (`ENV A=1 \` above `RUN make`
      // sets A to `1 RUN make`); an ONBUILD's trigger is on the ONBUILD's lines, so it is checked once, through them.
      instruction(instruction) {
        const swallowed = swallowedInstruction(ctx.parsed, instruction);
        if (!swallowed) return;
        const runs = (instruction.trigger ?? instruction).keyword === 'RUN';
        const keyword = instruction.trigger ? `ONBUILD ${instruction.trigger.keyword}` : instruction.keyword;
        ctx.report({
          messageId: runs ? 'swallowed' : 'swallowedWords',
          // The continuation character is the file's escape character: a backtick under `# escape=` of one.
          data: { keyword, line: String(swallowed.line), text: swallowed.text, escape: ctx.parsed.escapeChar },
          at: instruction,
        });
      },
    };
  },
});
