// DF104: sudo inside RUN (hadolint DL3004).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF104',
    name: 'sudo',
    type: 'problem',
    summary: 'Do not use sudo in RUN',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      sudo: '`sudo` in a build has unpredictable TTY and signal behaviour; switch with `USER root` (and back) instead.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3004', relation: 'same' },
      { tool: 'trivy', id: 'DS-0010', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (ctx.commands(instruction).some((c) => c.program === 'sudo' || c.wrappers?.includes('sudo')))
          ctx.report({ messageId: 'sudo', at: instruction });
      },
    };
  },
});
