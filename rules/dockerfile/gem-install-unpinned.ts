// DF211: gem install without a version (hadolint DL3028).
import { defineRule, dockerfileMeta, GEM_VALUE_FLAGS, hasFlag, wordsOf } from '../../src/lint/helpers.js';
import { UNPINNED_MESSAGE, unpinnedOfRun, unpinnedWording } from '../../src/lint/package-rules.js';

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
          const words = wordsOf(command.args, GEM_VALUE_FLAGS, { stopAtDashes: true });
          if (words[0] !== 'install' && words[0] !== 'i') return undefined;
          // `-v` pins the gems of its own command.
          if (hasFlag(command.args, 'v', 'version')) return undefined;
          // A gem that is still a variable after resolving ARG/ENV is decided at build time: no guess either way.
          // A local `.gem` file is one built package with its version in it, like a `.deb` for apt-get.
          const packages = words.slice(1).filter((p) => {
            const gem = ctx.resolve(p, instruction);
            return !gem.includes(':') && !gem.startsWith('$') && !gem.endsWith('.gem');
          });
          return { program: 'gem', subcommand: words[0], packages };
        });
        if (!found) return;
        const { first, named } = found;
        ctx.report({
          messageId: 'unpinned',
          data: {
            program: first.program,
            subcommand: first.subcommand,
            ...unpinnedWording(named),
            example: `${named[0]}:<version>`,
          },
          at: instruction,
        });
      },
    };
  },
});
