// DF220: ONBUILD wrapping ONBUILD, FROM or MAINTAINER (hadolint DL3043).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

const FORBIDDEN = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF220',
    name: 'onbuild-forbidden-trigger',
    type: 'problem',
    summary: 'ONBUILD must not wrap ONBUILD, FROM or MAINTAINER',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      forbidden: '`ONBUILD {{keyword}}` is not allowed: the builder rejects it when an image is built FROM this one.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3043', relation: 'same' }],
  }),
  create(ctx) {
    return {
      ONBUILD(instruction) {
        const keyword = instruction.trigger?.keyword ?? instruction.shellText.split(/\s+/)[0]?.toUpperCase();
        if (keyword && FORBIDDEN.has(keyword))
          ctx.report({ messageId: 'forbidden', data: { keyword }, at: instruction });
      },
    };
  },
});
