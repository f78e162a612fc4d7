// DF250: a stage has no HEALTHCHECK and inherits none (hadolint DL3057), for teams that require one in every image.
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF250',
    name: 'missing-healthcheck',
    type: 'suggestion',
    summary: 'Give every image a HEALTHCHECK',
    defaultSeverity: 'info',
    // hadolint's severity `ignore`: off until a severity is configured for it.
    recommended: false,
    fix: 'none',
    messages: {
      // Reported on the stage's FROM, so no stage name is needed (an unnamed `FROM build` would read as stage `build`).
      missing: 'This stage has no HEALTHCHECK and does not inherit one from an earlier stage.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3057', relation: 'same' },
      { tool: 'trivy', id: 'DS-0026', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    // Whether each stage has a HEALTHCHECK: its own (`HEALTHCHECK NONE` included: it is an explicit choice), or one
    // inherited from the earlier stage it is built FROM. An ONBUILD HEALTHCHECK is a trigger for other images: not
    // counted.
    const checked: boolean[] = [];
    return {
      FROM(instruction) {
        const base = ctx.stages.baseStage[instruction.stageIndex];
        checked[instruction.stageIndex] = base !== undefined && checked[base] === true;
      },
      HEALTHCHECK(instruction) {
        // Instructions before the first FROM belong to no stage: a file without FROM has no FROM line to report on.
        if (instruction.stageIndex >= 0) checked[instruction.stageIndex] = true;
      },
      end() {
        // Every stage, build stages included, as hadolint does; reported on the stage's FROM.
        for (const stage of ctx.parsed.stages) {
          if (checked[stage.index]) continue;
          const from = ctx.parsed.instructions[stage.firstInstruction];
          ctx.report({ messageId: 'missing', at: from });
        }
      },
    };
  },
});
