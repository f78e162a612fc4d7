// IM001: apt package lists in the final image, reported against the layer (and RUN line) that left them.
import { bytesText, defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';
import { plural } from '../../src/report/figures.js';

export const rule = defineImageRule({
  meta: imageMeta({
    code: 'IM001',
    name: 'apt-lists-in-image',
    type: 'size',
    summary: 'Remove /var/lib/apt/lists in the RUN that runs apt-get update',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      aptLists:
        'apt package lists ({{bytes}}, {{files}}) are left in {{layer}}; add `&& rm -rf /var/lib/apt/lists/*` to the same RUN as `apt-get update`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3009', relation: 'inspired' }],
  }),
  create(ctx) {
    return {
      end(facts) {
        const lists = facts.junk.find((j) => j.id === 'aptLists');
        if (!lists) return;
        const all = facts.junkFiles.aptLists ?? [];
        for (const [layer, bytes] of Object.entries(lists.byLayer)) {
          if (bytes <= 0) continue;
          const view = facts.layers[Number(layer)];
          const files = lists.filesByLayer[Number(layer)] ?? 0;
          ctx.report({
            messageId: 'aptLists',
            layerIndex: Number(layer),
            path: '/var/lib/apt/lists',
            bytes,
            counted: all.filter((f) => f.layer === Number(layer)),
            data: { bytes: bytesText(bytes), files: plural(files, 'file'), layer: layerLabel(view) },
          });
        }
      },
    };
  },
});
