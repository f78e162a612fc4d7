// DF207: COPY --from naming the stage the COPY is in (hadolint DL3023).
import { unquote } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF207',
    name: 'copy-from-own-stage',
    type: 'problem',
    summary: 'COPY --from must not name its own stage',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      self: '`COPY --from={{from}}` names the stage it is in: a stage cannot copy from itself; use a plain COPY or RUN cp.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3023', relation: 'same' },
      { tool: 'trivy', id: 'DS-0006', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      COPY(instruction) {
        const from = instruction.flags.from;
        const own = ctx.parsed.stages[instruction.stageIndex]?.name;
        if (from === undefined || own === undefined) return;
        if (ctx.resolve(unquote(from), instruction).toLowerCase() === own) {
          ctx.report({ messageId: 'self', data: { from }, at: instruction });
        }
      },
    };
  },
});
