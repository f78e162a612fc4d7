// DF010: dnf / microdnf install without `dnf clean all` (hadolint DL3040).
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { cleanupFix } from '../../src/lint/autofix.js';
import {
  cleanupAfter,
  defineRule,
  dockerfileMeta,
  isSubcommand,
  removes,
  unsureCleanup,
} from '../../src/lint/helpers.js';

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
        '`{{program}} {{subcommand}}` leaves repository metadata and packages in /var/cache in this layer; add `&& {{program}} clean all` or use `--mount=type=cache,target=/var/cache/libdnf5`.',
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
        const commands = ctx.commands(instruction);
        const installs = commands.filter(isInstall);
        if (installs.length === 0) return;
        const install = installs[0];
        const status = cleanupAfter(commands, installs, cleans);
        if (status !== 'always') {
          const subcommand = install.args.find((a) => !a.startsWith('-'))!;
          // Safe: dnf downloads the metadata again when a later RUN needs it. dnf5 (Fedora 41+'s dnf too) keeps its
          // cache in /var/cache/libdnf5, dnf 4 in /var/cache/dnf: the mount fix covers both.
          const fix = cleanupFix(ctx, instruction, {
            cleanup: `${install.name} clean all`,
            cacheTargets: ['/var/cache/dnf', '/var/cache/libdnf5'],
            cacheOptions: ',sharing=locked',
            applicability: 'safe',
            stillBad: (after) => cleanupAfter(after, after.filter(isInstall), cleans) !== 'always',
          });
          ctx.report({
            messageId: 'notCleaned',
            data: { program: install.program, subcommand },
            at: instruction,
            unsure: unsureCleanup(status),
            fix,
          });
        }
      },
    };
  },
});
