// DF007: yarn install (or yarn, yarn add, yarn global add) without cleaning its cache in the same RUN (hadolint DL3060).
import { hasFlag, positionals, type ShellCommand } from '../../src/dockerfile/shell.js';
import { cacheMountOwner, homeAt, reportUncleanedCache, runsAsRoot } from '../../src/lint/autofix.js';
import { defineRule, dockerfileMeta, isSubcommand, removesPath } from '../../src/lint/helpers.js';

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

/**
 * `yarn cache clean`, or `rm -rf` of the cache yarn uses in this RUN (or a directory above it), `~` and `$HOME` read as
 * `home` (see removesPath): another user's cache is not this one.
 */
const cleans = (c: ShellCommand, cache: string, home: string | undefined): boolean =>
  (isSubcommand(c, ['yarn'], ['cache']) && c.args.includes('clean')) || removesPath(c, [cache], home);

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
        '`{{command}}` leaves the yarn cache (often hundreds of MB) in this layer; add `&& yarn cache clean` after it or use `--mount=type=cache,target={{target}}{{owner}}`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3060', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.ships(instruction, ...CACHES)) return;
        if (
          ctx.hasCacheMount(instruction, ...CACHES) ||
          ctx.cacheMounts(instruction).some((m) => m.target.includes('.cache/yarn'))
        )
          return;
        // The cache of the USER in effect: root's is not in its home; another user's home may be unknown (a numeric UID),
        // where the message shows a placeholder. The cache-mount fix is for root only: BuildKit creates the mount owned by
        // root, where another user's yarn could not write.
        const root = runsAsRoot(ctx, instruction);
        const home = homeAt(ctx, instruction);
        const cache = root ? '/usr/local/share/.cache/yarn' : home && `${home}/.cache/yarn`;
        // Safe: the cache only speeds up a later install in the same container; what was installed stays.
        // As root `~` is still /root to the shell's `rm`, so `rm -rf ~/.cache/yarn` misses /usr/local/share.
        reportUncleanedCache(ctx, instruction, {
          isInstall,
          cleans: (c) => cleans(c, cache ?? '~/.cache/yarn', home),
          describe: (install) => ({
            data: {
              command: installCommand(install)!,
              target: cache ?? '<home>/.cache/yarn',
              owner: cacheMountOwner(ctx, instruction),
            },
            fix: { cleanup: 'yarn cache clean', cacheTargets: root ? [cache!] : [], applicability: 'safe' },
          }),
        });
      },
    };
  },
});
