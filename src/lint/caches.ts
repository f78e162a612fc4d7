// Where a RUN leaves a tool's download cache, read once for DF006/DF029 (pip), DF007 (yarn) and DF008 (npm): each
// needs the same answers (which `cd` and which `export` of the cache's variable are in effect at an install, which
// installs share a cache, whether a mount covers it or a later command empties it, whether the stage ships it), and
// three copies of that reading drifted apart in small ways. The rules keep what is their own: which commands install,
// where the tool caches by default, its options and variables, and what empties its cache.
import type { Instruction } from '../dockerfile/parse.js';
import { shellQuote, type ReadOption, type ShellCommand } from '../dockerfile/shell.js';
import type { DockerfileContext } from '../report/rule.js';
import {
  cleanupAfter,
  type CleanupStatus,
  fromHome,
  overlapKey,
  pathWithin,
  removes,
  removesPath,
  resolvePath,
  type Script,
  scriptOf,
  starSkips,
} from './helpers.js';

/** A cache some installs leave behind: the first of them, and whether a later command empties it on some paths. */
export interface LeftCache {
  install: ShellCommand;
  cache: string;
  status: Exclude<CleanupStatus, 'always'>;
}

/**
 * The caches the `installs` of `script` fill that no mount covers and no later command empties on every path, each
 * with how sure that is; none when the stage ships none of them. The installs are taken together by the cache each
 * uses (one a `cd` placed, `./`, by that `cd` too): the work grows with the caches, not with installs times commands.
 * `shipping` names the directories whose shipping ships a cache, undefined for one that may be anywhere in the stage
 * (a directory a `cd` chose).
 */
export function leftBehind(
  ctx: DockerfileContext,
  instruction: Instruction,
  script: Script,
  installs: ShellCommand[],
  reading: {
    cacheOf(command: ShellCommand): string;
    mounted(cache: string): boolean;
    cleans(command: ShellCommand, cache: string, installs: ShellCommand[]): boolean;
    shipping(cache: string): string[] | undefined;
  },
): LeftCache[] {
  const groups = new Map<string, { cache: string; installs: ShellCommand[] }>();
  for (const install of installs) {
    const cache = reading.cacheOf(install);
    // A relative cache a `cd` placed is one per `cd`.
    const key = cache.startsWith('./') ? `${script.cdBefore[script.at.get(install)!]}:${cache}` : cache;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { cache, installs: [install] });
    else group.installs.push(install);
  }
  const left = [...groups.values()]
    .filter(({ cache }) => !reading.mounted(cache))
    .flatMap(({ cache, installs: group }) => {
      const status = cleanupAfter(script.list, group, (c) => reading.cleans(c, cache, group));
      return status === 'always' ? [] : [{ install: group[0], cache, status }];
    });
  const places = left.map((l) => reading.shipping(l.cache));
  const known = places.flatMap((p) => p ?? []);
  const ships =
    (known.length > 0 && ctx.ships(instruction, ...known)) ||
    (places.some((p) => p === undefined) && ctx.ships(instruction));
  return ships ? left : [];
}

/**
 * `cache` as a mount target, which no shell reads: a home the Dockerfile does not tell (`~`) is a placeholder there, and
 * so is a directory with a `$` or one a `cd` chose.
 */
export function mountTarget(cache: string): string {
  return /^(~|\/)/.test(cache) && !cache.includes('$') ? cache.replace(/^~(?=\/|$)/, '<home>') : '<cache directory>';
}

/**
 * The directory a relative `rm` path in `rm` resolves against, to compare with `install`'s `cache`: the WORKDIR `cwd`
 * when no `cd` came before the `rm`; for a cache a `cd` placed (`./`), `/` standing for the directory the tool ran in
 * when the same `cd` is in effect at both; undefined when the `rm` may run elsewhere.
 */
export function relativeBase(
  script: Script,
  install: ShellCommand,
  rm: ShellCommand,
  cache: string,
  cwd: string,
): string | undefined {
  const cd = script.cdBefore[script.at.get(rm)!];
  if (cache.startsWith('./')) return cd === script.cdBefore[script.at.get(install)!] ? '/' : undefined;
  return cd >= 0 ? undefined : cwd;
}

