// DF209: an image pulled from a registry outside the trusted list (hadolint DL3026).
import type { Instruction } from '../../src/dockerfile/parse.js';
import { mountsOf } from '../../src/dockerfile/mount.js';
import { defineRule, dockerfileMeta, parseImageRef } from '../../src/lint/helpers.js';
import { resolveFromGlobals } from './base-image-untagged.js';

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF209',
    name: 'untrusted-registry',
    type: 'problem',
    summary: 'Pull images only from trusted registries',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      untrusted: '`{{image}}` comes from `{{registry}}`, which is not in trustedRegistries.',
    },
    defaultOptions: { trustedRegistries: [] },
    sources: [{ tool: 'hadolint', id: 'DL3026', relation: 'same' }],
  }),
  create(ctx) {
    const option = ctx.options.trustedRegistries;
    const trusted = (Array.isArray(option) ? option : typeof option === 'string' ? [option] : []).map((r) =>
      String(r).toLowerCase(),
    );
    // Off until configured, as in hadolint.
    if (trusted.length === 0) return {};
    // A FROM names a stage by its name only; COPY --from and RUN --mount from= by name or number.
    const check = (image: string, instruction: Instruction, beforeStage: number, byNumber = true): void => {
      if (image === '' || image.includes('$') || image.toLowerCase() === 'scratch') return;
      const stage = byNumber ? ctx.stages.stageByRef(image, beforeStage) : ctx.stages.stageByName(image, beforeStage);
      if (stage !== undefined) return;
      const registry = (parseImageRef(image).registry ?? 'docker.io').toLowerCase();
      if (!isTrusted(registry, trusted))
        ctx.report({ messageId: 'untrusted', data: { image, registry }, at: instruction });
    };
    return {
      FROM(instruction) {
        const stage = ctx.parsed.stages[instruction.stageIndex];
        check(resolveFromGlobals(stage.baseImage, ctx.stages.globalArgs), instruction, instruction.stageIndex, false);
      },
      COPY(instruction) {
        const from = instruction.flags.from;
        if (from === undefined || /^\d+$/.test(from)) return;
        check(ctx.resolve(from, instruction), instruction, instruction.stageIndex);
      },
      RUN(instruction) {
        for (const { from } of mountsOf(instruction))
          if (from) check(ctx.resolve(from, instruction), instruction, instruction.stageIndex);
      },
    };
  },
});

/** Docker Hub goes by several names; `*` trusts everything, `*.example.com` any subdomain. */
export function isTrusted(registry: string, trusted: string[]): boolean {
  const names =
    registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io'
      ? ['docker.io', 'hub.docker.com', 'index.docker.io', 'registry-1.docker.io']
      : [registry];
  return trusted.some(
    (t) => t === '*' || names.includes(t) || (t.startsWith('*.') && names.some((n) => n.endsWith(t.slice(1)))),
  );
}
