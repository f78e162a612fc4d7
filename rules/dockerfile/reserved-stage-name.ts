// DF228: a stage named like a reserved word (hadolint DL3063).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF228',
    name: 'reserved-stage-name',
    type: 'problem',
    summary: 'Do not name a stage scratch or context',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      reserved:
        'Stage name `{{name}}` is reserved: `FROM {{name}}` and `COPY --from={{name}}` already mean something else to the builder.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3063', relation: 'same' },
      { tool: 'buildkit', id: 'ReservedStageName', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      FROM(instruction) {
        const name = ctx.parsed.stages[instruction.stageIndex]?.name;
        if (name === 'scratch' || name === 'context')
          ctx.report({ messageId: 'reserved', data: { name }, at: instruction });
      },
    };
  },
});
