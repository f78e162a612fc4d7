// DF005: apk add keeps its index cache (hadolint DL3019).
import { defineRule, dockerfileMeta, hasFlag, insertAfterMatches, isSubcommand } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF005',
    name: 'apk-add-cache',
    type: 'size',
    summary: 'Pass --no-cache to apk add',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      noCache: '`apk add` without `--no-cache` keeps the package index in /var/cache/apk in this layer; use `apk add --no-cache` or `--mount=type=cache,target=/var/cache/apk`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3019', relation: 'same' }, { tool: 'trivy', id: 'DS-0025', relation: 'inspired' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.inFinalImage(instruction)) return;
        const adds = ctx.commands(instruction).filter((c) => isSubcommand(c, ['apk'], ['add']));
        const offending = adds.filter((c) => !hasFlag(c.args, 'no-cache'));
        if (offending.length === 0 || ctx.hasCacheMount(instruction, '/var/cache/apk')) return;
        const edits = insertAfterMatches(ctx.parsed, instruction, /\bapk(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+add\b/g, ' --no-cache');
        // --no-cache only changes where the index lives: the same packages are installed.
        const fix = edits.length === adds.length && offending.length === adds.length ? { applicability: 'safe' as const, title: 'Add --no-cache', edits } : undefined;
        ctx.report({ messageId: 'noCache', at: instruction, fix });
      },
    };
  },
});
