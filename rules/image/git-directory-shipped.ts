// IM006: a `.git` directory in the image (usually `COPY . /app` without a .dockerignore). Reported against the
// layer that first brought it in, counting every copy (a later chown -R duplicates it).
import { bytesText, defineImageRule, imageMeta, layerLabel } from '../../src/analysis/image-rules.js';

const isGit = (p: string) => `/${p}`.includes('/.git/') || p.startsWith('.git/');

export const rule = defineImageRule({
  meta: imageMeta({
    code: 'IM006',
    name: 'git-directory-shipped',
    type: 'size',
    summary: 'Keep .git out of the build context with .dockerignore',
    defaultSeverity: 'warning',
    fix: 'none',
    messages: {
      git: '.git ({{bytes}} in {{copies}}) is shipped, brought in by {{layer}}; add `.git` to .dockerignore.',
    },
    sources: [],
  }),
  create(ctx) {
    return {
      end(facts) {
        const git = facts.junk.find((j) => j.id === 'gitDirs');
        if (!git || git.files === 0) return;
        const copies = facts.wastedFiles.filter((w) => isGit(w.path));
        // The layers holding its files, empty ones too (byLayer has only those holding bytes).
        const layers = new Set<number>([...Object.keys(git.filesByLayer).map(Number), ...copies.map((c) => c.layer)]);
        const first = Math.min(...layers);
        const bytes = git.bytes + copies.reduce((s, c) => s + c.sizeBytes, 0);
        // A .git whose files are all empty has none among the largest: named by a file of it in its first layer.
        const top = git.top[0]?.path ?? git.pathByLayer[first] ?? copies[0]?.path ?? '.git/';
        const root = top.slice(0, top.indexOf('.git/') + 4);
        ctx.report({
          messageId: 'git',
          layerIndex: first,
          path: `/${root}`,
          bytes,
          counted: [...(facts.junkFiles.gitDirs ?? []), ...copies],
          data: {
            bytes: bytesText(bytes),
            copies: layers.size === 1 ? '1 layer' : `${layers.size} layers`,
            layer: layerLabel(facts.layers[first]),
          },
        });
      },
    };
  },
});
