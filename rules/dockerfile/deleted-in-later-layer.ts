// DF015: `rm` in a RUN of something an earlier instruction added: the bytes stay in the earlier layer.
import type { Instruction } from '../../src/dockerfile/parse.js';
import { binShAt } from '../../src/dockerfile/stages.js';
import { mountsOf } from '../../src/dockerfile/mount.js';
import {
  APK_VALUE_FLAGS,
  APT_VALUE_FLAGS,
  changesToEarlierPaths,
  cleanedCaches,
  copiedEntries,
  copyMayHold,
  copySources,
  defineRule,
  dockerfileMeta,
  forEachWords,
  isSubcommand,
  NPM_VALUE_FLAGS,
  overlapKey,
  packagesOf,
  pathsOverlap,
  positionals,
  removedIndexes,
  readPip,
  resolvePath,
  workdirTracker,
  writtenPaths,
  WRITERS,
  relativeAfterCd,
  RPM_PROGRAMS,
  rpmFamilyOf,
} from '../../src/lint/helpers.js';
import { shellQuote, type ShellCommand } from '../../src/dockerfile/shell.js';

import { appendToScript, deleteWithComments } from '../../src/lint/autofix.js';

/**
 * Commands that touch only the files their arguments name (and the working directory), besides their own state
 * (package databases, /etc/passwd): a RUN of these between a creating RUN and a delete cannot reach the deleted path
 * unless its words do. Shells count only as `sh -c '...'`, whose commands are checked themselves.
 */
const ARGUMENT_BOUND = new Set([
  ...WRITERS,
  'rm',
  'rmdir',
  'chmod',
  'chown',
  'chgrp',
  'echo',
  'printf',
  'test',
  '[',
  'true',
  'false',
  'cat',
  'head',
  'tail',
  'sed',
  'grep',
  'sort',
  'cut',
  'tr',
  'wc',
  'ls',
  'gzip',
  'gunzip',
  'xz',
  'sha256sum',
  'sha512sum',
  'md5sum',
  'sleep',
  'apt-get',
  'apt',
  'apk',
  ...RPM_PROGRAMS,
  'microdnf',
  'zypper',
  'useradd',
  'adduser',
  'groupadd',
  'addgroup',
  'usermod',
  'sh',
  'bash',
  'dash',
  'ash',
]);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash']);

/** Commands that make empty directories or change metadata only (and the shell's own settings): they add no bytes. */
const DIRECTORIES_ONLY = new Set(['mkdir', 'chmod', 'chown', 'chgrp', 'set', 'umask', 'true', ':']);

/** A path an earlier instruction added; `contextDir`: the build-context directory a COPY filled it from. */
interface Added {
  stage: number;
  path: string;
  line: number;
  by: Instruction;
  contextDir?: string;
}

interface Indexed extends Added {
  /** overlapKey(path). */
  key: string;
  /** Order of adding: of two entries that match, the earlier one is reported. */
  seq: number;
}

/** Every directory strictly above an overlap key, the root aside (it overlaps only itself): `/a/b/c` -> `/a`, `/a/b`. */
function parentsOf(key: string): string[] {
  const out: string[] = [];
  for (let at = key.indexOf('/', 1); at > 0; at = key.indexOf('/', at + 1)) out.push(key.slice(0, at));
  return out;
}

/**
 * The paths added so far, per stage, by overlap key: each under its own key and under every directory above it. A
 * delete then reads the entries of its own path, of the directories above it and of those below it, rather than
 * every path the file added so far (3,000 RUNs that each add and delete a path made millions of overlap checks).
 * Sets iterate in insertion order, so the first entry of a set that matches is the earliest added there.
 */
class AddedPaths {
  private seq = 0;
  private readonly stages = new Map<
    number,
    { all: Set<Indexed>; at: Map<string, Set<Indexed>>; below: Map<string, Set<Indexed>> }
  >();
  private readonly byCreator = new Map<Instruction, Set<Indexed>>();

