// DF007: yarn install (or yarn, yarn add, yarn global add) without cleaning its cache in the same RUN (hadolint DL3060).
import { hasFlag, positionals, type ShellCommand } from '../../src/dockerfile/shell.js';
import { cacheMountOwner, cleanupFix, homeAt, runsAsRoot } from '../../src/lint/autofix.js';
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
} from '../../src/lint/caches.js';
import {
  defineRule,
  dockerfileMeta,
  isSubcommand,
  unsureCleanup,
  workdirTracker,
  type Script,
  scriptOf,
} from '../../src/lint/helpers.js';
import { listed } from '../../src/reporters/format.js';

// Yarn 1 keeps its cache in /usr/local/share/.cache/yarn as root, ~/.cache/yarn otherwise.
const CACHES = ['/usr/local/share/.cache/yarn', '/root/.cache/yarn', '/home/*/.cache/yarn'];

// Yarn 1's options that take the next word as their value, so `yarn --cwd app install` is read as an install.
const VALUE_FLAGS = [
  'cwd',
  'cache-folder',
  'preferred-cache-folder',
  'modules-folder',
  'global-folder',
  'link-folder',
  'mutex',
  'network-timeout',
  'network-concurrency',
  'child-concurrency',
  'registry',
  'use-yarnrc',
  'proxy',
  'https-proxy',
];

/**
 * The yarn command that downloads packages into its cache, as the message names it: `yarn install`, bare `yarn` (an
 * install), `yarn add`, `yarn global add`, and either of the first ones run in a workspace (`yarn workspace api add x`).
 * Undefined for any other command (`yarn build`, `yarn cache dir`, `yarn --version`).
 */
function installCommand(c: ShellCommand): string | undefined {
  if (c.program !== 'yarn' || hasFlag(c.args, 'version', 'v', 'help', 'h')) return undefined;
  const [first, second, third] = positionals(c.args, VALUE_FLAGS);
  const sub = first === 'workspace' ? third : first === 'global' && second === 'add' ? 'global add' : first;
  if (sub === undefined) return first === 'workspace' ? undefined : 'yarn';
  return ['install', 'add', 'global add'].includes(sub) ? `yarn ${sub}` : undefined;
}

const isInstall = (c: ShellCommand): boolean => installCommand(c) !== undefined;

// Where yarn is told its cache is (read by caches.ts cacheDirAt): --cache-folder (the last given: yarn takes the last),
// else YARN_CACHE_FOLDER, else --preferred-cache-folder (yarn 1 falls back from that one only when it cannot write
// there, which a build that creates it can: taken as the cache).
const CACHE_FOLDER: CacheDirSpec = { options: ['cache-folder'], variables: ['YARN_CACHE_FOLDER'] };
const PREFERRED: CacheDirSpec = { options: ['preferred-cache-folder'], variables: [] };

