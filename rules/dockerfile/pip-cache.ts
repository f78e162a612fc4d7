// DF006: pip install keeps downloaded wheels in ~/.cache/pip (hadolint DL3042).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { binShAt } from '../../src/dockerfile/stages.js';
import type { ReadOption, ShellCommand } from '../../src/dockerfile/shell.js';
import { cacheMountOwner, cleanupFix, commandsAfterEdits, homeAt, runsAsRoot } from '../../src/lint/autofix.js';
import {
  cacheDirAt,
  cacheShown,
  type CacheDirSpec,
  cleansOwn,
  exportsCacheDir,
  type LeftCache,
  leftBehind,
  mountTarget,
  relativeBase,
  removesCache,
} from '../../src/lint/caches.js';
import {
  defineRule,
  dockerfileMeta,
  insertAfterMatches,
  pipInstallArgs,
  pipInstallsLocalWheelsOnly,
  pipReadsNoIndex,
  readPip,
  unsureCleanup,
  workdirTracker,
  scriptOf,
} from '../../src/lint/helpers.js';
import type { DockerfileContext } from '../../src/report/rule.js';
import type { TextRange } from '../../src/report/types.js';

// pip disables its cache when PIP_NO_CACHE_DIR holds any boolean word, `0`/`false`/`off` included (for backward
// compatibility pip treats every valid value as "no cache"); other values make pip fail.
const SET = /^(y|yes|t|true|on|1|n|no|f|false|off|0)$/i;

/** `export PIP_NO_CACHE_DIR=1` (or `export PIP_NO_CACHE_DIR`, having assigned it) earlier in the script. */
export function exportsNoCacheDir(command: ShellCommand): boolean {
  return (
    command.program === 'export' &&
    command.args.some((a) => /^PIP_NO_CACHE_DIR=/.test(a) && SET.test(a.slice(a.indexOf('=') + 1)))
  );
}

/**
 * How a Python tool places its download cache: the option that moves it (pip's and uv's `--cache-dir`; none for
 * poetry), the variable that moves it (`PIP_CACHE_DIR`), its directory under ~/.cache, and the command that empties the
 * cache it itself uses. DF006 and DF029 read pip, uv and poetry through this one reading.
 */
export interface PythonCache {
  option?: string;
  variable: string;
  name: string;
  purges(command: ShellCommand): boolean;
  /** The command's options as the tool reads them, when not as written (pip's abbreviations; see CacheDirSpec). */
  read?(command: ShellCommand): readonly ReadOption[];
  /** The directory the command changes to before it reads its cache (uv's `--directory`), as written. */
  directory?(command: ShellCommand): string | undefined;
  /**
   * A mount on any `.cache/<name>` covers the default cache even with the home known (DF006's reading of pip, kept;
   * root's mount does not cover another user's cache for uv and poetry).
   */
  anyMount?: true;
}

export const PIP_CACHE: PythonCache = {
  option: 'cache-dir',
  variable: 'PIP_CACHE_DIR',
  name: 'pip',
  anyMount: true,
  read: (c) => readPip(c)?.options ?? [],
  purges: (c) => {
    const pip = readPip(c);
    return pip?.subcommand?.name === 'cache' && c.args[pip.positionals[0]] === 'purge';
  },
};

/**
 * Where a pip command starts in a RUN's text, for the fixes: `pip`, `python -m pip`, or the module of a `-mpip` (Python
 * takes it in `-m`'s word, after its flags too: `-umpip`).
 */
export const PIP_AT = String.raw`(?:\b(?:pip[\d.]*|python[\d.]*\s+-m\s+pip)|(?<=\s-[bBdEiIOPqsSuvx]*m)pip)`;

/**
 * One shell word as written: double-quoted, single-quoted or escaped parts, blanks in them included (`"http://a b"`,
 * `a\ b`), and plain characters.
 */
const SHELL_WORD_TEXT = String.raw`(?:"(?:[^"\\]|\\[\s\S])*"|'[^']*'|\\[\s\S]|[^\s"'\\])+`;

/**
 * pip's options before its subcommand in a RUN's text, for the fixes: `-q`, `--cache-dir=/x`, or one with its value in
 * the next word (`--cache-dir /x`, `--proxy "http://a b"`), which may as well be an option taking none followed by the
 * subcommand: the fixes check what their edits did (noCacheDirEdited), reading the RUN again as the shell splits it.
 */
