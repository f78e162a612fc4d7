// DF233: more than one CMD in a stage (hadolint DL4003, BuildKit MultipleInstructionsDisallowed).
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { DockerfileContext, Visitors } from '../../src/report/rule.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

/** Reports every KEYWORD after the first in a stage: the builder keeps only the last one. */
export function countPerStage(ctx: DockerfileContext, keyword: string, messageId: string): Visitors {
  let firstLine: number | undefined;
  return {
    FROM() {
      firstLine = undefined;
    },
    [keyword](instruction: Instruction) {
      if (firstLine === undefined) firstLine = instruction.line;
      else ctx.report({ messageId, data: { firstLine }, at: instruction });
    },
  };
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF233',
    name: 'multiple-cmd',
    type: 'problem',
    summary: 'Keep one CMD per stage',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      repeated: 'This stage already has a CMD on line {{firstLine}}: only the last one takes effect.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL4003', relation: 'same' },
      { tool: 'trivy', id: 'DS-0016', relation: 'inspired' },
      { tool: 'buildkit', id: 'MultipleInstructionsDisallowed', relation: 'same' },
    ],
  }),
  create: (ctx) => countPerStage(ctx, 'CMD', 'repeated'),
});
