// DF102: the last USER of a stage is root (hadolint DL3002).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF102',
    name: 'last-user-root',
    type: 'problem',
    summary: 'Switch to a non-root USER at the end of the stage',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      root: 'The last USER of this stage is `{{user}}`: the container runs as root; add `USER <non-root>` after the steps that need root.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3002', relation: 'same' },
      { tool: 'trivy', id: 'DS-0002', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    const lastUser = new Map<number, Instruction>();
    return {
      USER(instruction) {
        lastUser.set(instruction.stageIndex, instruction);
      },
      end() {
        for (const instruction of lastUser.values()) {
          const user = instruction.shellText.trim();
          const name = user.split(':')[0];
          if (name === 'root' || name === '0') ctx.report({ messageId: 'root', data: { user }, at: instruction });
        }
      },
    };
  },
});
