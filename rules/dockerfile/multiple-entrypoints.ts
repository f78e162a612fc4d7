// DF234: more than one ENTRYPOINT in a stage (hadolint DL4004, BuildKit MultipleInstructionsDisallowed).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { countPerStage } from './multiple-cmd.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF234',
    name: 'multiple-entrypoints',
    type: 'problem',
    summary: 'Keep one ENTRYPOINT per stage',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      repeated: 'This stage already has an ENTRYPOINT on line {{firstLine}}: only the last one takes effect.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL4004', relation: 'same' },
      { tool: 'trivy', id: 'DS-0007', relation: 'inspired' },
      { tool: 'buildkit', id: 'MultipleInstructionsDisallowed', relation: 'same' },
    ],
  }),
  create: (ctx) => countPerStage(ctx, 'ENTRYPOINT', 'repeated'),
});
