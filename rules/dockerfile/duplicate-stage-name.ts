// DF208: two stages with the same name (hadolint DL3024, BuildKit DuplicateStageName).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF208',
    name: 'duplicate-stage-name',
    type: 'problem',
    summary: 'Give every stage a unique name',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      duplicate:
        'Stage name `{{name}}` is already used on line {{firstLine}}: the builder rejects duplicate stage names.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3024', relation: 'same' },
      { tool: 'trivy', id: 'DS-0012', relation: 'inspired' },
      { tool: 'buildkit', id: 'DuplicateStageName', relation: 'same' },
    ],
  }),
  create(ctx) {
    const seen = new Map<string, number>();
    return {
      FROM(instruction) {
        const stage = ctx.parsed.stages[instruction.stageIndex];
        if (stage?.name === undefined) return;
        const first = seen.get(stage.name);
        if (first !== undefined)
          ctx.report({ messageId: 'duplicate', data: { name: stage.name, firstLine: first }, at: instruction });
        else seen.set(stage.name, stage.line);
      },
    };
  },
});
