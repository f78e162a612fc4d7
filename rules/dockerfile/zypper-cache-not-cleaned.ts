// DF011: zypper install without `zypper clean` (hadolint DL3036).
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { reportUncleanedCache } from '../../src/lint/autofix.js';
import { defineRule, dockerfileMeta, isSubcommand, removesPath } from '../../src/lint/helpers.js';

// Updates, patches and distribution upgrades download into the same cache as install.
const isInstall = (c: ShellCommand): boolean =>
  isSubcommand(c, ['zypper'], ['install', 'in', 'update', 'up', 'patch', 'dist-upgrade', 'dup'], ['r', 'repo']);
const cleans = (c: ShellCommand): boolean =>
  isSubcommand(c, ['zypper'], ['clean', 'cc']) || removesPath(c, ['/var/cache/zypp']);

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF011',
    name: 'zypper-cache-not-cleaned',
    type: 'size',
    summary: 'Run zypper clean after zypper install in the same RUN',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      notCleaned:
        '`zypper {{subcommand}}` leaves repository caches in /var/cache/zypp in this layer; add `&& zypper clean` or use `--mount=type=cache,target=/var/cache/zypp`.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3036', relation: 'same' },
      { tool: 'trivy', id: 'DS-0020', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.ships(instruction, '/var/cache/zypp') || ctx.hasCacheMount(instruction, '/var/cache/zypp')) return;
        // Safe: zypper refreshes its repositories again when a later RUN needs them.
        reportUncleanedCache(ctx, instruction, {
          isInstall,
          cleans,
          describe: (install) => ({
            data: { subcommand: install.args.find((a) => !a.startsWith('-'))! },
            fix: {
              cleanup: 'zypper clean --all',
              cacheTargets: ['/var/cache/zypp'],
              cacheOptions: ',sharing=locked',
              applicability: 'safe',
            },
          }),
        });
      },
    };
  },
});
