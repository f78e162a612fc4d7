// DF010: dnf / microdnf install without `dnf clean all` (hadolint DL3040).
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { reportUncleanedCache } from '../../src/lint/autofix.js';
import { defineRule, dockerfileMeta, isSubcommand, removes } from '../../src/lint/helpers.js';

const CACHES = ['/var/cache/libdnf5', '/var/cache/dnf', '/var/cache/yum'];

const isInstall = (c: ShellCommand): boolean =>
  isSubcommand(c, ['dnf', 'microdnf', 'dnf5'], ['install', 'groupinstall', 'localinstall', 'upgrade', 'reinstall']);
const cleans = (c: ShellCommand): boolean =>
  (isSubcommand(c, ['dnf', 'microdnf', 'dnf5', 'yum'], ['clean']) && c.args.includes('all')) ||
  removes(c, (p) => CACHES.some((cache) => p.startsWith(cache)));

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
        if (!ctx.ships(instruction, ...CACHES) || ctx.hasCacheMount(instruction, ...CACHES)) return;
        // Safe: dnf downloads the metadata again when a later RUN needs it. dnf5 (Fedora 41+'s dnf too) keeps its
        // cache in /var/cache/libdnf5, dnf 4 in /var/cache/dnf: the mount fix covers both. microdnf (UBI, RHEL) keeps
        // its metadata in /var/cache/yum; Fedora's microdnf is dnf5: its mount fix covers those two.
        reportUncleanedCache(ctx, instruction, {
          isInstall,
          cleans,
          describe: (install) => ({
            data: {
              program: install.program,
              subcommand: install.args.find((a) => !a.startsWith('-'))!,
              // `dnf` is dnf5 only from Fedora 41 on: EL 8/9 and older Fedora run dnf 4, whose cache is elsewhere.
              mount:
                install.program === 'dnf5'
                  ? '`--mount=type=cache,target=/var/cache/libdnf5`'
                  : install.program === 'microdnf'
                    ? '`--mount=type=cache,target=/var/cache/yum` (microdnf of UBI and RHEL) or `target=/var/cache/libdnf5` (Fedora, where microdnf is dnf5)'
                    : '`--mount=type=cache,target=/var/cache/libdnf5` (dnf5, Fedora 41 and later) or `target=/var/cache/dnf` (dnf 4)',
            },
            fix: {
              cleanup: `${install.name} clean all`,
              cacheTargets:
                install.program === 'microdnf'
                  ? ['/var/cache/yum', '/var/cache/libdnf5']
                  : ['/var/cache/dnf', '/var/cache/libdnf5'],
              cacheOptions: ',sharing=locked',
              applicability: 'safe',
            },
          }),
        });
      },
    };
  },
});
