// DF101: WORKDIR with a relative path (hadolint DL3000).
import { unquote } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF101',
    name: 'workdir-relative',
    type: 'problem',
    summary: 'Use absolute WORKDIR paths',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      relative:
        "WORKDIR `{{path}}` is relative: it depends on every earlier WORKDIR, including the base image's; use an absolute path.",
    },
    sources: [
      { tool: 'hadolint', id: 'DL3000', relation: 'same' },
      { tool: 'buildkit', id: 'WorkdirRelativePath', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      WORKDIR(instruction) {
        const path = unquote(instruction.shellText.trim());
        // `$VAR` may hold an absolute path; Windows drive paths are absolute. A quoted `'$VAR'` (which unquote marks
        // literal, `\$VAR`) counts as a variable too, as hadolint reads it.
        if (path === '' || /^(\/|\\?\$|[A-Za-z]:[\\/])/.test(path)) return;
        ctx.report({ messageId: 'relative', data: { path }, at: instruction });
      },
    };
  },
});
