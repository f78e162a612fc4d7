// DF101: WORKDIR with a relative path (hadolint DL3000).
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
        const path = dropQuotes(instruction.shellText.trim());
        // `$VAR` may hold an absolute path; Windows drive paths are absolute.
        if (path === '' || path.startsWith('/') || path.startsWith('$') || /^[A-Za-z]:[\\/]/.test(path)) return;
        ctx.report({ messageId: 'relative', data: { path }, at: instruction });
      },
    };
  },
});

/**
 * The path with its quotes dropped and nothing else, as hadolint reads it: `'$APP'` starts with `$` here. (parse.ts
 * `unquote` marks that dollar as literal, `\$APP`, for `substitute`; this rule matches hadolint instead.)
 */
function dropQuotes(text: string): string {
  if (!text.includes('"') && !text.includes("'")) return text;
  return text.replace(
    /"((?:[^"\\]|\\.)*)"?|'([^']*)'?/g,
    (_, double: string | undefined, single: string | undefined) => double ?? single ?? '',
  );
}
