// DF222: COPY to a relative destination while no WORKDIR is set (hadolint DL3045).
import { defineRule, dockerfileMeta, workdirTracker } from '../../src/lint/helpers.js';
import { copyArguments } from './copy-multiple-sources-without-slash.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF222',
    name: 'copy-relative-without-workdir',
    type: 'problem',
    summary: 'Set WORKDIR before COPY to a relative destination',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      relative:
        'COPY to relative `{{destination}}` with no WORKDIR in this stage: the files land wherever the base image left the working directory.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3045', relation: 'same' }],
  }),
  create(ctx) {
    const workdir = workdirTracker(ctx);
    return {
      COPY(instruction) {
        const { destination } = copyArguments(instruction);
        if (destination === '' || isAbsoluteDestination(destination)) return;
        // WORKDIR set in this stage, or in the stage it is built FROM, makes the destination well defined.
        if (workdir.hasWorkdir(instruction)) return;
        ctx.report({ messageId: 'relative', data: { destination }, at: instruction });
      },
    };
  },
});

/** `/x`, a variable (the builder expands it; it usually holds a path), or a Windows path such as `c:\x` or `d:/x`. */
export function isAbsoluteDestination(path: string): boolean {
  return path.startsWith('/') || path.startsWith('$') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\');
}
