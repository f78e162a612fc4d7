// Where a RUN leaves a tool's download cache, read once for DF006/DF029 (pip), DF007 (yarn) and DF008 (npm): each
// needs the same answers (which `cd` and which `export` of the cache's variable are in effect at an install, which
// installs share a cache, whether a mount covers it or a later command empties it, whether the stage ships it), and
// three copies of that reading drifted apart in small ways. The rules keep what is their own: which commands install,
// where the tool caches by default, its options and variables, and what empties its cache.
import type { Instruction } from '../dockerfile/parse.js';
import type { ShellCommand } from '../dockerfile/shell.js';
import type { DockerfileContext } from '../report/rule.js';
import {
  changesDirectory,
  cleanupAfter,
  type CleanupStatus,
  overlapKey,
  pathWithin,
  removes,
  removesPath,
  resolvePath,
  starSkips,
} from './helpers.js';

/**
 * A script's commands (`list`) by place, with what is in effect at each place (and at `list.length`, its end): the
 * place of the last `cd` (`pushd`, `popd`) before it, -1 for none (a relative path is then the WORKDIR's), and the last
 * command `exports` picks (an `export` of the cache's variable) before it. One in a `( ... )` subshell holds for the
 * later commands in that subshell only (see ShellCommand `subshells`).
 */
export interface Script {
  list: ShellCommand[];
  at: Map<ShellCommand, number>;
  cdBefore: number[];
  exporterBefore: (ShellCommand | undefined)[];
}

export function scriptOf(list: ShellCommand[], exports: (command: ShellCommand) => boolean): Script {
  const cdBefore: number[] = [];
  const exporterBefore: (ShellCommand | undefined)[] = [];
  // What is in effect in each subshell the script is in, outermost (the script itself) first. A subshell starts with
  // what is in effect where it opens; leaving it drops what it set. At most as deep as the parse nests subshells.
  const frames: { id?: number; cd: number; exporter?: ShellCommand }[] = [{ cd: -1 }];
  const enter = (subshells: readonly number[] = []) => {
    let same = 1;
    while (same < frames.length && frames[same].id === subshells[same - 1]) same += 1;
    frames.length = same;
    for (const id of subshells.slice(same - 1)) frames.push({ ...frames[frames.length - 1], id });
    const now = frames[frames.length - 1];
    cdBefore.push(now.cd);
    exporterBefore.push(now.exporter);
    return now;
  };
  list.forEach((c, i) => {
    const now = enter(c.subshells);
    if (changesDirectory(c)) now.cd = i;
    if (exports(c)) now.exporter = c;
  });
  enter();
  return { list, at: new Map(list.map((c, i) => [c, i])), cdBefore, exporterBefore };
}

/** A cache some installs leave behind: the first of them, and whether a later command empties it on some paths. */
export interface LeftCache {
  install: ShellCommand;
  cache: string;
  status: Exclude<CleanupStatus, 'always'>;
}

/**
 * The caches the `installs` of `script` fill that no mount covers and no later command empties on every path, each
 * with how sure that is; none when the stage ships none of them. The installs are taken together by the cache each
 * uses (`key`, the cache itself unless told): the work grows with the caches, not with installs times commands.
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
    key?(command: ShellCommand, cache: string): string;
    mounted(cache: string): boolean;
    cleans(command: ShellCommand, cache: string, installs: ShellCommand[]): boolean;
    shipping(cache: string): string[] | undefined;
  },
): LeftCache[] {
  const groups = new Map<string, { cache: string; installs: ShellCommand[] }>();
  for (const install of installs) {
    const cache = reading.cacheOf(install);
    const key = reading.key?.(install, cache) ?? cache;
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
