// DF206: COPY --from naming neither an earlier stage nor an image (hadolint DL3022).
import { unquote } from '../../src/dockerfile/parse.js';
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
        if (/^\d+$/.test(from) && Number(from) < earlier.length) return;
        ctx.report({ messageId: 'unknown', data: { from }, at: instruction });
      },
    };
  },
});