  add(added: Added): void {
    // Built field by field: spreading \`added\` was most of this rule's time (an entry per path every RUN writes).
    const entry: Indexed = {
      stage: added.stage,
      path: added.path,
      line: added.line,
      by: added.by,
      contextDir: added.contextDir,
      key: overlapKey(added.path),
      seq: this.seq++,
    };
    let stage = this.stages.get(entry.stage);
    if (!stage) this.stages.set(entry.stage, (stage = { all: new Set(), at: new Map(), below: new Map() }));
    stage.all.add(entry);
    setIn(stage.at, entry.key).add(entry);
    for (const dir of parentsOf(entry.key)) setIn(stage.below, dir).add(entry);
    setIn(this.byCreator, entry.by).add(entry);
  }

  /** The earliest entry of `stage` whose path overlaps `path` (pathsOverlap) and that `accept` takes. */
  first(stage: number, path: string, accept: (entry: Added) => boolean): Added | undefined {
    const index = this.stages.get(stage);
    if (!index) return undefined;
    const key = overlapKey(path);
    let best: Indexed | undefined;
    const consider = (set: Set<Indexed> | undefined): void => {
      for (const entry of set ?? []) {
        if (best && entry.seq > best.seq) return;
        if (accept(entry)) {
          best = entry;
          return;
        }
      }
    };
    // `/` overlaps every path, and every path overlaps `/` (an entry at `/`, `COPY . /`).
    if (key === '/') consider(index.all);
    else {
      for (const dir of ['/', ...parentsOf(key), key]) consider(index.at.get(dir));
      consider(index.below.get(key));
    }
    return best;
  }

  /**
   * The entry of `stage` a delete of `path` is blamed on, among those overlapping it that `accept` takes: one that
   * wrote that very path, else one that wrote at its overlap key or below it (`apt-get install` writing
   * /var/lib/apt/lists for `rm -rf /var/lib/apt/lists/*`), each the earliest; else a directory above it that may hold
   * it, the deepest, then the latest. A COPY into `/` (or `/var/`) overlaps everything under it: blaming it, the
   * earliest, named `COPY --from=busybox /bin/ /` for the lists the install on the next line wrote.
   */
  blame(stage: number, path: string, accept: (entry: Added) => boolean): Added | undefined {
    const index = this.stages.get(stage);
    if (!index) return undefined;
    const key = overlapKey(path);
    const rank = (entry: Indexed): number =>
      entry.path === path ? 0 : key === '/' || entry.key === key || entry.key.startsWith(`${key}/`) ? 1 : 2;
    let best: Indexed | undefined;
    let bestRank = 3;
    const consider = (set: Set<Indexed> | undefined): void => {
      for (const entry of set ?? []) {
        const r = rank(entry);
        if (r > bestRank || !accept(entry)) continue;
        const better =
          !best ||
          r < bestRank ||
          (r < 2
            ? entry.seq < best.seq
            : entry.key.length > best.key.length || (entry.key.length === best.key.length && entry.seq > best.seq));
        if (better) [best, bestRank] = [entry, r];
      }
    };
    if (key === '/') consider(index.all);
    else {
      for (const dir of ['/', ...parentsOf(key), key]) consider(index.at.get(dir));
      consider(index.below.get(key));
    }
    return best;
  }

  /** The entries `creator` added that are still there. */
  of(creator: Instruction): Added[] {
    return [...(this.byCreator.get(creator) ?? [])];
  }

  /** Drops the entries of `stage` within `dir` (pathWithin): a cache a clean command emptied. */
  dropWithin(stage: number, dir: string): void {
    const index = this.stages.get(stage);
    if (!index) return;
    const key = overlapKey(dir);
    if (key === '/') this.drop([...index.all]);
    else this.drop([...(index.at.get(key) ?? []), ...(index.below.get(key) ?? [])]);
  }

  /**
   * Drops the entries of `stage` whose path, as recorded, is `gone` or below it. `gone` has no glob star nor trailing
   * slash, so those entries are among the ones at its key or below it.
   */
  dropUnder(stage: number, gone: string): void {
    const index = this.stages.get(stage);
    if (!index) return;
    const candidates = [...(index.at.get(gone) ?? []), ...(index.below.get(gone) ?? [])];
    this.drop(candidates.filter((a) => a.path === gone || a.path.startsWith(`${gone}/`)));
  }

