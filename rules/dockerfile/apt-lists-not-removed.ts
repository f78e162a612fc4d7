// DF001: apt package lists left in a layer (hadolint DL3009).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { binShAt } from '../../src/dockerfile/stages.js';
import { runDialect, type ShellCommand } from '../../src/dockerfile/shell.js';
import type { DockerfileContext } from '../../src/report/rule.js';
import { globToRegExp } from '../../src/config/glob.js';
import { cleanupFix, isPlainChain } from '../../src/lint/autofix.js';
import {
  APT_VALUE_FLAGS,
  cleanupAfter,
  defineRule,
  dockerfileMeta,
  isSubcommand,
  pathWithin,
  positionals,
  removedIndexes,
  removesPath,
  unsureCleanup,
} from '../../src/lint/helpers.js';

const LISTS = '/var/lib/apt/lists';

/**
 * The large index files in the lists directory, as apt names them (host, path and kind joined by `_`) and stores them:
 * plain, or compressed as an image's apt config asks (lz4 in the Debian and Ubuntu images, gzip with
 * `Acquire::GzipIndexes`, xz).
 */
const INDEX_FILES = ['', '.lz4', '.gz', '.xz'].flatMap((suffix) => [
  `deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages${suffix}`,
  `archive.ubuntu.com_ubuntu_dists_jammy_universe_binary-amd64_Packages${suffix}`,
]);

/**
 * `rm /var/lib/apt/lists/*_*` and other globs of file names in the lists directory that match every index file,
 * whatever the base image's compression: they empty it of what makes it large (`lock` and the empty `partial/` stay).
 * A glob that leaves the Packages files (`*InRelease`, or `*.lz4`, which only some apt configs write) does not.
 */
function removesListFiles(command: ShellCommand): boolean {
  if (command.program !== 'rm') return false;
  const globs = removedIndexes(command)
    .map((i) => command.args[i])
    .filter((path) => path.slice(0, path.lastIndexOf('/')).replace(/\/+$/, '') === LISTS)
    .map((path) => path.slice(path.lastIndexOf('/') + 1))
    .filter((name) => /[*?]/.test(name))
    .map(globToRegExp);
  return globs.length > 0 && INDEX_FILES.every((file) => globs.some((glob) => glob.test(file)));
}

/**
 * Removes the package lists: `rm -rf /var/lib/apt/lists/*` (or a glob of the list files), `apt-get dist-clean` (apt
 * 2.7+), `find /var/lib/apt/lists ... -delete`. Not `rm -rf "/var/lib/apt/lists/*"`: the shell expands no quoted or
 * escaped glob, so rm is given a file named `*`, which is not there, and -f keeps it quiet (removedIndexes leaves such words out).
 */
function removesLists(command: ShellCommand): boolean {
  if (removesPath(command, [LISTS]) || removesListFiles(command)) return true;
  if (isSubcommand(command, ['apt-get', 'apt'], ['dist-clean'], APT_VALUE_FLAGS)) return true;
  return (
    command.program === 'find' &&
    positionals(command.args)[0]?.startsWith(LISTS) === true &&
    (command.args.includes('-delete') || command.args.includes('rm'))
  );
}

const isUpdate = (command: ShellCommand): boolean =>
  isSubcommand(command, ['apt-get', 'apt', 'aptitude'], ['update'], APT_VALUE_FLAGS);

/**
 * Whether this rule reports the RUN: it runs `apt-get update` and leaves the lists in a layer that ships. Its message
 * and fix then name `apt-get clean` too for a RUN that installs (see cleanupFor), so DF034 leaves such a RUN to it.
 */
export function leavesLists(ctx: DockerfileContext, instruction: Instruction): boolean {
  if (!ctx.ships(instruction, LISTS) || ctx.hasCacheMount(instruction, LISTS)) return false;
  const commands = ctx.commands(instruction);
  const updates = commands.filter(isUpdate);
  return updates.length > 0 && cleanupAfter(commands, updates, removesLists) !== 'always';
}

const readsLists = (command: ShellCommand): boolean =>
  isSubcommand(
    command,
    ['apt-get', 'apt', 'aptitude'],
    ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'source'],
    APT_VALUE_FLAGS,
  );

/**
 * The later RUNs that install from the lists this RUN fetched: in this stage after it, or in a stage built FROM it,
 * up to a RUN that updates or removes the lists again (one that installs first and then removes them is the last).
 * Removing the lists here would make their installs fail ("Unable to locate package"), so the fix is not offered.
 */
function laterInstallsFromLists(ctx: DockerfileContext, instruction: Instruction): Instruction[] {
  const readers: Instruction[] = [];
  const readsFrom = (stage: number, after: number): void => {
    for (const later of ctx.parsed.instructions) {
      if (later.stageIndex !== stage || later.index <= after || later.keyword !== 'RUN') continue;
      let reads = false;
      for (const command of ctx.commands(later)) {
        if (isUpdate(command) || removesLists(command)) {
          if (reads) readers.push(later);
          return;
        }
        reads ||= readsLists(command);
      }
      if (reads) readers.push(later);
    }
    ctx.stages.baseStage.forEach((base, child) => {
      if (base === stage) readsFrom(child, -1);
    });
  };
  readsFrom(instruction.stageIndex, instruction.index);
  return readers.sort((a, b) => a.line - b.line);
}

/**
 * The cleanup for a RUN: `apt-get clean` too when it installs, since the downloaded .deb files and apt's package
 * caches in /var/cache/apt are as large as the lists and as useless in the image. Not when the .deb files go to a
 * cache mount (`target=/var/cache/apt` or its `archives`): they are not in the layer, and `apt-get clean` would empty
 * the cache the RUN mounts to keep them between builds.
 */
