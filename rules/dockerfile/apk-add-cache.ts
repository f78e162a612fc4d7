// DF005: apk add keeps its index cache (hadolint DL3019).
import {
  cleanupAfter,
  defineRule,
  dockerfileMeta,
  hasFlag,
  insertAfterMatches,
  isSubcommand,
  removesPath,
  unsureCleanup,
} from '../../src/lint/helpers.js';

const CACHE = '/var/cache/apk';

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
    },
    sources: [
      { tool: 'hadolint', id: 'DL3019', relation: 'same' },
      { tool: 'trivy', id: 'DS-0025', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.ships(instruction, CACHE)) return;
        const commands = ctx.commands(instruction);
        const adds = commands.filter((c) => isSubcommand(c, ['apk'], ['add']));
        // `--no-network` installs from what is already on disk: no index is fetched, so none is kept.
        const offending = adds.filter((c) => !hasFlag(c.args, 'no-cache', 'no-network'));
        if (offending.length === 0 || ctx.hasCacheMount(instruction, CACHE)) return;
        // `rm -rf /var/cache/apk/*` after every such add, on every path, leaves nothing behind either.
        const status = cleanupAfter(commands, offending, (c) => removesPath(c, CACHE));
        if (status === 'always') return;
        const edits = insertAfterMatches(
          ctx.parsed,
          instruction,
          /\bapk(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+add\b/g,
          ' --no-cache',
        );
        // --no-cache only changes where the index lives: the same packages are installed.
        const fix =
          edits.length === adds.length && offending.length === adds.length
            ? { applicability: 'safe' as const, title: 'Add --no-cache', edits }
            : undefined;
        ctx.report({ messageId: 'noCache', at: instruction, fix, unsure: unsureCleanup(status) });
      },
    };
  },
});
