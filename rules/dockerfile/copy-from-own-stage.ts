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
      selfIndex:
        '`COPY --from={{from}}` names the stage it is in: stages are numbered from 0 in the order of their FROM lines, so {{from}} is this one, and a stage cannot copy from itself; use the index or name of an earlier stage, or a plain COPY or RUN cp.',
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
        if (from === undefined || instruction.stageIndex < 0) return;
        const resolved = ctx.resolve(unquote(from), instruction);
        // A stage is also named by its index, counted from 0 (`--from=1` in the second stage, often meant as the first).
        if (/^\d+$/.test(resolved) && Number(resolved) === instruction.stageIndex) {
          ctx.report({ messageId: 'selfIndex', data: { from: resolved }, at: instruction });
          return;
        }
        const own = ctx.parsed.stages[instruction.stageIndex]?.name;
        if (own !== undefined && resolved.toLowerCase() === own) {
          ctx.report({ messageId: 'self', data: { from }, at: instruction });
        }
      },
    };
  },
});
