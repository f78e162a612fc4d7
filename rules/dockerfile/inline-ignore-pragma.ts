// DF249: an inline ignore pragma is used at all (hadolint DL1001), for teams that do not allow suppressions.
import { sourceLines } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { ignorePragmaOf } from '../../src/lint/pragmas.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF249',
    name: 'inline-ignore-pragma',
    type: 'suggestion',
    summary: 'Fix findings instead of suppressing them with inline ignore pragmas',
    defaultSeverity: 'info',
    // hadolint's severity `ignore`: off until a severity is configured for it.
    recommended: false,
    fix: 'none',
    messages: {
      pragma: 'Inline ignore pragma `# {{pragma}}`: fix the finding instead of suppressing it.',
    },
    sources: [{ tool: 'hadolint', id: 'DL1001', relation: 'same' }],
  }),
  create(ctx) {
    return {
      end() {
        // Read from the comments, not from the engine's suppressions: the pragma counts even where pragmas are disabled.
        const lines = ctx.parsed.comments.length > 0 ? sourceLines(ctx.parsed) : [];
        for (const comment of ctx.parsed.comments) {
          if (ignorePragmaOf(comment.text)?.scope !== 'next') continue;
          const source = (lines[comment.line - 1] ?? '').replace(/\r$/, '');
          const column = source.indexOf('#') + 1;
          ctx.report({
            messageId: 'pragma',
            data: { pragma: comment.text },
            at: { line: comment.line, column, endLine: comment.line, endColumn: source.length + 1 },
          });
        }
      },
    };
  },
});
