// DF211: gem install without a version (hadolint DL3028).
import { defineRule, dockerfileMeta, hasFlag, wordsOf } from '../../src/lint/helpers.js';

// gem install flags that take a value in the next word.
const VALUE_FLAGS = new Set([
  '-i',
  '--install-dir',
  '-n',
  '--bindir',
  '-s',
  '--source',
  '-p',
  '--http-proxy',
  '--platform',
  '-g',
  '--file',
  '--build-root',
  '--document',
  '--format-executable-suffix',
]);

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF211',
    name: 'gem-install-unpinned',
    type: 'problem',
    summary: 'Pin versions in gem install (name:version or -v)',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      unpinned:
        '`gem install {{package}}` has no version: each rebuild may install something else; write `{{package}}:<version>` or pass `-v`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3028', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        for (const command of ctx.commands(instruction)) {
          if (command.program !== 'gem') continue;
          const words = wordsOf(command.args, VALUE_FLAGS, { stopAtDashes: true });
          if (words[0] !== 'install' && words[0] !== 'i') continue;
          if (hasFlag(command.args, 'v', 'version')) continue;
          // A gem that is still a variable after resolving ARG/ENV is decided at build time: no guess either way.
          // A local `.gem` file is one built package with its version in it, like a `.deb` for apt-get.
          const unpinned = words.slice(1).find((p) => {
            const gem = ctx.resolve(p, instruction);
            return !gem.includes(':') && !gem.startsWith('$') && !gem.endsWith('.gem');
          });
          if (unpinned) return ctx.report({ messageId: 'unpinned', data: { package: unpinned }, at: instruction });
        }
      },
    };
  },
});
