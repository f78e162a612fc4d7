// DF006: pip install keeps downloaded wheels in ~/.cache/pip (hadolint DL3042).
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { cacheMountOwner, cleanupFix, homeAt, runsAsRoot } from '../../src/lint/autofix.js';
import {
  cleanupAfter,
  defineRule,
  dockerfileMeta,
  hasFlag,
  insertAfterMatches,
  pipInstallArgs,
  removesPath,
  unsureCleanup,
} from '../../src/lint/helpers.js';

// pip disables its cache when PIP_NO_CACHE_DIR holds any boolean word, `0`/`false`/`off` included (for backward
// compatibility pip treats every valid value as "no cache"); other values make pip fail.
export const SET = /^(y|yes|t|true|on|1|n|no|f|false|off|0)$/i;
const CACHES = ['/root/.cache/pip', '/home/*/.cache/pip'];

/** `export PIP_NO_CACHE_DIR=1` (or `export PIP_NO_CACHE_DIR`, having assigned it) earlier in the script. */
export function exportsNoCacheDir(command: ShellCommand): boolean {
  return (
    command.program === 'export' &&
    command.args.some((a) => /^PIP_NO_CACHE_DIR=/.test(a) && SET.test(a.slice(a.indexOf('=') + 1)))
  );
}

/**
 * `pip cache purge`, or `rm -rf` of the cache directory `cache` (or a directory above it, all of ~/.cache say), with `~`
 * and `$HOME` read as `home` (see removesPath).
 */
export function purgesCache(command: ShellCommand, cache: string, home: string | undefined): boolean {
  if (pipArgs(command)?.[0] === 'cache' && pipArgs(command)?.[1] === 'purge') return true;
  return removesPath(command, [cache], home);
}

function pipArgs(command: ShellCommand): string[] | undefined {
  if (/^pip(\d+(\.\d+)?)?$/.test(command.program)) return command.args.filter((a) => !a.startsWith('-'));
  if (
    /^python(\d+(\.\d+)?)?$/.test(command.program) &&
    command.args[0] === '-m' &&
    /^pip\d*$/.test(command.args[1] ?? '')
  )
    return command.args.slice(2).filter((a) => !a.startsWith('-'));
  return undefined;
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF006',
    name: 'pip-cache',
    type: 'size',
    summary: 'Pass --no-cache-dir to pip install',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      noCacheDir:
        '`pip install` without `--no-cache-dir` keeps every downloaded wheel in {{cache}} in this layer; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target={{target}}{{owner}}`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3042', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.ships(instruction, ...CACHES)) return;
        const commands = ctx.commands(instruction);
        const installs = commands.filter((c) => pipInstallArgs(c) !== undefined);
        if (installs.length === 0) return;
        if (SET.test(ctx.variables(instruction).PIP_NO_CACHE_DIR ?? '')) return;
        if (
          ctx.hasCacheMount(instruction, '/root/.cache/pip') ||
          ctx.cacheMounts(instruction).some((m) => m.target.includes('.cache/pip'))
        )
          return;
        const exported = commands.findIndex(exportsNoCacheDir);
        const offending = installs.filter(
          (c) =>
            !hasFlag(pipInstallArgs(c)!, 'no-cache-dir') &&
            !hasFlag(c.args, 'no-cache-dir') &&
            !SET.test(c.env.PIP_NO_CACHE_DIR ?? '') &&
            !(exported >= 0 && commands.indexOf(c) > exported),
        );
        if (offending.length === 0) return;
        // pip caches in the home of the USER in effect (/home/app/.cache/pip under `USER app`); unknown under a numeric UID.
        const home = homeAt(ctx, instruction);
        const cache = home === undefined ? undefined : `${home}/.cache/pip`;
        const status = cleanupAfter(commands, offending, (c) => purgesCache(c, cache ?? '~/.cache/pip', home));
        if (status === 'always') return;
        const edits = insertAfterMatches(
          ctx.parsed,
          instruction,
          /\b(?:pip[\d.]*|python[\d.]*\s+-m\s+pip\d*)(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+install\b/g,
          ' --no-cache-dir',
        );
        // The cache only speeds up a later install in the same container: nothing installed changes.
        const flagFix =
          edits.length === installs.length && offending.length === installs.length
            ? { applicability: 'safe' as const, title: 'Add --no-cache-dir', edits }
            : undefined;
        // With --fix-style cache-mount the wheels stay cached between builds, outside the layer (root's cache: under
        // another USER pip caches in its own home, so the flag it is).
        const fix =
          ctx.fixStyle === 'cache-mount' && runsAsRoot(ctx, instruction)
            ? cleanupFix(ctx, instruction, {
                cleanup: 'pip cache purge',
                cacheTargets: ['/root/.cache/pip'],
                applicability: 'safe',
                stillBad: () => true,
              })
            : flagFix;
        ctx.report({
          messageId: 'noCacheDir',
          data: {
            cache: cache ?? '~/.cache/pip',
            target: cache ?? '<home>/.cache/pip',
            owner: cacheMountOwner(ctx, instruction),
          },
          at: instruction,
          fix,
          unsure: unsureCleanup(status),
        });
      },
    };
  },
});
