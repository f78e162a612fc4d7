// DF005: apk add (or apk update, apk upgrade) keeps its index cache (hadolint DL3019 for the add).
import {
  cleanupAfter,
  defineRule,
  deleteMatches,
  dockerfileMeta,
  hasFlag,
  insertAfterMatches,
  isSubcommand,
  removesPath,
  unsureCleanup,
} from '../../src/lint/helpers.js';

import { sourceLines } from '../../src/dockerfile/parse.js';

const CACHE = '/var/cache/apk';

/**
 * `apk update` (with any global flags before the subcommand), then `&&` or `;` and the blanks up to the next command.
 * Matched on lines joined at their continuations (`deleteMatches(..., true)`), where `\s` crosses an escaped line break:
 * the cut takes it, and the lines join where the update was. Not up to a comment line (`#`): the cut would take the
 * escape before it and end the instruction there.
 */
const UPDATE_THEN = /\bapk(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+update\s*(?:&&|;)\s*(?=[^\s#])/g;
/** `apk add` (with any global flags before the subcommand). */
const ADD = /\bapk(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+add\b/g;
/** `apk upgrade` (with any global flags before the subcommand). */
const UPGRADE = /\bapk(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+upgrade\b/g;
/** A character of the same command: no operator, and no line break into a comment line (which the builder drops). */
const SAME_COMMAND = String.raw`(?:[^;&|()\n]|\n(?![ \t]*#))`;

/**
 * `-U`/`--update-cache` (`--update` for short) on an `apk add`, before or after `add`, with the blanks that separate it
 * from the next word on its line (or, last in the command or before `;`, `&&`, `|`, from the word before, across a
 * continuation: the line would be left empty). It refreshes the index before the add, which `--no-cache` does anyway:
 * beside the flag the fix adds, it would only read as if it still mattered. Matched on lines joined at their
 * continuations (`deleteMatches(..., true)`), where a `\n` is an escaped line break: the blanks after a flag last on
 * its line stop at the escape, which stays.
 */
const UPDATE_FLAG = new RegExp(
  [
    String.raw`(?<=\bapk(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s)(?:--update(?:-cache)?|-U)[ \t]+(?=\s*(?:-{1,2}[\w-]+(?:=\S+)?\s+)*add\b)`,
    String.raw`(?<=${ADD.source}${SAME_COMMAND}*?\s)(?:--update(?:-cache)?|-U)(?:[ \t]+(?=\S|\n))`,
    String.raw`(?<=${ADD.source}${SAME_COMMAND}*?)\s+(?:--update(?:-cache)?|-U)(?=[ \t]*(?:$|[;&|)]))`,
  ].join('|'),
  'g',
);

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF005',
    name: 'apk-add-cache',
    type: 'size',
    summary: 'Pass --no-cache to apk add',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      noCache:
        '`apk add` without `--no-cache` keeps the package index in /var/cache/apk in this layer; use `apk add --no-cache` or `--mount=type=cache,target=/var/cache/apk`.',
      noCacheAfterUpdate:
        '`apk update` and `apk add` without `--no-cache` keep the package index in /var/cache/apk in this layer; drop `apk update` and use `apk add --no-cache` (it fetches a fresh index and keeps none), or `--mount=type=cache,target=/var/cache/apk`.',
      upgradeKeepsIndex:
        '`apk upgrade` without `--no-cache` keeps the package index in /var/cache/apk in this layer; use `apk upgrade --no-cache` or `--mount=type=cache,target=/var/cache/apk`.',
      updateKeepsIndex:
        '`apk update` keeps the package index in /var/cache/apk in this layer (`--no-cache` on `apk add` does not remove it); drop `apk update` and use `apk add --no-cache` (it fetches a fresh index and keeps none), or `--mount=type=cache,target=/var/cache/apk`.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3019', relation: 'same' },
      { tool: 'trivy', id: 'DS-0025', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.ships(instruction, CACHE) || ctx.hasCacheMount(instruction, CACHE)) return;
        const commands = ctx.commands(instruction);
        const apks = commands.filter((c) => c.program === 'apk');
        const adds = apks.filter((c) => isSubcommand(c, ['apk'], ['add']));
        // `--no-network` installs from what is already on disk: no index is fetched, so none is kept.
        const offending = adds.filter((c) => !hasFlag(c.args, 'no-cache', 'no-network'));
        // `apk update` writes the index to /var/cache/apk too, and `--no-cache` on a later add does not remove it.
        const updates = apks.filter((c) => isSubcommand(c, ['apk'], ['update']));
        // `apk upgrade` fetches the index as `apk add` does, and keeps it unless told `--no-cache`.
        const allUpgrades = apks.filter((c) => isSubcommand(c, ['apk'], ['upgrade']));
        const upgrades = allUpgrades.filter((c) => !hasFlag(c.args, 'no-cache', 'no-network'));
        if (offending.length === 0 && updates.length === 0 && upgrades.length === 0) return;
        // `rm -rf /var/cache/apk/*` after every such command, on every path, leaves nothing behind either.
        const status = cleanupAfter(commands, [...offending, ...updates, ...upgrades], (c) => removesPath(c, [CACHE]));
        if (status === 'always') return;
        const edits = offending.length > 0 ? insertAfterMatches(ctx.parsed, instruction, ADD, ' --no-cache') : [];
        // Adding the flag alone would leave the update's index in the layer. `apk add --no-cache` fetches a fresh index
        // itself, so the update goes. Only when it is the RUN's one other apk command (an `apk upgrade` would then fetch
        // and keep the index instead; an `apk del`, which reads no index, aside), every add ends up with --no-cache (a
        // `--no-network` add needs the updated index on disk), and the update is followed by a next command it can be
        // cut out up to.
        if (updates.length > 0) {
          const cut = deleteMatches(ctx.parsed, instruction, UPDATE_THEN, true);
          const allFetch = adds.every((c) => !hasFlag(c.args, 'no-network'));
          const deletes = apks.filter((c) => isSubcommand(c, ['apk'], ['del'])).length;
          if (
            updates.length === 1 &&
            apks.length === adds.length + deletes + 1 &&
            adds.length > 0 &&
            allFetch &&
            cut.length === 1
          )
            edits.push(cut[0]);
          else edits.length = 0;
        }
        // --no-cache only changes where the index lives: the same packages are installed. Either every add gets the
        // flag, or (with the update dropped) every add has it already; with neither to do, only upgrades take it.
        const complete =
          (offending.length === 0 && updates.length === 0) ||
          (offending.length === adds.length
            ? edits.length === adds.length + updates.length
            : offending.length === 0 && edits.length === 1);
        // With --no-cache added to every add, their -U/--update goes too (see UPDATE_FLAG).
        // (only looked for when the flag is written: its lookbehinds read back over the command from every character,
        // which took minutes on an add of thousands of packages)
        const dropped =
          complete &&
          offending.length > 0 &&
          /--update|-U/.test(
            sourceLines(ctx.parsed)
              .slice(instruction.line - 1, instruction.endLine)
              .join('\n'),
          )
            ? deleteMatches(ctx.parsed, instruction, UPDATE_FLAG, true)
            : [];
        // An `apk upgrade` that keeps the index gets --no-cache too (the same packages are upgraded): only when no upgrade
        // of the RUN has it already, since the flag goes after every `apk upgrade` written.
        const upgradeEdits =
          upgrades.length > 0 && upgrades.length === allUpgrades.length
            ? insertAfterMatches(ctx.parsed, instruction, UPGRADE, ' --no-cache')
            : [];
        const fix =
          complete && upgradeEdits.length === upgrades.length && edits.length + upgradeEdits.length > 0
            ? {
                applicability: 'safe' as const,
                title:
                  (offending.length === 0 && updates.length > 0
                    ? 'Drop `apk update`'
                    : updates.length > 0
                      ? 'Drop `apk update` and add --no-cache'
                      : 'Add --no-cache') + (dropped.length > 0 ? ' in place of --update' : ''),
                edits: [...edits, ...upgradeEdits, ...dropped],
              }
            : undefined;
        ctx.report({
          messageId:
            offending.length > 0
              ? updates.length > 0
                ? 'noCacheAfterUpdate'
                : 'noCache'
              : upgrades.length > 0
                ? 'upgradeKeepsIndex'
                : 'updateKeepsIndex',
          at: instruction,
          fix,
          unsure: unsureCleanup(status),
        });
      },
    };
  },
});