  private drop(entries: Indexed[]): void {
    for (const entry of entries) {
      const index = this.stages.get(entry.stage)!;
      index.all.delete(entry);
      index.at.get(entry.key)?.delete(entry);
      for (const dir of parentsOf(entry.key)) index.below.get(dir)?.delete(entry);
      this.byCreator.get(entry.by)?.delete(entry);
    }
  }
}

function setIn<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

const LOCAL_PACKAGE = /\.(whl|deb|rpm|apk|gem|tgz|tar\.gz|zip)$/;

/**
 * The local files and directories an install command reads packages from, as written: `pip install /wheels/*`,
 * `app.whl` and its `--find-links DIR`, `apt-get install /tmp/pkg.deb`, `dpkg -i`, `dnf`/`yum`/`microdnf`/`zypper
 * install ./x.rpm`, `rpm -i`, `apk add x.apk`, `gem install x.gem`, `npm install ./x.tgz`. A package file is named by its
 * extension, or for pip by a glob of a directory's files (`/wheels/*`); names from an index are no files. Empty for any
 * other command.
 */
function installedFrom(command: ShellCommand): string[] {
  const { program, args } = command;
  const local = (word: string): boolean => !/^[a-z+]+:\/\//i.test(word);
  const files = (words: string[]): string[] => words.filter((w) => LOCAL_PACKAGE.test(w) && local(w));
  const pip = readPip(command);
  if (pip) {
    if (pip.subcommand?.name !== 'install') return [];
    const words = pip.positionals.filter((i) => i > pip.subcommand!.at).map((i) => args[i]);
    const links = pip.options.flatMap((o) => (o.name === 'find-links' && o.value !== undefined ? [o.value] : []));
    return [
      // A directory alone is a project pip builds (`pip install /app`), which the image may run from: only its files.
      ...words.filter((w) => local(w) && (LOCAL_PACKAGE.test(w) || /\/\*[^/]*$/.test(w))),
      ...links.filter(local),
    ];
  }
  if (isSubcommand(command, ['apt-get', 'apt'], ['install'], APT_VALUE_FLAGS))
    return files(packagesOf(command, APT_VALUE_FLAGS));
  if (program === 'dpkg' && args.some((a) => a === '--install' || /^-[a-zA-Z]*i/.test(a))) return files(args);
  if (program === 'rpm' && args.some((a) => a === '--install' || a === '--upgrade' || /^-[a-zA-Z]*[iU]/.test(a)))
    return files(args);
  if (/^(dnf|yum|microdnf|zypper)$/.test(program) && ['install', 'localinstall', 'in'].includes(positionals(args)[0]))
    return files(args);
  if (isSubcommand(command, ['apk'], ['add'], APK_VALUE_FLAGS)) return files(packagesOf(command, APK_VALUE_FLAGS));
  if (isSubcommand(command, ['gem'], ['install', 'i'])) return files(packagesOf(command));
  if (isSubcommand(command, ['npm', 'pnpm', 'yarn'], ['install', 'i', 'add'], NPM_VALUE_FLAGS))
    return files(packagesOf(command, NPM_VALUE_FLAGS));
  return [];
}

