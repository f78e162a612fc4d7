// DF014: chmod/chown in a RUN on files an earlier COPY/ADD (or RUN) put there: every byte is copied into a new layer.
import { splitWords, type Instruction } from '../../src/dockerfile/parse.js';
import { binShAt } from '../../src/dockerfile/stages.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { addFlags, deleteInstruction, mergeRuns } from '../../src/lint/autofix.js';
import {
  BASE_IMAGE_DIRS,
  changesToEarlierPaths,
  contentWrites,
  copiedEntries,
  copyMayHold,
  copySources,
  defineRule,
  dockerfileMeta,
  downloadedFile,
  mountTargets,
  pathWithin,
  positionalIndexes,
  positionals,
  relativeAfterCd,
  replaceInstruction,
  resolvePath,
  workdirTracker,
  writtenPaths,
  rpmFamilyOf,
  WELL_KNOWN_DIRS,
} from '../../src/lint/helpers.js';
import { listed } from '../../src/report/lists.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF014',
    name: 'chmod-after-copy',
    type: 'size',
    summary:
      'Set ownership and mode with COPY --chown/--chmod, or in the RUN that wrote the files, instead of a later RUN',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      afterCopy:
        '`{{program}}` on `{{path}}` changes files that {{copyLines}} copied in: the layer stores a second full copy of every file touched; use {{use}} instead.',
      afterCopyNewOwner:
        '`{{program}}` on `{{path}}` changes files that {{copyLines}} copied in: the layer stores a second full copy of every file touched; create `{{owner}}` before {{copyLines}} and use {{use}} instead.',
      afterCopyPart:
        '`{{program}}` on {{paths}} changes part of what {{copyLines}} copied in: the layer stores a second copy of those files only; to avoid it, copy {{them}} in a separate {{use}} and leave {{them}} out of {{copyLines}}, or accept the cost.',
      afterCopyPartNewOwner:
        '`{{program}}` on {{paths}} changes part of what {{copyLines}} copied in: the layer stores a second copy of those files only; to avoid it, create `{{owner}}` in an earlier RUN, copy {{them}} in a separate {{use}} and leave {{them}} out of {{copyLines}}, or accept the cost.',
      afterCopyAndRun:
        '`{{program}}` on `{{path}}` changes files that {{copyLines}} copied in and {{runs}} wrote: the layer stores a second full copy of every file touched; use {{use}} and make the change at the end of {{there}} instead.',
      afterCopyAndRunNewOwner:
        '`{{program}}` on `{{path}}` changes files that {{copyLines}} copied in and {{runs}} wrote: the layer stores a second full copy of every file touched; create `{{owner}}` before {{copyLines}}, use {{use}} and make the change at the end of {{there}} instead.',
      alreadySet:
        '`{{program}}` on `{{path}}` sets what {{copyLines}} already set with `{{flag}}`: the layer stores a second full copy of every file touched for no change; drop it.',
      wholeImage:
        "`{{program}} -R` on `{{path}}` changes every file in the image, not only what {{copyLines}} copied in: the layer stores a second copy of the whole filesystem, the base image's files included; change only the paths that need it.",
      afterRun:
        '`{{program}} -R` on {{paths}} changes files that {{runs}} wrote: the layer stores a second copy of every file touched; make the change at the end of {{there}} instead.',
      afterRunNewOwner:
        '`{{program}} -R` on {{paths}} changes files that {{runs}} wrote: the layer stores a second copy of every file touched; create `{{owner}}` before {{runs}} and make the change at the end of {{there}} instead.',
    },
    sources: [],
  }),
  create(ctx) {
    const workdir = workdirTracker(ctx);
    // `path` is what the COPY wrote (`/app/package.json` for `COPY package.json ./`), `dest` its destination,
    // `contextDir` the build-context directory it was filled from (see copiedEntries).
    // Indexed by stage, then by the path (its glob cut off, as `pathsOverlap` does) and by each directory above it: a
    // scan of every earlier COPY for each chmod target was quadratic in the COPYs.
    const copied = new Map<number, CopyIndex>();
    const visitCopy = (instruction: Instruction): void => {
      const { destination } = copySources(instruction);
      if (!destination) return;
      const cwd = workdir.current(instruction);
      const dest = resolvePath(ctx.resolve(destination, instruction), cwd);
      let index = copied.get(instruction.stageIndex);
      if (!index) copied.set(instruction.stageIndex, (index = new CopyIndex()));
      for (const { path, contextDir } of copiedEntries(ctx, instruction, cwd))
        index.add({ path, dest, contextDir, instruction });
    };
    /**
     * Unsafe fix: a RUN right after the COPY that only chowns/chmods exactly what that COPY wrote (recursively, or the one
     * file a single-file COPY wrote) becomes `COPY --chown/--chmod` and goes. Only octal modes, and owners that are
     * numeric, root, or created by an earlier RUN of the stage (COPY resolves names when it runs).
     */
    const intoCopyFix = (instruction: Instruction, hit: { dest: string; instruction: Instruction }) => {
      const copy = hit.instruction;
      if (
        copy.index !== instruction.index - 1 ||
        copy.keyword !== 'COPY' ||
        copy.flags.chown !== undefined ||
        copy.flags.chmod !== undefined
      )
        return undefined;
      if (ctx.parsed.instructions[instruction.index] !== instruction) return undefined;
      // Without -R the change equals a COPY flag only for a file: the context must show the source is one.
      const singleFile = writes(copy) === 'file';
      const cwd = workdir.current(instruction);
      const flags: Record<string, string> = {};
      // The same changes of the directory alone (`chown 1000:1000 /app`), for a directory a WORKDIR made (below).
      const own: string[] = [];
      for (const command of ctx.commands(instruction)) {
        if (command.program !== 'chown' && command.program !== 'chmod') return undefined;
        const [value, ...targets] = positionals(command.args);
        const recursive = isRecursive(command);
        if (
          command.args.some(
            (a) =>
              a.startsWith('-') && !/^-[a-zA-Z]*R[a-zA-Z]*$/.test(a) && a !== '--recursive' && a !== '-v' && a !== '-f',
          )
        )
          return undefined;
        if (
          !value ||
          targets.length !== 1 ||
          resolvePath(ctx.resolve(targets[0], instruction), cwd) !== hit.dest ||
          !(recursive || singleFile)
        )
          return undefined;
        if (command.program === 'chmod' && !/^[0-7]{3,4}$/.test(value)) return undefined;
        // `COPY --chmod` leaves the directory it creates at 0755 while `chmod -R` sets it too: equal only for 755.
        if (command.program === 'chmod' && !singleFile && !/^0?755$/.test(value)) return undefined;
        // `chown app` keeps the group; `COPY --chown=app` sets it to app's (docker: to the same number as the user).
        if (command.program === 'chown' && !/^[^:]+:[^:]+$/.test(value)) return undefined;
        if (command.program === 'chown' && !ownerKnown(value, instruction)) return undefined;
        const flag = command.program;
        if (flags[flag] !== undefined && flags[flag] !== value) return undefined;
        flags[flag] = value;
        own.push(`${command.program} ${value} ${targets[0]}`);
      }
      // A directory the COPY writes into keeps its owner and mode when it was already there (a WORKDIR, an earlier
      // step, the base image), while the RUN changed it too; COPY --chown also owns the parents it creates.
      // `WORKDIR /app` right before `COPY . .` made /app, empty, and nothing else was there (what came before it had
      // nothing named /app): the COPY flags give every file the RUN's owner and mode, and the RUN is kept to change
      // the directory alone, which copies no file.
      const before = ctx.parsed.instructions[copy.index - 1];
      const emptyWorkdir =
        !singleFile &&
        before?.keyword === 'WORKDIR' &&
        before.stageIndex === copy.stageIndex &&
        cwdAt.get(copy.index) === hit.dest &&
        instruction.flagList.length === 0 &&
        own.every((c) => /^[\w ./:+=-]+$/.test(c)) &&
        copyCreates(before, hit.dest);
      if (
        !emptyWorkdir &&
        (singleFile ? !fileLandsAsWritten(copy, hit.dest, flags.chown !== undefined) : !copyCreates(copy, hit.dest))
      )
        return undefined;
      const add = addFlags(
        ctx.parsed,
        copy,
        Object.entries(flags).map(([name, value]) => `--${name}=${value}`),
      );
      if (!add) return undefined;
      const title = `Set ${Object.keys(flags).join(' and ')} on the COPY on line ${copy.line}`;
      return emptyWorkdir
        ? {
            applicability: 'unsafe' as const,
            title: `${title}; change only the directory ${hit.dest} itself in the RUN`,
            edits: [add, replaceInstruction(ctx.parsed, instruction, `${instruction.keywordText} ${own.join(' && ')}`)],
          }
        : { applicability: 'unsafe' as const, title, edits: [add, deleteInstruction(ctx.parsed, instruction)] };
    };
    /**
     * What a COPY writes at its destination: one file (a single source the build context shows is a file), a
     * directory (several sources, a glob, `.`, a destination ending in `/`, or a source directory), or, with no
     * context to look in, either. A lone heredoc (`COPY <<EOF /app/run.sh`) writes its body as one file.
     */
    const writes = (copy: Instruction): 'file' | 'directory' | 'unknown' => {
      const { sources, destination } = copySources(copy);
      if (copy.heredocs.length > 0)
        return copy.heredocs.length === 1 && splitWords(copy.shellText).length === 2 && !destination.endsWith('/')
          ? 'file'
          : 'directory';
      if (sources.length !== 1 || /[*?[]/.test(sources[0]) || /^\.\/?$/.test(sources[0]) || destination.endsWith('/'))
        return 'directory';
      const entry = ctx.contextEntry(sources[0]);
      return entry === 'directory' ? 'directory' : entry === 'file' ? 'file' : 'unknown';
    };
    /**
     * What the instructions so far rule out, by stage: the top-level directory names they may have made (`all`: any),
     * collected once per instruction as the walk goes. Checking each candidate directory against every earlier
     * instruction was quadratic.
     */
    const mayExist = new Map<number, { names: Set<string>; all: boolean }>();
    let noted = -1;
    /** Notes what the instructions before `index` may have created. */
    const noteUpTo = (index: number): void => {
      for (; noted + 1 < index; noted += 1) {
        const i = ctx.parsed.instructions[noted + 1];
        if (i.keyword === 'FROM') continue;
        let state = mayExist.get(i.stageIndex);
        if (!state) mayExist.set(i.stageIndex, (state = { names: new Set(), all: false }));
        noteInstruction(i, state);
      }
    };
    const noteInstruction = (i: Instruction, state: { names: Set<string>; all: boolean }): void => {
      const cwd = cwdAt.get(i.index) ?? '/';
      const add = (path: string): void => {
        const name = /^\/([^/]+)/.exec(path)?.[1];
        if (name !== undefined) state.names.add(name);
      };
      add(cwd);
      const text = ctx.resolve([...i.flagList.map((f) => f.value), i.args].join(' '), i);
      for (const name of slashNames(text)) state.names.add(name);
      if (i.keyword === 'COPY' || i.keyword === 'ADD') {
        const dest = resolvePath(ctx.resolve(copySources(i).destination, i), cwd);
        if (dest === '/' || dest === '') state.all = true;
        else add(dest);
        return;
      }
      if (i.keyword !== 'RUN') return;
      if (/\$[{(A-Za-z0-9_@*#?$!-]|`/.test(text)) {
        state.all = true;
        return;
      }
      // Relative words may create it (`mkdir app` in `/`); user and group tools take names, not paths.
      for (const c of ctx.commands(i)) {
        if (USER_TOOLS.test(c.program)) continue;
        for (const a of [...positionals(c.args), ...c.writes])
          if (!a.startsWith('/')) add(resolvePath(ctx.resolve(a, i), cwd));
      }
    };
    /**
     * Whether `dir` is provably created by `copy`: a top-level directory (`/app`) that is not a well-known one of base
     * images, and that nothing earlier in the stage (or the stages it is built FROM) may have made: no WORKDIR in it,
     * no COPY/ADD into, above or below it, no instruction naming it, and no RUN naming `name` relative to `/` or
     * holding a `$` this cannot resolve. The base image itself can still hold it: that is part of why the fix is unsafe.
     */
    const copyCreates = (copy: Instruction, dir: string): boolean => {
      const name = dir.slice(1);
      if (!/^[^/]+$/.test(name) || BASE_IMAGE_DIRS.has(name) || name.length > MAX_NAME) return false;
      noteUpTo(copy.index);
      for (
        let stage: number | undefined = copy.stageIndex;
        stage !== undefined;
        stage = stage >= 0 ? ctx.stages.baseStage[stage] : undefined
      ) {
        const state = mayExist.get(stage);
        if (state && (state.all || state.names.has(name))) return false;
      }
      return true;
    };
    /**
     * Whether the file a single-file COPY writes at `path` ends up as the RUN left it: `path` is not a directory the
     * file would land in instead (a WORKDIR, a well-known directory), and, for --chown, its parent already exists (`/`,
     * a WORKDIR or a directory above one, a well-known directory), since COPY --chown owns the parents it creates.
     */
    const fileLandsAsWritten = (copy: Instruction, path: string, chown: boolean): boolean => {
      const cwd = cwdAt.get(copy.index) ?? '/';
      const existing = (dir: string): boolean =>
        dir === '/' || cwd === dir || cwd.startsWith(`${dir}/`) || WELL_KNOWN_DIRS.has(dir);
      if (existing(path)) return false;
      return !chown || existing(path.replace(/\/[^/]+$/, '') || '/');
    };
    /**
     * An owner COPY can resolve: numeric ids, root, or a user (before the `:`) and a group (after it) an earlier RUN of
     * this stage created as such. A group is no user: `groupadd app` then `--chown=app:app` fails the build.
     */
    const ownerKnown = (owner: string, instruction: Instruction): boolean => {
      // The COPY right before `instruction` is no RUN: the RUNs before the COPY are the RUNs before `instruction`.
      const created = createdBy.get(instruction.stageIndex);
      const known = (name: string, names: Set<string> | undefined): boolean =>
        name === '' || /^\d+$/.test(name) || name === 'root' || names?.has(name) === true;
      const [user, group = ''] = owner.split(':');
      return known(user, created?.users) && known(group, created?.groups);
    };
    // The users and groups the RUNs so far created, by stage; the last RUN's are added when the next instruction comes,
    // so a RUN does not count its own.
    const createdBy = new Map<number, Accounts>();
    let lastRun: Instruction | undefined;
    // The users and groups the last RUN walked created: its own chown asks first (ownerCreatedBy), its stage's list
    // takes them when the next instruction comes (noteCreated), from one walk of its commands.
    let walked: { run: Instruction; accounts: Accounts } | undefined;
    const accountsOf = (run: Instruction): Accounts => {
      if (walked?.run !== run) {
        const accounts: Accounts = { users: new Set(), groups: new Set() };
        for (const c of ctx.commands(run)) noteAccounts(c, accounts);
        walked = { run, accounts };
      }
      return walked.accounts;
    };
    const noteCreated = (): void => {
      if (!lastRun) return;
      let created = createdBy.get(lastRun.stageIndex);
      if (!created) createdBy.set(lastRun.stageIndex, (created = { users: new Set(), groups: new Set() }));
      const own = accountsOf(lastRun);
      for (const user of own.users) created.users.add(user);
      for (const group of own.groups) created.groups.add(group);
      lastRun = undefined;
    };
    /** The user or group a chown/chgrp names (`app:app`, `app.app`, `:app`) that `run` itself creates, if any. */
    const ownerCreatedBy = (run: Instruction, command: ShellCommand): string | undefined => {
      const spec = command.args[positionalIndexes(command.args)[0]] ?? '';
      const [user, group = ''] = command.program === 'chgrp' ? ['', spec] : spec.split(/[:.]/);
      const created = accountsOf(run);
      if (created.users.has(user)) return user;
      return created.groups.has(group) ? group : undefined;
    };
    // The WORKDIR each instruction runs in.
    const cwdAt = new Map<number, string>();
    // By stage, then by path: the last RUN that wrote that very path, and whether it wrote a file there (a redirect, a
    // download) rather than maybe into a directory already there (`cp x /app/conf` when /app/conf is one).
    const runWrote = new Map<number, Map<string, { index: number; file: boolean }>>();
    const noteWrites = (instruction: Instruction, cwd: string): void => {
      const commands = ctx.commands(instruction);
      const afterCd = relativeAfterCd(commands);
      let wrote = runWrote.get(instruction.stageIndex);
      if (!wrote) runWrote.set(instruction.stageIndex, (wrote = new Map()));
      for (const command of commands) {
        // These leave what is already there as it was: `mkdir -p /app/data` keeps the copied files in it.
        if (command.program === 'mkdir' || command.program === 'touch') continue;
        const download = downloadedFile(command);
        for (const written of writtenPaths(command, rpmFamilyOf(ctx, instruction.stageIndex))) {
          const word = ctx.resolve(written, instruction);
          if (word.includes('$') || afterCd(command, word)) continue;
          const file = command.writes.includes(written) || written === download;
          wrote.set(cleanPath(resolvePath(word, cwd)), { index: instruction.index, file });
        }
      }
    };
    /**
     * Whether a RUN after `copy` wrote `path` itself, so that a change of `path` (with -R only when that RUN wrote a
     * file there) touches that RUN's file, not the COPY's.
     */
    const rewrittenAfter = (copy: Instruction, path: string, recursive: boolean): boolean => {
      const last = runWrote.get(copy.stageIndex)?.get(cleanPath(path));
      return last !== undefined && last.index > copy.index && (last.file || !recursive);
    };
    // By stage: what each RUN so far filled with content (contentWrites), resolved, with the RUN. Only a recursive
    // change asks (runsInto), and most stages have none: each RUN is read when its stage is first asked about after
    // it (`unread`, in order), not as the walk passes it, which read every RUN of every file.
    const ranInto = new Map<number, CopyIndex>();
    const unread = new Map<number, { instruction: Instruction; cwd: string }[]>();
    const contentIndex = (stage: number): CopyIndex | undefined => {
      const runs = unread.get(stage);
      if (runs) {
        unread.delete(stage);
        for (const { instruction, cwd } of runs) noteContent(instruction, cwd);
      }
      return ranInto.get(stage);
    };
    const noteContent = (instruction: Instruction, cwd: string): void => {
      const commands = ctx.commands(instruction);
      const afterCd = relativeAfterCd(commands);
      const paths: { path: string; file: boolean }[] = [];
      // What the RUN writes under a mount (`--mount=type=cache,target=/app/node_modules`) is not in its layer.
      const mounted = mountTargets(ctx, instruction, cwd);
      for (const command of commands) {
        const download = downloadedFile(command);
        for (const written of contentWrites(command)) {
          const word = ctx.resolve(written, instruction);
          // Only what the RUN surely wrote there: no variable left, no glob, no relative name after a `cd`.
          if (/[$*?[]/.test(word) || afterCd(command, word)) continue;
          // A redirect target or a download is one file: its own change is no directory's (`chmod -R 755 start.sh`).
          const path = resolvePath(word, cwd);
          if (mounted.some((target) => pathWithin(path, target))) continue;
          paths.push({ path, file: command.writes.includes(written) || written === download });
        }
        // What the RUN removes again is not left in its layer (`tar -x -C /tmp/src && make install && rm -rf /tmp/src`).
        if (command.program === 'rm') {
          const removed = positionals(command.args)
            .map((a) => ctx.resolve(a, instruction))
            .filter((a) => !/[$*?[]/.test(a) && !afterCd(command, a))
            .map((a) => resolvePath(a, cwd));
          for (let i = paths.length - 1; i >= 0; i -= 1)
            if (removed.some((r) => pathWithin(paths[i].path, r))) paths.splice(i, 1);
        }
      }
      if (paths.length === 0) return;
      let index = ranInto.get(instruction.stageIndex);
      if (!index) ranInto.set(instruction.stageIndex, (index = new CopyIndex()));
      for (const { path, file } of paths) index.add({ path, dest: path, instruction, file });
    };
    /** The earlier RUNs of the stage that filled `path` or paths below it (not one file at `path` itself), in order. */
    const runsInto = (instruction: Instruction, path: string): Instruction[] => {
      const written = (contentIndex(instruction.stageIndex)?.overlapping(path) ?? []).filter(
        (w) => pathWithin(w.path, path) && !(w.file && cleanPath(w.path) === cleanPath(path)),
      );
      return [...new Set(written.map((w) => w.instruction))].sort((a, b) => a.index - b.index);
    };
    /** "the RUN on line 4" / "the RUNs on lines 4 and 6", and how the advice refers back to them. */
    const runsText = (runs: Instruction[]): { runs: string; there: string } => {
      const lines = runs.map((r) => String(r.line));
      return {
        runs: runs.length === 1 ? `the RUN on line ${lines[0]}` : `the RUNs on lines ${listed(lines)}`,
        there: runs.length === 1 ? 'that RUN' : 'each of them',
      };
    };
    /**
     * Reports a recursive change of paths that earlier RUNs of the stage filled (an archive unpacked there, `npm ci` in
     * the WORKDIR, a clone): each file is stored again. True when reported. The advice is to make the change in the RUN
     * that wrote them; the fix joins the change onto that RUN when it is the instruction right before, and this RUN
     * changes modes or owners only.
     */
    const reportAfterRun = (
      instruction: Instruction,
      command: ShellCommand,
      targets: { target: string; path: string }[],
      program: string,
      owner: string | undefined,
    ): boolean => {
      const reached = targets
        .map(({ target, path }) => ({ target, runs: runsInto(instruction, path) }))
        .filter((r) => r.runs.length > 0);
      if (reached.length === 0) return false;
      const runs = [...new Set(reached.flatMap((r) => r.runs))].sort((a, b) => a.index - b.index);
      const previous = ctx.parsed.instructions[instruction.index - 1];
      const fix =
        runs.length === 1 &&
        runs[0] === previous &&
        ctx.parsed.instructions[instruction.index] === instruction &&
        instruction.flagList.length === 0 &&
        ctx.commands(instruction).every((c) => /^(chown|chmod|chgrp)$/.test(c.program))
          ? mergeRuns(
              ctx.parsed,
              previous,
              instruction,
              ctx.stages.shellAt[instruction.index],
              binShAt(ctx.stages, instruction.stageIndex),
            )
          : undefined;
      ctx.report({
        messageId: owner === undefined ? 'afterRun' : 'afterRunNewOwner',
        data: {
          program: command.program,
          owner: owner ?? '',
          paths: listed(reached.map((r) => `\`${r.target}\``)),
          ...runsText(runs),
        },
        at: instruction,
        fix: fix && {
          applicability: 'unsafe',
          title: `Make the change at the end of the RUN on line ${previous.line}`,
          edits: [fix],
        },
      });
      return true;
    };
    const check = (instruction: Instruction, cwd: string): void => {
      // A change to what this RUN created itself (`mkdir -p /app/data && chown -R app /app/data`) copies nothing.
      const changes = changesToEarlierPaths(ctx, instruction, cwd, (command) =>
        command.program === 'chmod' || command.program === 'chown' || command.program === 'chgrp'
          ? // The first positional is the mode or owner; the rest are paths.
            positionalIndexes(command.args).slice(1)
          : undefined,
      );
      for (const { command, targets } of changes) {
        // Without -R, a change to the directory a COPY wrote (or to one above it) touches that one entry, not the
        // files in it. What the build context does not hold, or a later RUN wrote, the COPY did not leave there.
        const recursive = isRecursive(command);
        const reached = targets
          .map(({ target, path }) => ({
            target,
            path,
            hits: (copied.get(instruction.stageIndex)?.overlapping(path) ?? []).filter(
              (c) =>
                (recursive ||
                  !(
                    (path === c.dest && writes(c.instruction) === 'directory') ||
                    c.path.startsWith(path === '/' ? '/' : `${path}/`)
                  )) &&
                copyMayHold(ctx, c, path, instruction.stageIndex) &&
                !rewrittenAfter(c.instruction, path, recursive),
            ),
            // Below what a COPY wrote (`db` of the `/rails` it copied): `--chown` on that COPY would change all it
            // wrote, not these paths alone.
            part: (c: Copied): boolean => {
              const within = cleanPath(c.path);
              return path.replace(/\/+$/, '').startsWith(within === '/' ? '/' : `${within}/`);
            },
          }))
          .filter((r) => r.hits.length > 0);
        const program = command.program === 'chgrp' ? 'chown' : command.program;
        // An owner this RUN creates does not exist yet at the COPY: `COPY --chown` there alone fails the build.
        const owner = program === 'chown' ? ownerCreatedBy(instruction, command) : undefined;
        if (reached.length === 0) {
          if (recursive && reportAfterRun(instruction, command, targets, program, owner)) return;
          continue;
        }
        const copyLines = (of: number[]): string => `${of.length === 1 ? 'line' : 'lines'} ${listed(of.map(String))}`;
        const whole = reached.find((r) => !r.hits.some(r.part));
        if (!whole) {
          const hits = reached.flatMap((r) => r.hits);
          const lines = [...new Set(hits.map((h) => h.instruction.line))].sort((a, b) => a - b);
          const them = reached.length === 1 ? 'it' : 'them';
          ctx.report({
            messageId: owner === undefined ? 'afterCopyPart' : 'afterCopyPartNewOwner',
            data: {
              program,
              owner: owner ?? '',
              paths: listed(reached.map((r) => `\`${r.target}\``)),
              copyLines: copyLines(lines),
              them,
              // ADD keeps its own keyword: COPY cannot fetch its URL or unpack its archive.
              use: `\`${hits.every((h) => h.instruction.keyword === 'ADD') ? 'ADD' : 'COPY'} --${program}=...\``,
            },
            at: instruction,
          });
          return;
        }
        const { target, path, hits } = whole;
        // `chown -R app /` duplicates the base image's files too: `--chown` on the COPY replaces no part of that.
        if (recursive && cleanPath(path.replace(/\*$/, '')) === '/') {
          const lines = [...new Set(hits.map((h) => h.instruction.line))].sort((a, b) => a - b);
          ctx.report({
            messageId: 'wholeImage',
            data: { program, path: target, copyLines: copyLines(lines) },
            at: instruction,
          });
          return;
        }
        // Earlier RUNs filled the directory too (`npm ci` between `COPY package*.json ./` and `chown -R app /app`):
        // `--chown` on the COPY alone leaves their files as they were, often the bulk of it. No fix then.
        const runs = recursive ? runsInto(instruction, path) : [];
        // Every COPY whose files the change duplicates: moving the change onto one of them leaves the others'.
        const lines = [...new Set(hits.map((h) => h.instruction.line))];
        // A COPY that already has the flag needs no `--chown` added: with the value this RUN sets, the change repeats
        // it; with another, that value is what to change. (chgrp's group is no `--chown` value: compared as unknown.)
        const value = command.program === 'chgrp' ? undefined : positionals(command.args)[0];
        const same = (flag: string): boolean =>
          value !== undefined &&
          (program === 'chmod' ? flag.replace(/^0+(?=.)/, '') === value.replace(/^0+(?=.)/, '') : flag === value);
        const flagged = hits.filter((h) => h.instruction.flags[program] !== undefined);
        if (flagged.length === hits.length && hits.every((h) => same(h.instruction.flags[program]!))) {
          // The copied files are already so: only what the RUNs wrote needs the change, at their end (no COPY is left
          // to name in `use`, which read `use  and make the change`).
          if (runs.length > 0 && reportAfterRun(instruction, command, targets, program, owner)) return;
          ctx.report({
            messageId: 'alreadySet',
            data: { program, path: target, copyLines: copyLines(lines), flag: `--${program}=${value}` },
            at: instruction,
          });
          return;
        }
        // Each instruction keeps its keyword: COPY cannot fetch an ADD's URL or unpack its local archive.
        const byKeyword = new Map<string, number[]>();
        for (const h of hits) {
          if (h.instruction.flags[program] !== undefined) continue;
          const of = byKeyword.get(h.instruction.keyword) ?? [];
          if (!of.includes(h.instruction.line)) of.push(h.instruction.line);
          byKeyword.set(h.instruction.keyword, of);
        }
        const changed = [
          ...new Set(flagged.filter((h) => !same(h.instruction.flags[program]!)).map((h) => h.instruction)),
        ]
          .sort((a, b) => a.index - b.index)
          .map(
            (c) => `\`--${program}=${value ?? '...'}\` on line ${c.line} (it has \`--${program}=${c.flags[program]}\`)`,
          );
        const use =
          flagged.length === 0 && byKeyword.size === 1
            ? `\`${[...byKeyword.keys()][0]} --${program}=...\` ${owner === undefined ? `on ${copyLines(lines)}` : 'there'}`
            : listed([
                ...[...byKeyword].map(([keyword, of]) => `\`${keyword} --${program}=...\` on ${copyLines(of)}`),
                ...changed,
              ]);
        if (runs.length > 0) {
          ctx.report({
            messageId: owner === undefined ? 'afterCopyAndRun' : 'afterCopyAndRunNewOwner',
            data: { program, owner: owner ?? '', path: target, copyLines: copyLines(lines), use, ...runsText(runs) },
            at: instruction,
          });
          return;
        }
        ctx.report({
          messageId: owner === undefined ? 'afterCopy' : 'afterCopyNewOwner',
          data: { program, owner: owner ?? '', path: target, copyLines: copyLines(lines), use },
          at: instruction,
          fix: lines.length === 1 ? intoCopyFix(instruction, hits[0]) : undefined,
        });
        return;
      }
    };
    return {
      instruction(instruction) {
        cwdAt.set(instruction.index, workdir.current(instruction));
        noteCreated();
        if (instruction.keyword === 'RUN') lastRun = instruction;
      },
      COPY: visitCopy,
      ADD: visitCopy,
      RUN(instruction) {
        const cwd = workdir.current(instruction);
        // The second copy is a layer of this stage: it matters only when the stage's layers ship.
        if (ctx.ships(instruction)) check(instruction, cwd);
        // After checking: what this RUN wrote before its own change is already its own (changesToEarlierPaths). Only
        // a write after a COPY of the stage can stand in for what it copied.
        if (copied.has(instruction.stageIndex)) noteWrites(instruction, cwd);
        const runs = unread.get(instruction.stageIndex);
        if (runs) runs.push({ instruction, cwd });
        else unread.set(instruction.stageIndex, [{ instruction, cwd }]);
      },
    };
  },
});

interface Copied {
  path: string;
  dest: string;
  contextDir?: string;
  instruction: Instruction;
  /** For a RUN's write (ranInto): whether it wrote one file there rather than into a directory. */
  file?: boolean;
}

/** The paths COPYs wrote, found by overlap with a path (`pathsOverlap`) without a pass over all of them. */
class CopyIndex {
  private count = 0;
  /** By cleaned path: the copies of exactly that path. */
  private readonly at = new Map<string, { order: number; copy: Copied }[]>();
  /** By directory (not `/`): the copies of it or of paths below it. */
  private readonly under = new Map<string, { order: number; copy: Copied }[]>();
  /** Every copy, in the order added: what overlaps `/`. */
  private readonly all: Copied[] = [];

  add(copy: Copied): void {
    const entry = { order: this.count++, copy };
    const path = cleanPath(copy.path);
    this.all.push(copy);
    push(this.at, path, entry);
    if (path === '/') return;
    for (let dir = path; dir !== ''; dir = parent(dir)) push(this.under, dir, entry);
  }

  /** The copies whose path overlaps `target`, in the order they were added. */
  overlapping(target: string): Copied[] {
    const path = cleanPath(target);
    if (path === '/') return [...this.all];
    const found = [...(this.under.get(path) ?? [])];
    // Copies of a directory above the target, `/` (`COPY . /`) included.
    for (let dir = parent(path); dir !== ''; dir = parent(dir)) found.push(...(this.at.get(dir) ?? []));
    if (path.startsWith('/')) found.push(...(this.at.get('/') ?? []));
    return found.sort((a, b) => a.order - b.order).map((e) => e.copy);
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The directory above `path` that `pathsOverlap` counts (`/a` for `/a/b`, `a` for `a/b`); '' above `/a` or `a`. */
function parent(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash > 0 ? path.slice(0, slash) : '';
}

/** A path as `pathsOverlap` compares it: a glob and what follows cut off, no trailing slash. */
function cleanPath(path: string): string {
  return path.replace(/\*.*$/, '').replace(/\/+$/, '') || '/';
}

/** The longest file name Linux allows: no longer top-level directory can exist. */
const MAX_NAME = 255;

/**
 * Every `name` for which `/name` stands in `text` not followed by a word character, `.` or `-` (what a search for a
 * top-level directory `/name` in the text matches): at each `/`, the text up to each such boundary before the next `/`.
 */
function slashNames(text: string): string[] {
  const names: string[] = [];
  for (let slash = text.indexOf('/'); slash >= 0; slash = text.indexOf('/', slash + 1)) {
    const next = text.indexOf('/', slash + 1);
    const end = Math.min(next < 0 ? text.length : next, slash + 1 + MAX_NAME);
    for (let k = slash + 2; k <= end; k += 1)
      if (k === text.length || !/[\w.-]/.test(text[k])) names.push(text.slice(slash + 1, k));
  }
  return names;
}

const USER_TOOLS = /^(useradd|adduser|groupadd|addgroup|usermod|groupmod)$/;

function isRecursive(command: ShellCommand): boolean {
  return command.args.some((a) => /^-[a-zA-Z]*R/.test(a) || a === '--recursive');
}

interface Accounts {
  users: Set<string>;
  groups: Set<string>;
}

/**
 * The user and group a useradd/adduser/groupadd/addgroup creates. `useradd app` also makes a group `app` (the
 * distributions' default), unless given a group (`-g`) or `-N`; `adduser app` too, unless given a group (`--ingroup`,
 * `-G`, `--gid`) or made a system user without `--group`. Two names (`adduser app staff`, `addgroup app staff`) add an
 * existing user to an existing group: nothing new.
 */
function noteAccounts(command: ShellCommand, accounts: Accounts): void {
  const { program, args } = command;
  if (!/^(useradd|adduser|groupadd|addgroup)$/.test(program)) return;
  const words = names(command);
  const name = words[words.length - 1];
  if (name === undefined || ((program === 'adduser' || program === 'addgroup') && words.length > 1)) return;
  // A long flag alone or with `=value`; a short one anywhere in a cluster (`-DS`) or with its value attached (`-gstaff`).
  const has = (...flags: string[]): boolean =>
    args.some((a) =>
      flags.some((f) =>
        f.startsWith('--')
          ? a === f || a.startsWith(`${f}=`)
          : !a.startsWith('--') && (/^-[A-Za-z]+/.exec(a)?.[0].includes(f[1]) ?? false),
      ),
    );
  if (program === 'groupadd' || program === 'addgroup') {
    accounts.groups.add(name);
    return;
  }
  accounts.users.add(name);
  const ownGroup =
    program === 'useradd'
      ? !has('-g', '--gid', '-N', '--no-user-group')
      : !has('--ingroup', '-G', '--gid') && (!has('--system', '-S') || has('--group'));
  if (ownGroup) accounts.groups.add(name);
}

/** The positional words of a useradd/adduser/groupadd/addgroup: the last is the name it creates. */
function names(command: ShellCommand): string[] {
  return positionals(command.args, [
    'u',
    'uid',
    'g',
    'gid',
    'G',
    'groups',
    'd',
    'home',
    'home-dir',
    's',
    'shell',
    'c',
    'comment',
    'h',
    'K',
    'p',
    'k',
    'e',
    'f',
    'ingroup',
    'gecos',
    'firstuid',
    'lastuid',
    'conf',
  ]);
}
