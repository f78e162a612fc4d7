// DF216: `zypper dist-upgrade` in a build (hadolint DL3035).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF216',
    name: 'zypper-dist-upgrade',
    type: 'problem',
    summary: 'Do not run zypper dist-upgrade in a Dockerfile',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      distUpgrade:
        '`zypper dist-upgrade` moves the whole base to another distribution release inside one layer; pick a newer base image instead.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3035', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const found = ctx
          .commands(instruction)
          .some((c) => c.program === 'zypper' && c.args.some((a) => a === 'dist-upgrade' || a === 'dup'));
        if (found) ctx.report({ messageId: 'distUpgrade', at: instruction });
      },
    };
  },
});
