// DF028: COPY or ADD of a file that holds a secret (.env, a private key, .npmrc, .netrc...) into the final image.
import type { Instruction } from '../../src/dockerfile/parse.js';
import { secretClassOf } from '../../src/analysis/junk.js';
import { defineRule, dockerfileMeta } from '../../src/lint/helpers.js';
import { copyArguments } from './copy-multiple-sources-without-slash.js';

const baseName = (path: string): string => path.replace(/[/\\]+$/, '').replace(/^.*[/\\]/, '');

/** Where `source` lands in the image, relative to the root (or to the WORKDIR), without a leading `/` or `./`. */
function landsAt(source: string, destination: string, sources: number): string {
  const name = baseName(source);
  const last = baseName(destination);
  // `COPY id_rsa /root/.ssh` copies into the directory; `COPY server.key /etc/nginx/tls.key` renames the file.
  const intoDirectory =
    sources > 1 || /[/\\]$/.test(destination) || last === '' || last === '.' || (last !== name && !/.\./.test(last));
  const path = intoDirectory ? `${destination.replace(/[/\\]+$/, '')}/${name}` : destination;
  return path.replace(/^(\.?\/)+/, '');
}

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF028',
    name: 'secret-file-copied',
    type: 'problem',
    summary: 'Do not COPY or ADD .env files, private keys or credential files into the image',
    defaultSeverity: 'error',
    fix: 'none',
    messages: {
      copied:
        '{{keyword}} `{{source}}` puts {{what}} into the image at {{path}}: it stays readable in this layer even if a later RUN deletes it; use `RUN --mount=type=secret` at build time or mount it at run time.',
    },
    sources: [],
  }),
  create(ctx) {
    const check = (instruction: Instruction): void => {
      const { sources, destination } = copyArguments(instruction);
      const target = ctx.resolve(destination, instruction);
      for (const written of sources) {
        const source = ctx.resolve(written, instruction);
        // A broad `COPY . .` is about the build context (DF025/DF026); a URL is no file of the context.
        if (source.includes('://') || source.startsWith('<<') || /(^|[/\\])\.{0,2}[/\\]?$/.test(source)) continue;
        // The source must be named as a secret (not `COPY .env.example .env`), and where it lands must count as one
        // (a certificate `COPY ca.pem /etc/ssl/certs/` is public).
        const path = landsAt(source, target, sources.length);
        const named = secretClassOf(baseName(source));
        const landed = secretClassOf(path);
        if (!named || !landed) continue;
        const at = destination.startsWith('/') ? `/${path}` : path;
        // Only a file that reaches the final image: its stage ships whole (the last stage, a stage it is built FROM, one
        // copied `COPY --from=build / /`), or a later stage copies this path from it. A relative landing place is known
        // only in a stage that ships whole.
        if (!ctx.ships(instruction, ...(at.startsWith('/') ? [at] : []))) continue;
        ctx.report({
          messageId: 'copied',
          data: {
            keyword: instruction.keyword,
            source: written,
            what: named.id === 'dotenvFiles' ? 'an environment file' : 'a key or credential file',
            path: at,
          },
          at: instruction,
        });
        return;
      }
    };
    return { COPY: check, ADD: check };
  },
});
