// DF008: npm / pnpm installs keep their download cache in the layer.
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { cacheMountOwner, cleanupFix, homeAt } from '../../src/lint/autofix.js';
import { leftBehind, mountTarget, relativeBase, removesCache, type Script, scriptOf } from '../../src/lint/caches.js';
import {
  defineRule,
  dockerfileMeta,
  fromHome,
  isSubcommand,
  pathWithin,
  resolvePath,
  unsureCleanup,
  workdirTracker,
} from '../../src/lint/helpers.js';
import { listed } from '../../src/reporters/format.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF008',
    name: 'node-package-cache-not-cleaned',
    type: 'size',
    summary: 'Clean the npm or pnpm cache in the RUN that installs packages',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      npm: '`npm {{subcommand}}` leaves its download cache ({{cache}}) in this layer; add `&& {{clean}}` or use `--mount=type=cache,target={{target}}{{owner}}`.',
      pnpm: '`pnpm {{subcommand}}` leaves its content-addressed store in this layer; add `&& pnpm store prune` or use `--mount=type=cache,target={{store}}{{owner}}`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3060', relation: 'inspired' }],
  }),
  create(ctx) {
    const workdir = workdirTracker(ctx);
    return {
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        const vars = ctx.variables(instruction);
        const npms = commands.filter(isNpmInstall);
        if (npms.length > 0) {
          // npm reads its cache location from `--cache`, then npm_config_cache (any case, from ENV, the command's
          // environment or an `export` earlier in the script than npm); ~/.npm otherwise.
          // The location resolved with the ARG/ENV values, unless the shell leaves its `$` as written (`--cache '$C'`:
          // a directory named `$C`, not ARG C's value; see ShellCommand `literalDollar`).
          // ~ is the home of the USER in effect (/home/node under `USER node`); unknown under a numeric UID, where any
          // cache mount on a .npm directory is taken as the right one. npm reads a leading `~/` as the home itself
          // (quoted too); `$HOME` is the shell's, so a quoted one is a directory named `$HOME`.
          const home = homeAt(ctx, instruction);
          const cwd = workdir.current(instruction);
          // npm takes a relative cache from its working directory: the WORKDIR, unless a `cd` in effect there came
          // before it in the script (not one in a subshell that ended, see scriptOf), which may have gone anywhere; such
          // a cache stays relative, marked `./`. A `$` left as written is a directory of that name there; one the ARG/ENV
          // values left unresolved may be absolute once built, so stays as it is.
          const atHome = (path: string, moved: boolean, literal?: boolean): string => {
            const at = fromHome(path, home, literal);
            if (at.startsWith('~') || (!literal && at.includes('$'))) return at;
            if (moved && !at.startsWith('/')) return `./${at.replace(/^(\.\/)+/, '').replace(/\/+$/, '')}`;
            return resolvePath(at, cwd);
          };
          const resolve = (literal: boolean | undefined, value: string, moved: boolean): string =>
            atHome(literal ? value : ctx.resolve(value, instruction), moved, literal);
          /** The cache npm run as `c` (or appended at the end, `c` undefined) uses, in `script`. */
          const cacheOf = (script: Script, c?: ShellCommand): string => {
            const place = c ? script.at.get(c)! : script.list.length;
            const moved = script.cdBefore[place] >= 0;
            const flag = c?.args.findIndex((a) => a === '--cache' || a.startsWith('--cache=')) ?? -1;
            if (c && flag >= 0) {
              const at = c.args[flag].includes('=') ? flag : flag + 1;
              const word = c.args[at] ?? '';
              return resolve(c.literalDollar?.args.has(at), at === flag ? word.slice('--cache='.length) : word, moved);
            }
            const own = c && envName(c.env);
            if (c && own !== undefined) return resolve(c.literalDollar?.env.has(own), c.env[own], moved);
            // The last export before npm: one after it sets the cache of later commands only.
            const exporter = script.exporterBefore[place];
            if (exporter !== undefined) {
              const exported = exporter.args.findLastIndex((a) => /^npm_config_cache=/i.test(a));
              const word = exporter.args[exported];
              return resolve(exporter.literalDollar?.args.has(exported), word.slice(word.indexOf('=') + 1), moved);
            }
            return atHome(ctx.resolve(envValue(vars) ?? '~/.npm', instruction), moved);
          };
          const mounts = ctx.cacheMounts(instruction);
          const scriptOfNpm = (list: ShellCommand[]): Script =>
            scriptOf(list, (c) => c.program === 'export' && c.args.some((a) => /^npm_config_cache=/i.test(a)));
          /**
           * The installs of script `list` whose cache no mount covers and no later command cleans on every path, with
           * that cache and how sure that is (the first install of each cache): a `npm cache clean` counts for the cache
           * it itself uses, an `rm` for the cache it names (see removesNpmCache). Installs are taken together by cache
           * (and, for one a `cd` placed, by the `cd` in effect there), and only `rm` and `npm cache clean` are asked
           * about: the work grows with the caches, not with installs times commands.
           */
          const leftIn = (list: ShellCommand[]) => {
            const script = scriptOfNpm(list);
            const candidates = new Map<ShellCommand, string | undefined>();
            for (const c of list)
              if (c.program === 'rm') candidates.set(c, undefined);
              else if (isSubcommand(c, ['npm'], ['cache']) && c.args.includes('clean'))
                candidates.set(c, cacheOf(script, c));
            return leftBehind(ctx, instruction, script, list.filter(isNpmInstall), {
              cacheOf: (c) => cacheOf(script, c),
              key: (c, cache) => (cache.startsWith('./') ? `${script.cdBefore[script.at.get(c)!]}:${cache}` : cache),
              mounted: (cache) =>
                ctx.hasCacheMount(instruction, cache) ||
                (home === undefined &&
                  cache.endsWith('/.npm') &&
                  mounts.some((m) => /(^|\/)\.npm(\/|$)/.test(m.target))),
              cleans: (c, cache, installs) => {
                if (!candidates.has(c)) return false;
                const base = relativeBase(script, installs[0], c, cache, cwd);
                const cleaned = candidates.get(c);
                // (a relative cache a `cd` placed is the same one only where npm ran: no `cd` between)
                if (cleaned !== undefined) return cleaned === cache && (!cache.startsWith('./') || base !== undefined);
                return removesNpmCache(c, cache, home, base);
              },
              // An unknown home is /root or somewhere under /home for nearly every image; a cache whose directory a
              // `cd` chose is anywhere the stage has.
              shipping: (c) =>
                c.startsWith('~') ? [`/root${c.slice(1)}`, '/home'] : c.startsWith('./') ? undefined : [c],
            });
          };
          const left = leftIn(commands);
          const script = scriptOfNpm(commands);
          const caches = [...new Set(left.map((l) => l.cache))];
          if (left.length > 0) {
            const status = left.some((l) => l.status === 'never') ? 'never' : 'maybe';
            const npm = left[0].install;
            // `npm cache clean --force` appended to the script cleans the cache npm_config_cache (or the home) names
            // there; another cache needs its `--cache`, written out for a plain path: absolute, or relative when the
            // script ends in the directory npm ran in (no `cd` after it).
            const bare = cacheOf(script);
            const stays = (install: ShellCommand) =>
              script.cdBefore[commands.length] === script.cdBefore[script.at.get(install)!];
            const cleanup = [
              ...new Set(
                left.map(({ install, cache: c }) =>
                  c !== bare && /^\/[\w./@+-]*$/.test(c)
                    ? `npm cache clean --force --cache ${c}`
                    : c !== bare && /^\.\/[\w./@+-]*$/.test(c) && stays(install)
                      ? `npm cache clean --force --cache ${c.slice(2)}`
                      : 'npm cache clean --force',
                ),
              ),
            ].join(' && ');
            // Safe: `npm cache clean --force` empties the download cache only; node_modules stays. The cache mount
            // is offered only for the default cache (a custom --cache or npm_config_cache would need that target).
            const fix = cleanupFix(ctx, instruction, {
              cleanup,
              cacheTargets: caches.length === 1 && caches[0] === '/root/.npm' ? ['/root/.npm'] : [],
              applicability: 'safe',
              stillBad: (after) => leftIn(after).length > 0,
            });
            ctx.report({
              messageId: 'npm',
              data: {
                subcommand: npm.args.find((a) => !a.startsWith('-'))!,
                // The caches this RUN leaves (`--cache`, npm_config_cache, the user's ~/.npm). BuildKit does not
                // expand `~` in a mount target: an unknown home is a placeholder there. A `$` there is the builder's
                // variable, not the directory npm took as written (`--cache '$HOME/.npm'`): a placeholder too, as
                // is a directory a `cd` chose, and several caches (one mount each).
                cache: listed(caches.map((c) => `${c}/_cacache`)),
                clean: cleanup,
                target: caches.length === 1 ? mountTarget(caches[0]) : '<cache directory>',
                owner: cacheMountOwner(ctx, instruction),
              },
              at: instruction,
              unsure: unsureCleanup(status),
              fix,
            });
          }
        }
        const pnpms = commands.filter((c) => isSubcommand(c, ['pnpm'], ['install', 'i', 'add']));
        if (pnpms.length > 0) {
          // pnpm's store (`pnpm store path`): the --store-dir given, else npm_config_store_dir (any case: on the
          // command, exported before it in the script, or from ENV/ARG), else $PNPM_HOME/store (the same), else
          // $XDG_DATA_HOME/pnpm/store (the same), else the XDG data directory of the USER in effect,
          // ~/.local/share/pnpm/store. `~` and `$HOME` are that home, ARG/ENV values in. A store setting always wins
          // over PNPM_HOME, wherever each is set. A relative one is read as npm's relative cache is: from the WORKDIR,
          // or, after a `cd` in effect there, from wherever that went (marked `./`).
          const home = homeAt(ctx, instruction);
          const cwd = workdir.current(instruction);
          const exporting = (name: RegExp) => (c: ShellCommand) =>
            c.program === 'export' && c.args.some((a) => name.test(assigned(a)));
          const storeDirs = scriptOf(commands, exporting(STORE_DIR));
          const pnpmHomes = scriptOf(commands, exporting(PNPM_HOME));
          const xdgHomes = scriptOf(commands, exporting(XDG_DATA_HOME));
          /** `path` as pnpm reads it where `c` runs: `~` and `$HOME` the home, a relative one from its directory. */
          const atHome = (c: ShellCommand, path: string): string => {
            const at = fromHome(ctx.resolve(path, instruction), home).replace(/(.)\/+$/, '$1');
            if (at.startsWith('~') || at.startsWith('/') || at.includes('$')) return at;
            if (storeDirs.cdBefore[storeDirs.at.get(c)!] >= 0) return `./${at.replace(/^(\.\/)+/, '')}`;
            return resolvePath(at, cwd);
          };
          /** The value `c` gets for the variable `name` reads: on the command, else from `exporter`, else ARG/ENV. */
          const valueOf = (c: ShellCommand, exporter: ShellCommand | undefined, name: RegExp): string | undefined => {
            const own = Object.keys(c.env).find((n) => name.test(n));
            if (own !== undefined) return c.env[own];
            const exported = exporter?.args.findLast((a) => name.test(assigned(a)));
            if (exported !== undefined) return exported.slice(exported.indexOf('=') + 1);
            const set = Object.keys(vars).find((n) => name.test(n) && vars[n] !== undefined);
            return set === undefined ? undefined : vars[set];
          };
          const storeOf = (c: ShellCommand): string => {
            const i = storeDirs.at.get(c)!;
            const flag = c.args.findLastIndex((a) => a === '--store-dir' || a.startsWith('--store-dir='));
            const given =
              flag < 0
                ? valueOf(c, storeDirs.exporterBefore[i], STORE_DIR)
                : c.args[flag].includes('=')
                  ? c.args[flag].slice('--store-dir='.length)
                  : c.args[flag + 1];
            if (given) return atHome(c, given);
            const pnpmHome = valueOf(c, pnpmHomes.exporterBefore[i], PNPM_HOME);
            if (pnpmHome) return `${atHome(c, pnpmHome)}/store`;
            const xdg = valueOf(c, xdgHomes.exporterBefore[i], XDG_DATA_HOME);
            return xdg ? `${atHome(c, xdg)}/pnpm/store` : `${home ?? '~'}/.local/share/pnpm/store`;
          };
          // A cache mount on the store or a directory above it; with the home unknown (`~`), one on the same place
          // under /root or any /home/NAME. A store whose place the ARG/ENV values leave open (a `$`), or one a `cd`
          // placed: any mount on a pnpm directory is taken for it.
          const targets = ctx.cacheMounts(instruction).map((m) => ctx.resolve(m.target, instruction));
          const mounted = (store: string): boolean => {
            if (ctx.hasCacheMount(instruction, store)) return true;
            if (store.startsWith('~/'))
              return targets.some((t) => {
                const inHome = /^\/(root|home\/[^/]+)(?=\/|$)/.exec(t);
                return inHome !== null && pathWithin(store.slice(1), t.slice(inHome[0].length) || '/');
              });
            return (!store.startsWith('/') || store.includes('$')) && targets.some((t) => t.includes('pnpm'));
          };
          // `pnpm store prune` empties the store it itself uses; an `rm -rf` only of that directory or one above it
          // (not `/`). For a store a `cd` placed, only with the same `cd` in effect (see relativeBase). Installs are
          // taken together by store, and by the `cd` in effect for one a `cd` placed.
          const left = leftBehind(ctx, instruction, storeDirs, pnpms, {
            cacheOf: storeOf,
            key: (c, store) =>
              store.startsWith('./') ? `${storeDirs.cdBefore[storeDirs.at.get(c)!]}:${store}` : store,
            mounted,
            cleans: (c, store, installs) => {
              const base = relativeBase(storeDirs, installs[0], c, store, cwd);
              if (isSubcommand(c, ['pnpm'], ['store']) && c.args.includes('prune'))
                return storeOf(c) === store && (!store.startsWith('./') || base !== undefined);
              return (
                c.program === 'rm' &&
                removesCache({ ...c, args: c.args.map((a) => ctx.resolve(a, instruction)) }, store, home, base)
              );
            },
            // An unknown home is /root or somewhere under /home; a store a `cd` placed is anywhere the stage has.
            shipping: (store) =>
              store.startsWith('~')
                ? [`/root${store.slice(1)}`, '/home']
                : store.startsWith('./')
                  ? undefined
                  : store.startsWith('/')
                    ? [store]
                    : ['/root/.local/share/pnpm', '/root/.cache/pnpm', '/pnpm', '/home/*/.local/share/pnpm'],
          });
          if (left.length > 0)
            ctx.report({
              messageId: 'pnpm',
              data: {
                subcommand: pnpms[0].args.find((a) => !a.startsWith('-'))!,
                store:
                  /^(~|\/)/.test(left[0].cache) && !left[0].cache.includes('$')
                    ? left[0].cache.replace(/^~/, '<home>')
                    : '<store directory>',
                owner: cacheMountOwner(ctx, instruction),
              },
              at: instruction,
              unsure: unsureCleanup(left.some((l) => l.status === 'never') ? 'never' : 'maybe'),
            });
        }
      },
    };
  },
});

