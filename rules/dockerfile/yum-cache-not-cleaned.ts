// DF009: yum install without `yum clean all` (hadolint DL3032).
import { after, defineRule, dockerfileMeta, isSubcommand, removes } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF009',
    name: 'yum-cache-not-cleaned',
    type: 'size',
    summary: 'Run yum clean all after yum install in the same RUN',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      notCleaned: '`yum install` leaves metadata and packages in /var/cache/yum in this layer; add `&& yum clean all` or use `--mount=type=cache,target=/var/cache/yum`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3032', relation: 'same' }, { tool: 'trivy', id: 'DS-0015', relation: 'inspired' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.inFinalImage(instruction) || ctx.hasCacheMount(instruction, '/var/cache/yum')) return;
        const commands = ctx.commands(instruction);
        const install = commands.find((c) => isSubcommand(c, ['yum'], ['install', 'groupinstall', 'localinstall']));
        if (!install) return;
        const cleaned = after(commands, install).some(
          (c) => (isSubcommand(c, ['yum'], ['clean']) && c.args.includes('all')) || removes(c, (p) => p.startsWith('/var/cache/yum')),
        );
        if (!cleaned) ctx.report({ messageId: 'notCleaned', at: instruction });
      },
    };
  },
});
