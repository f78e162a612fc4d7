// DF242: a label the label schema names has an empty value (hadolint DL3051).
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { labelSchemaOf, readLabels } from '../../src/lint/label-schema.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF242',
    name: 'label-empty',
    type: 'problem',
    summary: 'Give the labels the label schema names a value',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      empty: 'Label `{{label}}` is empty, but the label schema expects a value.',
    },
    defaultOptions: { labelSchema: {} },
    sources: [{ tool: 'hadolint', id: 'DL3051', relation: 'same' }],
  }),
  create(ctx) {
    const schema = labelSchemaOf(ctx.options);
    // Off until a label schema is configured, as in hadolint.
    if (Object.keys(schema).length === 0) return {};
    return {
      LABEL(instruction) {
        for (const { key, value } of readLabels(ctx, instruction)) {
          if (Object.hasOwn(schema, key) && value === '')
            ctx.report({ messageId: 'empty', data: { label: key }, at: instruction });
        }
      },
    };
  },
});
