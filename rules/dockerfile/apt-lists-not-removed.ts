// DF001: apt package lists left in a layer (hadolint DL3009).
import { APT_VALUE_FLAGS, defineRule, dockerfileMeta, isSubcommand, removes } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF001',
    name: 'apt-lists-not-removed',
    type: 'size',
    summary: 'Remove /var/lib/apt/lists in the RUN that runs apt-get update',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      notRemoved:
        '`{{program}} update` leaves the package lists (/var/lib/apt/lists, tens of MB) in this layer; add `rm -rf /var/lib/apt/lists/*` to the same RUN or use `--mount=type=cache,target=/var/lib/apt/lists`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3009', relation: 'same' }, { tool: 'dockerfilelint', id: 'apt-get_missing_rm', relation: 'inspired' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.inFinalImage(instruction)) return;
        const commands = ctx.commands(instruction);
        const update = commands.find((c) => isSubcommand(c, ['apt-get', 'apt', 'aptitude'], ['update'], APT_VALUE_FLAGS));
        if (!update) return;
        if (commands.some((c) => removes(c, (p) => p.startsWith('/var/lib/apt/lists')))) return;
        if (ctx.hasCacheMount(instruction, '/var/lib/apt/lists')) return;
        ctx.report({ messageId: 'notRemoved', data: { program: update.program }, at: instruction });
      },
    };
  },
});
