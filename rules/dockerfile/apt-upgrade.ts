// DF004: apt-get upgrade / dist-upgrade inside the image build.
import {
  APT_SIMULATE_FLAGS,
  APT_VALUE_FLAGS,
  defineRule,
  dockerfileMeta,
  hasAptFlag,
  isSubcommand,
  positionals,
} from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF004',
    name: 'apt-upgrade',
    type: 'size',
    summary: 'Use a newer base image instead of upgrading packages in a layer',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      upgrade:
        '`{{program}} {{subcommand}}` rewrites base-image files into a new layer (the old copies stay in the base) and makes builds unreproducible; rebuild on a newer base image instead.',
    },
    sources: [
      { tool: 'trivy', id: 'DS-0024', relation: 'inspired' },
      { tool: 'dockerfilelint', id: 'apt-get-upgrade', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        if (!ctx.ships(instruction)) return;
        for (const command of ctx.commands(instruction)) {
          if (
            isSubcommand(command, ['apt-get', 'apt'], ['upgrade', 'dist-upgrade', 'full-upgrade'], APT_VALUE_FLAGS) &&
            !hasAptFlag(command, ...APT_SIMULATE_FLAGS)
          ) {
            const subcommand = positionals(command.args, APT_VALUE_FLAGS)[0];
            ctx.report({ messageId: 'upgrade', data: { program: command.program, subcommand }, at: instruction });
            return;
          }
        }
      },
    };
  },
});
