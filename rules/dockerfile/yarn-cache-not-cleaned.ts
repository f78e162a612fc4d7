// DF007: yarn install without cleaning its cache in the same RUN (hadolint DL3060).
import { after, defineRule, dockerfileMeta, isSubcommand, removes } from '../../src/lint/helpers.js';

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
        if (!ctx.inFinalImage(instruction)) return;
        if (ctx.cacheMounts(instruction).some((m) => m.target.includes('.cache/yarn'))) return;
        const commands = ctx.commands(instruction);
        const install = commands.find((c) => isSubcommand(c, ['yarn'], ['install']));
        if (!install) return;
        // A clean *before* the install does not help: it must come after.
        const cleaned = after(commands, install).some((c) => (isSubcommand(c, ['yarn'], ['cache']) && c.args.includes('clean')) || removes(c, (p) => p.includes('.cache/yarn')));
        if (!cleaned) ctx.report({ messageId: 'notCleaned', at: instruction });
      },
    };
  },
});
