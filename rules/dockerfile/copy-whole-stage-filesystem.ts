// DF232: COPY --from=<stage> / ..., which copies a whole filesystem (hadolint DL3067).
import { defineRule, dockerfileMeta, finalChain } from '../../src/lint/helpers.js';
import { copyArguments } from './copy-multiple-sources-without-slash.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF232',
    name: 'copy-whole-stage-filesystem',
    type: 'size',
    summary: 'Copy the files you need from another stage, not its whole filesystem',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      whole:
        '`COPY --from={{from}} /` copies every file of that stage (package caches, compilers, logs) into this one.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3067', relation: 'same' }],
  }),
  create(ctx) {
    // Layers of the final image: the last stage and the stages it is built FROM.
    const chain = finalChain(ctx);
    return {
      COPY(instruction) {
        const from = instruction.flags.from;
        if (from === undefined || !chain.has(instruction.stageIndex)) return;
        const { sources } = copyArguments(instruction);
        if (sources.some((s) => /^\/(\.|\*)?\/?$/.test(s)))
          ctx.report({ messageId: 'whole', data: { from }, at: instruction });
      },
    };
  },
});
