// IM002: package-manager and build-tool caches in the final image (apt archives, apk, yum/dnf/zypper, pip,
// npm/yarn/pnpm, go/cargo/maven/gradle, ~/.cache), per layer that holds them.
import { bytesText, defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';

const CLASSES: Record<string, string> = {
  aptCache: '/var/cache/apt',
  apkCache: '/var/cache/apk',
  rpmCaches: '/var/cache/{yum,dnf,zypp}',
  pipCache: 'the pip cache',
  jsPackageCaches: 'the npm/yarn/pnpm cache',
  buildToolCaches: 'go/cargo/maven/gradle caches',
  homeCaches: '~/.cache',
};

export const rule = defineImageRule({
  meta: imageMeta({
    code: 'IM002',
    name: 'package-cache-in-image',
    type: 'size',
    summary: 'Clean package-manager caches in the RUN that fills them',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      cache: '{{what}} ({{bytes}}) is left in {{layer}}; {{advice}}.',
    },
    sources: [
      { tool: 'hadolint', id: 'DL3009', relation: 'inspired' },
      { tool: 'hadolint', id: 'DL3042', relation: 'inspired' },
    ],
  }),
  create(ctx) {
    return {
      end(facts) {
        // A file in two classes (pip's cache is also under ~/.cache) is reported once, in the first class.
        const seen = new Map<string, number>();
        for (const [id, what] of Object.entries(CLASSES)) {
          const junk = facts.junk.find((j) => j.id === id);
          if (!junk || junk.bytes <= 0) continue;
          for (const [layer, bytes] of Object.entries(junk.byLayer)) {
            const key = `${layer}`;
            const already = id === 'homeCaches' ? (seen.get(key) ?? 0) : 0;
            const own = bytes - already;
            if (own <= 0) continue;
            if (id !== 'homeCaches') seen.set(key, (seen.get(key) ?? 0) + bytes);
            ctx.report({
              messageId: 'cache',
              layerIndex: Number(layer),
              path: junk.top.find((t) => t.layer === Number(layer))?.path
                ? `/${junk.top.find((t) => t.layer === Number(layer))!.path}`
                : undefined,
              bytes: own,
              data: {
                what,
                bytes: bytesText(own),
                layer: layerLabel(facts.layers[Number(layer)]),
                advice: junk.advice,
              },
            });
          }
        }
      },
    };
  },
});
