// DF210: `apt` (the interactive front end) in a RUN (hadolint DL3027).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF210',
    name: 'apt-in-run',
    type: 'problem',
    summary: 'Use apt-get or apt-cache instead of apt in scripts',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      apt: '`apt` is meant for people at a terminal and its command-line interface is not stable; scripts should call `apt-get` or `apt-cache`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3027', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (ctx.commands(instruction).some((c) => c.program === 'apt')) ctx.report({ messageId: 'apt', at: instruction });
      },
    };
  },
});