export const PIP_OPTIONS_TEXT = String.raw`(?:\s+-{1,2}[\w-]+(?:=${SHELL_WORD_TEXT}|\s+(?!-)${SHELL_WORD_TEXT})?)*`;

/**
 * Whether a pip command caches nothing. pip applies PIP_NO_CACHE_DIR (`variables`: ENV/ARG; on the command; `exported`
 * earlier in the script) first and its command line after it, in order: the last of --no-cache-dir and --cache-dir (any
 * abbreviation) decides when there is one, so `--no-cache-dir --cache-dir /x` caches in /x, and so does
 * `PIP_NO_CACHE_DIR=1 pip install --cache-dir /x`.
 */
export function pipUncached(
  command: ShellCommand,
  variables: Readonly<Record<string, string | undefined>>,
  exported: boolean,
): boolean {
  const last = lastOption(command);
  if (last) return last.name === 'no-cache-dir';
  return noCacheDirSet(command, variables, exported);
}

function noCacheDirSet(
  command: ShellCommand,
  variables: Readonly<Record<string, string | undefined>>,
  exported: boolean,
): boolean {
  return SET.test(command.env.PIP_NO_CACHE_DIR ?? variables.PIP_NO_CACHE_DIR ?? '') || exported;
}

/**
 * The option, as written (`--cache-dir /x`, `--cache=/x`), that turns a pip command's cache back on although
 * PIP_NO_CACHE_DIR is set (read as pipUncached reads it): there, setting the variable is no advice, and the option is
 * what to drop or follow with --no-cache-dir.
 */
export function cacheDirOverride(
  command: ShellCommand,
  variables: Readonly<Record<string, string | undefined>>,
  exported: boolean,
): string | undefined {
  const option = lastOption(command);
  if (option?.name !== 'cache-dir' || !noCacheDirSet(command, variables, exported)) return undefined;
  // With its value in the next word, the option's `from` is that word.
  const word = command.args[option.from];
  return word.startsWith('-') ? word : `${command.args[option.from - 1]} ${word}`;
}

/**
 * Whether `edits`, which add `--no-cache-dir` after each of the RUN's pip `subcommands` (found by text), turn every one
 * of them off and change nothing else, read again: each of those commands has the flag right after its subcommand and
 * is otherwise as it was, and its last --no-cache-dir/--cache-dir is now the flag. A match on another command's words
 * (`echo pip install`), on an option's value, or a --cache-dir after the subcommand fails it.
 */
export function noCacheDirEdited(
  ctx: DockerfileContext,
  instruction: Instruction,
  edits: { range: TextRange; text: string }[],
  subcommands: string[],
): boolean {
  const runs = (c: ShellCommand): boolean => subcommands.includes(readPip(c)?.subcommand?.name ?? '');
  const before = ctx.commands(instruction).filter(runs);
  const shell = ctx.stages.shellAt[instruction.index];
  const binSh = binShAt(ctx.stages, instruction.stageIndex);
  const after = commandsAfterEdits(ctx.parsed, instruction, edits, shell, binSh)?.filter(runs);
  const flagged = (c: ShellCommand): string[] => {
    const at = readPip(c)!.subcommand!.at + 1;
    return [...c.args.slice(0, at), '--no-cache-dir', ...c.args.slice(at)];
  };
  return (
    edits.length === before.length &&
    after?.length === before.length &&
    after.every(
      (c, i) =>
        c.name === before[i].name &&
        JSON.stringify(c.args) === JSON.stringify(flagged(before[i])) &&
        lastOption(c)?.name === 'no-cache-dir',
    )
  );
}

/** The last of a pip command's --no-cache-dir and --cache-dir (any abbreviation), which pip applies in order. */
function lastOption(command: ShellCommand): ReadOption | undefined {
  return readPip(command)?.options.findLast((o) => o.name === 'no-cache-dir' || o.name === 'cache-dir');
}

/**
 * Where each command of `tool` (pip unless told) in a RUN caches and what empties that cache, for DF006 (`pip
 * install`) and DF029 (`pip wheel`/`pip download`, uv, poetry) alike. `cwd` is the RUN's WORKDIR. `leftBehind` gives
 * the caches the `offending` commands fill that no mount covers and no later command empties on every path (see
 * caches.ts leftBehind).
 */
