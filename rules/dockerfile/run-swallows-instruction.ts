// DF264: a RUN whose trailing `\` takes in the next instruction (`USER 1000` read as more of the script).
import { defineRule, dockerfileMeta, swallowedInstruction } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF264',
    name: 'run-swallows-instruction',
    type: 'problem',
    summary: 'End a RUN without a `\\` before the next instruction',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      swallowed:
        'This RUN continues onto line {{line}}: the builder runs `{{text}}` as part of the script instead of as an instruction (a `\\` left at the end of a line above it).',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const swallowed = swallowedInstruction(ctx.parsed, instruction);
        if (swallowed)
          ctx.report({
            messageId: 'swallowed',
            data: { line: String(swallowed.line), text: swallowed.text },
            at: instruction,
          });
      },
    };
  },
});
