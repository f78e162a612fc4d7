// DF210: `apt` (the interactive front end) in a RUN (hadolint DL3027).
import { defineRule, dockerfileMeta, insertAfterMatches, positionals } from '../../src/lint/helpers.js';

// Subcommands that apt-get runs the same way: renaming the program changes only the progress output.
const SAME_IN_APT_GET = new Set(['install', 'remove', 'purge', 'update', 'autoremove', 'clean', 'autoclean']);

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF210',
    name: 'apt-in-run',
    type: 'problem',
    summary: 'Use apt-get or apt-cache instead of apt in scripts',
    defaultSeverity: 'warning',
    fix: 'sometimes',
    messages: {
      apt: '`apt` is meant for people at a terminal and its command-line interface is not stable; scripts should call `apt-get` or `apt-cache`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3027', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const apts = ctx.commands(instruction).filter((c) => c.program === 'apt');
        if (apts.length === 0) return;
        const convertible = apts.every(
          (c) =>
            c.name === 'apt' &&
            SAME_IN_APT_GET.has(
              positionals(c.args, ['o', 'option', 'c', 'config-file', 't', 'target-release'])[0] ?? '',
            ),
        );
        const edits = convertible
          ? insertAfterMatches(
              ctx.parsed,
              instruction,
              /(?<=^|[\s;&|(`"'])apt(?=(?:\s+-{1,2}[\w-]+(?:=\S+)?)*\s+(?:install|remove|purge|update|autoremove|clean|autoclean)\b)/g,
              '-get',
            )
          : [];
        // For these subcommands apt-get does the same work (`apt upgrade` differs, and is left alone).
        const fix =
          convertible && edits.length === apts.length
            ? { applicability: 'safe' as const, title: 'Use apt-get instead of apt', edits }
            : undefined;
        ctx.report({ messageId: 'apt', at: instruction, fix });
      },
    };
  },
});
