// DF002: apt-get install pulls recommended packages (hadolint DL3015).
import { APT_VALUE_FLAGS, defineRule, dockerfileMeta, hasFlag, insertAfterMatches, isSubcommand } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF002',
    name: 'apt-install-recommends',
    type: 'size',
    summary: 'Pass --no-install-recommends to apt-get install',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      recommends: '`apt-get install` without `--no-install-recommends` also installs recommended packages, often tens of MB nobody asked for.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3015', relation: 'same' }, { tool: 'trivy', id: 'DS-0029', relation: 'inspired' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.inFinalImage(instruction)) return;
        const commands = ctx.commands(instruction);
        const installs = commands.filter((c) => isSubcommand(c, ['apt-get'], ['install'], APT_VALUE_FLAGS));
        const offending = installs.filter(
          (c) => !hasFlag(c.args, 'no-install-recommends') && !c.args.some((a) => /APT::Install-Recommends=(false|0|no)/i.test(a)),
        );
        if (offending.length === 0) return;
        const edits = insertAfterMatches(ctx.parsed, instruction, /\bapt-get(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+install\b/g, ' --no-install-recommends');
        // Skipping recommends can drop a package the image relies on at run time: the fix is unsafe.
        const fix = edits.length === offending.length && offending.length === installs.length
          ? { applicability: 'unsafe' as const, title: 'Add --no-install-recommends', edits }
          : undefined;
        ctx.report({ messageId: 'recommends', at: instruction, fix });
      },
    };
  },
});
