// DF022: FROM without a tag (hadolint DL3006).
import { defineRule, dockerfileMeta, parseImageRef } from '../../src/lint/helpers.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF022',
    name: 'base-image-untagged',
    type: 'cache',
    summary: 'Tag the base image with an explicit version',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      untagged:
        'FROM `{{image}}` has no tag, so it means `latest`: builds change whenever the image is republished; pin a version tag (or a digest).',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3006', relation: 'same' },
      { tool: 'trivy', id: 'DS-0001', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      FROM(instruction) {
        const stage = ctx.parsed.stages[instruction.stageIndex];
        const resolved = resolveFromGlobals(stage.baseImage, ctx.stages.globalArgs);
        if (resolved === '' || resolved.includes('$') || resolved.toLowerCase() === 'scratch') return;
        if (ctx.stages.stageByName(resolved, instruction.stageIndex) !== undefined) return;
        const ref = parseImageRef(resolved);
        if (ref.tag === undefined && ref.digest === undefined)
          ctx.report({ messageId: 'untagged', data: { image: resolved }, at: instruction });
      },
    };
  },
});

// FROM sees only the global ARGs (those before the first FROM).
export function resolveFromGlobals(image: string, globals: Readonly<Record<string, string | undefined>>): string {
  return image.replace(/\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)/g, (whole, braced, fallback, bare) => {
    const value = globals[(braced ?? bare) as string];
    if (value !== undefined && value !== '') return value;
    return fallback !== undefined ? (fallback as string) : whole;
  });
}