/**
 * Whether `rm` removes `dir` or a directory above it (not `/`): an absolute, `~` or `$HOME` path as removesPath reads
 * it (`~` as `home`), a relative one from `base` (see relativeBase; none counts when undefined). `dir` is absolute, or
 * `./`-relative for a cache a `cd` placed (read from `/`, which `base` then stands for too).
 */
export function removesCache(
  rm: ShellCommand,
  dir: string,
  home: string | undefined,
  base: string | undefined,
): boolean {
  return (
    (!dir.startsWith('./') && removesPath(rm, [dir], home)) ||
    removes(rm, (p) => {
      if (/^[/~$]/.test(p) || base === undefined) return false;
      const target = resolvePath(p.replace(/\/\*$/, ''), base);
      const cache = dir.startsWith('./') ? resolvePath(dir, '/') : dir;
      // (`*`, `./*` and `sub/*` leave dot-directories such as .npm and .cache: see starSkips)
      return (
        target !== '/' && pathWithin(cache, target) && !(/(^|\/)\*$/.test(p) && starSkips(cache, overlapKey(target)))
      );
    })
  );
}

/**
 * How a tool is told where its cache is: the options that name the directory (without `--`; the last given of any of
 * them wins, `--opt DIR` or `--opt=DIR`) and the variables that do (the first set wins on one command; `anyCase` when
 * the tool reads them in any case, as npm and pnpm read npm_config_*). `directory` gives the directory the tool runs
 * in, as written, when an option moves it (uv's `--directory`): a relative cache is read from there.
 */
export interface CacheDirSpec {
  options?: readonly string[];
  /**
   * The command's options as the tool reads them, when not word by word as written: pip takes a unique prefix
   * (`--cache /x` is --cache-dir). `options` are then the names this gives.
   */
  read?(command: ShellCommand): readonly ReadOption[];
  variables: readonly string[];
  anyCase?: true;
  directory?(command: ShellCommand): string | undefined;
}

/** The `export` that sets one of `spec`'s variables (for scriptOf, whose exporters cacheDirAt reads). */
export function exportsCacheDir(spec: CacheDirSpec): (command: ShellCommand) => boolean {
  return (c) =>
    c.program === 'export' && c.args.some((a) => a.includes('=') && variableOf(spec, a.slice(0, a.indexOf('='))));
}

/**
 * The cache directory the tool run at place `place` of `script` (its end for `list.length`, where only what is
 * exported or set by ARG/ENV counts) is told to use, undefined when none is (the tool's default then): the option,
 * else the variable on the command, else the one the last `export` before it sets (`script` must be built with
 * exportsCacheDir's reading), else ARG/ENV; an empty one is none. Read as the tool reads it:
 * ARG/ENV values in unless the shell leaves the `$` as written (then a directory of that name), `~` and `$HOME` as the
 * home of the USER in effect (`home`; left `~` when unknown), a relative one from the WORKDIR `cwd` (or the tool's
 * `directory`), or, after a `cd` in effect there, marked `./` (wherever that went, see relativeBase). A `$` the ARG/ENV
 * values leave open stays as written: it may be absolute once built.
 */
export function cacheDirAt(
  ctx: DockerfileContext,
  instruction: Instruction,
  script: Script,
  place: number,
  spec: CacheDirSpec,
  where: { home: string | undefined; cwd: string },
): string | undefined {
  const command = script.list[place] as ShellCommand | undefined;
  const given = givenAt(ctx, instruction, script, place, spec);
  if (given === undefined || given.dir === '') return undefined;
  const value = given.literal ? given.dir : ctx.resolve(given.dir, instruction);
  let at = fromHome(value, where.home, given.literal).replace(/(.)\/+$/, '$1');
  if (at.startsWith('~') || (!given.literal && at.includes('$'))) return at;
  const directory = at.startsWith('/') || command === undefined ? undefined : spec.directory?.(command);
  if (directory !== undefined) {
    const base = fromHome(ctx.resolve(directory, instruction), where.home).replace(/(.)\/+$/, '$1');
    if (/^[~$]/.test(base)) return `${base}/${at}`;
    at = base.startsWith('/') ? resolvePath(at, base) : `${base}/${at}`;
  }
  if (at.startsWith('/') || script.cdBefore[place] < 0) return resolvePath(at, where.cwd);
  return `.${resolvePath(at, '/')}`;
}

