// DF110: MAINTAINER is deprecated (hadolint DL4000).
import { defineRule, dockerfileMeta, replaceInstruction } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF110',
    name: 'maintainer',
    type: 'problem',
    summary: 'Use LABEL maintainer instead of MAINTAINER',
    defaultSeverity: 'error',
    fix: 'sometimes',
    messages: {
      deprecated:
        'MAINTAINER is deprecated; use `LABEL org.opencontainers.image.authors="..."` (or `LABEL maintainer="..."`).',
    },
    sources: [
      { tool: 'hadolint', id: 'DL4000', relation: 'same' },
      { tool: 'buildkit', id: 'MaintainerDeprecated', relation: 'same' },
    ],
  }),
  create(ctx) {
    return {
      MAINTAINER(instruction) {
        // With no name it is a parse error, DF100's finding; a `LABEL maintainer=""` fix would hide that behind an
        // empty label where the fix needs a person.
        if (instruction.shellText.trim() === '') return;
        const who = instruction.shellText
          .trim()
          .replace(/^"(.*)"$/, '$1')
          .replace(/"/g, '\\"');
        // The image config's Author field is no longer set, which a tool reading it would notice: unsafe.
        const fix =
          instruction.line === instruction.endLine
            ? {
                applicability: 'unsafe' as const,
                title: 'Replace MAINTAINER with LABEL maintainer',
                edits: [replaceInstruction(ctx.parsed, instruction, `LABEL maintainer="${who}"`)],
              }
            : undefined;
        ctx.report({ messageId: 'deprecated', at: instruction, fix });
      },
    };
  },
});
