// DF218: dnf/microdnf install that would stop at the confirmation prompt (hadolint DL3038).
import { defineRule, DNF_PROGRAMS, dockerfileMeta, hasFlag, insertAfterMatches } from '../../src/lint/helpers.js';

const INSTALLS = ['install', 'groupinstall', 'localinstall'];

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF218',
    name: 'dnf-install-without-yes',
    type: 'problem',
    summary: 'Pass -y to dnf install',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      noYes:
        '`{{program}} {{subcommand}}` without `-y` asks for confirmation, which a build cannot give: the step aborts.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3038', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const installs = ctx
          .commands(instruction)
          .filter((c) => DNF_PROGRAMS.includes(c.program) && c.args.some((a) => INSTALLS.includes(a)));
        const offending = installs.filter((c) => !hasFlag(c.args, 'y', 'assumeyes'));
        if (offending.length === 0) return;
        const first = offending[0];
        const subcommand = first.args.find((a) => INSTALLS.includes(a)) ?? 'install';
        const edits = insertAfterMatches(
          ctx.parsed,
          instruction,
          /\b(?:micro)?dnf5?(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+(?:group|local)?install\b/g,
          ' -y',
        );
        // Adding -y answers the prompt the build could never answer.
        const fix =
          edits.length === offending.length && offending.length === installs.length
            ? { applicability: 'safe' as const, title: 'Add -y to dnf install', edits }
            : undefined;
        ctx.report({ messageId: 'noYes', data: { program: first.program, subcommand }, at: instruction, fix });
      },
    };
  },
});