/**
 * The value the tool run at place `place` of `script` is given for a setting `spec` describes (a name, not a
 * directory: pnpm's package-import-method), read in the order cacheDirAt reads a cache directory, ARG/ENV values in
 * unless the shell leaves the `$` as written; undefined when none is set, or when the one closest to the tool is empty.
 */
export function settingAt(
  ctx: DockerfileContext,
  instruction: Instruction,
  script: Script,
  place: number,
  spec: CacheDirSpec,
): string | undefined {
  const given = givenAt(ctx, instruction, script, place, spec);
  if (given === undefined || given.dir === '') return undefined;
  return given.literal ? given.dir : ctx.resolve(given.dir, instruction);
}

const variableScripts = new WeakMap<ShellCommand[], Map<string, Script>>();

/**
 * The value of the variable `name` that `command`, one of a RUN's `commands`, runs with, read as settingAt reads it: its
 * own assignment (`NAME=x cmd`), else the last `export NAME=x` in effect before it, else ARG/ENV; undefined when unset
 * or empty. For a rule that reads a tool's variables (CONDA_PKGS_DIRS, COMPOSER_HOME) by name rather than by a
 * CacheDirSpec.
 */
export function variableAt(
  ctx: DockerfileContext,
  instruction: Instruction,
  commands: ShellCommand[],
  command: ShellCommand,
  name: string,
): string | undefined {
  const spec = { variables: [name] };
  // One reading of the script per variable: a rule asks for each install and clean of a RUN.
  const scripts = variableScripts.get(commands) ?? new Map<string, Script>();
  variableScripts.set(commands, scripts);
  const script = scripts.get(name) ?? scriptOf(commands, exportsCacheDir(spec));
  scripts.set(name, script);
  const place = script.at.get(command);
  return place === undefined ? undefined : settingAt(ctx, instruction, script, place, spec);
}

/**
 * Whether the setting `spec` describes, as cacheDirAt reads it at place `place` of `script`, is written so that the
 * shell leaves its `$` as written (`--cache '$C'`): the tool then takes the `$` as part of the name.
 */
export function givenLiterally(
  ctx: DockerfileContext,
  instruction: Instruction,
  script: Script,
  place: number,
  spec: CacheDirSpec,
): boolean {
  return givenAt(ctx, instruction, script, place, spec)?.literal ?? false;
}

// The variable's value is the command's own, else the exported one, else ARG/ENV's: an empty one set closer to the
// tool hides one set further out, and is no value.
function givenAt(
  ctx: DockerfileContext,
  instruction: Instruction,
  script: Script,
  place: number,
  spec: CacheDirSpec,
): Given {
  const command = script.list[place] as ShellCommand | undefined;
  return (
    (command && optionOf(command, spec)) ??
    (command && envOf(command, spec)) ??
    exportedBy(script.exporterBefore[place], spec) ??
    variableValue(ctx.variables(instruction), spec)
  );
}

/**
 * `path` (a cache `install` left, or a path in it) as a message names it: one a `cd` placed (`./`) from where that `cd`
 * ran (`web/.npm, relative to where \`cd web\` ran`; the path itself after `cd /srv/web`), any other as it is. A `cd`
 * whose directory is no plain word (`cd "$APP"`, `cd -`, `pushd`) is only named.
 */
export function cacheShown(script: Script, install: ShellCommand, path: string): string {
  if (!path.startsWith('./')) return path;
  const cd = script.list[script.cdBefore[script.at.get(install)!]] as ShellCommand | undefined;
  const dir =
    cd?.program === 'cd' && cd.args.length === 1 && /^[\w./@+-]+$/.test(cd.args[0]) && !cd.args[0].startsWith('-')
      ? cd.args[0].replace(/(.)\/+$/, '$1')
      : undefined;
  if (dir === undefined) return `${path}, relative to the \`cd\` before it`;
  if (dir.startsWith('/')) return resolvePath(path, dir);
  return `${dir}/${path.slice(2)}, relative to where \`cd ${cd!.args[0]}\` ran`;
}

