// DF016: consecutive RUNs that belong together (hadolint DL3059).
import type { Instruction, InstructionFlag } from '../../src/dockerfile/parse.js';
import { binShAt } from '../../src/dockerfile/stages.js';
import { mountSpec } from '../../src/dockerfile/mount.js';
import { deleteInstruction, mergeRuns } from '../../src/lint/autofix.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF016',
    name: 'consecutive-run',
    type: 'cache',
    summary: 'Merge consecutive short RUN instructions',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      consecutive:
        'This RUN follows another short RUN with the same flags: each RUN is a layer and a cache step; consider joining them with `&&`.',
      consecutiveExec:
        'This RUN follows another short RUN with the same flags: each RUN is a layer and a cache step; an exec-form RUN (`RUN ["..."]`) runs one program without a shell, so joining them means one shell-form RUN (`RUN a && b`), if the image has a shell.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3059', relation: 'same' }],
  }),
  create(ctx) {
    // Flags of the previous instruction when it was a short RUN; reset by any other instruction (comments do not count).
    let previous: string | undefined;
    let previousRun: Instruction | undefined;
    // (most RUNs have no flags: their key is that of an empty list, without building one for each)
    const flagsKey = (instruction: Instruction): string =>
      instruction.flagList.length === 0
        ? '[]'
        : JSON.stringify(instruction.flagList.map((f) => [f.name, f.name === 'mount' ? mountKey(f) : f.value]).sort());
    return {
      instruction(instruction) {
        if (instruction.keyword !== 'RUN') previous = undefined;
      },
      RUN(instruction) {
        // `ONBUILD RUN` reaches RUN visitors too; it runs in another build, so it neither joins nor breaks a sequence here.
        if (ctx.parsed.instructions[instruction.index]?.keyword !== 'RUN') return;
        // No commands means they cannot be counted (a PowerShell or cmd RUN, a Python heredoc): never short, and never
        // joined with `&&`, which Windows PowerShell and other interpreters do not read as a shell does.
        // `sh -c "a && b"` is one command, as hadolint counts it: the script inside the string is not the RUN's own.
        const count = ctx.commands(instruction).filter((c) => !c.inner).length;
        const short = count > 0 && count <= 2;
        const key = flagsKey(instruction);
        if (short && previous === key && previousRun) {
          // Unsafe: the joined step is one cache step, and a failure in it re-runs both parts.
          const repeat = repeatedRemoval(previousRun, instruction);
          const edit = repeat
            ? deleteInstruction(ctx.parsed, instruction)
            : mergeRuns(
                ctx.parsed,
                previousRun,
                instruction,
                ctx.stages.shellAt[instruction.index],
                binShAt(ctx.stages, instruction.stageIndex),
                // Read already: the RUN before was short, so its commands are its script's, under the same SHELL.
                ctx.commands(previousRun),
              );
          const title = repeat
            ? `Delete this RUN: the one before it already ends with \`${repeat}\``
            : 'Join this RUN onto the previous one with &&';
          const fix = edit ? { applicability: 'unsafe' as const, title, edits: [edit] } : undefined;
          // Exec form has no `&&` to join with: an image without a shell (the usual reason for it) cannot merge them.
          const exec = instruction.form === 'exec' || previousRun.form === 'exec';
          ctx.report({ messageId: exec ? 'consecutiveExec' : 'consecutive', at: instruction, fix });
        }
        previous = short ? key : undefined;
        previousRun = instruction;
      },
    };
  },
});

/**
 * The script of `second` when it only repeats the forced removal (`rm -f`, `rm -rf`) that `first`'s script ends with,
 * after `&&` or `;` (so it ran whenever `first` succeeded): joined, it would run twice in a row (`... && rm -rf x \\
 * && rm -rf x`, what a DF001 fix and then this join made of `RUN apt-get update` / `RUN rm -rf /var/lib/apt/lists/*`);
 * the second removal finds nothing, so the RUN goes. A `$` or backquote may expand differently: never a repeat.
 */
function repeatedRemoval(first: Instruction, second: Instruction): string | undefined {
  if (first.form === 'exec' || second.form === 'exec' || first.heredocs.length > 0 || second.heredocs.length > 0)
    return undefined;
  const words = (text: string) => text.trim().split(/\s+/);
  const removal = words(second.shellText);
  if (removal[0] !== 'rm' || !removal.slice(1).some((w) => /^-[a-zA-Z]*f/.test(w))) return undefined;
  if (removal.some((w) => !/^[\w./*@%+=:,-]+$/.test(w))) return undefined;
  const script = words(first.shellText);
  const tail = script.slice(-removal.length - 1);
  if (tail.length !== removal.length + 1 || !['&&', ';'].includes(tail[0])) return undefined;
  if (tail.slice(1).join(' ') !== removal.join(' ')) return undefined;
  return removal.join(' ');
}

// The same mounts written differently are the same flags: options in any order, under any of their names (see
// mountSpec), a bare `readonly` for `readonly=true`. The order of the mounts and other flags does not matter either (the
// key is sorted).
function mountKey(flag: InstructionFlag): string {
  const mount = mountSpec(flag);
  const entries = new Map<string, string>(Object.entries({ ...mount.options, type: mount.type }));
  if (entries.get('readonly') === '') entries.set('readonly', 'true');
  return [...entries]
    .map(([key, value]) => `${key}=${value}`)
    .sort()
    .join(',');
}
