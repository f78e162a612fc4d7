// DF109: CMD / ENTRYPOINT / HEALTHCHECK CMD in shell form (hadolint DL3025).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF109',
    name: 'shell-form-cmd',
    type: 'problem',
    summary: 'Use JSON (exec) form for CMD and ENTRYPOINT',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      shellForm:
        '{{keyword}} in shell form runs under `/bin/sh -c`, so signals such as SIGTERM never reach the program; use the JSON form `["program", "arg"]`.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3025', relation: 'same' },
      { tool: 'buildkit', id: 'JSONArgsRecommended', relation: 'same' },
    ],
  }),
  create(ctx) {
    const check = (instruction: Instruction): void => {
      if (instruction.form === 'exec' || instruction.shellText.trim() === '') return;
      ctx.report({ messageId: 'shellForm', data: { keyword: instruction.keyword }, at: instruction });
    };
    return {
      CMD: check,
      ENTRYPOINT: check,
      HEALTHCHECK(instruction) {
        const text = instruction.shellText.trim();
        if (/^NONE$/i.test(text)) return;
        const cmd = /(?:^|\s)CMD\s+(.*)$/is.exec(text);
        if (cmd && !cmd[1].trim().startsWith('['))
          ctx.report({ messageId: 'shellForm', data: { keyword: 'HEALTHCHECK CMD' }, at: instruction });
      },
    };
  },
});
