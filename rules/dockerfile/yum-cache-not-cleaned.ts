// DF009: yum install without `yum clean all` (hadolint DL3032).
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { reportUncleanedCache } from '../../src/lint/autofix.js';
import { defineRule, dockerfileMeta, isSubcommand, removesPath } from '../../src/lint/helpers.js';

const isInstall = (c: ShellCommand): boolean => isSubcommand(c, ['yum'], ['install', 'groupinstall', 'localinstall']);
const cleans = (c: ShellCommand): boolean =>
  (isSubcommand(c, ['yum'], ['clean']) && c.args.includes('all')) || removesPath(c, ['/var/cache/yum']);

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF009',
    name: 'yum-cache-not-cleaned',
    type: 'size',
    summary: 'Run yum clean all after yum install in the same RUN',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      notCleaned:
        '`yum install` leaves metadata and packages in /var/cache/yum in this layer; add `&& yum clean all` or use `--mount=type=cache,target=/var/cache/yum`.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3032', relation: 'same' },
      { tool: 'trivy', id: 'DS-0015', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.ships(instruction, '/var/cache/yum') || ctx.hasCacheMount(instruction, '/var/cache/yum')) return;
        // Safe: yum downloads the metadata again when a later RUN needs it.
        reportUncleanedCache(ctx, instruction, {
          isInstall,
          cleans,
          describe: () => ({
            fix: {
              cleanup: 'yum clean all',
              cacheTargets: ['/var/cache/yum'],
              cacheOptions: ',sharing=locked',
              applicability: 'safe',
            },
          }),
        });
      },
    };
  },
});