/**
 * The command that empties `cache`, which `install` filled, run after the script's end (or, `elsewhere`, before the
 * script leaves the `cd` that placed it, `cd`, or sets a variable it names again, `set`): `clean` (`npm cache clean
 * --force`, which empties the cache it itself uses) as it is for the cache the tool uses at the end (`atEnd`), else with
 * `option` naming the cache as the install's shell read it (see cacheWord; `literal` when that left its `$` as written).
 * A relative name at the end is another directory after another `cd`, and `~` or `$X` another after HOME or X is set.
 */
export function cleanCommand(
  script: Script,
  install: ShellCommand,
  cache: string,
  atEnd: string,
  clean: string,
  option: string,
  literal: boolean,
): { command: string; elsewhere: false | 'cd' | 'set' } {
  const end = script.list.length;
  const elsewhere = !sameDirectory(script, install, end, cache, true)
    ? 'cd'
    : !sameValues(script, install, end, cache)
      ? 'set'
      : false;
  const word = cache.startsWith('./') ? shellQuote(cache.slice(2)) : cacheWord(cache, literal);
  return { command: !elsewhere && cache === atEnd ? clean : `${clean} ${option} ${word}`, elsewhere };
}

/**
 * Whether `clean`, a command that empties the cache it itself uses (`pip cache purge`, `npm cache clean`), empties
 * `cache`, which `install` filled: it uses that cache (`used`), written the same and naming the same directory there
 * (the same `cd` in effect for a relative one, the same values of the variables it names).
 */
export function cleansOwn(script: Script, install: ShellCommand, clean: ShellCommand, cache: string, used: string) {
  const at = script.at.get(clean)!;
  return used === cache && sameDirectory(script, install, at, cache, false) && sameValues(script, install, at, cache);
}

/**
 * The shell variables `cache` is read through (a `~` is HOME's value), for an advice to clean it before they are set
 * again (cleanCommand's `set`).
 */
export function cacheVariables(cache: string): string[] {
  const names = [...cache.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1]);
  return [...new Set([...(cache.startsWith('~') ? ['HOME'] : []), ...names])];
}

/**
 * `cache` as a shell word that names it again: a `~/` left bare (the shell expands it only so), a `$` the install's
 * shell expanded in double quotes (it expands it there too), anything else as shellQuote writes it (a `$` the tool took
 * as written in single quotes).
 */
function cacheWord(cache: string, literal: boolean): string {
  const home = /^~(\/|$)/.exec(cache)?.[0] ?? '';
  const rest = cache.slice(home.length);
  if (rest === '') return home;
  return home + (!literal && rest.includes('$') ? `"${rest.replace(/["\\`]/g, '\\$&')}"` : shellQuote(rest));
}

