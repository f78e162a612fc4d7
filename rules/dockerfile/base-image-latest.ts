// DF023: FROM with the `latest` tag (hadolint DL3007).
import { defineRule, dockerfileMeta, parseImageRef } from '../../src/lint/helpers.js';
import { resolveFromGlobals } from './base-image-untagged.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF023',
    name: 'base-image-latest',
    type: 'cache',
    summary: 'Pin the base image to a version instead of latest',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      latest:
        'FROM `{{image}}` uses the `latest` tag: builds change whenever the image is republished; pin a version tag (or a digest).',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3007', relation: 'same' },
      { tool: 'trivy', id: 'DS-0001', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      FROM(instruction) {
        const stage = ctx.parsed.stages[instruction.stageIndex];
        const resolved = resolveFromGlobals(stage.baseImage, ctx.stages.globalArgs);
        if (resolved.includes('$')) return;
        const ref = parseImageRef(resolved);
        if (ref.tag === 'latest' && ref.digest === undefined)
          ctx.report({ messageId: 'latest', data: { image: resolved }, at: instruction });
      },
    };
  },
});
