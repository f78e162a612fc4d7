// DF213: yum install that would stop at the confirmation prompt (hadolint DL3030).
import { defineRule, dockerfileMeta, hasFlag, insertAfterMatches } from '../../src/lint/helpers.js';

const INSTALLS = ['install', 'groupinstall', 'localinstall'];

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF213',
    name: 'yum-install-without-yes',
    type: 'problem',
    summary: 'Pass -y to yum install',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      noYes: '`yum {{subcommand}}` without `-y` asks for confirmation, which a build cannot give: the step aborts.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3030', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const installs = ctx
          .commands(instruction)
          .filter((c) => c.program === 'yum' && c.args.some((a) => INSTALLS.includes(a)));
        const offending = installs.filter((c) => !hasFlag(c.args, 'y', 'assumeyes'));
        if (offending.length === 0) return;
        const subcommand = offending[0].args.find((a) => INSTALLS.includes(a)) ?? 'install';
        const edits = insertAfterMatches(
          ctx.parsed,
          instruction,
          /\byum(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+(?:group|local)?install\b/g,
          ' -y',
        );
        // Adding -y answers the prompt the build could never answer.
        const fix =
          edits.length === offending.length && offending.length === installs.length
            ? { applicability: 'safe' as const, title: 'Add -y to yum install', edits }
            : undefined;
        ctx.report({ messageId: 'noYes', data: { subcommand }, at: instruction, fix });
      },
    };
  },
});
