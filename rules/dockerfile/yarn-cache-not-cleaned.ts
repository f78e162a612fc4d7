// DF007: yarn install (or yarn, yarn add, yarn global add) without cleaning its cache in the same RUN (hadolint DL3060).
import { hasFlag, positionals, type ShellCommand } from '../../src/dockerfile/shell.js';
import { earlierInChain } from '../../src/dockerfile/stages.js';
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
  copySourceMatches,
  copySources,
  defineRule,
  dockerfileMeta,
  isSubcommand,
  unsureCleanup,
  workdirTracker,
  type Script,
  scriptOf,
} from '../../src/lint/helpers.js';
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { DockerfileContext } from '../../src/report/rule.js';
import { listed } from '../../src/report/lists.js';

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

// Yarn Berry (2+) install options. Yarn 1 takes --frozen-lockfile instead; it accepts these silently (1.22.22), so
// they tell which yarn the author runs rather than which one runs.
const BERRY_INSTALL_FLAGS = ['immutable', 'immutable-cache', 'check-cache', 'mode'];

/**
 * The yarn a version word selects (`yarn set version WORD`, `yarn@WORD`): 'classic' for yarn 1, else Berry with its
 * major when the word gives one; undefined for a word that tells neither (`from sources`).
 */
function majorOf(word: string): { major?: number } | 'classic' | undefined {
  if (/^(classic|1)([.^~-]|$)/.test(word)) return 'classic';
  if (/^(berry|stable|canary)$/.test(word)) return {};
  const major = /^[\^~]?(\d+)/.exec(word);
  return major ? { major: Number(major[1]) } : undefined;
}

/** Whether a COPY/ADD from the build context before `instruction` (in its stage chain) brings the context file `name`. */
function copiesContextFile(ctx: DockerfileContext, instruction: Instruction, name: string): boolean {
  for (const i of earlierInChain(ctx, instruction, 'oldest-first')) {
    if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || i.flags.from !== undefined) continue;
    if (copySources(i).sources.some((raw) => copySourceMatches(ctx.resolve(raw, i), name))) return true;
  }
  return false;
}

/** A context file the image has before `instruction`: undefined when it is not copied or there is no context. */
function contextFileIn(ctx: DockerfileContext, instruction: Instruction, name: string): string | undefined {
  const text = ctx.readContextFile(name);
  return typeof text === 'string' && copiesContextFile(ctx, instruction, name) ? text : undefined;
}

/**
 * Whether `commands` (this RUN's) run Yarn Berry, with its major when told: by `yarn set version` / `yarn policies
 * set-version` or `corepack prepare|use|install yarn@...` here or in an earlier RUN (the last one tells), else by a
 * copied `.yarnrc.yml` with `yarnPath` (yarn 1 hands the command to it) or package.json `packageManager: yarn@2+`
 * (Corepack runs that one; yarn 1 refuses to install), else by a Berry-only install flag.
 */