// A relative cache (one a `cd` placed, or a `$` word that may expand to a relative path) names the directory the install
// filled only with the same `cd` in effect. A command substitution may name another each time (`$(mktemp -d)`): none
// is taken as the same, `forAdvice` aside (which only words the advice).
function sameDirectory(script: Script, install: ShellCommand, place: number, cache: string, forAdvice: boolean) {
  if (!forAdvice && /\$\(|`/.test(cache)) return false;
  if (/^[/~]/.test(cache) || !(cache.startsWith('./') || cache.includes('$'))) return true;
  return script.cdBefore[place] === script.cdBefore[script.at.get(install)!];
}

// `~` and `$X` name the same directory where the same assignment of HOME and X is in effect (see scriptOf: one in a
// subshell ends with it). A loop's variable is not seen (the parse keeps no `for X in`).
function sameValues(script: Script, install: ShellCommand, place: number, cache: string): boolean {
  const names = cacheVariables(cache);
  if (names.length === 0) return true;
  const sets = scriptOf(script.list, (c) => assigns(c, names));
  return sets.exporterBefore[place] === sets.exporterBefore[sets.at.get(install)!];
}

/** Whether `command` sets (or unsets) one of the shell variables `names` for the commands after it. */
function assigns(command: ShellCommand, names: string[]): boolean {
  const named = (word: string) => names.includes(word.split('=')[0]);
  if (command.program === '') return Object.keys(command.env).some(named);
  if (['export', 'readonly', 'declare', 'typeset', 'local'].includes(command.program))
    return command.args.some((a) => a.includes('=') && named(a));
  return ['unset', 'read'].includes(command.program) && command.args.some(named);
}

type Given = { dir: string; literal: boolean } | undefined;

/** The first of `names` that is `name`, or, for a tool reading its variables in any case, `name` in another case. */
function nameIn(names: readonly string[], name: string, anyCase: boolean | undefined): string | undefined {
  return (
    names.find((n) => n === name) ?? (anyCase ? names.find((n) => n.toLowerCase() === name.toLowerCase()) : undefined)
  );
}

function variableOf(spec: CacheDirSpec, name: string): string | undefined {
  return nameIn(spec.variables, name, spec.anyCase);
}

function optionOf(command: ShellCommand, spec: CacheDirSpec): Given {
  const options = spec.options ?? [];
  const literal = (at: number) => command.literalDollar?.args.has(at) ?? false;
  if (spec.read !== undefined && options.length > 0) {
    const last = spec.read(command).findLast((o) => options.includes(o.name) && o.value !== undefined);
    return last === undefined || last.value === '' ? undefined : { dir: last.value!, literal: literal(last.from) };
  }
  for (let i = command.args.length - 1; options.length > 0 && i >= 0; i -= 1) {
    const arg = command.args[i];
    if (options.some((o) => arg === `--${o}`) && i + 1 < command.args.length)
      return command.args[i + 1] === '' ? undefined : { dir: command.args[i + 1], literal: literal(i + 1) };
    const named = options.find((o) => arg.startsWith(`--${o}=`));
    if (named !== undefined)
      return arg.length === named.length + 3 ? undefined : { dir: arg.slice(named.length + 3), literal: literal(i) };
  }
  return undefined;
}

function envOf(command: ShellCommand, spec: CacheDirSpec): Given {
  const names = Object.keys(command.env);
  for (const variable of spec.variables) {
    const name = nameIn(names, variable, spec.anyCase);
    if (name !== undefined) return { dir: command.env[name], literal: command.literalDollar?.env.has(name) ?? false };
  }
  return undefined;
}

function exportedBy(exporter: ShellCommand | undefined, spec: CacheDirSpec): Given {
  const at = exporter?.args.findLastIndex((a) => a.includes('=') && variableOf(spec, a.slice(0, a.indexOf('='))));
  if (exporter === undefined || at === undefined || at < 0) return undefined;
  const word = exporter.args[at];
  const dir = word.slice(word.indexOf('=') + 1);
  return { dir, literal: exporter.literalDollar?.args.has(at) ?? false };
}

function variableValue(vars: Readonly<Record<string, string | undefined>>, spec: CacheDirSpec): Given {
  // Each name looked up as it is; the names set listed only when one may be spelt in another case, once per scope.
  // The scope is a view over the stage's ARG/ENV history (see analyzeStages), where listing the names asks for each of
  // them: a RUN asked that of every cache directory variable of every tool it runs.
  for (const variable of spec.variables) {
    const value = Object.hasOwn(vars, variable) ? vars[variable] : undefined;
    if (value !== undefined) return { dir: value, literal: false };
    if (!spec.anyCase) continue;
    const name = namesByLowerCase(vars).get(variable.toLowerCase());
    if (name !== undefined) return { dir: vars[name]!, literal: false };
  }
  return undefined;
}

/**
 * The names set (to a value) in a scope by their lower case, the first listed for each (as nameIn finds them). A scope
 * never changes (a later ARG or ENV makes a new one), so each is listed once.
 */
function namesByLowerCase(vars: Readonly<Record<string, string | undefined>>): Map<string, string> {
  let byLower = LOWER_CASE_NAMES.get(vars);
  if (!byLower) {
    byLower = new Map();
    for (const name of Object.keys(vars)) {
      const lower = name.toLowerCase();
      if (vars[name] !== undefined && !byLower.has(lower)) byLower.set(lower, name);
    }
    LOWER_CASE_NAMES.set(vars, byLower);
  }
  return byLower;
}

const LOWER_CASE_NAMES = new WeakMap<object, Map<string, string>>();