/** The most instructions between a creating RUN and a delete that the move-the-delete fix reads through. */
export const MAX_BETWEEN = 200;

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF015',
    name: 'deleted-in-later-layer',
    type: 'size',
    summary: 'Delete files in the same instruction that creates them, and bind-mount files a RUN only installs from',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      deletedLater:
        'Deleting `{{path}}` here does not shrink the image: line {{addedLine}} added it and its bytes stay in that layer; delete it in the step that creates it, or build in an earlier stage.',
      copiedFromStage:
        'Deleting `{{path}}` here does not shrink the image: line {{addedLine}} copied it from `{{from}}` and its bytes stay in that layer; read it in this RUN through `--mount=type=bind,from={{from}},source=...,target=...` instead of copying it.',
      deletedAfterInstall:
        'Deleting `{{path}}` here does not shrink the image: line {{addedLine}} copied it in only for `{{program}}` to install from, and its bytes stay in that layer; read it in this RUN through `{{mount}}` (BuildKit) instead of copying it, and drop the delete.',
      copiedToInstall:
        '`{{program}}` installs from `{{path}}`, which line {{addedLine}} copied in only for this: the copied files stay in that layer after the install; read them in this RUN through `{{mount}}` (BuildKit) instead of copying them.',
    },
    sources: [],
  }),
  create(ctx) {
    const workdir = workdirTracker(ctx);
    /** What earlier instructions added. */
    const added = new AddedPaths();
    const record = (instruction: Instruction, path: string, contextDir?: string): void => {
      if (path.includes('$')) return;
      added.add({
        stage: instruction.stageIndex,
        path: resolvePath(path, workdir.current(instruction)),
        line: instruction.line,
        by: instruction,
        contextDir,
      });
    };
    const visitCopy = (instruction: Instruction): void => {
      for (const { path, contextDir } of copiedEntries(ctx, instruction, workdir.current(instruction)))
        record(instruction, path, contextDir);
    };
    /**
     * Whether an instruction between the creating RUN and the delete may read or write `paths`: its text (flags and
     * heredocs included), with the ARG/ENV values known there substituted, names one of them or its last component; a
     * variable or command substitution is left that this cannot resolve (`$HOME`, `$(pwd)`, an ARG without a value);
     * it is a RUN whose working directory is one of them, inside one, or above one (`tar -czf /x.tgz .` in /opt reads
     * /opt/tc; `/` aside, or nothing would qualify); or it is a COPY/ADD whose destination is one of them, inside one or
     * above one (`COPY . /opt` may bring a new `tc/` that the delete removed). With `opaque` false a program whose
     * arguments do not say what it reads (a script, a build tool) is taken not to read them: for the instructions
     * after an install, where any such RUN would otherwise keep the files (see copiedToInstall).
     */
    const mayUse = (between: Instruction, paths: string[], opaque = true): boolean => {
      const raw = [...between.flagList.map((f) => `--${f.name}=${f.value}`), between.args].join(' ');
      const text = ctx.resolve(raw, between);
      if (/\$[{(A-Za-z0-9_@*#?$!-]|`/.test(text)) return true;
      if (paths.some((p) => text.includes(p) || text.includes(p.split('/').pop()!))) return true;
      const cwd = cwdAt.get(between.index) ?? '/';
      const within = (path: string, dir: string): boolean => dir === '/' || path === dir || path.startsWith(`${dir}/`);
      if (between.keyword === 'RUN') {
        if (paths.some((p) => within(cwd, p) || (cwd !== '/' && within(p, cwd)))) return true;
        const commands = ctx.commands(between);
        // A script or build tool may read anything (`./build.sh` copying /build/blob); a path above a deleted one
        // (`find /`, `cp -r . /out` in `/`) reaches into it.
        return (
          (opaque && commands.length === 0) ||
          commands.some(
            (c) =>
              (opaque &&
                (!ARGUMENT_BOUND.has(c.program) ||
                  (SHELLS.has(c.program) && !c.args.some((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a))))) ||
              positionals(c.args).some((a) => paths.some((p) => within(p, resolvePath(a, cwd)))),
          )
        );
      }
      if (between.keyword === 'COPY' || between.keyword === 'ADD') {
        const { destination } = copySources(between);
        const dest = resolvePath(ctx.resolve(destination, between), cwd);
        return paths.some((p) => within(dest, p) || within(p, dest));
      }
      return false;
    };
    /**
     * Unsafe fix: when this RUN only removes literal paths that `creator` (a RUN) wrote, and nothing between the two
     * may use them (`mayUse`), the removal moves to the end of `creator` (each `rm` with its own flags: `rm -f` does not become a recursive
     * delete) and this RUN goes.
     */
    const moveDeleteFix = (instruction: Instruction, commands: ShellCommand[], creator: Instruction) => {
      if (
        creator.keyword !== 'RUN' ||
        ctx.parsed.instructions[instruction.index] !== instruction ||
        ctx.parsed.instructions[creator.index] !== creator
      )
        return undefined;
      if (
        commands.length === 0 ||
        !commands.every((c) => c.program === 'rm' && Object.keys(c.env).length === 0 && c.writes.length === 0)
      )
        return undefined;
      const cwd = workdir.current(instruction);
      // A variable the ARG/ENV values known here give (`rm -f /opt/app/blob-$VER.bin`) is read as its value: the moved
      // removal names that value, so what the creating RUN's shell has set does not matter. One the shell does not
      // expand (`'$x'`) or lint cannot resolve gives no fix.
      if (commands.some((c) => (c.literalDollar?.args.size ?? 0) > 0)) return undefined;
      const targets = commands.flatMap((c) => positionals(c.args).map((t) => ctx.resolve(t, instruction)));
      if (targets.length === 0 || targets.some((t) => /[$~`*?[]/.test(t))) return undefined;
      const paths = targets.map((t) => resolvePath(t, cwd));
      const fromCreator = added.of(creator);
      if (!paths.every((p) => fromCreator.some((a) => pathsOverlap(a.path, p)))) return undefined;
      // Each instruction between is read for the paths: a delete far from its RUN would make a pass over the file
      // per delete (8,000 such deletes: 32 million checks). Beyond MAX_BETWEEN the fix is not offered; the finding is.
      if (instruction.index - creator.index - 1 > MAX_BETWEEN) return undefined;
      const between = ctx.parsed.instructions.slice(creator.index + 1, instruction.index);
      if (between.some((i) => i.keyword === 'FROM' || mayUse(i, paths))) return undefined;
      const removal = commands
        .map((c) => {
          const flags = c.args.slice(0, c.args.includes('--') ? c.args.indexOf('--') : undefined);
          const words = positionals(c.args).map((t) => shellQuote(resolvePath(ctx.resolve(t, instruction), cwd)));
          return ['rm', ...flags.filter((a) => a.startsWith('-')), ...words].join(' ');
        })
        .join(' && ');
      const append = appendToScript(
        ctx.parsed,
        creator,
        removal,
        ctx.stages.shellArgsAt[creator.index],
        binShAt(ctx.stages, creator.stageIndex),
      );
      if (!append) return undefined;
      return {
        applicability: 'unsafe' as const,
        title: `Delete ${paths.join(', ')} in the RUN on line ${creator.line} that creates it`,
        // The comment lines right above the RUN say what it does: they go with it (`# drop the archive`).
        edits: [append, deleteWithComments(ctx.parsed, instruction)],
      };
    };
    /**
     * Files a COPY of the stage put in only for an install to read (`COPY --from=builder /wheels /wheels` and `pip
     * install /wheels/*`, `COPY pkg.deb /tmp/` and `apt-get install /tmp/pkg.deb`): they stay in the COPY's layer.
     * Only a COPY of exactly what the install names, or of a directory it reads (not a package file it picked out of a
     * directory copied for more, `COPY . /app` then `pip install /app/dist/x.whl`), and only when no other
     * instruction between, or after the install where the stage's files are seen, names it: one that may read it too
     * needs the copy. The install's program, the word it names the files by, the COPY and the bind mount to read them
     * through instead; undefined when there is none.
     */
    const copiedToInstall = (
      instruction: Instruction,
      commands: ShellCommand[],
      cwd: string,
      afterCd: (command: ShellCommand, path: string) => boolean,
    ): { program: string; word: string; copy: Instruction; mount: string } | undefined => {
      for (const command of commands) {
        for (const word of installedFrom(command)) {
          const resolved = ctx.resolve(word, instruction);
          if (resolved.includes('$') || afterCd(command, resolved)) continue;
          const path = resolvePath(resolved, cwd);
          const key = overlapKey(path);
          // The COPY wrote exactly what the install reads: the package file (one copied into a directory too, which
          // copiedEntries names at dest/<name>), or the directory of `/wheels/*` or of `--find-links`.
          const hit = added.first(
            instruction.stageIndex,
            path,
            (a) => a.by.keyword === 'COPY' && overlapKey(a.path) === key,
          );
          if (!hit) continue;
          const copy = hit.by;
          const { sources } = copySources(copy);
          if (sources.length !== 1 || copy.heredocs.length > 0) continue;
          const target = hit.path;
          // An instruction between them that may read the files needs the copy; so does one after the install, in this
          // stage or one built from it (a second `pip install --find-links=/wheels`, a `FROM base` stage's `dpkg -i`).
          const between = ctx.parsed.instructions.slice(copy.index + 1, instruction.index);
          if (between.some((i) => i.keyword === 'FROM' || mayUse(i, [target]))) continue;
          // After the install only an instruction that names the files (or whose arguments reach them) counts: a
          // later script or build tool reading them is possible but rare, and every image has one.
          const rest = laterReaders(instruction);
          if (rest === undefined || rest.some((i) => mayUse(i, [target], false))) continue;
          const from = copy.flags.from;
          const source = ctx.resolve(sources[0], copy).replace(/(.)\/+$/, '$1');
          const mount = `RUN --mount=type=bind,${from ? `from=${from},` : ''}source=${source},target=${target}`;
          return { program: command.program, word, copy, mount };
        }
      }
      return undefined;
    };
    /**
     * The instructions after `instruction` that see its stage's files: later ones of the stage, those of the stages
     * built FROM it (at any depth), and a `COPY --from`/`RUN --mount from=` of one of those. Undefined beyond
     * MAX_BETWEEN of them (each is read for the paths; the finding is not worth a pass over a huge file per install).
     */
    const laterReaders = (instruction: Instruction): Instruction[] | undefined => {
      const stages = new Set<number>([instruction.stageIndex]);
      const readers: Instruction[] = [];
      for (const later of ctx.parsed.instructions.slice(instruction.index + 1)) {
        const stage = later.stageIndex;
        if (later.keyword === 'FROM') {
          const base = ctx.stages.baseStage[stage];
          if (base !== undefined && stages.has(base)) stages.add(stage);
          continue;
        }
        const refs = [
          ...(later.keyword === 'COPY' || later.keyword === 'ADD' ? [later.flags.from] : []),
          ...mountsOf(later).map((m) => m.from),
        ].filter((ref): ref is string => ref !== undefined);
        const takes = refs.some((ref) => {
          const used = ctx.stages.stageByRef(ctx.resolve(ref, later), stage);
          return used !== undefined && stages.has(used);
        });
        if (!stages.has(stage) && !takes) continue;
        readers.push(later);
        if (readers.length > MAX_BETWEEN) return undefined;
      }
      return readers;
    };
    // The WORKDIR each instruction runs in, for the instructions between a creating RUN and a delete and those after an
    // install (a tracker of its own: `workdir` follows the visit).
    const cwdAt = new Map<number, string>();
    const ahead = workdirTracker(ctx);
    for (const instruction of ctx.parsed.instructions) cwdAt.set(instruction.index, ahead.current(instruction));
    return {
      COPY: visitCopy,
      ADD: visitCopy,
      RUN(instruction) {
        const cwd = workdir.current(instruction);
        const commands = ctx.commands(instruction);
        const afterCd = relativeAfterCd(commands);
        // The earlier layer keeps the bytes only if the stage's layers ship (not for a stage COPY --from takes paths of).
        let reported = false;
        if (ctx.ships(instruction)) {
          // What this RUN wrote before each `rm`: deleting that here is deleting in the step that creates it, even
          // when an earlier layer also holds the path (that one's own rule, e.g. DF001, reports it).
          // A relative target after a `cd` is not the WORKDIR's either (as for what a RUN writes, below): `cd src &&
          // make install && cd .. && rm -r man` deletes where the `cd`s went, which lint does not follow (skipped by
          // changesToEarlierPaths).
          // A `for f in a b` loop deletes each word's path (`rm /tmp/$f` is `rm /tmp/a`, then `rm /tmp/b`).
          const changes = changesToEarlierPaths(
            ctx,
            instruction,
            cwd,
            (command) =>
              command.program === 'rm'
                ? // `~/.cache` is under the user's home, not the working directory; the home depends on USER: skip it.
                  removedIndexes(command).filter((i) => !command.args[i].startsWith('~'))
                : undefined,
            true,
          );
          for (const { targets } of changes) {
            for (const { target, path } of targets) {
              if (path.includes('$') || path === '/') continue;
              // A step that wrote this very path first (`wget URL` of the `rm x.tgz`): a directory copied earlier that
              // may hold it too is a guess, and the step that wrote it is where the delete belongs (see `blame`).
              const hit = added.blame(instruction.stageIndex, path, (a) =>
                copyMayHold(ctx, a, path, instruction.stageIndex),
              );
              if (hit) {
                // Copied in only for this RUN's install, then deleted (`COPY x.deb /tmp/`, `apt-get install /tmp/x.deb
                // && rm /tmp/x.deb`): no step here creates the file to delete it in, and no earlier stage is needed;
                // mounting it for this RUN keeps it out of every layer, and the delete can go.
                const install =
                  hit.by.keyword === 'COPY' && hit.by.flags.from === undefined
                    ? copiedToInstall(instruction, commands, cwd, afterCd)
                    : undefined;
                if (install?.copy === hit.by) {
                  ctx.report({
                    messageId: 'deletedAfterInstall',
                    data: { path: target, addedLine: hit.line, program: install.program, mount: install.mount },
                    at: instruction,
                  });
                  reported = true;
                  break;
                }
                // `COPY --from` has no step here to delete in, and the files were built elsewhere already: what avoids
                // the layer is not copying them at all but mounting them for the one RUN that needs them.
                const from = hit.by.keyword === 'COPY' ? hit.by.flags.from : undefined;
                ctx.report({
                  messageId: from ? 'copiedFromStage' : 'deletedLater',
                  data: { path: target, addedLine: hit.line, from: from ?? '' },
                  at: instruction,
                  fix: moveDeleteFix(instruction, commands, hit.by),
                });
                reported = true;
                break;
              }
            }
          }
          // A RUN that deletes what it installs from was reported above (the delete does not shrink the image).
          const install = reported ? undefined : copiedToInstall(instruction, commands, cwd, afterCd);
          if (install)
            ctx.report({
              messageId: 'copiedToInstall',
              data: {
                program: install.program,
                path: install.word,
                addedLine: install.copy.line,
                mount: install.mount,
              },
              at: instruction,
            });
        }
        // Record after checking: deleting in the same RUN that writes is exactly what we want people to do.
        // What a cache or tmpfs mount receives never reaches the layer.
        // After a `cd` a relative path is not the WORKDIR's: `cd /tmp && git clone URL` wrote /tmp/y, not the WORKDIR's y.
        // A RUN that only makes directories and sets their mode or owner adds empty ones (a tar header each): a later
        // delete of one, or of what a later step put in it, leaves no bytes of this layer behind.
        if (commands.every((c) => DIRECTORIES_ONLY.has(c.program) && c.writes.length === 0)) return;
        for (const command of commands) {
          for (const path of writtenPaths(command, rpmFamilyOf(ctx, instruction.stageIndex))) {
            const resolved = ctx.resolve(path, instruction);
            if (afterCd(command, resolved)) continue;
            if (!ctx.hasCacheMount(instruction, resolvePath(resolved, cwd))) record(instruction, resolved);
          }
        }
        for (const command of commands) {
          // `dnf clean all`, `apt-get clean`: the cache an earlier install of this RUN wrote is gone.
          for (const cache of cleanedCaches(command, rpmFamilyOf(ctx, instruction.stageIndex)))
            added.dropWithin(instruction.stageIndex, cache);
          if (command.program !== 'rm') continue;
          const literal = command.literalDollar?.args;
          for (const target of removedIndexes(command).flatMap((i) =>
            literal?.has(i) ? [command.args[i]] : forEachWords(command, command.args[i]),
          )) {
            // After a `cd` a relative target is not the WORKDIR's: dropping nothing keeps the writer a later delete of
            // the WORKDIR's path is reported against (`cd /tmp && rm -rf build` leaves /src/build).
            const resolved = ctx.resolve(target, instruction);
            if (target.startsWith('~') || afterCd(command, resolved)) continue;
            const gone = resolvePath(resolved, cwd).replace(/\*.*$/, '').replace(/\/+$/, '');
            if (gone === '' || gone.includes('$')) continue;
            added.dropUnder(instruction.stageIndex, gone);
          }
        }
      },
    };
  },
});
