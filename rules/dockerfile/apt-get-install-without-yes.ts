// DF204: apt-get install that would stop at the confirmation prompt (hadolint DL3014).
import {
  APT_SIMULATE_FLAGS,
  APT_VALUE_FLAGS,
  defineRule,
  hasAptFlag,
  dockerfileMeta,
  insertAfterMatches,
} from '../../src/lint/helpers.js';
import { flagNames, type ShellCommand } from '../../src/dockerfile/shell.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF204',
    name: 'apt-get-install-without-yes',
    type: 'problem',
    summary: 'Pass -y to apt-get install',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      noYes: '`apt-get install` without `-y` asks for confirmation, which a build cannot give: the step aborts.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3014', relation: 'same' },
      { tool: 'trivy', id: 'DS-0021', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        // `apt-get install -s` (a simulation, often an "is this package available?" probe) never prompts.
        const installs = ctx
          .commands(instruction)
          .filter(
            (c) => c.program === 'apt-get' && c.args.includes('install') && !hasAptFlag(c, ...APT_SIMULATE_FLAGS),
          );
        const offending = installs.filter((c) => !assumesYes(c));
        if (offending.length === 0) return;
        const edits = insertAfterMatches(ctx.parsed, instruction, /\bapt-get(?:\s+-\S+)*\s+install\b/g, ' -y');
        // Adding -y answers the prompt the build could never answer: safe, when every install in the RUN needs it.
        const fix =
          edits.length === offending.length && offending.length === installs.length
            ? { applicability: 'safe' as const, title: 'Add -y to apt-get install', edits }
            : undefined;
        ctx.report({ messageId: 'noYes', at: instruction, fix });
      },
    };
  },
});

/** `-y`, `--yes`, `--assume-yes`, or quiet level 2 (`-qq`, `-q=2`), which implies yes. */
export function assumesYes(command: ShellCommand): boolean {
  const flags = flagNames(command.args, APT_VALUE_FLAGS);
  if (flags.some((f) => f === 'y' || f === 'yes' || f === 'assume-yes')) return true;
  if (flags.filter((f) => f === 'q').length >= 2) return true;
  return command.args.some((a) => /^(-q|--quiet)=2$/.test(a));
}