export function pythonCaches(
  ctx: DockerfileContext,
  instruction: Instruction,
  commands: ShellCommand[],
  cwd: string,
  tool: PythonCache = PIP_CACHE,
): { leftBehind(offending: ShellCommand[]): LeftCache[]; shown(left: LeftCache): string } {
  // The tools cache in the home of the USER in effect (/home/app/.cache/pip under `USER app`); unknown under a
  // numeric UID. --cache-dir or the variable move it, read as caches.ts cacheDirAt reads a cache directory (pip reads
  // a leading `~` as that home itself; uv reads a relative one from its --directory).
  const home = homeAt(ctx, instruction);
  const byDefault = home === undefined ? `~/.cache/${tool.name}` : `${home}/.cache/${tool.name}`;
  const spec: CacheDirSpec = {
    options: tool.option === undefined ? [] : [tool.option],
    variables: [tool.variable],
    read: tool.read,
    directory: tool.directory,
  };
  const script = scriptOf(commands, exportsCacheDir(spec));
  // With XDG_CACHE_HOME set (and no cache directory given) the tools cache in $XDG_CACHE_HOME/<name> (pip through
  // platformdirs, uv and poetry alike); an empty one is unset.
  const xdgSpec: CacheDirSpec = { variables: ['XDG_CACHE_HOME'], directory: tool.directory };
  const xdg = scriptOf(commands, exportsCacheDir(xdgSpec));
  /**
   * The cache `c` uses: absolute, `~`-relative (home unknown), with a `$` the ARG/ENV values leave open, or, relative
   * to a directory a `cd` in the script chose, marked `./` (see relativeBase).
   */
  const cacheOf = (c: ShellCommand): string => {
    const i = script.at.get(c)!;
    const given = cacheDirAt(ctx, instruction, script, i, spec, { home, cwd });
    if (given !== undefined) return given;
    const xdgHome = cacheDirAt(ctx, instruction, xdg, i, xdgSpec, { home, cwd });
    return xdgHome === undefined ? byDefault : `${xdgHome}/${tool.name}`;
  };
  const isDefault = (cache: string): boolean => cache === `~/.cache/${tool.name}` || cache === byDefault;
  return {
    // One a `cd` placed is named from where that `cd` ran, as DF007 and DF008 name theirs (see cacheShown); the
    // messages go on after it (`in {{cache}} in this layer`), so that clause ends with a comma.
    shown: (left) => cacheShown(script, left.install, left.cache).replace(/(, relative to .*)$/, '$1,'),
    leftBehind: (offending) =>
      leftBehind(ctx, instruction, script, offending, {
        cacheOf,
        // The default cache with the home unknown: a mount on any `.cache/pip` is taken for it (for pip, with the home
        // known too; see PythonCache anyMount). A moved cache needs a mount on that directory.
        mounted: (cache) =>
          ctx.hasCacheMount(instruction, cache) ||
          ((cache === `~/.cache/${tool.name}` || (tool.anyMount === true && isDefault(cache))) &&
            ctx.cacheMounts(instruction).some((m) => m.target.includes(`.cache/${tool.name}`))),
        // `pip cache purge` (`uv cache clean`) empties the cache it itself uses (one a `cd` placed only with the same
        // `cd` in effect); `rm -rf` (ARG/ENV values in) the directory it names or one above it (all of ~/.cache say),
        // `~` and `$HOME` read as the RUN's home, a relative path from where the `rm` runs (see relativeBase).
        cleans: (c, cache, installs) => {
          if (tool.purges(c)) return cleansOwn(script, installs[0], c, cache, cacheOf(c));
          const base = relativeBase(script, installs[0], c, cache, cwd);
          return (
            c.program === 'rm' &&
            removesCache({ ...c, args: c.args.map((a) => ctx.resolve(a, instruction)) }, cache, home, base)
          );
        },
        // The directories whose shipping ships the cache: none known for a relative or `$` one.
        shipping: (cache) =>
          isDefault(cache)
            ? [`/root/.cache/${tool.name}`, `/home/*/.cache/${tool.name}`]
            : cache.startsWith('/') && !cache.includes('$')
              ? [cache]
              : undefined,
      }),
  };
}

