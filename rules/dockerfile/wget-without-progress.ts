// DF224: wget with its default progress bar, which floods build logs (hadolint DL3047).
import { defineRule, dockerfileMeta, hasFlag, insertAfterMatches } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF224',
    name: 'wget-without-progress',
    type: 'suggestion',
    summary: 'Give wget --progress=dot:giga (or -q / -nv) in builds',
    defaultSeverity: 'info',
    fix: 'sometimes',
    messages: {
      noisy:
        '`wget` without `--progress`, `-q` or `-nv` writes a progress line per chunk: a large download bloats the build log.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3047', relation: 'same' }],
  }),
  create(ctx) {
    return {
      RUN(instruction) {
        const wgets = ctx.commands(instruction).filter((c) => c.program === 'wget');
        const noisy = wgets.filter(
          (c) =>
            !c.args.includes('-nv') &&
            !hasFlag(c.args, 'progress', 'q', 'quiet', 'no-verbose', 'o', 'output-file', 'a', 'append-output'),
        );
        if (noisy.length === 0) return;
        const edits = insertAfterMatches(
          ctx.parsed,
          instruction,
          /(?<=^|[\s;&|(`])wget(?=\s|$)/g,
          ' --progress=dot:giga',
        );
        // Only the log output changes: safe, when every wget in the RUN is the noisy kind and each one was found in the text.
        const fix =
          edits.length === noisy.length && noisy.length === wgets.length
            ? { applicability: 'safe' as const, title: 'Add --progress=dot:giga to wget', edits }
            : undefined;
        ctx.report({ messageId: 'noisy', at: instruction, fix });
      },
    };
  },
});
