// DF219: dnf/microdnf install without package versions (hadolint DL3041).
import { defineRule, DNF_PROGRAMS, dockerfileMeta } from '../../src/lint/helpers.js';
import { UNPINNED_MESSAGE } from '../../src/lint/package-rules.js';
import { reportUnpinnedRpm } from './yum-install-unpinned.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF219',
    name: 'dnf-install-unpinned',
    type: 'problem',
    summary: 'Pin versions in dnf install (name-version)',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: { unpinned: UNPINNED_MESSAGE },
    sources: [{ tool: 'hadolint', id: 'DL3041', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        reportUnpinnedRpm(ctx, instruction, DNF_PROGRAMS);
      },
    };
  },
});
