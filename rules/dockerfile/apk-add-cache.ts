// DF005: apk add (or apk update) keeps its index cache (hadolint DL3019 for the add).
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

const CACHE = '/var/cache/apk';

/** `apk update` (with any global flags before the subcommand), then `&&` or `;` and what follows on the same line. */
const UPDATE_THEN = /\bapk(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+update\s*(?:&&|;)[ \t]*(?=\S)(?!\\$)/g;
/** `apk add` (with any global flags before the subcommand). */
const ADD = /\bapk(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+add\b/g;
/**
 * `-U`/`--update-cache` (`--update` for short) on an `apk add`, before or after `add`, with the blanks that separate it
 * from the next word (or, last on its line or before `;`, `&&`, `|`, from the word before). It refreshes the index
 * before the add, which `--no-cache` does anyway: beside the flag the fix adds, it would only read as if it still
 * mattered.
 */
const UPDATE_FLAG = new RegExp(
  [
    String.raw`(?<=\bapk(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s)(?:--update(?:-cache)?|-U)[ \t]+(?=(?:-{1,2}[\w-]+(?:=\S+)?[ \t]+)*add\b)`,
    String.raw`(?<=${ADD.source}[^;&|()\n]*?[ \t])(?:--update(?:-cache)?|-U)(?:[ \t]+(?=\S))`,
    String.raw`(?<=${ADD.source}[^;&|()\n]*?)[ \t]+(?:--update(?:-cache)?|-U)(?=[ \t]*(?:$|[;&|)]))`,
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
        if (offending.length === 0 && updates.length === 0) return;
        // `rm -rf /var/cache/apk/*` after every such command, on every path, leaves nothing behind either.
        const status = cleanupAfter(commands, [...offending, ...updates], (c) => removesPath(c, CACHE));
        if (status === 'always') return;
        const edits = offending.length > 0 ? insertAfterMatches(ctx.parsed, instruction, ADD, ' --no-cache') : [];
        // Adding the flag alone would leave the update's index in the layer. `apk add --no-cache` fetches a fresh index
        // itself, so the update goes. Only when it is the RUN's one other apk command (an `apk upgrade` would then fetch
        // and keep the index instead), every add ends up with --no-cache (a `--no-network` add needs the updated index
        // on disk), and the update is followed by the next command on its own line, where it can be cut out whole.
        if (updates.length > 0) {
          const cut = deleteMatches(ctx.parsed, instruction, UPDATE_THEN);
          const allFetch = adds.every((c) => !hasFlag(c.args, 'no-network'));
          if (
            updates.length === 1 &&
            apks.length === adds.length + 1 &&
            adds.length > 0 &&
            allFetch &&
            cut.length === 1
          )
            edits.push(cut[0]);
          else edits.length = 0;
        }
        // --no-cache only changes where the index lives: the same packages are installed. Either every add gets the
        // flag, or (with the update dropped) every add has it already.
        const complete =
          offending.length === adds.length
            ? edits.length === adds.length + updates.length
            : offending.length === 0 && edits.length === 1;
        // With --no-cache added to every add, their -U/--update goes too (see UPDATE_FLAG).
        const dropped = complete && offending.length > 0 ? deleteMatches(ctx.parsed, instruction, UPDATE_FLAG) : [];
        const fix =
          complete && edits.length > 0
            ? {
                applicability: 'safe' as const,
                title:
                  (offending.length === 0
                    ? 'Drop `apk update`'
                    : updates.length > 0
                      ? 'Drop `apk update` and add --no-cache'
                      : 'Add --no-cache') + (dropped.length > 0 ? ' in place of --update' : ''),
                edits: [...edits, ...dropped],
              }
            : undefined;
        ctx.report({
          messageId:
            offending.length === 0 ? 'updateKeepsIndex' : updates.length > 0 ? 'noCacheAfterUpdate' : 'noCache',
          at: instruction,
          fix,
          unsure: unsureCleanup(status),
        });
      },
    };
  },
});
