// DF235: replacing /bin/sh with a symlink to change the build shell (hadolint DL4005).
import { defineRule, dockerfileMeta, positionals } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF235',
    name: 'ln-bin-sh',
    type: 'problem',
    summary: 'Use SHELL instead of relinking /bin/sh',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      relink:
        '`ln` over `/bin/sh` changes the shell for every program in the image, not just the build; set the build shell with SHELL.',
    },
    sources: [{ tool: 'hadolint', id: 'DL4005', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const found = ctx
          .commands(instruction)
          .some((c) => c.program === 'ln' && positionals(c.args).includes('/bin/sh'));
        if (found) ctx.report({ messageId: 'relink', at: instruction });
      },
    };
  },
});
