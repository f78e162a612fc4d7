// DF203: more than one HEALTHCHECK in a stage (hadolint DL3012, BuildKit MultipleInstructionsDisallowed).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { countPerStage } from './multiple-cmd.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF203',
    name: 'multiple-healthchecks',
    type: 'problem',
    summary: 'Keep one HEALTHCHECK per stage',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      repeated: 'This stage already has a HEALTHCHECK on line {{firstLine}}: only the last one takes effect.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3012', relation: 'same' },
      { tool: 'trivy', id: 'DS-0023', relation: 'inspired' },
      { tool: 'buildkit', id: 'MultipleInstructionsDisallowed', relation: 'same' },
    ],
  }),
  create: (ctx) => countPerStage(ctx, 'HEALTHCHECK', 'repeated'),
});
