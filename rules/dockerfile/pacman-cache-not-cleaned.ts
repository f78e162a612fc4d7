// DF031: pacman (and the tools that install through it: makepkg -s, yay, paru) leaving downloaded packages in
// /var/cache/pacman/pkg.
import { flagNames, positionals, type ShellCommand } from '../../src/dockerfile/shell.js';
import { reportUncleanedCache } from '../../src/lint/autofix.js';
import { defineRule, dockerfileMeta, removesPath } from '../../src/lint/helpers.js';

const CACHE = '/var/cache/pacman/pkg';

// pacman's options that take the next word as their value (`-r` is --root, `-b` --dbpath).
const VALUE_FLAGS = [
  'r',
  'root',
  'b',
  'dbpath',
  'cachedir',
  'config',
  'ignore',
  'ignoregroup',
  'assume-installed',
  'overwrite',
  'arch',
  'gpgdir',
  'hookdir',
  'logfile',
  'color',
  'sysroot',
];

// Sync operations that read only: clean, search, info, list, groups, print (`-Sp` prints the URLs it would fetch).
const READ_ONLY = ['c', 'clean', 's', 'search', 'i', 'info', 'l', 'list', 'g', 'groups', 'p', 'print'];

/** A sync operation (`-S...`, `--sync`) of pacman or of an AUR helper that passes it to pacman. */
function syncFlags(c: ShellCommand): string[] | undefined {
  if (!['pacman', 'yay', 'paru'].includes(c.program)) return undefined;
  const flags = flagNames(c.args, VALUE_FLAGS);
  return flags.includes('S') || flags.includes('sync') ? flags : undefined;
}

/**
 * Whether the command downloads packages into the cache: `-S` with packages, `-Su` (`-Syu`) upgrading the system, or
 * `-Sw` (download only); not `-Sy` alone (it fetches the sync databases, kept in /var/lib/pacman/sync), nor a sync
 * operation that only reads. `makepkg -s` installs the missing dependencies with `pacman -S`.
 */
function isInstall(c: ShellCommand): boolean {
  if (c.program === 'makepkg') return flagNames(c.args, ['p', 'config']).some((f) => f === 's' || f === 'syncdeps');
  const flags = syncFlags(c);
  if (flags === undefined || flags.some((f) => READ_ONLY.includes(f))) return false;
  return (
    flags.some((f) => ['u', 'sysupgrade', 'w', 'downloadonly'].includes(f)) ||
    positionals(c.args, VALUE_FLAGS).length > 0
  );
}

/**
 * `pacman -Scc` fed its answer (`yes | pacman -Scc`): it asks whether to remove ALL files from the cache with No as the
 * default, which `--noconfirm` takes (measured with pacman 6.0.2: the cache stays). `pacman -Sc` keeps the packages
 * installed, which are those the install just downloaded. `paccache -rk0` (pacman-contrib) keeps no version.
 */
function cleans(c: ShellCommand): boolean {
  if (c.program === 'pacman' && c.pipedFromPrevious) {
    const flags = syncFlags(c);
    if (flags !== undefined && flags.filter((f) => f === 'c' || f === 'clean').length >= 2) return true;
  }
  if (c.program === 'paccache') {
    const flags = flagNames(c.args, ['k', 'keep', 'c', 'cachedir', 'i', 'ignore']);
    const keep = c.args.some(
      (a, i) => /^-[a-z]*k0$/.test(a) || a === '--keep=0' || (/^(-k|--keep)$/.test(a) && c.args[i + 1] === '0'),
    );
    if ((flags.includes('r') || flags.includes('remove')) && keep) return true;
  }
  return removesPath(c, [CACHE]);
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF031',
    name: 'pacman-cache-not-cleaned',
    type: 'size',
    summary: 'Empty /var/cache/pacman/pkg after pacman -S in the same RUN',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      notCleaned:
        '`{{command}}` leaves every package it downloaded in /var/cache/pacman/pkg in this layer; add `&& rm -rf /var/cache/pacman/pkg/*` (or `yes | pacman -Scc`: with `--noconfirm` pacman answers No) or use `--mount=type=cache,target=/var/cache/pacman/pkg`.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.ships(instruction, CACHE) || ctx.hasCacheMount(instruction, CACHE)) return;
        // Safe: pacman downloads a package again when a later RUN installs it; the cache is never read otherwise.
        reportUncleanedCache(ctx, instruction, {
          isInstall,
          cleans,
          describe: (install) => ({
            data: {
              command: `${install.program} ${install.program === 'makepkg' ? '-s' : (install.args.find((a) => /^-S|^--sync$/.test(a)) ?? '-S')}`,
            },
            fix: {
              cleanup: `rm -rf ${CACHE}/*`,
              cacheTargets: [CACHE],
              cacheOptions: ',sharing=locked',
              applicability: 'safe',
            },
          }),
        });
      },
    };
  },
});
