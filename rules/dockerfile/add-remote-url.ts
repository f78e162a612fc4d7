// DF018: ADD of a remote URL: re-downloaded without cache awareness, and a downloaded archive is kept as is.
import { copySources, defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

const URL = /^(https?|ftp):\/\//;
const ARCHIVE = /\.(tar|tgz|tar\.gz|tar\.bz2|tbz2?|tar\.xz|txz|zip|tar\.zst)$/;

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF018',
    name: 'add-remote-url',
    type: 'size',
    summary: 'Download with RUN curl and unpack in the same step instead of ADD <url>',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      archive:
        'ADD `{{url}}` stores the downloaded archive in a layer without unpacking it (ADD only unpacks local archives); `RUN curl -fsSL {{url}} | tar -xz -C ...` keeps only the extracted files.',
      unpinned:
        'ADD `{{url}}` downloads a file with no checksum: the layer changes whenever the remote file does; add `--checksum=sha256:...` or download with RUN and verify.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3020', relation: 'inspired' }],
  }),
  create(ctx) {
    return {
      ADD(instruction) {
        for (const source of copySources(instruction).sources.map((s) => ctx.resolve(s, instruction))) {
          if (!URL.test(source)) continue;
          if (ARCHIVE.test(source.replace(/[?#].*$/, '')) && ctx.inFinalImage(instruction))
            ctx.report({ messageId: 'archive', data: { url: source }, at: instruction });
          else if (!('checksum' in instruction.flags))
            ctx.report({ messageId: 'unpinned', data: { url: source }, at: instruction });
          return;
        }
      },
    };
  },
});
