// DF215: zypper install/remove/patch/source-install that would stop at a prompt (hadolint DL3034).
import { defineRule, dockerfileMeta, hasFlag, insertAfterMatches } from '../../src/lint/helpers.js';

const PROMPTING = ['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch'];

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF215',
    name: 'zypper-without-non-interactive',
    type: 'problem',
    summary: 'Run zypper non-interactively (-n or -y)',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      interactive:
        '`zypper {{subcommand}}` without `-n`/`--non-interactive` (or `-y`) asks for confirmation, which a build cannot give.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3034', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const runs = ctx
          .commands(instruction)
          .filter((c) => c.program === 'zypper' && c.args.some((a) => PROMPTING.includes(a)));
        const offending = runs.filter((c) => !hasFlag(c.args, 'n', 'non-interactive', 'y', 'no-confirm'));
        if (offending.length === 0) return;
        const subcommand = offending[0].args.find((a) => PROMPTING.includes(a)) ?? 'install';
        const edits = insertAfterMatches(
          ctx.parsed,
          instruction,
          /\bzypper(?=(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+(?:install|in|remove|rm|source-install|si|patch)\b)/g,
          ' -n',
        );
        // The global -n answers every prompt with its default, as a build needs.
        const fix =
          edits.length === offending.length && offending.length === runs.length
            ? { applicability: 'safe' as const, title: 'Add -n to zypper', edits }
            : undefined;
        ctx.report({ messageId: 'interactive', data: { subcommand }, at: instruction, fix });
      },
    };
  },
});
