// DF020: both wget and curl in one stage (hadolint DL4001).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF020',
    name: 'wget-and-curl',
    type: 'size',
    summary: 'Use either wget or curl, not both',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      both: 'This stage uses both wget and curl: two tools (and their libraries) doing one job; pick one.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL4001', relation: 'same' },
      { tool: 'trivy', id: 'DS-0014', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    let seen = new Set<string>();
    return {
      FROM() {
        seen = new Set();
      },
      RUN(instruction) {
        const used = ctx
          .commands(instruction)
          .map((c) => c.program)
          .filter((p) => p === 'wget' || p === 'curl');
        if (used.length === 0) return;
        for (const tool of used) seen.add(tool);
        if (seen.size > 1) ctx.report({ messageId: 'both', at: instruction });
      },
    };
  },
});
