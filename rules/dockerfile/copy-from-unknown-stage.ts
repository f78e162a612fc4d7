// DF206: COPY --from naming neither an earlier stage nor an image (hadolint DL3022).
import { unquote } from '../../src/dockerfile/parse.js';
import { isStageName } from '../../src/dockerfile/stages.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF206',
    name: 'copy-from-unknown-stage',
    type: 'problem',
    summary: 'COPY --from must name an earlier stage, a stage index or an image',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      unknown:
        '`COPY --from={{from}}` names no earlier stage: define `FROM ... AS {{from}}` before it, or give a full image reference (`name:tag`).',
      notStageName:
        '`COPY --from={{from}}` names no earlier stage, and no stage can be named so (a stage name starts with a letter, followed by letters, digits, `-`, `_` or `.`): name an earlier stage or give its index, or give a full image reference (`name:tag`).',
      unknownIndex:
        '`COPY --from={{from}}` names no earlier stage: stages are numbered from 0 in the order of their FROM lines, and this COPY is in stage {{stage}}{{earlier}}.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3022', relation: 'same' }],
  }),
  create(ctx) {
    return {
      COPY(instruction) {
        const raw = instruction.flags.from;
        if (raw === undefined) return;
        const from = ctx.resolve(unquote(raw), instruction);
        // A variable we cannot resolve may hold anything; a `:` makes it an image reference (`alpine:3`, `reg:5000/x`).
        if (from.includes('$') || from.includes(':') || from.includes('@')) return;
        // Any earlier stage with that name counts (even when a later stage reuses the name), or an earlier index.
        const earlier = ctx.parsed.stages.slice(0, Math.max(instruction.stageIndex, 0));
        if (earlier.some((s) => s.name === from.toLowerCase())) return;
        // The stage's own name is a self reference, which DF207 reports (as hadolint reports DL3023 alone there).
        if (ctx.parsed.stages[instruction.stageIndex]?.name === from.toLowerCase()) return;
        if (/^\d+$/.test(from)) {
          // Its own index is a self reference (DF207). A stage name starts with a letter, so the advice for an index
          // is an earlier index, never `FROM ... AS 1`.
          const index = Number(from);
          if (index < earlier.length || index === instruction.stageIndex || instruction.stageIndex < 0) return;
          const before = earlier.length;
          const earlierText =
            before === 0
              ? ', the first; build the files in a stage before it and name that stage by its index or name'
              : before === 1
                ? ", so only 0 comes before it; use that index or the stage's name"
                : `, so only ${before === 2 ? '0 and 1' : `0 to ${before - 1}`} come before it; use one of those indexes or a stage's name`;
          ctx.report({
            messageId: 'unknownIndex',
            data: { from, stage: String(instruction.stageIndex), earlier: earlierText },
            at: instruction,
          });
          return;
        }
        // Never advise `FROM ... AS -1`: the builder refuses a stage name that does not start with a letter.
        ctx.report({ messageId: isStageName(from) ? 'unknown' : 'notStageName', data: { from }, at: instruction });
      },
    };
  },
});
