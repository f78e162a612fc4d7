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
      buildStage:
        'The last USER of this build stage is `{{user}}`: its later steps, and any stage built FROM it, run as root; add `USER <non-root>` after the steps that need root.',
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
        // One before the first FROM belongs to no stage: the build fails there (DF226 says so), not at run time. A
        // fragment with no FROM at all (a snippet, as hadolint lints them) is read as one stage.
        if (instruction.stageIndex >= 0 || ctx.parsed.stages.length === 0)
          lastUser.set(instruction.stageIndex, instruction);
      },
      end() {
        // The container runs as the last USER of the last stage, or, without one, of the stage it is built FROM, and so
        // on. Another stage's USER does not decide it (a build stage's whose files a later stage copies, say).
        let runtime: number | undefined = ctx.parsed.stages.length - 1;
        while (runtime !== undefined && !lastUser.has(runtime)) runtime = ctx.stages.baseStage[runtime];
        for (const [stage, instruction] of lastUser) {
          const user = instruction.shellText.trim();
          // A variable the Dockerfile sets (`ENV APP_USER=root`, `ARG UID=0`) runs as its value; one it does not set
          // is the base image's, unknown here.
          const name = (user.includes('$') ? ctx.resolve(user, instruction) : user).split(':')[0];
          if (name !== 'root' && name !== '0') continue;
          ctx.report({ messageId: stage === runtime ? 'root' : 'buildStage', data: { user }, at: instruction });
        }
      },
    };
  },
});
