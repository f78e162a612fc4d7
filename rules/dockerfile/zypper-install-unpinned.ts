// DF217: zypper install without package versions (hadolint DL3037).
import { defineRule, dockerfileMeta, wordsOf, ZYPPER_VALUE_FLAGS } from '../../src/lint/helpers.js';
import { packageWords, UNPINNED_MESSAGE, unpinnedOfRun, unpinnedWording } from '../../src/lint/package-rules.js';

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
          const words = wordsOf(command.args, ZYPPER_VALUE_FLAGS);
          if (words[0] !== 'install' && words[0] !== 'in') return undefined;
          const packages = words.slice(1).flatMap((p) => packageWords(ctx.resolve(p, instruction)));
          // `name=1.2`, `name>=1.2`, `name<2`, or a local/remote .rpm file all say which version lands.
          const unpinned = packages.filter((p) => !/[=<>]/.test(p) && !p.endsWith('.rpm'));
          return { program: 'zypper', subcommand: words[0], packages: unpinned };
        });
        if (!found) return;
        const { first, named } = found;
        ctx.report({
          messageId: 'unpinned',
          data: {
            program: first.program,
            subcommand: first.subcommand,
            ...unpinnedWording(named),
            example: `${named[0]}=<version>`,
          },
          at: instruction,
        });
      },
    };
  },
});
