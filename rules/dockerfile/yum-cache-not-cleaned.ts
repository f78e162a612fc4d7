// DF009: yum install without `yum clean all` (hadolint DL3032).
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { reportUncleanedCache } from '../../src/lint/autofix.js';
import {
  defineRule,
  dockerfileMeta,
  isSubcommand,
  removesPath,
  rpmFamilyOf,
  RPM_CACHES,
} from '../../src/lint/helpers.js';

// `update`/`upgrade` download packages and metadata into the cache as install does.
const isInstall = (c: ShellCommand): boolean =>
  isSubcommand(c, ['yum'], ['install', 'groupinstall', 'localinstall', 'update', 'upgrade', 'reinstall']);

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
        '`yum {{subcommand}}` leaves metadata and packages in {{cache}} in this layer; add `&& yum clean all` or use {{mount}}.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3032', relation: 'same' },
      { tool: 'trivy', id: 'DS-0015', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        // `yum` is dnf on EL 8 and later, Amazon Linux 2023 and Fedora, and caches where that dnf does
        // (/var/cache/dnf, /var/cache/libdnf5); only yum 3 (EL 7, Amazon Linux 2) uses /var/cache/yum. On a base that
        // does not tell, a removal counts only when it covers both yum 3's and dnf 4's directory (`yum clean all` works
        // on both), or when it names dnf5's own directory, which only a yum that is dnf5 writes (Fedora 41 and later):
        // the author then knows the base, as DF010 takes it.
        const family = rpmFamilyOf(ctx, instruction.stageIndex);
        const caches = family ? [RPM_CACHES[family]] : [RPM_CACHES.yum3, RPM_CACHES.dnf4];
        if (!ctx.ships(instruction, ...caches) || ctx.hasCacheMount(instruction, ...caches)) return;
        const cleans = (c: ShellCommand): boolean =>
          (isSubcommand(c, ['yum'], ['clean']) && c.args.includes('all')) ||
          caches.every((cache) => removesPath(c, [cache])) ||
          (!family && removesPath(c, [RPM_CACHES.dnf5]));
        // Safe: yum downloads the metadata again when a later RUN needs it.
        reportUncleanedCache(ctx, instruction, {
          isInstall,
          cleans,
          describe: (install) => ({
            data: {
              subcommand: install.args.find((a) => !a.startsWith('-'))!,
              cache: family ? caches[0] : `${RPM_CACHES.yum3} (yum 3) or ${RPM_CACHES.dnf4} (where yum is dnf)`,
              mount: caches.map((cache) => `\`--mount=type=cache,target=${cache}\``).join(' and '),
            },
            fix: {
              cleanup: 'yum clean all',
              cacheTargets: caches,
              cacheOptions: ',sharing=locked',
              applicability: 'safe',
            },
          }),
        });
      },
    };
  },
});
