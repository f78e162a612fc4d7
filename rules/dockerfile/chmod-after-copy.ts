// DF014: chmod/chown in a RUN on files an earlier COPY/ADD (or RUN) put there: every byte is copied into a new layer.
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import { addFlags, deleteInstruction } from '../../src/lint/autofix.js';
import {
  copySources,
  defineRule,
  dockerfileMeta,
  pathsOverlap,
  positionals,
  resolvePath,
  workdirTracker,
} from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF014',
    name: 'chmod-after-copy',
    type: 'size',
    summary: 'Set ownership and mode with COPY --chown/--chmod instead of a later RUN',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      afterCopy:
        '`{{program}}` on `{{path}}` changes files that line {{copyLine}} copied in: the layer stores a second full copy of every file touched; use `COPY --{{program}}=...` on line {{copyLine}} instead.',
    },
    sources: [],
  }),
  create(ctx) {
    const workdir = workdirTracker(ctx);
    const copied: { stage: number; path: string; instruction: Instruction }[] = [];
    const visitCopy = (instruction: Instruction): void => {
      const { destination } = copySources(instruction);
      if (!destination) return;
      copied.push({
        stage: instruction.stageIndex,
        path: resolvePath(ctx.resolve(destination, instruction), workdir.current(instruction)),
        instruction,
      });
    };
    /**
     * Unsafe fix: a RUN right after the COPY that only chowns/chmods exactly what that COPY wrote (recursively, or the one
     * file a single-file COPY wrote) becomes `COPY --chown/--chmod` and goes. Only octal modes, and owners that are
     * numeric, root, or created by an earlier RUN of the stage (COPY resolves names when it runs).
     */
    const intoCopyFix = (instruction: Instruction, hit: { path: string; instruction: Instruction }) => {
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
          resolvePath(ctx.resolve(targets[0], instruction), cwd) !== hit.path ||
          !(recursive || singleFile)
        )
          return undefined;
        if (command.program === 'chmod' && !/^[0-7]{3,4}$/.test(value)) return undefined;
        if (command.program === 'chown' && !ownerKnown(value, instruction)) return undefined;
        const flag = command.program;
        if (flags[flag] !== undefined && flags[flag] !== value) return undefined;
        flags[flag] = value;
      }
      const add = addFlags(
        ctx.parsed,
        copy,
        Object.entries(flags).map(([name, value]) => `--${name}=${value}`),
      );
      return add
        ? {
            applicability: 'unsafe' as const,
            title: `Set ${Object.keys(flags).join(' and ')} on the COPY on line ${copy.line}`,
            edits: [add, deleteInstruction(ctx.parsed, instruction)],
          }
        : undefined;
    };
    /**
     * What a COPY writes at its destination: one file (a single source the build context shows is a file), a
     * directory (several sources, a glob, `.`, a destination ending in `/`, or a source directory), or, with no
     * context to look in, either.
     */
    const writes = (copy: Instruction): 'file' | 'directory' | 'unknown' => {
      const { sources, destination } = copySources(copy);
      if (sources.length !== 1 || /[*?[]/.test(sources[0]) || /^\.\/?$/.test(sources[0]) || destination.endsWith('/'))
        return 'directory';
      const entry = ctx.contextEntry(sources[0]);
      return entry === 'directory' ? 'directory' : entry === 'file' ? 'file' : 'unknown';
    };
    /** An owner COPY can resolve: numeric ids, root, or users/groups an earlier RUN of this stage created. */
    const ownerKnown = (owner: string, instruction: Instruction): boolean => {
      const names = owner.split(':').filter((n) => n !== '' && !/^\d+$/.test(n) && n !== 'root');
      if (names.length === 0) return true;
      const created = new Set<string>();
      for (const earlier of ctx.parsed.instructions.slice(0, instruction.index - 1)) {
        if (earlier.keyword !== 'RUN' || earlier.stageIndex !== instruction.stageIndex) continue;
        for (const c of ctx.commands(earlier))
          if (/^(useradd|adduser|groupadd|addgroup)$/.test(c.program)) created.add(lastWord(c));
      }
      return names.every((n) => created.has(n));
    };
    return {
      COPY: visitCopy,
      ADD: visitCopy,
      RUN(instruction) {
        // The second copy is a layer of this stage: it matters only when the stage's layers ship.
        if (!ctx.ships(instruction)) return;
        const cwd = workdir.current(instruction);
        for (const command of ctx.commands(instruction)) {
          if (command.program !== 'chmod' && command.program !== 'chown' && command.program !== 'chgrp') continue;
          // The first positional is the mode or owner; the rest are paths.
          for (const target of positionals(command.args).slice(1)) {
            const path = resolvePath(ctx.resolve(target, instruction), cwd);
            const hit = copied.find((c) => c.stage === instruction.stageIndex && pathsOverlap(c.path, path));
            // Without -R, a change to the directory a COPY wrote (or to one above it) touches that one entry, not the
            // files in it.
            if (
              hit &&
              !isRecursive(command) &&
              ((path === hit.path && writes(hit.instruction) === 'directory') || hit.path.startsWith(`${path}/`))
            )
              continue;
            if (hit) {
              const program = command.program === 'chgrp' ? 'chown' : command.program;
              ctx.report({
                messageId: 'afterCopy',
                data: { program, path: target, copyLine: hit.instruction.line },
                at: instruction,
                fix: intoCopyFix(instruction, hit),
              });
              return;
            }
          }
        }
      },
    };
  },
});

function isRecursive(command: ShellCommand): boolean {
  return command.args.some((a) => /^-[a-zA-Z]*R/.test(a) || a === '--recursive');
}

/** The name a useradd/adduser/groupadd/addgroup creates: its last positional word. */
function lastWord(command: ShellCommand): string {
  const words = positionals(command.args, [
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
  ]);
  return words[words.length - 1] ?? '';
}
