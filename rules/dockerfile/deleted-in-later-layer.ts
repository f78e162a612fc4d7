// DF015: `rm` in a RUN of something an earlier instruction added: the bytes stay in the earlier layer.
import type { Instruction } from '../../src/dockerfile/parse.js';
import {
  changesToEarlierPaths,
  cleanedCaches,
  copiedEntries,
  copySources,
  defineRule,
  dockerfileMeta,
  pathWithin,
  pathsOverlap,
  positionals,
  resolvePath,
  workdirTracker,
  writtenPaths,
  WRITERS,
} from '../../src/lint/helpers.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { appendToScript, deleteInstruction } from '../../src/lint/autofix.js';

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
  'dnf',
  'yum',
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

/** The most instructions between a creating RUN and a delete that the move-the-delete fix reads through. */
export const MAX_BETWEEN = 200;

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF015',
    name: 'deleted-in-later-layer',
    type: 'size',
    summary: 'Delete files in the same instruction that creates them',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      deletedLater:
        'Deleting `{{path}}` here does not shrink the image: line {{addedLine}} added it and its bytes stay in that layer; delete it in the step that creates it, or build in an earlier stage.',
    },
    sources: [],
  }),
  create(ctx) {
    const workdir = workdirTracker(ctx);
    /** What earlier instructions added; `contextDir`: the build-context directory a COPY filled `path` from. */
    const added: { stage: number; path: string; line: number; by: Instruction; contextDir?: string }[] = [];
    const record = (instruction: Instruction, path: string, contextDir?: string): void => {
      if (path.includes('$')) return;
      added.push({
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
     * Whether `a` may hold `path`. A path under a directory a COPY filled from the build context came from the same
     * place in the context: when the context shows nothing there (`rm -rf build` after `COPY . .` where the build
     * made `build` itself), the COPY did not add it. Unknown (no context, a glob in the first name): it may.
     */
    const mayHold = (a: (typeof added)[number], path: string): boolean => {
      if (!pathsOverlap(a.path, path)) return false;
      if (a.contextDir === undefined || !pathWithin(path, a.path) || path === a.path) return true;
      const below = path.slice(a.path === '/' ? 1 : a.path.length + 1).split('/');
      const glob = below.findIndex((part) => /[*?[]/.test(part));
      const literal = glob < 0 ? below : below.slice(0, glob);
      if (literal.length === 0) return true;
      const name = a.contextDir === '.' ? literal.join('/') : `${a.contextDir}/${literal.join('/')}`;
      return ctx.contextEntry(name) !== undefined;
    };
    /**
     * Unsafe fix: when this RUN only removes literal paths that `creator` (a RUN) wrote, and nothing between the two
     * may use them (`mayUse`), the removal moves to the end of `creator` and this RUN goes.
     */
    /**
     * Whether an instruction between the creating RUN and the delete may read or write `paths`: its text (flags and
     * heredocs included), with the ARG/ENV values known there substituted, names one of them or its last component; a
     * variable or command substitution is left that this cannot resolve (`$HOME`, `$(pwd)`, an ARG without a value);
     * it is a RUN whose working directory is one of them, inside one, or above one (`tar -czf /x.tgz .` in /opt reads
     * /opt/tc; `/` aside, or nothing would qualify); or it is a COPY/ADD whose destination is one of them, inside one or
     * above one (`COPY . /opt` may bring a new `tc/` that the delete removed).
     */
    const mayUse = (between: Instruction, paths: string[]): boolean => {
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
          commands.length === 0 ||
          commands.some(
            (c) =>
              !ARGUMENT_BOUND.has(c.program) ||
              (SHELLS.has(c.program) && !c.args.some((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a))) ||
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
      const targets = commands.flatMap((c) => positionals(c.args));
      if (targets.length === 0 || targets.some((t) => /[$~`*?[]/.test(t))) return undefined;
      const paths = targets.map((t) => resolvePath(t, cwd));
      if (!paths.every((p) => added.some((a) => a.by === creator && pathsOverlap(a.path, p)))) return undefined;
      // Each instruction between is read for the paths: a delete far from its RUN would make a pass over the file
      // per delete (8,000 such deletes: 32 million checks). Beyond MAX_BETWEEN the fix is not offered; the finding is.
      if (instruction.index - creator.index - 1 > MAX_BETWEEN) return undefined;
      const between = ctx.parsed.instructions.slice(creator.index + 1, instruction.index);
      if (between.some((i) => i.keyword === 'FROM' || mayUse(i, paths))) return undefined;
      const append = appendToScript(ctx.parsed, creator, `rm -rf ${paths.join(' ')}`);
      if (!append) return undefined;
      return {
        applicability: 'unsafe' as const,
        title: `Delete ${paths.join(', ')} in the RUN on line ${creator.line} that creates it`,
        edits: [append, deleteInstruction(ctx.parsed, instruction)],
      };
    };
    // The WORKDIR each instruction runs in, for the instructions between a creating RUN and a delete.
    const cwdAt = new Map<number, string>();
    return {
      instruction(instruction) {
        cwdAt.set(instruction.index, workdir.current(instruction));
      },
      COPY: visitCopy,
      ADD: visitCopy,
      RUN(instruction) {
        const cwd = workdir.current(instruction);
        const commands = ctx.commands(instruction);
        // The earlier layer keeps the bytes only if the stage's layers ship (not for a stage COPY --from takes paths of).
        if (ctx.ships(instruction)) {
          // What this RUN wrote before each `rm`: deleting that here is deleting in the step that creates it, even
          // when an earlier layer also holds the path (that one's own rule, e.g. DF001, reports it).
          const changes = changesToEarlierPaths(ctx, instruction, cwd, (command) =>
            command.program === 'rm'
              ? // `~/.cache` is under the user's home, not the working directory; the home depends on USER: skip it.
                positionals(command.args).filter((target) => !target.startsWith('~'))
              : undefined,
          );
          for (const { targets } of changes) {
            for (const { target, path } of targets) {
              if (path.includes('$') || path === '/') continue;
              const hit = added.find((a) => a.stage === instruction.stageIndex && mayHold(a, path));
              if (hit) {
                ctx.report({
                  messageId: 'deletedLater',
                  data: { path: target, addedLine: hit.line },
                  at: instruction,
                  fix: moveDeleteFix(instruction, commands, hit.by),
                });
                break;
              }
            }
          }
        }
        // Record after checking: deleting in the same RUN that writes is exactly what we want people to do.
        // What a cache or tmpfs mount receives never reaches the layer.
        for (const command of commands) {
          for (const path of writtenPaths(command)) {
            const resolved = ctx.resolve(path, instruction);
            if (!ctx.hasCacheMount(instruction, resolvePath(resolved, cwd))) record(instruction, resolved);
          }
        }
        for (const command of commands) {
          // `dnf clean all`, `apt-get clean`: the cache an earlier install of this RUN wrote is gone.
          for (const cache of cleanedCaches(command))
            for (let i = added.length - 1; i >= 0; i -= 1)
              if (added[i].stage === instruction.stageIndex && pathWithin(added[i].path, cache)) added.splice(i, 1);
          if (command.program !== 'rm') continue;
          for (const target of positionals(command.args)) {
            if (target.startsWith('~')) continue;
            const gone = resolvePath(ctx.resolve(target, instruction), cwd).replace(/\*.*$/, '').replace(/\/+$/, '');
            if (gone === '' || gone.includes('$')) continue;
            for (let i = added.length - 1; i >= 0; i -= 1) {
              const a = added[i];
              if (a.stage === instruction.stageIndex && (a.path === gone || a.path.startsWith(`${gone}/`)))
                added.splice(i, 1);
            }
          }
        }
      },
    };
  },
});
