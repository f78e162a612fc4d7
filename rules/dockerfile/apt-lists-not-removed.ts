// DF001: apt package lists left in a layer (hadolint DL3009).
import type { Instruction } from '../../src/dockerfile/parse.js';
import type { ShellCommand } from '../../src/dockerfile/shell.js';
import type { DockerfileContext } from '../../src/report/rule.js';
import { cleanupFix } from '../../src/lint/autofix.js';
import {
  APT_VALUE_FLAGS,
  cleanupAfter,
  defineRule,
  dockerfileMeta,
  isSubcommand,
  positionals,
  removesPath,
  unsureCleanup,
  xargsCommand,
} from '../../src/lint/helpers.js';

const LISTS = '/var/lib/apt/lists';

/** Removes the package lists: `rm -rf /var/lib/apt/lists/*`, `apt-get dist-clean` (apt 2.7+), `find /var/lib/apt/lists ... -delete`. */
function removesLists(command: ShellCommand): boolean {
  if (removesPath(command, [LISTS])) return true;
  if (isSubcommand(command, ['apt-get', 'apt'], ['dist-clean'], APT_VALUE_FLAGS)) return true;
  return (
    command.program === 'find' &&
    positionals(command.args)[0]?.startsWith(LISTS) === true &&
    (command.args.includes('-delete') || command.args.includes('rm'))
  );
}

const isUpdate = (command: ShellCommand): boolean =>
  isSubcommand(command, ['apt-get', 'apt', 'aptitude'], ['update'], APT_VALUE_FLAGS);

const readsLists = (command: ShellCommand): boolean =>
  isSubcommand(
    xargsCommand(command),
    ['apt-get', 'apt', 'aptitude'],
    ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'source'],
    APT_VALUE_FLAGS,
  );

/**
 * Whether a later RUN installs from the lists this RUN fetched: in this stage after it, or in a stage built FROM it,
 * before any RUN that updates or removes the lists again. Removing the lists here would make that install fail
 * ("Unable to locate package"), so the fix is not offered.
 */
function laterInstallReadsLists(ctx: DockerfileContext, instruction: Instruction): boolean {
  const readsFrom = (stage: number, after: number): boolean => {
    for (const later of ctx.parsed.instructions) {
      if (later.stageIndex !== stage || later.index <= after || later.keyword !== 'RUN') continue;
      for (const command of ctx.commands(later)) {
        if (isUpdate(command) || removesLists(command)) return false;
        if (readsLists(command)) return true;
      }
    }
    return ctx.stages.baseStage.some((base, child) => base === stage && readsFrom(child, -1));
  };
  return readsFrom(instruction.stageIndex, instruction.index);
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF001',
    name: 'apt-lists-not-removed',
    type: 'size',
    summary: 'Remove /var/lib/apt/lists in the RUN that runs apt-get update',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      notRemoved:
        '`{{program}} update` leaves the package lists (/var/lib/apt/lists, tens of MB) in this layer; add `{{cleanup}}` (or `apt-get dist-clean`) after it in the same RUN or use `--mount=type=cache,target=/var/lib/apt/lists`.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3009', relation: 'same' },
      { tool: 'dockerfilelint', id: 'apt-get_missing_rm', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.ships(instruction, LISTS)) return;
        const commands = ctx.commands(instruction);
        const updates = commands.filter(isUpdate);
        if (updates.length === 0 || ctx.hasCacheMount(instruction, LISTS)) return;
        // The removal must run after every update, on every path (not before it, not only behind `||`).
        const status = cleanupAfter(commands, updates, removesLists);
        if (status === 'always') return;
        // Unsafe: a later RUN that installs without its own `apt-get update` finds no lists after the fix. When this
        // file has such a RUN (the lists are meant for it), there is no fix: the build would always fail.
        // `apt-get clean` too when the RUN installs: the downloaded .deb files and apt's package caches in /var/cache/apt
        // are as large as the lists and as useless in the image. Not when the .deb files go to a cache mount
        // (`target=/var/cache/apt` or its `archives`): they are not in the layer, and `apt-get clean` would empty the
        // cache the RUN mounts to keep them between builds.
        const installs =
          !ctx.hasCacheMount(instruction, '/var/cache/apt/archives') &&
          commands.some((c) =>
            isSubcommand(
              c,
              ['apt-get', 'apt', 'aptitude'],
              ['install', 'upgrade', 'dist-upgrade', 'full-upgrade'],
              APT_VALUE_FLAGS,
            ),
          ) &&
          !commands.some((c) => isSubcommand(c, ['apt-get', 'apt'], ['clean'], APT_VALUE_FLAGS));
        const cleanup = installs ? 'apt-get clean && rm -rf /var/lib/apt/lists/*' : 'rm -rf /var/lib/apt/lists/*';
        const fix = laterInstallReadsLists(ctx, instruction)
          ? undefined
          : cleanupFix(ctx, instruction, {
              cleanup,
              cacheTargets: [LISTS],
              cacheOptions: ',sharing=locked',
              applicability: 'unsafe',
              stillBad: (after) => cleanupAfter(after, after.filter(isUpdate), removesLists) !== 'always',
            });
        ctx.report({
          messageId: 'notRemoved',
          data: { program: updates[0].program, cleanup },
          at: instruction,
          unsure: unsureCleanup(status),
          fix,
        });
      },
    };
  },
});
