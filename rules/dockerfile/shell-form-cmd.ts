// DF109: CMD / ENTRYPOINT in shell form (hadolint DL3025). Not HEALTHCHECK CMD: the probe is a short-lived child the
// runtime starts and waits for, not PID 1, so there is no stop signal for the shell to swallow (and `|| exit 1`, which
// the probe's exit status contract invites, needs a shell); hadolint and the builder's JSONArgsRecommended skip it too.
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
        '{{keyword}} in shell form runs under `{{shell}}`, so signals such as SIGTERM never reach the program; use the JSON form `["program", "arg"]`.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3025', relation: 'same' },
      { tool: 'buildkit', id: 'JSONArgsRecommended', relation: 'same' },
    ],
  }),
  create(ctx) {
    const check = (instruction: Instruction): void => {
      if (instruction.form === 'exec' || instruction.shellText.trim() === '') return;
      // The shell form runs under the SHELL in effect, else the platform's default: cmd on a Windows base.
      const args = ctx.stages.shellArgsAt[instruction.index];
      const shell = args?.join(' ') ?? (ctx.stages.posixShell[instruction.index] ? '/bin/sh -c' : 'cmd /S /C');
      ctx.report({ messageId: 'shellForm', data: { keyword: instruction.keyword, shell }, at: instruction });
    };
    return {
      CMD: check,
      ENTRYPOINT: check,
    };
  },
});