function berryOf(
  ctx: DockerfileContext,
  instruction: Instruction,
  commands: ShellCommand[],
): { major?: number } | undefined {
  let told: { major?: number } | 'classic' | undefined;
  const runs = [
    ...[...earlierInChain(ctx, instruction, 'oldest-first')].filter((i) => i.keyword === 'RUN'),
    instruction,
  ];
  for (const run of runs)
    for (const c of run === instruction ? commands : ctx.commands(run)) {
      const words = c.args.filter((a) => !a.startsWith('-'));
      let word: string | undefined;
      if (c.program === 'yarn' && words[0] === 'set' && words[1] === 'version') word = words[2];
      else if (c.program === 'yarn' && words[0] === 'policies' && words[1] === 'set-version') word = words[2];
      else if (c.program === 'corepack' && ['prepare', 'use', 'install'].includes(words[0] ?? ''))
        word = words.find((w) => w.startsWith('yarn@'))?.slice('yarn@'.length);
      const major = word === undefined ? undefined : majorOf(ctx.resolve(word, run));
      if (major !== undefined) told = major;
    }
  if (told !== undefined) return told === 'classic' || (told.major !== undefined && told.major < 2) ? undefined : told;
  const rc = contextFileIn(ctx, instruction, '.yarnrc.yml');
  const yarnPath = rc === undefined ? undefined : /^yarnPath:\s*["']?([^"'\s]+)/m.exec(rc)?.[1];
  if (yarnPath !== undefined) {
    const major = /yarn-(\d+)\./.exec(yarnPath);
    return major ? { major: Number(major[1]) } : {};
  }
  const manifest = contextFileIn(ctx, instruction, 'package.json');
  const manager = manifest === undefined ? undefined : /"packageManager"\s*:\s*"yarn@(\d+)/.exec(manifest);
  if (manager) return Number(manager[1]) >= 2 ? { major: Number(manager[1]) } : undefined;
  return commands.some((c) => installCommand(c) !== undefined && hasFlag(c.args, ...BERRY_INSTALL_FLAGS))
    ? {}
    : undefined;
}

const LINKER = /\b(?:nodeLinker|YARN_NODE_LINKER)\b["']?\s*[:=]?\s*["']?(pnp|pnpm|node-modules)\b/g;

/**
 * Berry's nodeLinker for `instruction`: the last one a RUN sets (`YARN_NODE_LINKER=`, `yarn config set nodeLinker`, a
 * `nodeLinker:` line written to a .yarnrc.yml), else ENV/ARG YARN_NODE_LINKER, else a copied .yarnrc.yml's; Berry's
 * default, pnp, when none says.
 */
function linkerOf(ctx: DockerfileContext, instruction: Instruction): string {
  const runs = [
    ...[...earlierInChain(ctx, instruction, 'oldest-first')].filter((i) => i.keyword === 'RUN'),
    instruction,
  ];
  const set = runs.flatMap((run) => [...run.shellText.matchAll(LINKER)].map((m) => m[1]));
  if (set.length > 0) return set[set.length - 1];
  const variable = ctx.variables(instruction).YARN_NODE_LINKER;
  if (variable !== undefined && /^(pnp|pnpm|node-modules)$/.test(variable)) return variable;
  const rc = contextFileIn(ctx, instruction, '.yarnrc.yml');
  return (rc === undefined ? undefined : /^nodeLinker:\s*["']?(pnp|pnpm|node-modules)\b/m.exec(rc)?.[1]) ?? 'pnp';
}

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
      berryNotCleaned:
        "`{{command}}` (Yarn Berry, nodeLinker {{linker}}) leaves its package cache (often hundreds of MB) in this layer: {{cache}}, and with yarn 2 or 3 the project's .yarn/cache too; add `&& yarn cache clean --all` after it, which empties both, or, with yarn 4, use `--mount=type=cache,target={{target}}{{owner}}`.",
      berry4NotCleaned:
        '`{{command}}` (Yarn Berry {{major}}, nodeLinker {{linker}}) leaves its package cache (often hundreds of MB) in this layer: {{cache}}; add `&& yarn cache clean --all` after it, or use `--mount=type=cache,target={{target}}{{owner}}`.',
      berry3NotCleaned:
        "`{{command}}` (Yarn Berry {{major}}, nodeLinker {{linker}}) leaves its package cache (often hundreds of MB) in this layer: the project's .yarn/cache, and a copy in {{cache}}; add `&& yarn cache clean --all` after it, which empties both.",
    },
    sources: [{ tool: 'hadolint', id: 'DL3060', relation: 'same' }],
  }),
  create(ctx) {
    const workdir = workdirTracker(ctx);
    /**
     * An install by Yarn Berry. With the Plug'n'Play linker (Berry's default) the app loads its packages from the zip
     * files in the cache: that cache is the install, and no cleanup is advised. With node-modules or pnpm the cache is a
     * copy: yarn 4 keeps it in the global folder (~/.yarn/berry, or $XDG_DATA_HOME/yarn/berry), where a plain `yarn
     * cache clean` empties it and `--mirror` does not; yarn 3 keeps it in the project's .yarn/cache with a copy in that
     * global folder, both emptied by `yarn cache clean --all` only.
     */
    const reportBerry = (instruction: Instruction, commands: ShellCommand[], berry: { major?: number }): void => {
      const linker = linkerOf(ctx, instruction);
      if (linker === 'pnp') return;
      const home = homeAt(ctx, instruction);
      const xdg = ctx.variables(instruction).XDG_DATA_HOME;
      const cache =
        xdg !== undefined && xdg.startsWith('/') ? `${xdg}/yarn/berry/cache` : `${home ?? '~'}/.yarn/berry/cache`;
      const yarn3 = berry.major !== undefined && berry.major < 4;
      const leftIn = (list: ShellCommand[]) => {
        const script = scriptOf(list, () => false);
        return leftBehind(ctx, instruction, script, list.filter(isInstall), {
          cacheOf: () => cache,
          mounted: (c) => !yarn3 && ctx.hasCacheMount(instruction, c),
          cleans: (c) =>
            isCacheClean(c)
              ? hasFlag(c.args, 'all') || (!yarn3 && !hasFlag(c.args, 'mirror'))
              : !yarn3 &&
                c.program === 'rm' &&
                removesCache({ ...c, args: c.args.map((a) => ctx.resolve(a, instruction)) }, cache, home, undefined),
          shipping: (c) => (c.startsWith('/') ? [c] : undefined),
        });
      };
      const left = leftIn(commands);
      if (left.length === 0) return;
      // Safe: with these linkers the app runs from node_modules (measured with yarn 3.8.7 and 4.18.1: it still loads
      // its packages after `yarn cache clean --all`); the cache only speeds up a later install.
      const fix = cleanupFix(ctx, instruction, {
        cleanup: 'yarn cache clean --all',
        cacheTargets: [],
        applicability: 'safe',
        stillBad: (after) => leftIn(after).length > 0,
      });
      ctx.report({
        // A known major words the cache yarn keeps: one place with yarn 4, two with yarn 2 and 3 (measured with 3.8.7).
        messageId: berry.major === undefined ? 'berryNotCleaned' : yarn3 ? 'berry3NotCleaned' : 'berry4NotCleaned',
        data: {
          command: installCommand(left[0].install)!,
          major: String(berry.major ?? ''),
          linker,
          cache,
          target: mountTarget(cache),
          owner: cacheMountOwner(ctx, instruction),
        },
        at: instruction,
        unsure: unsureCleanup(left.some((l) => l.status === 'never') ? 'never' : 'maybe'),
        fix,
      });
    };
    return {
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        if (!commands.some(isInstall)) return;
        const berry = berryOf(ctx, instruction, commands);
        if (berry !== undefined) {
          reportBerry(instruction, commands, berry);
          return;
        }
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
