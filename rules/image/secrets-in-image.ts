// IM009: `.env` files, private keys and credential files in the final image. Anyone who can pull the image can
// read them, even when a later layer deletes them (that case shows up here only while they are visible).
import { bytesText, defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';
import { SECRET_CLASS_IDS, type JunkFile } from '../../src/analysis/junk.js';
import { codeSpan } from '../../src/report/code-span.js';
import { byLayer } from './helpers.js';

/**
 * Up to this many files of a class, each is a finding of its own (its own annotation in CI, its own line to fix).
 * Beyond it (an image with hundreds of `.env` files from a vendored tree), each layer's files become one finding
 * that names the count and lists every path: a security finding is never dropped, and hundreds of identical
 * annotations would bury the rest of the report.
 */
export const GROUP_ABOVE = 50;

const WHAT: Record<string, [one: string, many: string]> = {
  dotenvFiles: ['an environment file', 'environment files'],
  keyFiles: ['a key or credential file', 'key or credential files'],
};

const bySize = (a: JunkFile, b: JunkFile) => b.sizeBytes - a.sizeBytes || (a.path < b.path ? -1 : 1);

export const rule = defineImageRule({
  meta: imageMeta({
    code: 'IM009',
    name: 'secrets-in-image',
    type: 'problem',
    summary: 'Keep .env files and keys out of images; pass secrets at build or run time',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      secret:
        '`{{path}}` ({{what}}) is in the image, brought in by {{layer}}; add it to .dockerignore and use build secrets (`RUN --mount=type=secret`) or runtime configuration.',
      secrets:
        '{{count}} {{what}} are in the image, brought in by {{layer}} ({{bytes}}): {{paths}}; add them to .dockerignore and use build secrets (`RUN --mount=type=secret`) or runtime configuration.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      end(facts) {
        // Every file of the class (junkFiles), not the class's ten largest (junk.top): a secret must not go unreported.
        for (const id of SECRET_CLASS_IDS) {
          const files = [...(facts.junkFiles[id] ?? [])].sort(bySize);
          const [one, many] = WHAT[id];
          if (files.length <= GROUP_ABOVE) {
            for (const file of files) {
              const origin = facts.originLayer(file.path, file.layer);
              ctx.report({
                messageId: 'secret',
                layerIndex: origin,
                path: `/${file.path}`,
                bytes: file.sizeBytes,
                counted: [file],
                data: { path: `/${file.path}`, what: one, layer: layerLabel(facts.layers[origin]) },
              });
            }
            continue;
          }
          for (const [origin, group] of byLayer(files, (f) => facts.originLayer(f.path, f.layer))) {
            const bytes = group.reduce((sum, f) => sum + f.sizeBytes, 0);
            const paths = group.map((f) => `/${f.path}`);
            ctx.report({
              messageId: group.length === 1 ? 'secret' : 'secrets',
              layerIndex: origin,
              // The largest file: the place a reporter shows. The kind, which does not change with sizes, names the
              // finding.
              path: paths[0],
              group: id,
              bytes,
              counted: group,
              data: {
                path: paths[0],
                count: String(group.length),
                what: group.length === 1 ? one : many,
                bytes: bytesText(bytes),
                layer: layerLabel(facts.layers[origin]),
                // By path, the order to go through them in; each fenced on its own (a path may hold a backtick).
                paths: [...paths].sort().map(codeSpan).join(', '),
              },
            });
          }
        }
      },
    };
  },
});
