// DF258: FROM uses a variable that no global ARG declares (BuildKit UndefinedArgInFrom).
import { meantUnset, PLATFORM_ARGS, variableRefs } from '../../src/dockerfile/build-args.js';
import { closeWords } from '../../src/flag-suggest.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF258',
    name: 'undefined-arg-in-from',
    type: 'problem',
    summary: 'Declare the ARGs a FROM uses before the first FROM',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      undeclared:
        'FROM uses `${{name}}`, which no ARG before the first FROM declares: FROM sees only those (and the platform arguments), so it is empty here.{{hint}}',
    },
    sources: [{ tool: 'buildkit', id: 'UndefinedArgInFrom', relation: 'same' }],
  }),
  create(ctx) {
    const declared = [...Object.keys(ctx.stages.globalArgs), ...PLATFORM_ARGS];
    const known = new Set(declared);
    return {
      FROM(instruction) {
        const stage = ctx.parsed.stages[instruction.stageIndex];
        if (!stage) return;
        const texts = [stage.baseImage, ...(stage.platform !== undefined ? [stage.platform] : [])];
        const reported = new Set<string>();
        for (const text of texts)
          for (const ref of variableRefs(text, ctx.parsed.escapeChar)) {
            if (meantUnset(ref) || known.has(ref.name) || reported.has(ref.name)) continue;
            reported.add(ref.name);
            const close = closeWords(ref.name, declared);
            const hint = close.length > 0 ? ` Did you mean \`$${close[0]}\`?` : '';
            ctx.report({ messageId: 'undeclared', data: { name: ref.name, hint }, at: instruction });
          }
      },
    };
  },
});
