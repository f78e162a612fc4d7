// DF224: wget with its default progress bar, which floods build logs (hadolint DL3047).
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import {
  baseImageOf,
  defineRule,
  dockerfileMeta,
  hasFlag,
  insertAfterMatches,
  instructionsBefore,
  isSubcommand,
  packagesOf,
} from '../../src/lint/helpers.js';
import type { DockerfileContext } from '../../src/report/rule.js';
import { APK_VALUE_FLAGS } from './apk-unpinned.js';

// Alpine and BusyBox images ship BusyBox's wget, which has no --progress (`wget: unrecognized option`) but takes -q,
// which there silences the progress bar and keeps the error messages.
const BUSYBOX_IMAGE = /alpine|busybox/i;

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF224',
    name: 'wget-without-progress',
    type: 'suggestion',
    summary: 'Give wget --progress=dot:giga (or -q / -nv) in builds',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      noisy:
        '`wget` without `--progress`, `-q` or `-nv` writes a progress line per chunk: a large download bloats the build log.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3047', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        const wgets = commands.filter((c) => c.program === 'wget');
        const noisy = wgets.filter(
          (c) =>
            !c.args.includes('-nv') &&
            !hasFlag(c.args, 'progress', 'q', 'quiet', 'no-verbose', 'o', 'output-file', 'a', 'append-output'),
        );
        if (noisy.length === 0) return;
        const flag = busyboxWget(ctx, instruction, commands.slice(0, commands.indexOf(wgets[0])))
          ? '-q'
          : '--progress=dot:giga';
        const edits = insertAfterMatches(ctx.parsed, instruction, /(?<=^|[\s;&|(`])wget(?=\s|$)/g, ` ${flag}`);
        // Only the log output changes: safe, when every wget in the RUN is the noisy kind and each one was found in the text.
        const fix =
          edits.length === noisy.length && noisy.length === wgets.length
            ? { applicability: 'safe' as const, title: `Add ${flag} to wget`, edits }
            : undefined;
        ctx.report({ messageId: 'noisy', at: instruction, fix });
      },
    };
  },
});

/**
 * Whether the RUN's wget may be BusyBox's: the stage is built on an Alpine or BusyBox image (by its name) or runs apk,
 * and no `apk add wget` (GNU wget) ran before it, in the stages it is built on or earlier in the stage or the RUN.
 */
function busyboxWget(ctx: DockerfileContext, instruction: Instruction, before: ShellCommand[]): boolean {
  const runs = instructionsBefore(ctx, instruction).filter((i) => i.keyword === 'RUN');
  const commands = [...runs.flatMap((run) => ctx.commands(run)), ...before];
  const installsGnuWget = commands.some(
    (c) =>
      isSubcommand(c, ['apk'], ['add'], APK_VALUE_FLAGS) &&
      packagesOf(c, APK_VALUE_FLAGS).some((p) => p.split(/[=~<>]/)[0] === 'wget'),
  );
  if (installsGnuWget) return false;
  const image = instruction.stageIndex >= 0 ? baseImageOf(ctx, instruction.stageIndex) : undefined;
  return BUSYBOX_IMAGE.test(image ?? '') || commands.some((c) => c.program === 'apk');
}
