// DF240: a stage lacks a label the label schema requires (hadolint DL3049).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { labelSchemaOf } from '../../src/lint/label-schema.js';
import { readPairs } from '../../src/dockerfile/words.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF240',
    name: 'required-label-missing',
    type: 'suggestion',
    summary: 'Give every image the labels the label schema requires',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      missing: 'Stage `{{stage}}` has no `{{label}}` label, which the label schema requires.',
    },
    defaultOptions: { labelSchema: {} },
    sources: [{ tool: 'hadolint', id: 'DL3049', relation: 'same' }],
  }),
  create(ctx) {
    const required = Object.keys(labelSchemaOf(ctx.options));
    // Off until a label schema is configured, as in hadolint.
    if (required.length === 0) return {};
    // Labels each stage carries: its own LABELs plus those of the earlier stage it is built FROM (images inherit labels).
    const labelled: Set<string>[] = [];
    return {
      FROM(instruction) {
        const base = ctx.stages.baseStage[instruction.stageIndex];
        labelled[instruction.stageIndex] = new Set(base !== undefined ? labelled[base] : []);
      },
      LABEL(instruction) {
        if (instruction.stageIndex < 0) return;
        for (const { key } of readPairs(instruction.shellText, ctx.parsed.escapeChar))
          labelled[instruction.stageIndex]?.add(key);
      },
      end() {
        for (const stage of ctx.parsed.stages) {
          // A stage that later stages build on or copy from is an intermediate step, not an image anyone ships.
          if (ctx.stages.usedLater[stage.index]) continue;
          const from = ctx.parsed.instructions[stage.firstInstruction];
          for (const label of required) {
            if (labelled[stage.index]?.has(label)) continue;
            ctx.report({ messageId: 'missing', data: { stage: stage.name ?? stage.baseImage, label }, at: from });
          }
        }
      },
    };
  },
});
