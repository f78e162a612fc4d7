// DF202: EXPOSE of a port outside 0-65535 (hadolint DL3011).
import { splitWords } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF202',
    name: 'expose-port-out-of-range',
    type: 'problem',
    summary: 'EXPOSE only ports between 0 and 65535',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      range: 'EXPOSE `{{port}}`{{value}}: a port is a number from 0 to 65535.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3011', relation: 'same' },
      { tool: 'trivy', id: 'DS-0008', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      EXPOSE(instruction) {
        for (const word of splitWords(instruction.shellText)) {
          const resolved = ctx.resolve(word, instruction);
          const spec = resolved.replace(/\/\w+$/, '');
          // A variable we cannot resolve may be anything at build time.
          if (spec.includes('$')) continue;
          const m = /^(\d+)(?:-(\d+))?$/.exec(spec);
          if (!m) continue;
          if (Number(m[1]) > 65535 || (m[2] !== undefined && Number(m[2]) > 65535)) {
            // A port from a variable is shown with its value: `$PORT` alone does not say which number is out of range.
            const value = resolved === word ? '' : ` (\`${resolved}\`)`;
            return ctx.report({ messageId: 'range', data: { port: word, value }, at: instruction });
          }
        }
      },
    };
  },
});
