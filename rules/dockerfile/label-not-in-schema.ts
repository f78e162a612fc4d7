// DF241: with strict labels, a LABEL the label schema does not name (hadolint DL3050).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { codeSpan } from '../../src/report/code-span.js';
import { labelSchemaOf } from '../../src/lint/label-schema.js';
import { readPairs } from '../../src/dockerfile/words.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF241',
    name: 'label-not-in-schema',
    type: 'suggestion',
    summary: 'Use only the labels the label schema names',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      extra: '{{labels}} not in the label schema, and strict labels are on.',
    },
    defaultOptions: { labelSchema: {}, strictLabels: false },
    sources: [{ tool: 'hadolint', id: 'DL3050', relation: 'same' }],
  }),
  create(ctx) {
    // Off unless strict labels are asked for, as in hadolint; with an empty schema every label is extra.
    if (ctx.options.strictLabels !== true) return {};
    const schema = labelSchemaOf(ctx.options);
    return {
      LABEL(instruction) {
        const extra = readPairs(instruction.shellText, ctx.parsed.escapeChar)
          .map((p) => p.key)
          // `LABEL =x` names no label: the builder refuses it, and DF100 says so.
          .filter((key) => key !== '' && !Object.hasOwn(schema, key));
        // One finding per LABEL instruction, naming every extra key.
        if (extra.length > 0)
          ctx.report({
            messageId: 'extra',
            // Keys are the Dockerfile's text: fenced so a backtick of theirs cannot end the span early.
            data: {
              labels: `${extra.length > 1 ? 'Labels' : 'Label'} ${extra.map(codeSpan).join(', ')} ${extra.length > 1 ? 'are' : 'is'}`,
            },
            at: instruction,
          });
      },
    };
  },
});