const isCacheClean = (c: ShellCommand): boolean => isSubcommand(c, ['yarn'], ['cache']) && c.args.includes('clean');

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF007',
    name: 'yarn-cache-not-cleaned',
    type: 'size',
    summary: 'Run yarn cache clean after yarn install (or add) in the same RUN',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      notCleaned:
        '`{{command}}` leaves the yarn cache (often hundreds of MB) in this layer; add `&& {{clean}}` after it or use `--mount=type=cache,target={{target}}{{owner}}`.',
      afterCd:
        '`{{command}}` leaves the yarn cache ({{cache}}; often hundreds of MB) in this layer; run `{{clean}}` while that `cd` is in effect (before its subshell ends or another `cd`), or `rm -rf` the cache there, or use `--mount=type=cache,target={{target}}{{owner}}`.',
      afterSet:
        '`{{command}}` leaves the yarn cache ({{cache}}; often hundreds of MB) in this layer; run `{{clean}}` before the RUN sets {{variables}} again or leaves the subshell yarn ran in, or `rm -rf` the cache there, or use `--mount=type=cache,target={{target}}{{owner}}`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3060', relation: 'same' }],
  }),
  create(ctx) {
    const workdir = workdirTracker(ctx);
    return {
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        if (!commands.some(isInstall)) return;
        // The cache of the USER in effect: root's is not in its home; another user's home may be unknown (a numeric UID),
        // where the message shows a placeholder. The cache-mount fix is for root only: BuildKit creates the mount owned by
        // root, where another user's yarn could not write.
        const root = runsAsRoot(ctx, instruction);
        const home = homeAt(ctx, instruction);
        const cwd = workdir.current(instruction);
        const byDefault = root
          ? '/usr/local/share/.cache/yarn'
          : home === undefined
            ? '~/.cache/yarn'
            : `${home}/.cache/yarn`;
        /**
         * The cache yarn uses run at place `i` of `script` (at the end of the script for i = list.length): the one it
         * is told (see CACHE_FOLDER; read as caches.ts cacheDirAt reads it: `~` and `$HOME` the home, a relative
         * folder from the WORKDIR, or marked `./` after a `cd`), else the user's.
         */
        const cacheAt = (script: Script, i: number): string =>
          cacheDirAt(ctx, instruction, script, i, CACHE_FOLDER, { home, cwd }) ??
          cacheDirAt(ctx, instruction, script, i, PREFERRED, { home, cwd }) ??
          byDefault;
        const isDefault = (cache: string): boolean => cache === byDefault;
        const scriptOfYarn = (list: ShellCommand[]): Script => scriptOf(list, exportsCacheDir(CACHE_FOLDER));
        /**
         * The caches the installs of `list` leave, each with its first install and how sure: `yarn cache clean` empties
         * the cache it itself uses, `rm -rf` (ARG/ENV values in, a relative path from where it runs, see relativeBase)
         * the folder it names or one above it, `~` and `$HOME` read as the home (see removesCache). Installs are taken
         * together by cache (one a `cd` placed, by that `cd` too).
         */
        const leftIn = (list: ShellCommand[]) => {
          const script = scriptOfYarn(list);
          const cacheOf = (c: ShellCommand): string => cacheAt(script, script.at.get(c)!);
          return leftBehind(ctx, instruction, script, list.filter(isInstall), {
            cacheOf,
            mounted: (cache) =>
              ctx.hasCacheMount(instruction, cache) ||
              (isDefault(cache) &&
                (ctx.hasCacheMount(instruction, ...CACHES) ||
                  ctx.cacheMounts(instruction).some((m) => m.target.includes('.cache/yarn')))),
            cleans: (c, cache, installs) => {
              if (isCacheClean(c)) return cleansOwn(script, installs[0], c, cache, cacheOf(c));
              const base = relativeBase(script, installs[0], c, cache, cwd);
              return (
                c.program === 'rm' &&
                removesCache({ ...c, args: c.args.map((a) => ctx.resolve(a, instruction)) }, cache, home, base)
              );
            },
            shipping: (cache) =>
              isDefault(cache) ? CACHES : cache.startsWith('/') && !cache.includes('$') ? [cache] : undefined,
          });
        };
        const left = leftIn(commands);
        if (left.length === 0) return;
        // `yarn cache clean` appended to the script cleans the cache yarn uses there; another cache needs its
        // --cache-folder (see cleanCommand). One a `cd` placed is emptied only where that `cd` is in effect, and one
        // under `~` or with a `$` only while HOME or that variable holds what it held for yarn: after that (a subshell
        // ended, another `cd`, the variable set again) the advice is to clean it before, and the fix at the end is not
        // offered. The folder is the --cache-folder, else YARN_CACHE_FOLDER, else --preferred-cache-folder, as written.
        const script = scriptOfYarn(commands);
        const atEnd = cacheAt(script, commands.length);
        const literal = (install: ShellCommand): boolean => {
          const i = script.at.get(install)!;
          const spec =
            cacheDirAt(ctx, instruction, script, i, CACHE_FOLDER, { home, cwd }) !== undefined
              ? CACHE_FOLDER
              : PREFERRED;
          return givenLiterally(ctx, instruction, script, i, spec);
        };
        const cleans = left.map(({ install, cache: c }) =>
          cleanCommand(script, install, c, atEnd, 'yarn cache clean', '--cache-folder', literal(install)),
        );
        const cleanup = [...new Set(cleans.map((c) => c.command))].join(' && ');
        const cache = left[0].cache;
        // Safe: the cache only speeds up a later install in the same container; what was installed stays.
        // As root `~` is still /root to the shell's `rm`, so `rm -rf ~/.cache/yarn` misses /usr/local/share.
        const fix = cleanupFix(ctx, instruction, {
          cleanup,
          cacheTargets: root && left.length === 1 && isDefault(cache) ? [cache] : [],
          applicability: 'safe',
          stillBad: (after) => leftIn(after).length > 0,
        });
        ctx.report({
          messageId: cleans.some((c) => c.elsewhere === 'cd')
            ? 'afterCd'
            : cleans.some((c) => c.elsewhere === 'set')
              ? 'afterSet'
              : 'notCleaned',
          data: {
            command: installCommand(left[0].install)!,
            cache: listed([...new Set(left.map((l) => cacheShown(script, l.install, l.cache)))]),
            clean: cleanup,
            variables: listed(
              [...new Set(left.flatMap((l, i) => (cleans[i].elsewhere ? cacheVariables(l.cache) : [])))].map(
                (n) => `\`${n}\``,
              ),
            ),
            target: mountTarget(cache),
            owner: cacheMountOwner(ctx, instruction),
          },
          at: instruction,
          unsure: unsureCleanup(left.some((l) => l.status === 'never') ? 'never' : 'maybe'),
          fix,
        });
      },
    };
  },
});
