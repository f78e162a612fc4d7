// DF008: npm / pnpm installs keep their download cache in the layer.
import { positionals, readArgs, shellQuote, type ShellCommand } from '../../src/dockerfile/shell.js';
import { cacheMountOwner, cleanupFix, homeAt } from '../../src/lint/autofix.js';
import {
  cacheDirAt,
  type CacheDirSpec,
  cacheShown,
  cacheVariables,
  cleanCommand,
  cleansOwn,
  exportsCacheDir,
  givenLiterally,
  leftBehind,
  mountTarget,
  relativeBase,
  removesCache,
  settingAt,
} from '../../src/lint/caches.js';
import {
  defineRule,
  dockerfileMeta,
  isSubcommand,
  pathWithin,
  unsureCleanup,
  workdirTracker,
  type Script,
  scriptOf,
} from '../../src/lint/helpers.js';
import { listed } from '../../src/report/lists.js';

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
      npmAfterCd:
        '`npm {{subcommand}}` leaves its download cache ({{cache}}) in this layer; run `{{clean}}` while that `cd` is in effect (before its subshell ends or another `cd`), or `rm -rf` the cache there, or use `--mount=type=cache,target={{target}}{{owner}}`.',
      npmAfterSet:
        '`npm {{subcommand}}` leaves its download cache ({{cache}}) in this layer; run `{{clean}}` before the RUN sets {{variables}} again or leaves the subshell npm ran in, or `rm -rf` the cache there, or use `--mount=type=cache,target={{target}}{{owner}}`.',
      pnpm: '`pnpm {{subcommand}}` copies packages into node_modules (package-import-method {{method}}), so its content-addressed store ({{store}}) duplicates them in this layer; add `&& {{clean}}` once installed (`pnpm store prune` removes only packages no project uses, little right after an install) or use `--mount=type=cache,target={{target}}{{owner}}`.',
      pnpmAfterCd:
        '`pnpm {{subcommand}}` copies packages into node_modules (package-import-method {{method}}), so its content-addressed store ({{store}}) duplicates them in this layer; run `{{clean}}` while that `cd` is in effect (before its subshell ends or another `cd`) or use `--mount=type=cache,target={{target}}{{owner}}`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3060', relation: 'inspired' }],
  }),
  create(ctx) {
    const workdir = workdirTracker(ctx);
    return {
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        const npms = commands.filter(isNpmInstall);
        if (npms.length > 0) {
          // npm reads its cache location from `--cache`, then npm_config_cache (any case, on the command, exported
          // earlier in the script than npm, or from ENV/ARG), as caches.ts cacheDirAt reads a cache directory; ~/.npm
          // otherwise. ~ is the home of the USER in effect (/home/node under `USER node`); unknown under a numeric UID,
          // where any cache mount on a .npm directory is taken as the right one.
          const home = homeAt(ctx, instruction);
          const cwd = workdir.current(instruction);
          /** The cache npm run as `c` (or appended at the end, `c` undefined) uses, in `script`. */
          const cacheOf = (script: Script, c?: ShellCommand): string =>
            cacheDirAt(ctx, instruction, script, c ? script.at.get(c)! : script.list.length, NPM_CACHE, {
              home,
              cwd,
            }) ?? `${home ?? '~'}/.npm`;
          const mounts = ctx.cacheMounts(instruction);
          const scriptOfNpm = (list: ShellCommand[]): Script => scriptOf(list, exportsCacheDir(NPM_CACHE));
          /**
           * The installs of script `list` whose cache no mount covers and no later command cleans on every path, with
           * that cache and how sure that is (the first install of each cache): a `npm cache clean` counts for the cache
           * it itself uses, an `rm` for the cache it names (see removesNpmCache). Installs are taken together by cache
           * (and, for one a `cd` placed, by the `cd` in effect there), and only `rm` and `npm cache clean` are asked
           * about: the work grows with the caches, not with installs times commands.
           */
          const leftIn = (list: ShellCommand[], script = scriptOfNpm(list)) => {
            const candidates = new Map<ShellCommand, string | undefined>();
            for (const c of list)
              if (c.program === 'rm') candidates.set(c, undefined);
              else if (isSubcommand(c, ['npm'], ['cache']) && c.args.includes('clean'))
                candidates.set(c, cacheOf(script, c));
            return leftBehind(ctx, instruction, script, list.filter(isNpmInstall), {
              cacheOf: (c) => cacheOf(script, c),
              mounted: (cache) =>
                ctx.hasCacheMount(instruction, cache) ||
                (home === undefined &&
                  cache.endsWith('/.npm') &&
                  mounts.some((m) => /(^|\/)\.npm(\/|$)/.test(m.target))),
              cleans: (c, cache, installs) => {
                if (!candidates.has(c)) return false;
                const cleaned = candidates.get(c);
                if (cleaned !== undefined) return cleansOwn(script, installs[0], c, cache, cleaned);
                return removesNpmCache(c, cache, home, relativeBase(script, installs[0], c, cache, cwd));
              },
              // An unknown home is /root or somewhere under /home for nearly every image; a cache whose directory a
              // `cd` chose is anywhere the stage has.
              shipping: (c) =>
                c.startsWith('~') ? [`/root${c.slice(1)}`, '/home'] : c.startsWith('./') ? undefined : [c],
            });
          };
          // (the RUN's script read once, for its caches and for the message)
          const script = scriptOfNpm(commands);
          const left = leftIn(commands, script);
          const caches = [...new Set(left.map((l) => l.cache))];
          if (left.length > 0) {
            const status = left.some((l) => l.status === 'never') ? 'never' : 'maybe';
            const npm = left[0].install;
            // `npm cache clean --force` appended to the script cleans the cache npm_config_cache (or the home) names
            // there; another cache needs its `--cache` (see cleanCommand). One a `cd` placed is emptied only where
            // that `cd` is in effect, and one under `~` or with a `$` only while HOME or that variable holds what it
            // held for npm: after that (a subshell ended, another `cd`, the variable set again) the advice is to clean
            // it before, and the fix, appended at the end, is not offered (stillBad).
            const cleans = left.map(({ install, cache: c }) =>
              cleanCommand(
                script,
                install,
                c,
                cacheOf(script),
                'npm cache clean --force',
                '--cache',
                givenLiterally(ctx, instruction, script, script.at.get(install)!, NPM_CACHE),
              ),
            );
            const cleanup = [...new Set(cleans.map((c) => c.command))].join(' && ');
            // Safe: `npm cache clean --force` empties the download cache only; node_modules stays. The cache mount
            // is offered only for the default cache (a custom --cache or npm_config_cache would need that target).
            const fix = cleanupFix(ctx, instruction, {
              cleanup,
              cacheTargets: caches.length === 1 && caches[0] === '/root/.npm' ? ['/root/.npm'] : [],
              applicability: 'safe',
              stillBad: (after) => leftIn(after).length > 0,
            });
            ctx.report({
              messageId: cleans.some((c) => c.elsewhere === 'cd')
                ? 'npmAfterCd'
                : cleans.some((c) => c.elsewhere === 'set')
                  ? 'npmAfterSet'
                  : 'npm',
              data: {
                subcommand: npm.args.find((a) => !a.startsWith('-'))!,
                // The caches this RUN leaves (`--cache`, npm_config_cache, the user's ~/.npm). BuildKit does not
                // expand `~` in a mount target: an unknown home is a placeholder there. A `$` there is the builder's
                // variable, not the directory npm took as written (`--cache '$HOME/.npm'`): a placeholder too, as
                // is a directory a `cd` chose, and several caches (one mount each).
                cache: listed([...new Set(left.map((l) => cacheShown(script, l.install, `${l.cache}/_cacache`)))]),
                clean: cleanup,
                variables: listed(
                  [...new Set(left.flatMap((l, i) => (cleans[i].elsewhere ? cacheVariables(l.cache) : [])))].map(
                    (n) => `\`${n}\``,
                  ),
                ),
                target: caches.length === 1 ? mountTarget(caches[0]) : '<cache directory>',
                owner: cacheMountOwner(ctx, instruction),
              },
              at: instruction,
              unsure: unsureCleanup(status),
              fix,
            });
          }
        }
        // pnpm's default package-import-method (auto: clone, else hard link, else copy) hard-links the store's files
        // into node_modules when both are on one filesystem, as they are in a RUN without a cache mount (one layer;
        // tar keeps a hard link once): the store then adds only its index files (measured with pnpm 9: 287 of 291
        // files linked, 55 of 849 kB the store's own). Only an install told to copy (`copy`, or `clone-or-copy` on a
        // filesystem without reflinks, which overlayfs is) duplicates the packages. The method is
        // --package-import-method, else npm_config_package_import_method (any case: on the command, exported before
        // it in the script, or from ENV/ARG); an .npmrc that sets it is out of sight.
        const importMethods = scriptOf(commands, exportsCacheDir(IMPORT_METHOD));
        const methodOf = (c: ShellCommand) =>
          settingAt(ctx, instruction, importMethods, importMethods.at.get(c)!, IMPORT_METHOD);
        const pnpms = commands.filter(
          (c) =>
            isSubcommand(c, ['pnpm'], ['install', 'i', 'add'], PNPM_VALUE_FLAGS) &&
            COPYING_METHODS.includes(methodOf(c) ?? ''),
        );
        if (pnpms.length > 0) {
          // pnpm's store (`pnpm store path`): the --store-dir given, else npm_config_store_dir (any case: on the
          // command, exported before it in the script, or from ENV/ARG), else $PNPM_HOME/store (the same), else
          // $XDG_DATA_HOME/pnpm/store (the same), else the XDG data directory of the USER in effect,
          // ~/.local/share/pnpm/store. `~` and `$HOME` are that home, ARG/ENV values in. A store setting always wins
          // over PNPM_HOME, wherever each is set. A relative one is read as npm's relative cache is: from the WORKDIR,
          // or, after a `cd` in effect there, from wherever that went (marked `./`).
          const home = homeAt(ctx, instruction);
          const cwd = workdir.current(instruction);
          const storeDirs = scriptOf(commands, exportsCacheDir(STORE_DIR));
          const pnpmHomes = scriptOf(commands, exportsCacheDir(PNPM_HOME));
          const xdgHomes = scriptOf(commands, exportsCacheDir(XDG_DATA_HOME));
          const storeOf = (c: ShellCommand): string => {
            const i = storeDirs.at.get(c)!;
            const where = { home, cwd };
            const given = cacheDirAt(ctx, instruction, storeDirs, i, STORE_DIR, where);
            if (given !== undefined) return given;
            const pnpmHome = cacheDirAt(ctx, instruction, pnpmHomes, i, PNPM_HOME, where);
            if (pnpmHome !== undefined) return `${pnpmHome}/store`;
            const xdg = cacheDirAt(ctx, instruction, xdgHomes, i, XDG_DATA_HOME, where);
            return xdg !== undefined ? `${xdg}/pnpm/store` : `${home ?? '~'}/.local/share/pnpm/store`;
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
          // An `rm -rf` of the store or a directory above it (not `/`) empties it; for a store a `cd` placed, only with
          // the same `cd` in effect (see relativeBase). `pnpm store prune` does not: it removes only packages no project
          // uses (pnpm's docs), and right after an install its project uses them all. Installs are taken together by
          // store, and by the `cd` in effect for one a `cd` placed.
          const left = leftBehind(ctx, instruction, storeDirs, pnpms, {
            cacheOf: storeOf,
            mounted,
            cleans: (c, store, installs) => {
              const base = relativeBase(storeDirs, installs[0], c, store, cwd);
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
          if (left.length > 0) {
            // `pnpm store prune` removes only the packages no project on the machine uses (pnpm's docs): right after
            // an install, nearly none. Removing the store empties it; node_modules keeps its own copies.
            // One a `cd` placed is removed only where that `cd` is in effect (see relativeBase).
            const rms = left.map(({ install, cache: store }) => {
              const path = store.startsWith('./') ? store.slice(2) : store;
              return {
                command: `rm -rf ${path.includes('$') ? '<store directory>' : path.startsWith('~/') ? `~/${shellQuote(path.slice(2))}` : shellQuote(path)}`,
                elsewhere:
                  store.startsWith('./') &&
                  storeDirs.cdBefore[commands.length] !== storeDirs.cdBefore[storeDirs.at.get(install)!],
              };
            });
            ctx.report({
              messageId: rms.some((r) => r.elsewhere) ? 'pnpmAfterCd' : 'pnpm',
              data: {
                subcommand: positionals(left[0].install.args, PNPM_VALUE_FLAGS)[0],
                method: methodOf(left[0].install)!,
                store: listed([...new Set(left.map((l) => cacheShown(storeDirs, l.install, l.cache)))]),
                clean: [...new Set(rms.map((r) => r.command))].join(' && '),
                target:
                  left.length === 1 && /^(~|\/)/.test(left[0].cache) && !left[0].cache.includes('$')
                    ? left[0].cache.replace(/^~/, '<home>')
                    : '<store directory>',
                owner: cacheMountOwner(ctx, instruction),
              },
              at: instruction,
              unsure: unsureCleanup(left.some((l) => l.status === 'never') ? 'never' : 'maybe'),
            });
          }
        }
      },
    };
  },
});

// Where npm is told its cache is, and pnpm its store (pnpm reads npm_config_* in any case), PNPM_HOME and the XDG data
// directory: read by caches.ts cacheDirAt.
const NPM_CACHE: CacheDirSpec = { options: ['cache'], variables: ['npm_config_cache'], anyCase: true };
// pnpm runs as if started in its --dir (-C), and reads a relative store from there.
const STORE_DIR: CacheDirSpec = {
  options: ['store-dir'],
  variables: ['npm_config_store_dir'],
  anyCase: true,
  directory: (c) =>
    readArgs(c.args, PNPM_VALUE_FLAGS).options.findLast((o) => o.name === 'C' || o.name === 'dir')?.value,
};
// pnpm's options before the command that take a value (`pnpm -C web install`, `pnpm --filter api add x`).
const PNPM_VALUE_FLAGS = ['C', 'dir', 'F', 'filter', 'store-dir', 'package-import-method'];
// How pnpm puts the store's files into node_modules, and the methods that copy them in a layer (see the RUN handler).
const IMPORT_METHOD: CacheDirSpec = {
  options: ['package-import-method'],
  variables: ['npm_config_package_import_method'],
  anyCase: true,
};
const COPYING_METHODS = ['copy', 'clone-or-copy'];
const PNPM_HOME: CacheDirSpec = { variables: ['PNPM_HOME'] };
const XDG_DATA_HOME: CacheDirSpec = { variables: ['XDG_DATA_HOME'] };

function isNpmInstall(c: ShellCommand): boolean {
  return isSubcommand(c, ['npm'], ['install', 'i', 'ci', 'add', 'update']);
}

/**
 * `rm -rf` of the cache directory or of its `_cacache` (where npm keeps the downloads), through ~ or $HOME too, read as
 * `home`, or relative to `base` (see relativeBase). Another cache's `_cacache` is not this one.
 */
function removesNpmCache(command: ShellCommand, cache: string, home: string | undefined, base?: string): boolean {
  return removesCache(command, `${cache}/_cacache`, home, base);
}
