// DF103: cd inside RUN (hadolint DL3003).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF103',
    name: 'cd-in-run',
    type: 'suggestion',
    summary: 'Use WORKDIR instead of cd',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      cd: '`cd` inside RUN only lasts for that RUN and hides the working directory from readers; use WORKDIR.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3003', relation: 'same' },
      { tool: 'trivy', id: 'DS-0013', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (ctx.commands(instruction).some((c) => c.program === 'cd')) ctx.report({ messageId: 'cd', at: instruction });
      },
    };
  },
});