function cleanupFor(ctx: DockerfileContext, instruction: Instruction): string {
  const commands = ctx.commands(instruction);
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
  return installs ? 'apt-get clean && rm -rf /var/lib/apt/lists/*' : 'rm -rf /var/lib/apt/lists/*';
}

const isClean = (command: ShellCommand): boolean =>
  isSubcommand(command, ['apt-get', 'apt'], ['clean'], APT_VALUE_FLAGS);

/**
 * A later RUN of the stage that does nothing but the cleanup this RUN gets (`RUN apt-get clean && rm -rf
 * /var/lib/apt/lists/*`, the delete DF015 reports there): the first RUN after this one that may touch apt (a script may),
 * with
 * only `apt-get clean` (when `cleaned`: the fixed RUN runs it too) and `rm` of literal paths in the lists, or in
 * /var/cache/apt when `cleaned`. What it removed then is gone with this RUN's cleanup, so the fix deletes it.
 */
function laterCleanupOnly(ctx: DockerfileContext, instruction: Instruction, cleaned: boolean): Instruction | undefined {
  for (const later of ctx.parsed.instructions.slice(instruction.index + 1)) {
    if (later.stageIndex !== instruction.stageIndex) return undefined;
    if (later.keyword !== 'RUN') continue;
    const commands = ctx.commands(later);
    // A script (`./install.sh`) may run apt itself.
    const apt = (c: ShellCommand): boolean =>
      ['apt-get', 'apt', 'aptitude', 'dpkg', 'sh', 'bash'].includes(c.program) ||
      c.name.includes('/') ||
      (c.program === 'rm' && positionals(c.args).some((a) => /\/var\/(lib|cache)\/apt\b/.test(a)));
    if (!commands.some(apt)) continue;
    const removable = (path: string): boolean =>
      path.startsWith('/') &&
      !/[$`~]/.test(path) &&
      (pathWithin(path, LISTS) || (cleaned && pathWithin(path, '/var/cache/apt')));
    const only = commands.every(
      (c) =>
        Object.keys(c.env).length === 0 &&
        c.writes.length === 0 &&
        (c.program === 'rm'
          ? positionals(c.args).length > 0 && positionals(c.args).every(removable)
          : cleaned && isClean(c) && positionals(c.args).length === 1),
    );
    return only && later.flagList.length === 0 ? later : undefined;
  }
  return undefined;
}

/**
 * The later cleanup RUN's own script, to move as the user wrote it (`rm -rf /var/lib/apt/lists` stays without `/*`),
 * with `apt-get clean` first when this RUN's cleanup has it and that script does not: only a one-line `&&` chain.
 */
function movedCleanup(ctx: DockerfileContext, later: Instruction, cleanup: string): string | undefined {
  const script = later.shellText.trim();
  if (
    later.form === 'exec' ||
    later.heredocs.length > 0 ||
    later.line !== later.endLine ||
    script.includes('#') ||
    !isPlainChain(script, runDialect(later, ctx.stages.shellAt[later.index], binShAt(ctx.stages, later.stageIndex)))
  )
    return undefined;
  const clean = cleanup.startsWith('apt-get clean') && !ctx.commands(later).some(isClean);
  return clean ? `apt-get clean && ${script}` : script;
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
      listsForLaterInstall:
        '`{{program}} update` leaves the package lists (/var/lib/apt/lists, tens of MB) in this layer, but the RUN on line {{line}} installs from them, so removing them here alone would fail that install; add `{{cleanup}}` here and start that RUN with its own `{{program}} update` (or join the two RUNs, or use `--mount=type=cache,target=/var/lib/apt/lists` on both).',
      listsForLaterInstalls:
        '`{{program}} update` leaves the package lists (/var/lib/apt/lists, tens of MB) in this layer, but the RUNs on lines {{lines}} install from them, so removing them here alone would fail those installs; add `{{cleanup}}` here and start each of those RUNs with its own `{{program}} update` (or use `--mount=type=cache,target=/var/lib/apt/lists` on all these RUNs).',
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
        // file has such RUNs (the lists are meant for them), there is no fix, since the build would always fail, and
        // the cleanup belongs with an update in those RUNs: one here would break them, and one only in a later RUN
        // leaves the lists in this layer.
        const readers = laterInstallsFromLists(ctx, instruction);
        const unsure = unsureCleanup(status);
        const program = updates[0].program;
        if (readers.length > 0) {
          const lines = readers.map((r) => String(r.line));
          // This RUN's cleanup: the lists it leaves are in its layer, whatever the later RUNs do (an update one of
          // them runs is its own DF001).
          const cleanup = cleanupFor(ctx, instruction);
          if (readers.length === 1)
            ctx.report({
              messageId: 'listsForLaterInstall',
              data: { program, line: lines[0], cleanup },
              at: instruction,
              unsure,
            });
          else
            ctx.report({
              messageId: 'listsForLaterInstalls',
              data: { program, lines: `${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`, cleanup },
              at: instruction,
              unsure,
            });
          return;
        }
        const cleanup = cleanupFor(ctx, instruction);
        const cleaned = cleanup.startsWith('apt-get clean') || commands.some(isClean);
        const later = laterCleanupOnly(ctx, instruction, cleaned);
        const fix = cleanupFix(ctx, instruction, {
          cleanup,
          cacheTargets: [LISTS],
          cacheOptions: ',sharing=locked',
          applicability: 'unsafe',
          stillBad: (after) => cleanupAfter(after, after.filter(isUpdate), removesLists) !== 'always',
          replaces: later && { run: later, text: movedCleanup(ctx, later, cleanup) },
        });
        ctx.report({ messageId: 'notRemoved', data: { program, cleanup }, at: instruction, unsure, fix });
      },
    };
  },
});
