// DF014: chmod/chown in a RUN on files an earlier COPY/ADD (or RUN) put there: every byte is copied into a new layer.
import type { Instruction } from '../../src/dockerfile/parse.js';
import { copySources, defineRule, dockerfileMeta, pathsOverlap, positionals, resolvePath, workdirTracker } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF014',
    name: 'chmod-after-copy',
    type: 'size',
    summary: 'Set ownership and mode with COPY --chown/--chmod instead of a later RUN',
    defaultSeverity: 'warning',
    fix: 'none',
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
      copied.push({ stage: instruction.stageIndex, path: resolvePath(ctx.resolve(destination, instruction), workdir.current(instruction)), instruction });
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
            if (hit) {
              const program = command.program === 'chgrp' ? 'chown' : command.program;
              ctx.report({ messageId: 'afterCopy', data: { program, path: target, copyLine: hit.instruction.line }, at: instruction });
              return;
            }
          }
        }
      },
    };
  },
});
