// DF219: dnf/microdnf install without package versions (hadolint DL3041).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { unpinnedRpmPackages } from './yum-install-unpinned.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF219',
    name: 'dnf-install-unpinned',
    type: 'problem',
    summary: 'Pin versions in dnf install (name-version)',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      unpinned:
        '`{{program}} install {{package}}` has no version: each rebuild may install something else; write `{{package}}-<version>`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3041', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        for (const command of ctx.commands(instruction)) {
          if (command.program !== 'dnf' && command.program !== 'microdnf') continue;
          const unpinned = unpinnedRpmPackages(ctx, instruction, command, ['install', 'localinstall']);
          if (unpinned)
            return ctx.report({
              messageId: 'unpinned',
              data: { program: command.program, package: unpinned },
              at: instruction,
            });
        }
      },
    };
  },
});