// pnpm's store directory setting (pnpm reads npm_config_* in any case) and PNPM_HOME, by variable name.
const STORE_DIR = /^npm_config_store_dir$/i;
const PNPM_HOME = /^PNPM_HOME$/;
const XDG_DATA_HOME = /^XDG_DATA_HOME$/;

/** The variable an `export NAME=value` word assigns ('' for a word with no value). */
const assigned = (word: string): string => (word.includes('=') ? word.slice(0, word.indexOf('=')) : '');

function isNpmInstall(c: ShellCommand): boolean {
  return isSubcommand(c, ['npm'], ['install', 'i', 'ci', 'add', 'update']);
}

function envValue(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return env.npm_config_cache ?? env.NPM_CONFIG_CACHE;
}

/** The name npm_config_cache is set under in a command's environment (npm reads the lower case one first). */
function envName(env: Readonly<Record<string, string>>): string | undefined {
  return ['npm_config_cache', 'NPM_CONFIG_CACHE'].find((name) => env[name] !== undefined);
}

/**
 * `rm -rf` of the cache directory or of its `_cacache` (where npm keeps the downloads), through ~ or $HOME too, read as
 * `home`, or relative to `base` (see relativeBase). Another cache's `_cacache` is not this one.
 */
function removesNpmCache(command: ShellCommand, cache: string, home: string | undefined, base?: string): boolean {
  return removesCache(command, `${cache}/_cacache`, home, base);
}
