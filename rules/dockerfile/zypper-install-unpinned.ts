// DF217: zypper install without package versions (hadolint DL3037).
import {
  defineRule,
  dockerfileMeta,
  PACKAGE_SUBCOMMANDS,
  wordIndexes,
  ZYPPER_VALUE_FLAGS,
} from '../../src/lint/helpers.js';
import { argPackages, reportUnpinned, UNPINNED_MESSAGE, unpinnedOfRun } from '../../src/lint/package-rules.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF217',
    name: 'zypper-install-unpinned',
    type: 'problem',
    summary: 'Pin versions in zypper install (name=version)',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: { unpinned: UNPINNED_MESSAGE },
    sources: [{ tool: 'hadolint', id: 'DL3037', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        // Every install command of the RUN is read, as hadolint's DL3037 does; one finding a RUN.
        const found = unpinnedOfRun(ctx.commands(instruction), (command) => {
          if (command.program !== 'zypper') return undefined;
          const at = wordIndexes(command.args, ZYPPER_VALUE_FLAGS);
          const subcommand = command.args[at[0]];
          if (!PACKAGE_SUBCOMMANDS.zypper.installs.includes(subcommand)) return undefined;
          // A quoted "$PKGS" is one word to the shell and `'$PKG'` is left as written, as the other pin rules read
          // them; a package still holding a variable or a command is decided at build time.
          // `name=1.2`, `name>=1.2`, `name<2`, or a local/remote .rpm file all say which version lands.
          const unpinned = at
            .slice(1)
            .flatMap((i) => argPackages(ctx, instruction, command, i))
            .filter(({ value }) => !/[$`]/.test(value) && !/[=<>]/.test(value) && !value.endsWith('.rpm'))
            .map(({ name }) => name);
          return { program: 'zypper', subcommand, packages: unpinned };
        });
        reportUnpinned(ctx, instruction, found, (name) => `${name}=<version>`);
      },
    };
  },
});
