// DF008: npm / pnpm installs keep their download cache in the layer.
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { cacheMountOwner, cleanupFix, homeAt } from '../../src/lint/autofix.js';
import {
  cleanupAfter,
  defineRule,
  dockerfileMeta,
  isSubcommand,
  pathWithin,
  removes,
  removesPath,
  resolvePath,
  unsureCleanup,
  workdirTracker,
} from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF008',
    name: 'node-package-cache-not-cleaned',
    type: 'size',
    summary: 'Clean the npm or pnpm cache in the RUN that installs packages',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      npm: '`npm {{subcommand}}` leaves its download cache ({{cache}}/_cacache) in this layer; add `&& npm cache clean --force` or use `--mount=type=cache,target={{target}}{{owner}}`.',
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
          // environment or an `export` earlier in the script); ~/.npm otherwise.
          const exporter = commands.find(
            (c) => c.program === 'export' && c.args.some((a) => /^npm_config_cache=/i.test(a)),
          );
          const exported = exporter?.args.findIndex((a) => /^npm_config_cache=/i.test(a)) ?? -1;
          // The location resolved with the ARG/ENV values, unless the shell leaves its `$` as written (`--cache '$C'`:
          // a directory named `$C`, not ARG C's value; see ShellCommand `literalDollar`).
          // ~ is the home of the USER in effect (/home/node under `USER node`); unknown under a numeric UID, where any
          // cache mount on a .npm directory is taken as the right one. npm reads a leading `~/` as the home itself
          // (quoted too); `$HOME` is the shell's, so a quoted one is a directory named `$HOME`.
          const home = homeAt(ctx, instruction);
          const cwd = workdir.current(instruction);
          // npm takes a relative cache from its working directory, the WORKDIR (a `$` left as written is a directory
          // of that name there; one the ARG/ENV values left unresolved may be absolute once built, so stays as it is).
          const atHome = (path: string, literal?: boolean): string => {
            const at = path.replace(literal ? /^~(?=\/|$)/ : /^(~|\$HOME|\$\{HOME\})(?=\/|$)/, home ?? '~');
            return at.startsWith('~') || (!literal && at.includes('$')) ? at : resolvePath(at, cwd);
          };
          const resolve = (literal: boolean | undefined, value: string): string =>
            atHome(literal ? value : ctx.resolve(value, instruction), literal);
          const cacheOf = (c: ShellCommand): string => {
            const flag = c.args.findIndex((a) => a === '--cache' || a.startsWith('--cache='));
            if (flag >= 0) {
              const at = c.args[flag].includes('=') ? flag : flag + 1;
              const word = c.args[at] ?? '';
              return resolve(c.literalDollar?.args.has(at), at === flag ? word.slice('--cache='.length) : word);
            }
            const own = envName(c.env);
            if (own !== undefined) return resolve(c.literalDollar?.env.has(own), c.env[own]);
            if (exported >= 0) {
              const word = exporter!.args[exported];
              return resolve(exporter!.literalDollar?.args.has(exported), word.slice(word.indexOf('=') + 1));
            }
            return atHome(ctx.resolve(envValue(vars) ?? '~/.npm', instruction));
          };
          const caches = [...new Set(npms.map(cacheOf))];
          const covered =
            caches.every((cache) => ctx.hasCacheMount(instruction, cache)) ||
            (home === undefined &&
              ctx
                .cacheMounts(instruction)
                .some((m) => /(^|\/)\.npm(\/|$)/.test(m.target) && caches.every((c) => c.endsWith('/.npm'))));
          // An unknown home is /root or somewhere under /home for nearly every image.
          const shipping = caches.flatMap((c) => (c.startsWith('~') ? [`/root${c.slice(1)}`, '/home'] : [c]));
          if (!covered && ctx.ships(instruction, ...shipping)) {
            const cleans = (c: ShellCommand): boolean =>
              (isSubcommand(c, ['npm'], ['cache']) && c.args.includes('clean')) ||
              removesNpmCache(c, caches, cwd, home);
            const status = cleanupAfter(commands, npms, cleans);
            if (status !== 'always') {
              const npm = npms[0];
              // Safe: `npm cache clean --force` empties the download cache only; node_modules stays. The cache mount
              // is offered only for the default cache (a custom --cache or npm_config_cache would need that target).
              const fix = cleanupFix(ctx, instruction, {
                cleanup: 'npm cache clean --force',
                cacheTargets: caches.length === 1 && caches[0] === '/root/.npm' ? ['/root/.npm'] : [],
                applicability: 'safe',
                stillBad: (after) => cleanupAfter(after, after.filter(isNpmInstall), cleans) !== 'always',
              });
              ctx.report({
                messageId: 'npm',
                data: {
                  subcommand: npm.args.find((a) => !a.startsWith('-'))!,
                  // The cache this RUN fills (`--cache`, npm_config_cache, the user's ~/.npm). BuildKit does not
                  // expand `~` in a mount target: an unknown home is a placeholder there. A `$` there is the builder's
                  // variable, not the directory npm took as written (`--cache '$HOME/.npm'`): a placeholder too.
                  cache: caches.length === 1 ? caches[0] : '~/.npm',
                  target:
                    caches.length === 1 && caches[0].includes('$')
                      ? '<cache directory>'
                      : (caches.length === 1 ? caches[0] : '~/.npm').replace(/^~(?=\/|$)/, '<home>'),
                  owner: cacheMountOwner(ctx, instruction),
                },
                at: instruction,
                unsure: unsureCleanup(status),
                fix,
              });
            }
          }
        }
        const pnpms = commands.filter((c) => isSubcommand(c, ['pnpm'], ['install', 'i', 'add']));
        if (
          pnpms.length > 0 &&
          !ctx.cacheMounts(instruction).some((m) => m.target.includes('pnpm')) &&
          ctx.ships(instruction, '/root/.local/share/pnpm', '/root/.cache/pnpm', '/pnpm', '/home/*/.local/share/pnpm')
        ) {
          const status = cleanupAfter(
            commands,
            pnpms,
            (c) =>
              (isSubcommand(c, ['pnpm'], ['store']) && c.args.includes('prune')) ||
              removes(c, (p) => p.includes('pnpm')),
          );
          if (status !== 'always')
            ctx.report({
              messageId: 'pnpm',
              data: {
                subcommand: pnpms[0].args.find((a) => !a.startsWith('-'))!,
                // pnpm's store is under the home of the USER in effect (XDG data directory).
                store: `${homeAt(ctx, instruction) ?? '<home>'}/.local/share/pnpm/store`,
                owner: cacheMountOwner(ctx, instruction),
              },
              at: instruction,
              unsure: unsureCleanup(status),
            });
        }
      },
    };
  },
});

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
 * `rm -rf` of the cache directory (through ~ or $HOME too, read as `home`, or relative to the working directory `cwd`),
 * or of npm's `_cacache` inside it.
 */
function removesNpmCache(command: ShellCommand, caches: string[], cwd: string, home: string | undefined): boolean {
  return (
    removesPath(command, caches, home) ||
    removes(command, (p) => /_cacache/.test(p)) ||
    removes(command, (p) => {
      if (/^[/~$]/.test(p)) return false;
      const target = resolvePath(p.replace(/\/\*$/, ''), cwd);
      return target !== '/' && caches.some((cache) => pathWithin(cache, target));
    })
  );
}
