// DF007: yarn install without cleaning its cache in the same RUN (hadolint DL3060).
import { cleanupAfter, defineRule, dockerfileMeta, isSubcommand, removes, unsureCleanup } from '../../src/lint/helpers.js';

// Yarn 1 keeps its cache in /usr/local/share/.cache/yarn as root, ~/.cache/yarn otherwise.
const CACHES = ['/usr/local/share/.cache/yarn', '/root/.cache/yarn', '/home/*/.cache/yarn'];

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF007',
    name: 'yarn-cache-not-cleaned',
    type: 'size',
    summary: 'Run yarn cache clean after yarn install in the same RUN',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      notCleaned:
        '`yarn install` leaves the yarn cache (often hundreds of MB) in this layer; add `&& yarn cache clean` after it or use `--mount=type=cache,target=/usr/local/share/.cache/yarn`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3060', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.ships(instruction, ...CACHES)) return;
        if (ctx.hasCacheMount(instruction, ...CACHES) || ctx.cacheMounts(instruction).some((m) => m.target.includes('.cache/yarn'))) return;
        const commands = ctx.commands(instruction);
        const installs = commands.filter((c) => isSubcommand(c, ['yarn'], ['install']));
        if (installs.length === 0) return;
        // A clean *before* the install does not help: it must come after, on every path.
        const status = cleanupAfter(commands, installs, (c) => (isSubcommand(c, ['yarn'], ['cache']) && c.args.includes('clean')) || removes(c, (p) => p.includes('.cache/yarn')));
        if (status !== 'always') ctx.report({ messageId: 'notCleaned', at: instruction, unsure: unsureCleanup(status) });
      },
    };
  },
});
