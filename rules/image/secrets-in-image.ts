// IM009: `.env` files, private keys and credential files in the final image. Anyone who can pull the image can
// read them, even when a later layer deletes them (that case shows up here only while they are visible).
import { defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';
import { SECRET_CLASS_IDS } from '../../src/analysis/junk.js';

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
    },
    sources: [],
  }),
  create(ctx) {
    return {
      end(facts) {
        for (const id of SECRET_CLASS_IDS) {
          const junk = facts.junk.find((j) => j.id === id);
          if (!junk) continue;
          for (const file of junk.top) {
            const origin = facts.originLayer(file.path, file.layer);
            ctx.report({
              messageId: 'secret',
              layerIndex: origin,
              path: `/${file.path}`,
              bytes: file.sizeBytes,
              counted: [file],
              data: {
                path: `/${file.path}`,
                what: id === 'dotenvFiles' ? 'an environment file' : 'a key or credential file',
                layer: layerLabel(facts.layers[origin]),
              },
            });
          }
        }
      },
    };
  },
});
