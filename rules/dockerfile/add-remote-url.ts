// DF018: ADD of a remote URL: re-downloaded without cache awareness, and a downloaded archive is kept as is.
import { copySources, defineRule, dockerfileMeta } from '../../src/lint/helpers.js';

const URL = /^(https?|ftp):\/\//;
const ARCHIVE = /\.(tar|tgz|tar\.gz|tar\.bz2|tbz2?|tar\.xz|txz|zip|tar\.zst)$/;
// `$NAME` and `${NAME...}` as written in the URL: a build arg (or a variable set from one) can name another file per
// build, and BuildKit's TARGETARCH and kin another file per platform in one multi-platform build, while `--checksum`
// takes one value. A version's checksum can change with it (an ARG in `--checksum`); a platform's cannot.
const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;
const PLATFORM_VARIABLE = /^(TARGET|BUILD)(PLATFORM|OS|ARCH|VARIANT)$/;
// The command that unpacks each kind of archive from a pipe: `tar -z` reads only gzip, and unzip cannot read a pipe, so
// a zip is saved first. GNU tar has no short flag for zstd.
const UNPACK: readonly [RegExp, (url: string) => string][] = [
  [/\.(tar\.gz|tgz)$/, (url) => `curl -fsSL ${url} | tar -xz -C ...`],
  [/\.(tar\.xz|txz)$/, (url) => `curl -fsSL ${url} | tar -xJ -C ...`],
  [/\.(tar\.bz2|tbz2?)$/, (url) => `curl -fsSL ${url} | tar -xj -C ...`],
  [/\.tar\.zst$/, (url) => `curl -fsSL ${url} | tar --zstd -x -C ...`],
  [/\.zip$/, (url) => `curl -fsSLo /tmp/archive.zip ${url} && unzip -q /tmp/archive.zip -d ... && rm /tmp/archive.zip`],
  [/\.tar$/, (url) => `curl -fsSL ${url} | tar -x -C ...`],
];

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
        'ADD `{{url}}` stores the downloaded archive in a layer without unpacking it (ADD only unpacks local archives); `RUN {{command}}` keeps only the extracted files.',
      unpinned:
        'ADD `{{url}}` downloads a file with no checksum: the layer changes whenever the remote file does; add `--checksum=sha256:...` or download with RUN and verify.',
      variableUrl:
        'ADD `{{url}}` downloads a file with no checksum, and `{{variable}}` in its URL can name another file per platform or build: one `--checksum` cannot match them all; download with RUN and verify the checksum for each value.',
      versionUrl:
        'ADD `{{url}}` downloads a file with no checksum: `{{variable}}` in its URL picks one file per build, so set its checksum in an ARG beside it (`ARG {{checksumArg}}=...`, changed with the version) and add `--checksum=sha256:${{{checksumArg}}}`.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3020', relation: 'inspired' }],
  }),
  create(ctx) {
    return {
      ADD(instruction) {
        for (const written of copySources(instruction).sources) {
          const source = ctx.resolve(written, instruction);
          if (!URL.test(source)) continue;
          const path = source.replace(/[?#].*$/, '');
          if (ARCHIVE.test(path) && ctx.inFinalImage(instruction))
            ctx.report({ messageId: 'archive', data: { url: source, command: unpack(path, source) }, at: instruction });
          else if (!('checksum' in instruction.flags)) {
            const variable = varyingVariable(written);
            if (variable && PLATFORM_VARIABLE.test(variable))
              ctx.report({ messageId: 'variableUrl', data: { url: written, variable }, at: instruction });
            else if (variable)
              ctx.report({
                messageId: 'versionUrl',
                data: { url: written, variable, checksumArg: checksumArg(variable) },
                at: instruction,
              });
            else ctx.report({ messageId: 'unpinned', data: { url: source }, at: instruction });
          }
          return;
        }
      },
    };
  },
});

/** The variable of a URL as written that can vary, a platform one first (the one most sure to vary). */
function varyingVariable(url: string): string | undefined {
  const names = [...url.matchAll(VARIABLE)].map((m) => m[1] ?? m[2]);
  return names.find((name) => PLATFORM_VARIABLE.test(name)) ?? names[0];
}

/** The name for the ARG holding the checksum of the file `variable` picks: TINI_VERSION's is TINI_SHA256. */
function checksumArg(variable: string): string {
  return /(^|_)VERSION$/.test(variable) ? variable.replace(/VERSION$/, 'SHA256') : `${variable}_SHA256`;
}

/** The RUN command that downloads and unpacks the archive at `path` (the URL without its query). */
function unpack(path: string, url: string): string {
  return (UNPACK.find(([extension]) => extension.test(path)) ?? UNPACK[0])[1](url);
}
