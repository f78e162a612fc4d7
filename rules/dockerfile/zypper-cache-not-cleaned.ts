// DF011: zypper install without `zypper clean` (hadolint DL3036).
import { after, defineRule, dockerfileMeta, isSubcommand, removes } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF011',
    name: 'zypper-cache-not-cleaned',
    type: 'size',
    summary: 'Run zypper clean after zypper install in the same RUN',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      notCleaned: '`zypper install` leaves repository caches in /var/cache/zypp in this layer; add `&& zypper clean` or use `--mount=type=cache,target=/var/cache/zypp`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3036', relation: 'same' }, { tool: 'trivy', id: 'DS-0020', relation: 'inspired' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.inFinalImage(instruction) || ctx.hasCacheMount(instruction, '/var/cache/zypp')) return;
        const commands = ctx.commands(instruction);
        const install = commands.find((c) => isSubcommand(c, ['zypper'], ['install', 'in'], ['r', 'repo']));
        if (!install) return;
        const cleaned = after(commands, install).some((c) => isSubcommand(c, ['zypper'], ['clean', 'cc']) || removes(c, (p) => p.startsWith('/var/cache/zypp')));
        if (!cleaned) ctx.report({ messageId: 'notCleaned', at: instruction });
      },
    };
  },
});
