// DF003: `apt-get update` in a RUN of its own: the cached lists layer goes stale and later installs use old indexes.
import { APT_VALUE_FLAGS, defineRule, dockerfileMeta, isSubcommand } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF003',
    name: 'apt-update-alone',
    type: 'cache',
    summary: 'Run apt-get update in the same RUN as apt-get install',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      alone:
        '`{{program}} update` without an install in the same RUN: the build cache keeps the old package lists, so later installs may fetch stale or missing versions, and the lists stay in a layer.',
    },
    sources: [
      { tool: 'trivy', id: 'DS-0017', relation: 'inspired' },
      { tool: 'dockerfilelint', id: 'apt-get-update_require_install', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const commands = ctx.commands(instruction);
        const update = commands.find((c) => isSubcommand(c, ['apt-get', 'apt'], ['update'], APT_VALUE_FLAGS));
        // With the lists on a cache mount nothing stale is frozen into a layer: a later RUN mounting the same cache sees them.
        if (!update || ctx.hasCacheMount(instruction, '/var/lib/apt/lists')) return;
        // `xargs -a pkgs.txt apt-get install -y` installs too: the shell reader gives the command xargs runs.
        const installs = commands.some((c) =>
          isSubcommand(
            c,
            ['apt-get', 'apt', 'aptitude'],
            ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'source', 'download'],
            APT_VALUE_FLAGS,
          ),
        );
        if (!installs) ctx.report({ messageId: 'alone', data: { program: update.program }, at: instruction });
      },
    };
  },
});
