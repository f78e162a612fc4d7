// DF029: uv, poetry and `pip wheel`/`pip download` keep their download caches in the layer (DF006 is `pip install`).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { hasFlag, positionals, readOptions, type ShellCommand } from '../../src/dockerfile/shell.js';
import {
  defineRule,
  dockerfileMeta,
  insertAfterMatches,
  readPip,
  unsureCleanup,
  workdirTracker,
  scriptOf,
} from '../../src/lint/helpers.js';
import type { DockerfileContext } from '../../src/report/rule.js';
import { cacheMountOwner } from '../../src/lint/autofix.js';
import { mountTarget } from '../../src/lint/caches.js';
import {
  cacheDirOverride,
  exportsNoCacheDir,
  noCacheDirEdited,
  PIP_AT,
  PIP_OPTIONS_TEXT,
  pipUncached,
  type PythonCache,
  pythonCaches,
} from './pip-cache.js';

interface Tool {
  messageId: 'uv' | 'poetry';
  /** The command runs an install that fills the cache. */
  fills(command: ShellCommand): boolean;
  /** Where it caches and what empties that cache, read as pip's (see pythonCaches). */
  cache: PythonCache;
  /** The install was told not to cache (flag or variable). */
  uncached(command: ShellCommand, variables: Readonly<Record<string, string | undefined>>, exported: boolean): boolean;
  /** Where the flag goes in the text, and which flag. */
  fixAt: RegExp;
  fixFlag: string;
}

// uv reads a boolean variable as set when it is one of these words.
const UV_TRUE = /^(1|t|true|y|yes|on)$/i;
// uv's global options that take a value may come before the subcommand.
const UV_VALUE_FLAGS = ['directory', 'project', 'cache-dir', 'config-file', 'python', 'p', 'color'];

const uvOptions = (command: ShellCommand) =>
  readOptions(command.args, { short: (l) => UV_VALUE_FLAGS.includes(l), long: (n) => UV_VALUE_FLAGS.includes(n) })
    .options;

const uvSub = (command: ShellCommand): string[] =>
  command.program === 'uv' ? positionals(command.args, UV_VALUE_FLAGS).slice(0, 2) : [];

/** `pip wheel`/`pip download`; where pip caches and what empties that cache are DF006's reading (pythonCaches). */
const PIP = {
  fills: (c: ShellCommand): boolean => ['wheel', 'download'].includes(readPip(c)?.subcommand?.name ?? ''),
  uncached: pipUncached,
  fixAt: new RegExp(String.raw`${PIP_AT}${PIP_OPTIONS_TEXT}\s+(?:wheel|download)\b`, 'g'),
};

