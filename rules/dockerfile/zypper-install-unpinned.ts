// DF217: zypper install without package versions (hadolint DL3037).
import { defineRule, dockerfileMeta, wordsOf } from '../../src/lint/helpers.js';
import { packageWords } from './yum-install-unpinned.js';

// zypper flags that take a value in the next word.
const VALUE_FLAGS = new Set([
  '-t',
  '--type',
  '-r',
  '--repo',
  '--from',
  '-R',
  '--root',
  '--releasever',
  '--download',
  '-c',
  '--config',
]);

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF217',
    name: 'zypper-install-unpinned',
    type: 'problem',
    summary: 'Pin versions in zypper install (name=version)',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      unpinned:
        '`zypper install {{package}}` has no version: each rebuild may install something else; write `{{package}}=<version>`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3037', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        for (const command of ctx.commands(instruction)) {
          if (command.program !== 'zypper') continue;
          const words = wordsOf(command.args, VALUE_FLAGS);
          if (words[0] !== 'install' && words[0] !== 'in') continue;
          const packages = words.slice(1).flatMap((p) => packageWords(ctx.resolve(p, instruction)));
          // `name=1.2`, `name>=1.2`, `name<2`, or a local/remote .rpm file all say which version lands.
          const unpinned = packages.find((p) => !/[=<>]/.test(p) && !p.endsWith('.rpm'));
          if (unpinned) return ctx.report({ messageId: 'unpinned', data: { package: unpinned }, at: instruction });
        }
      },
    };
  },
});
