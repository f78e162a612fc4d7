// DF211: gem install without a version (hadolint DL3028).
import {
  defineRule,
  dockerfileMeta,
  GEM_VALUE_FLAGS,
  hasFlag,
  PACKAGE_SUBCOMMANDS,
  wordIndexes,
} from '../../src/lint/helpers.js';
import { argPackages, reportUnpinned, UNPINNED_MESSAGE, unpinnedOfRun } from '../../src/lint/package-rules.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF211',
    name: 'gem-install-unpinned',
    type: 'problem',
    summary: 'Pin versions in gem install (name:version or -v)',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: { unpinned: UNPINNED_MESSAGE },
    sources: [{ tool: 'hadolint', id: 'DL3028', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        // Every install command of the RUN is read, as hadolint's DL3028 does; one finding a RUN.
        const found = unpinnedOfRun(ctx.commands(instruction), (command) => {
          if (command.program !== 'gem') return undefined;
          const at = wordIndexes(command.args, GEM_VALUE_FLAGS, { stopAtDashes: true });
          const subcommand = command.args[at[0]];
          if (!PACKAGE_SUBCOMMANDS.gem.installs.includes(subcommand)) return undefined;
          // `-v` pins the gems of its own command.
          if (hasFlag(command.args, 'v', 'version')) return undefined;
          // A gem that is still a variable after resolving ARG/ENV is decided at build time: no guess either way.
          // A local `.gem` file is one built package with its version in it, like a `.deb` for apt-get.
          const packages = at
            .slice(1)
            .flatMap((i) => argPackages(ctx, instruction, command, i))
            .filter(({ value }) => !value.includes(':') && !value.startsWith('$') && !value.endsWith('.gem'))
            .map(({ name }) => name);
          return { program: 'gem', subcommand, packages };
        });
        reportUnpinned(ctx, instruction, found, (name) => `${name}:<version>`);
      },
    };
  },
});
