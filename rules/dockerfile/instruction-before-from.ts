// DF226: an instruction other than ARG before the first FROM (hadolint DL3061).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF226',
    name: 'instruction-before-from',
    type: 'problem',
    summary: 'Start the Dockerfile with FROM (ARG may come first)',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      beforeFrom:
        '{{keyword}} before the first FROM: only ARG (and comments or parser directives) may come before FROM.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3061', relation: 'same' }],
  }),
  create(ctx) {
    return {
      instruction(instruction) {
        if (instruction.stageIndex < 0 && instruction.keyword !== 'ARG')
          ctx.report({ messageId: 'beforeFrom', data: { keyword: instruction.keyword }, at: instruction });
      },
    };
  },
});