// A source distribution's file name: pip builds a wheel from it, and caches that wheel (in wheels/ of its cache) when
// the name reads as NAME-VERSION, as an sdist's does (a glob such as `*.tar.gz` expands to such names). Checked with pip 23.2: `pip install --no-index --find-links DIR
// pkg` with pkg-1.0.tar.gz in DIR stored the built wheel in ~/.cache/pip/wheels; with only pkg's wheel in DIR, pip made
// no cache.
const SDIST = /(^|\/)[^/]*[-*][^/]*\.(tar\.gz|tgz|tar\.bz2|tar\.xz|zip)$/i;

/** Whether a pip install names a local source archive (`/src/app-1.0.tar.gz`, `dist/*.tar.gz`) to install. */
function namesSdist(command: ShellCommand): boolean {
  const pip = readPip(command);
  if (pip?.subcommand?.name !== 'install') return false;
  return pip.positionals.some((i) => {
    const arg = command.args[i].replace(/^file:\/\//, '');
    return !/^[a-z][\w+.-]*:\/\//i.test(arg) && SDIST.test(arg);
  });
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
      cacheDirOverride:
        "`pip install` keeps every downloaded wheel in {{cache}} in this layer: `{{option}}` turns pip's cache back on despite PIP_NO_CACHE_DIR; drop it or add `--no-cache-dir` after it.",
    },
    sources: [{ tool: 'hadolint', id: 'DL3042', relation: 'same' }],
  }),
  create(ctx) {
    const workdir = workdirTracker(ctx);
    return {
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        const installs = commands.filter((c) => pipInstallArgs(c) !== undefined);
        if (installs.length === 0) return;
        const vars = ctx.variables(instruction);
        const exported = scriptOf(commands, exportsNoCacheDir);
        const exportedAt = (c: ShellCommand) => exported.exporterBefore[exported.at.get(c)!] !== undefined;
        const cached = installs.filter((c) => !pipUncached(c, vars, exportedAt(c)));
        // An install from local files only downloads nothing, so its cache stays empty (pip does not even make it),
        // unless it names a source archive: pip builds its wheel and keeps it in the cache's wheels/.
        const offending = cached.filter(
          (c) => (!pipReadsNoIndex(c, vars) && !pipInstallsLocalWheelsOnly(c)) || namesSdist(c),
        );
        if (offending.length === 0) return;
        const caches = pythonCaches(ctx, instruction, commands, workdir.current(instruction));
        const left = caches.leftBehind(offending);
        if (left.length === 0) return;
        const status = left.some((l) => l.status === 'never') ? 'never' : 'maybe';
        const cache = left[0].cache;
        const edits = insertAfterMatches(
          ctx.parsed,
          instruction,
          new RegExp(String.raw`${PIP_AT}${PIP_OPTIONS_TEXT}\s+install\b`, 'g'),
          ' --no-cache-dir',
        );
        // The cache only speeds up a later install in the same container: nothing installed changes. A `--cache-dir`
        // after `install` would override the `--no-cache-dir` put before it (pip takes its options in order).
        const flagFix =
          cached.length === installs.length && noCacheDirEdited(ctx, instruction, edits, ['install'])
            ? { applicability: 'safe' as const, title: 'Add --no-cache-dir', edits }
            : undefined;
        const target = mountTarget(cache);
        // With --fix-style cache-mount the wheels stay cached between builds, outside the layer (as root, on the one
        // cache left: under another USER pip caches in its own home, so the flag it is).
        const fix =
          ctx.fixStyle === 'cache-mount' && runsAsRoot(ctx, instruction) && left.length === 1 && target.startsWith('/')
            ? cleanupFix(ctx, instruction, {
                cleanup: 'pip cache purge',
                cacheTargets: [cache],
                applicability: 'safe',
                stillBad: () => true,
              })
            : flagFix;
        const option = cacheDirOverride(left[0].install, vars, exportedAt(left[0].install));
        ctx.report({
          ...(option === undefined
            ? {
                messageId: 'noCacheDir',
                data: { cache: caches.shown(left[0]), target, owner: cacheMountOwner(ctx, instruction) },
              }
            : { messageId: 'cacheDirOverride', data: { cache: caches.shown(left[0]), option } }),
          at: instruction,
          fix,
          unsure: unsureCleanup(status),
        });
      },
    };
  },
});
