// DF236: a RUN pipeline whose failure the shell ignores, because pipefail is off (hadolint DL4006).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { flagNames, type ShellCommand } from '../../src/dockerfile/shell.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { pragmaShell } from '../../src/lint/pragmas.js';

// Shells whose `-o pipefail` SHELL declaration hadolint accepts (busybox ash included).
const PIPEFAIL_SHELLS = new Set(['bash', 'zsh', 'ash']);
const NON_POSIX = /^(pwsh|powershell|cmd)(\.exe)?$/i;

type ShellState = 'pipefail' | 'plain' | 'non-posix';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF236',
    name: 'pipe-without-pipefail',
    type: 'problem',
    summary: 'Set -o pipefail (through SHELL) before RUN with a pipe',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      pipefail:
        'This RUN pipes `{{left}}` into `{{right}}` without pipefail: if `{{left}}` fails the step still succeeds; add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (`/bin/ash` on Alpine) before it.',
    },
    sources: [{ tool: 'hadolint', id: 'DL4006', relation: 'same' }],
  }),
  create(ctx) {
    // `# hadolint shell=powershell`: the base image's shell is not POSIX, so pipes mean something else.
    const pragma = pragmaShell(ctx.parsed.text);
    const byStage: ShellState[] = [];
    let state: ShellState = pragma && NON_POSIX.test(pragma.replace(/^.*\//, '')) ? 'non-posix' : 'plain';
    const initial = state;
    const visitRun = (instruction: Instruction): void => {
      if (state !== 'plain' || instruction.form === 'exec') return;
      // A heredoc script with its own interpreter line is not run by the SHELL.
      if (
        instruction.heredocs.some((h) => h.body.trimStart().startsWith('#!')) &&
        instruction.shellText === instruction.heredocs[0].body
      )
        return;
      const commands = ctx.commands(instruction);
      const piped = commands.find((c) => c.pipesToNext);
      if (!piped) return;
      const before = commands.slice(0, commands.indexOf(piped));
      if (commands.some(setsPipefailForChild) || before.some(isSetPipefail)) return;
      const right = commands[commands.indexOf(piped) + 1];
      ctx.report({
        messageId: 'pipefail',
        data: { left: piped.program, right: right?.program ?? '' },
        at: instruction,
      });
    };
    return {
      FROM(instruction) {
        // A stage built FROM an earlier stage keeps that stage's SHELL.
        const base = ctx.stages.baseStage[instruction.stageIndex];
        state = base !== undefined ? (byStage[base] ?? initial) : initial;
        byStage[instruction.stageIndex] = state;
      },
      SHELL(instruction) {
        const args = instruction.execArgs ?? [];
        const program = (args[0] ?? '').split(/[\\/]/).pop() ?? '';
        if (NON_POSIX.test(program)) state = 'non-posix';
        else if (PIPEFAIL_SHELLS.has(program) && hasPipefailOption(args.slice(1))) state = 'pipefail';
        else state = 'plain';
        if (instruction.stageIndex >= 0) byStage[instruction.stageIndex] = state;
      },
      RUN: visitRun,
    };
  },
});

function hasPipefailOption(args: string[]): boolean {
  return (
    flagNames(args.filter((a) => a.startsWith('-') && !a.startsWith('--'))).includes('o') && args.includes('pipefail')
  );
}

/** `set -o pipefail` (also `set -eo pipefail`, `set -euxo pipefail`) earlier in the same RUN. */
function isSetPipefail(command: ShellCommand): boolean {
  return command.program === 'set' && hasPipefailOption(command.args);
}

/** `bash -o pipefail -c '...'`: the inner script runs with pipefail on. */
function setsPipefailForChild(command: ShellCommand): boolean {
  return PIPEFAIL_SHELLS.has(command.program) && hasPipefailOption(command.args);
}