const TOOLS: Tool[] = [
  {
    messageId: 'uv',
    fills: (c) => {
      const [a, b] = uvSub(c);
      return a === 'sync' || (a === 'pip' && (b === 'install' || b === 'sync')) || (a === 'tool' && b === 'install');
    },
    // uv takes --cache-dir before or after the subcommand, and changes to its --directory before it reads a relative
    // cache directory.
    cache: {
      option: 'cache-dir',
      variable: 'UV_CACHE_DIR',
      name: 'uv',
      purges: (c) => uvSub(c)[0] === 'cache' && uvSub(c)[1] === 'clean',
      directory: (c) => uvOptions(c).findLast((o) => o.name === 'directory')?.value,
    },
    uncached: (c, variables, exported) =>
      hasFlag(c.args, 'no-cache', 'n') || UV_TRUE.test(c.env.UV_NO_CACHE ?? variables.UV_NO_CACHE ?? '') || exported,
    fixAt: /\buv(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+(?:pip\s+install|pip\s+sync|sync|tool\s+install)\b/g,
    fixFlag: ' --no-cache',
  },
  {
    messageId: 'poetry',
    // `--only-root` (poetry 1.2+) installs the project alone, no dependency: nothing is downloaded.
    fills: (c) =>
      c.program === 'poetry' &&
      ['install', 'sync'].includes(positionals(c.args, ['C', 'directory', 'P', 'project'])[0]) &&
      !hasFlag(c.args, 'only-root'),
    // Poetry has no option for its cache directory, only the variable (and its config file, not read). It has no
    // purge either: `poetry cache clear --all NAME` empties the repository cache NAME (package metadata, under
    // cache/repositories), not artifacts/, where the packages it downloaded stay.
    cache: { variable: 'POETRY_CACHE_DIR', name: 'pypoetry', purges: () => false },
    uncached: (c) => hasFlag(c.args, 'no-cache'),
    fixAt: /\bpoetry(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+(?:install|sync)\b/g,
    fixFlag: ' --no-cache',
  },
];

/** `export UV_NO_CACHE=1` earlier in the script (pip's export is DF006's helper). */
function exportsUvNoCache(command: ShellCommand): boolean {
  return (
    command.program === 'export' &&
    command.args.some((a) => /^UV_NO_CACHE=/.test(a) && UV_TRUE.test(a.slice(a.indexOf('=') + 1)))
  );
}

function check(ctx: DockerfileContext, instruction: Instruction, tool: Tool, cwd: string): void {
  const commands = ctx.commands(instruction);
  const fills = commands.filter(tool.fills);
  if (fills.length === 0) return;
  const variables = ctx.variables(instruction);
  const exported = scriptOf(commands, tool.messageId === 'uv' ? exportsUvNoCache : () => false);
  const offending = fills.filter(
    (c) => !tool.uncached(c, variables, exported.exporterBefore[exported.at.get(c)!] !== undefined),
  );
  if (offending.length === 0) return;
  // As pip's: the commands taken together by the cache each uses (the home of the USER in effect, or where the option
  // or variable moved it), each cache mounted or emptied after its commands.
  const caches = pythonCaches(ctx, instruction, commands, cwd, tool.cache);
  const left = caches.leftBehind(offending);
  if (left.length === 0) return;
  const edits = insertAfterMatches(ctx.parsed, instruction, tool.fixAt, tool.fixFlag);
  // Skipping the cache changes nothing installed; it only makes a second install in the same RUN download again.
  const fix =
    edits.length === fills.length && offending.length === fills.length
      ? { applicability: 'safe' as const, title: `Add ${tool.fixFlag.trim()}`, edits }
      : undefined;
  ctx.report({
    messageId: tool.messageId,
    data: {
      cache: caches.shown(left[0]),
      target: mountTarget(left[0].cache),
      owner: cacheMountOwner(ctx, instruction),
    },
    at: instruction,
    fix,
    unsure: unsureCleanup(left.some((l) => l.status === 'never') ? 'never' : 'maybe'),
  });
}

function checkPip(ctx: DockerfileContext, instruction: Instruction, cwd: string): void {
  const commands = ctx.commands(instruction);
  const fills = commands.filter(PIP.fills);
  if (fills.length === 0) return;
  const variables = ctx.variables(instruction);
  const exported = scriptOf(commands, exportsNoCacheDir);
  const exportedAt = (c: ShellCommand) => exported.exporterBefore[exported.at.get(c)!] !== undefined;
  const offending = fills.filter((c) => !PIP.uncached(c, variables, exportedAt(c)));
  if (offending.length === 0) return;
  // As DF006: the commands taken together by the cache each uses, each cache mounted or emptied after its commands.
  const caches = pythonCaches(ctx, instruction, commands, cwd);
  const left = caches.leftBehind(offending);
  if (left.length === 0) return;
  const edits = insertAfterMatches(ctx.parsed, instruction, PIP.fixAt, ' --no-cache-dir');
  // A `--cache-dir` after the subcommand would override the `--no-cache-dir` put before it (pip takes its options in
  // order).
  const fix =
    offending.length === fills.length && noCacheDirEdited(ctx, instruction, edits, ['wheel', 'download'])
      ? { applicability: 'safe' as const, title: 'Add --no-cache-dir', edits }
      : undefined;
  const option = cacheDirOverride(left[0].install, variables, exportedAt(left[0].install));
  ctx.report({
    ...(option === undefined
      ? {
          messageId: 'pip',
          data: {
            cache: caches.shown(left[0]),
            target: mountTarget(left[0].cache),
            owner: cacheMountOwner(ctx, instruction),
          },
        }
      : { messageId: 'pipCacheDirOverride', data: { cache: caches.shown(left[0]), option } }),
    at: instruction,
    fix,
    unsure: unsureCleanup(left.some((l) => l.status === 'never') ? 'never' : 'maybe'),
  });
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF029',
    name: 'python-tool-cache',
    type: 'size',
    summary: 'Pass --no-cache to uv and poetry, and --no-cache-dir to pip wheel/download',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      uv: '`uv` installs without `--no-cache` keep every downloaded wheel in {{cache}} in this layer; add `--no-cache`, set `UV_NO_CACHE=1`, or use `--mount=type=cache,target={{target}}{{owner}}`.',
      poetry:
        '`poetry install` or `poetry sync` without `--no-cache` keeps downloaded packages in {{cache}} in this layer; add `--no-cache` or use `--mount=type=cache,target={{target}}{{owner}}`.',
      pip: '`pip wheel`/`pip download` without `--no-cache-dir` keeps every download in {{cache}} in this layer as well as in the output directory; add `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or use `--mount=type=cache,target={{target}}{{owner}}`.',
      pipCacheDirOverride:
        "`pip wheel`/`pip download` keeps every download in {{cache}} in this layer as well as in the output directory: `{{option}}` turns pip's cache back on despite PIP_NO_CACHE_DIR; drop it or add `--no-cache-dir` after it.",
    },
    sources: [{ tool: 'hadolint', id: 'DL3042', relation: 'inspired' }],
  }),
  create(ctx) {
    const workdir = workdirTracker(ctx);
    return {
      RUN(instruction) {
        for (const tool of TOOLS) check(ctx, instruction, tool, workdir.current(instruction));
        checkPip(ctx, instruction, workdir.current(instruction));
      },
    };
  },
});
