// DF010: dnf / microdnf install without `dnf clean all` (hadolint DL3040).
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { reportUncleanedCache } from '../../src/lint/autofix.js';
import {
  defineRule,
  DNF_PROGRAMS,
  dockerfileMeta,
  isSubcommand,
  removes,
  rpmCachesOf,
  rpmFamilyOf,
  RPM_CACHES,
  RPM_PROGRAMS,
} from '../../src/lint/helpers.js';

const CACHES = [RPM_CACHES.dnf5, RPM_CACHES.dnf4, RPM_CACHES.yum3];

// `update` is dnf's (4 and 5) and microdnf's other name for `upgrade`: the same download, the same cache.
const isInstall = (c: ShellCommand): boolean =>
  isSubcommand(c, DNF_PROGRAMS, ['install', 'groupinstall', 'localinstall', 'upgrade', 'update', 'reinstall']);

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF010',
    name: 'dnf-cache-not-cleaned',
    type: 'size',
    summary: 'Run dnf clean all after dnf install in the same RUN',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      notCleaned:
        '`{{program}} {{subcommand}}` leaves repository metadata and packages in /var/cache in this layer; add `&& {{program}} clean all` or use {{mount}}.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3040', relation: 'same' },
      { tool: 'trivy', id: 'DS-0019', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const family = rpmFamilyOf(ctx, instruction.stageIndex);
        const installs = ctx.commands(instruction).filter(isInstall);
        const caches = [...new Set(installs.flatMap((c) => rpmCachesOf(c.program, family)))];
        if (caches.length === 0 || !ctx.ships(instruction, ...CACHES) || ctx.hasCacheMount(instruction, ...caches))
          return;
        const cleans = (c: ShellCommand): boolean =>
          (isSubcommand(c, RPM_PROGRAMS, ['clean']) && c.args.includes('all')) ||
          removes(c, (p) => caches.some((cache) => p.startsWith(cache)));
        // Safe: dnf downloads the metadata again when a later RUN needs it. On a base that does not tell which dnf it
        // runs, removing either directory the program may use counts as cleaning (the Dockerfile's author knows which
        // it is), and the mount fix covers both (see rpmCachesOf).
        reportUncleanedCache(ctx, instruction, {
          isInstall,
          cleans,
          describe: (install) => ({
            data: {
              program: install.program,
              subcommand: install.args.find((a) => !a.startsWith('-'))!,
              // Where the base does not tell: `dnf` is dnf5 only from Fedora 41 on, EL 8/9 and older Fedora run dnf 4.
              mount:
                rpmCachesOf(install.program, family).length === 1
                  ? `\`--mount=type=cache,target=${rpmCachesOf(install.program, family)[0]}\``
                  : install.program === 'microdnf'
                    ? '`--mount=type=cache,target=/var/cache/yum` (microdnf of UBI and RHEL) or `target=/var/cache/libdnf5` (Fedora, where microdnf is dnf5)'
                    : '`--mount=type=cache,target=/var/cache/libdnf5` (dnf5, Fedora 41 and later) or `target=/var/cache/dnf` (dnf 4)',
            },
            fix: {
              cleanup: `${install.name} clean all`,
              cacheTargets: rpmCachesOf(install.program, family),
              cacheOptions: ',sharing=locked',
              applicability: 'safe',
            },
          }),
        });
      },
    };
  },
});
