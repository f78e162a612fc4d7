// DF259: the global ARG defaults make a FROM's image name empty or invalid (BuildKit InvalidDefaultArgInFrom).
import { PLATFORM_ARGS, variableRefs } from '../../src/dockerfile/build-args.js';
import { substitute } from '../../src/dockerfile/stages.js';
import { parseReference } from '../../src/image/reference.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

/** Values for the platform arguments, as on the usual build machine (a default that needs them to work still works). */
const PLATFORM_VALUES: Record<string, string> = {
  BUILDPLATFORM: 'linux/amd64',
  TARGETPLATFORM: 'linux/amd64',
  BUILDOS: 'linux',
  TARGETOS: 'linux',
  BUILDARCH: 'amd64',
  TARGETARCH: 'amd64',
  BUILDVARIANT: '',
  TARGETVARIANT: '',
};

/** Every name, as empty. */
const UNSET = new Proxy({}, { has: () => true, get: () => '' }) as Record<string, string>;

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF259',
    name: 'invalid-default-arg-in-from',
    type: 'problem',
    summary: 'Give the ARGs a FROM uses defaults that make a valid image name',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      empty:
        'With the default values of its ARGs, `FROM {{image}}` names no image: the build fails unless every build passes --build-arg; give {{names}} a default that works.',
      invalid:
        'With the default values of its ARGs, `FROM {{image}}` asks for `{{resolved}}`, which is not a valid image name ({{why}}): the build fails unless every build passes --build-arg; give {{names}} a default that works.',
    },
    sources: [{ tool: 'buildkit', id: 'InvalidDefaultArgInFrom', relation: 'same' }],
  }),
  create(ctx) {
    const { globalArgs } = ctx.stages;
    // A global ARG without a default is unset: only the declared defaults (and the platform) are in scope.
    const defaults: Record<string, string> = { ...PLATFORM_VALUES };
    for (const name of Object.keys(globalArgs)) {
      const value = globalArgs[name];
      // (the stage model leaves the platform arguments a default uses as written: they have values)
      if (value !== undefined) defaults[name] = substitute(value, PLATFORM_VALUES);
      // (`ARG TARGETARCH` declares the builder's value, not an empty one)
      else if (!PLATFORM_ARGS.has(name)) delete defaults[name];
    }
    return {
      FROM(instruction) {
        const stage = ctx.parsed.stages[instruction.stageIndex];
        const image = stage?.baseImage ?? '';
        const refs = variableRefs(image, ctx.parsed.escapeChar);
        if (refs.length === 0) return;
        // An undeclared name is DF258's; `${NAME:?message}` stops the build with the author's message when unset.
        if (
          refs.some(
            (r) =>
              (r.operator === undefined && !(r.name in globalArgs) && !PLATFORM_ARGS.has(r.name)) ||
              r.operator?.endsWith('?'),
          )
        )
          return;
        // What is still a reference after substituting the defaults is an ARG without one: empty.
        const resolved = substitute(substitute(image, defaults), UNSET);
        if (ctx.stages.stageByName(resolved, instruction.stageIndex) !== undefined) return;
        const names = [...new Set(refs.map((r) => `\`${r.name}\``))].join(', ');
        if (resolved.trim() === '') {
          ctx.report({ messageId: 'empty', data: { image, names }, at: instruction });
          return;
        }
        try {
          parseReference(resolved);
        } catch (error) {
          const why = /": (.*)$/.exec((error as Error).message)?.[1] ?? 'not an image reference';
          ctx.report({ messageId: 'invalid', data: { image, resolved, why, names }, at: instruction });
        }
      },
    };
  },
});
