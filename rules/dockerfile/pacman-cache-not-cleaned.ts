// DF031: pacman (and the tools that install through it: makepkg -s, yay, paru) leaving downloaded packages in
// /var/cache/pacman/pkg.
import { flagNames, positionals, shellQuote, type ShellCommand } from '../../src/dockerfile/shell.js';
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

/** The cache directory a pacman command is told (`--cachedir DIR`, the last one given), else the default. */
function cacheOf(c: ShellCommand): string {
  let dir = CACHE;
  c.args.forEach((a, i) => {
    if (a === '--cachedir' && i + 1 < c.args.length) dir = c.args[i + 1];
    else if (a.startsWith('--cachedir=')) dir = a.slice('--cachedir='.length);
  });
  return dir.replace(/(.)\/+$/, '$1');
}

/** A sync operation (`-S...`, `--sync`) of pacman or of an AUR helper that passes it to pacman. */
function syncFlags(c: ShellCommand): readonly string[] | undefined {
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
function cleans(c: ShellCommand, cache: string): boolean {
  if (c.program === 'pacman' && c.pipedFromPrevious && cacheOf(c) === cache) {
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
  return removesPath(c, [cache]);
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
        '`{{command}}` leaves every package it downloaded in {{cache}} in this layer; add `&& rm -rf {{cache}}/*` (or `yes | pacman -Scc`: with `--noconfirm` pacman answers No) or use `--mount=type=cache,target={{cache}}`.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        // The cache the first install is told (a relative or `$` one is left as written, and taken as shipped).
        const first = ctx.commands(instruction).find(isInstall);
        if (first === undefined) return;
        const cache = ctx.resolve(cacheOf(first), instruction);
        const known = cache.startsWith('/') && !cache.includes('$');
        if (!(known ? ctx.ships(instruction, cache) : ctx.ships(instruction)) || ctx.hasCacheMount(instruction, cache))
          return;
        // Safe: pacman downloads a package again when a later RUN installs it; the cache is never read otherwise.
        reportUncleanedCache(ctx, instruction, {
          isInstall,
          cleans: (c) => cleans({ ...c, args: c.args.map((a) => ctx.resolve(a, instruction)) }, cache),
          describe: (install) => ({
            data: {
              cache,
              command: `${install.program} ${install.program === 'makepkg' ? '-s' : (install.args.find((a) => /^-S|^--sync$/.test(a)) ?? '-S')}`,
            },
            fix: {
              cleanup: `rm -rf ${known ? shellQuote(cache) : cacheOf(first)}/*`,
              cacheTargets: known ? [cache] : [],
              cacheOptions: ',sharing=locked',
              applicability: 'safe',
            },
          }),
        });
      },
    };
  },
});
