// DF032: Composer installs leaving its download cache (~/.composer/cache, ~/.cache/composer, COMPOSER_CACHE_DIR,
// $COMPOSER_HOME/cache) in the layer.
import type { Instruction } from '../../src/dockerfile/parse.js';
import { hasFlag, positionals, type ShellCommand } from '../../src/dockerfile/shell.js';
import { homeAt, reportUncleanedCache, runsAsRoot } from '../../src/lint/autofix.js';
import { variableAt } from '../../src/lint/caches.js';
import {
  baseImageOf,
  defineRule,
  dockerfileMeta,
  fromHome,
  officialImageName,
  parseImageRef,
  removesPath,
} from '../../src/lint/helpers.js';
import type { DockerfileContext } from '../../src/report/rule.js';

// Global options that take the next word as their value.
const VALUE_FLAGS = ['d', 'working-dir'];
const INSTALLS = ['install', 'i', 'update', 'u', 'upgrade', 'require', 'r', 'create-project', 'reinstall'];
const CLEARS = ['clear-cache', 'clearcache', 'cc'];

/** Composer's words after the program: `composer ...`, `composer.phar ...`, or `php composer.phar ...`. */
function composerArgs(c: ShellCommand): string[] | undefined {
  if (c.program === 'composer' || c.program === 'composer.phar') return c.args;
  if (/^php[\d.]*$/.test(c.program) && /(^|\/)composer(\.phar)?$/.test(c.args[0] ?? '')) return c.args.slice(1);
  return undefined;
}

/** The subcommand as written, `global` with the one after it (`global require`: run in COMPOSER_HOME). */
function subcommandOf(c: ShellCommand): string | undefined {
  const args = composerArgs(c);
  if (args === undefined) return undefined;
  const [first, second] = positionals(args, VALUE_FLAGS);
  return first === 'global' && second !== undefined ? `global ${second}` : first;
}

/** The command `global` runs (`require` of `global require`): it uses the same cache. */
const commandOf = (c: ShellCommand): string => subcommandOf(c)?.replace(/^global /, '') ?? '';

/**
 * An install that downloads into the cache: not one given `--no-cache` (Composer 2's global option). `value` reads a
 * variable as the command sees it (see variableAt).
 */
function fills(c: ShellCommand, value: (c: ShellCommand, name: string) => string | undefined): boolean {
  if (!INSTALLS.includes(commandOf(c))) return false;
  const args = composerArgs(c)!;
  // COMPOSER_CACHE_DIR=/dev/null turns the cache off too: Composer cannot create a directory there.
  return !hasFlag(args, 'no-cache', 'help', 'h') && value(c, 'COMPOSER_CACHE_DIR') !== '/dev/null';
}

/**
 * The directories Composer may cache in for `install`: COMPOSER_CACHE_DIR, else $COMPOSER_HOME/cache (the official
 * composer image sets COMPOSER_HOME=/tmp), else ~/.composer/cache or, when Composer 2 follows XDG (an XDG_ variable set,
 * or /etc/xdg present, which the Dockerfile does not show), $XDG_CACHE_HOME/composer or ~/.cache/composer: both then.
 * `~` is left when the home is unknown. A variable is read as the install sees it: set on it, else exported before it
 * in the RUN (`export COMPOSER_CACHE_DIR=/tmp/c && composer install`), else by ARG/ENV.
 */
function cachesOf(ctx: DockerfileContext, instruction: Instruction, install: ShellCommand): string[] {
  const home = homeAt(ctx, instruction);
  const commands = ctx.commands(instruction);
  const value = (name: string) => {
    const v = variableAt(ctx, instruction, commands, install, name);
    return v === undefined ? undefined : fromHome(ctx.resolve(v, instruction), home).replace(/(.)\/+$/, '$1');
  };
  const dir = value('COMPOSER_CACHE_DIR');
  if (dir !== undefined) return [dir];
  const base = parseImageRef(baseImageOf(ctx, instruction.stageIndex) ?? '');
  const composerHome =
    value('COMPOSER_HOME') ?? (officialImageName(base.registry, base.repository) === 'composer' ? '/tmp' : undefined);
  if (composerHome !== undefined) return [`${composerHome}/cache`];
  const user = home ?? '~';
  return [`${user}/.composer/cache`, `${value('XDG_CACHE_HOME') ?? `${user}/.cache`}/composer`];
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF032',
    name: 'composer-cache-not-cleaned',
    type: 'size',
    summary: 'Pass --no-cache to composer install, or run composer clear-cache in the same RUN',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      notCleaned:
        '`composer {{command}}` leaves every package it downloaded in its cache ({{cache}}) in this layer as well as in vendor/; add `--no-cache`, `&& composer clear-cache` after it, or use `--mount=type=cache,target={{target}}`.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        // A variable as `c`, one of the commands `list` (the RUN's, or those of the RUN as fixed), sees it.
        const reader = (list: ShellCommand[]) => (c: ShellCommand, name: string) =>
          variableAt(ctx, instruction, list, c, name);
        const isInstall = (c: ShellCommand, list = commands) => fills(c, reader(list));
        const first = commands.find((c) => isInstall(c));
        if (first === undefined) return;
        const caches = cachesOf(ctx, instruction, first);
        const known = caches.filter((c) => c.startsWith('/') && !c.includes('$'));
        if (known.length === caches.length ? !ctx.ships(instruction, ...known) : !ctx.ships(instruction)) return;
        if (known.length > 0 && ctx.hasCacheMount(instruction, ...known)) return;
        if (
          known.length < caches.length &&
          ctx.cacheMounts(instruction).some((m) => /(\.composer\/cache|\.cache\/composer)\/?$/.test(m.target))
        )
          return;
        const home = homeAt(ctx, instruction);
        // `composer clear-cache` empties the cache it is told, so it must be told the same as the install.
        const told = (c: ShellCommand, list: ShellCommand[]) =>
          ['COMPOSER_CACHE_DIR', 'COMPOSER_HOME'].map((name) => reader(list)(c, name)).join('\n');
        const installTold = told(first, commands);
        const cleans = (c: ShellCommand, list: ShellCommand[]): boolean =>
          (CLEARS.includes(commandOf(c)) && told(c, list) === installTold) ||
          (c.program === 'rm' &&
            removesPath({ ...c, args: c.args.map((a) => ctx.resolve(a, instruction)) }, caches, home ?? '~'));
        // Safe: the cache only saves a later download; vendor/ keeps what was installed.
        reportUncleanedCache(ctx, instruction, {
          isInstall,
          cleans,
          describe: (install) => ({
            data: {
              command: subcommandOf(install)!,
              cache: caches.join(' or '),
              target: known.length === 1 && caches.length === 1 ? known[0] : caches[0].replace(/^~/, '<home>'),
            },
            fix: {
              cleanup: 'composer clear-cache',
              cacheTargets: known.length === 1 && caches.length === 1 && runsAsRoot(ctx, instruction) ? known : [],
              applicability: 'safe',
            },
          }),
        });
      },
    };
  },
});
