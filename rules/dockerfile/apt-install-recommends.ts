// DF002: apt-get install pulls recommended packages (hadolint DL3015).
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import {
  APT_SIMULATE_FLAGS,
  APT_VALUE_FLAGS,
  defineRule,
  dockerfileMeta,
  hasAptFlag,
  insertAfterMatches,
  isSubcommand,
} from '../../src/lint/helpers.js';

// `-s`/`--simulate` and friends install nothing; `-d`/`--download-only` only fills the package cache.
const NO_INSTALL = [...APT_SIMULATE_FLAGS, 'd', 'download-only'];

/** `echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/...`: recommends are off for every later install. */
function disablesRecommends(command: ShellCommand): boolean {
  return (
    command.writes.some((w) => w.startsWith('/etc/apt/apt.conf')) &&
    /APT::Install-Recommends\s*"?(false|0|no)/i.test(command.args.join(' '))
  );
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF002',
    name: 'apt-install-recommends',
    type: 'size',
    summary: 'Pass --no-install-recommends to apt-get install',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      recommends:
        '`apt-get install` without `--no-install-recommends` also installs recommended packages, often tens of MB nobody asked for.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3015', relation: 'same' },
      { tool: 'trivy', id: 'DS-0029', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    // Stages whose apt configuration turned recommends off (carried into stages built FROM them).
    const configured = new Set<number>();
    return {
      FROM(instruction) {
        const base = ctx.stages.baseStage[instruction.stageIndex];
        if (base !== undefined && configured.has(base)) configured.add(instruction.stageIndex);
      },
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        const offIndex = commands.findIndex(disablesRecommends);
        if (offIndex >= 0) configured.add(instruction.stageIndex);
        // Recommended packages land all over /usr: they ship only when the stage's layers do.
        if (!ctx.ships(instruction) || (configured.has(instruction.stageIndex) && offIndex < 0)) return;
        const installs = commands.filter(
          (c, i) =>
            isSubcommand(c, ['apt-get'], ['install'], APT_VALUE_FLAGS) &&
            !hasAptFlag(c, ...NO_INSTALL) &&
            !(offIndex >= 0 && i > offIndex),
        );
        const offending = installs.filter(
          (c) =>
            !hasAptFlag(c, 'no-install-recommends') &&
            !c.args.some((a) => /APT::Install-Recommends=(false|0|no)/i.test(a)),
        );
        if (offending.length === 0) return;
        const edits = insertAfterMatches(
          ctx.parsed,
          instruction,
          /\bapt-get(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+install\b/g,
          ' --no-install-recommends',
        );
        // Skipping recommends can drop a package the image relies on at run time: the fix is unsafe.
        const fix =
          edits.length === offending.length && offending.length === installs.length
            ? { applicability: 'unsafe' as const, title: 'Add --no-install-recommends', edits }
            : undefined;
        ctx.report({ messageId: 'recommends', at: instruction, fix });
      },
    };
  },
});
