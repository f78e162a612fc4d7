// DF018: ADD of a remote URL: re-downloaded without cache awareness, and a downloaded archive is kept as is.
import type { Instruction } from '../../src/dockerfile/parse.js';
import { isWindowsImage, rootStage, substitute } from '../../src/dockerfile/stages.js';
import type { DockerfileContext } from '../../src/report/rule.js';
import { copySources, defineRule, dockerfileMeta, gitSource, type GitSource } from '../../src/lint/helpers.js';

const URL = /^(https?|ftp):\/\//;
// BuildKit clones a git source (gitSource) at the ref after `#`, with an optional `:<subdir>`. `--checksum=sha256:` is
// for downloaded files; what pins a clone is a full commit sha as its ref (sha-1 or sha-256), as a branch or tag can be
// moved to another commit. Only a full sha is fetched as a commit: any other ref is looked up among the repository's
// branches and tags, so an abbreviated sha does not pin (nor, unless a ref has its name, build).
const COMMIT = /^([0-9a-f]{40}|[0-9a-f]{64})$/i;
// An abbreviated sha as git prints them (7 digits or more), with a letter: an all-digit ref such as `20240105` reads
// more likely as a date tag, which the plain advice fits.
const SHORT_COMMIT = /^(?=[0-9]*[a-f])[0-9a-f]{7,63}$/i;
// A fragment's ref and subdir: the first `:` outside `${...}` ends the ref (`${REF:-main}:docs`).
const FRAGMENT = /^((?:\$\{[^}]*\}|[^:])*)(?::(.*))?$/s;
// Case aside: a release can be named TOOL.TAR.GZ or tool.Tgz.
const ARCHIVE = /\.(tar|tgz|tar\.gz|tar\.bz2|tbz2?|tar\.xz|txz|zip|tar\.zst|tzst|tar\.lz|tar\.lzma)$/i;
// `$NAME` and `${NAME...}` as written in the URL: a build arg (or a variable set from one) can name another file per
// build, and BuildKit's TARGETARCH and kin another file per platform in one multi-platform build, while `--checksum`
// takes one value. A version's checksum can change with it (an ARG in `--checksum`); a platform's cannot. Any other
// variable (a host, a mirror) may or may not change the file, so its advice does not speak of versions.
const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;
// `$URL`, `${URL}`, `${URL:-default}`: one variable and nothing else.
const WHOLE_VARIABLE = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*(?:[:?+-][^}]*)?\})$/;
const PLATFORM_VARIABLE = /^(TARGET|BUILD)(PLATFORM|OS|ARCH|VARIANT)$/;
// A word of a variable's name that says it holds a version: NODE_VERSION, GO_VER, TINI_RELEASE, IMAGE_TAG, GOVERSION.
const VERSION_WORD = /^(\w*VERSION|VER|V|RELEASE|TAG|REVISION|REV)$/i;
// The command that unpacks each kind of archive from a file (FILE): `tar -z` reads only gzip. GNU tar has no short flag
// for zstd, lzip or lzma.
const UNPACK: readonly [RegExp, string][] = [
  [/\.(tar\.gz|tgz)$/i, 'tar -xzf FILE -C ...'],
  [/\.(tar\.xz|txz)$/i, 'tar -xJf FILE -C ...'],
  [/\.(tar\.bz2|tbz2?)$/i, 'tar -xjf FILE -C ...'],
  [/\.(tar\.zst|tzst)$/i, 'tar --zstd -xf FILE -C ...'],
  [/\.tar\.lz$/i, 'tar --lzip -xf FILE -C ...'],
  [/\.tar\.lzma$/i, 'tar --lzma -xf FILE -C ...'],
  [/\.zip$/i, 'unzip -q FILE -d ...'],
  [/\.tar$/i, 'tar -xf FILE -C ...'],
];
// The archives that Windows' own tar.exe (bsdtar, with zlib only in the builds of Windows Server 2019 and 2022) unpacks.
const WINDOWS_TAR = /\.(zip|tar|tar\.gz|tgz)$/i;
// A file name that can be written into a mount's paths as is: no variable, quote or comma.
const PLAIN_NAME = /^[\w.+-]+$/;

export const rule = defineRule({
  meta: dockerfileMeta({
    code: 'DF018',
    name: 'add-remote-url',
    type: 'size',
    summary: 'Unpack a remote archive from a bind mount instead of keeping it in a layer, and pin remote ADDs',
    defaultSeverity: 'info',
    fix: 'none',
    messages: {
      gitRef:
        'ADD `{{url}}` clones a git repository at {{ref}}, which can be moved to another commit: pin the commit with `{{pinned}}`.',
      gitShortSha:
        'ADD `{{url}}` clones a git repository at `{{ref}}`, which looks like a short commit sha, but only a full one is fetched as a commit: pin it with `{{pinned}}`.',
      gitVariableRef:
        'ADD `{{url}}` clones a git repository at the ref that `{{variable}}` holds, which pins the commit only when it is a full commit sha (a branch or tag can be moved).',
      gitSha256Checksum:
        'ADD `{{url}}` clones a git repository, which `--checksum=sha256:...` cannot pin: that checksum is for downloaded files, and BuildKit refuses it for a git source; pin the commit with `{{pinned}}` (or `--checksum=<full commit sha>`).',
      gitValueRef:
        'ADD `{{url}}` clones a git repository at a ref made from {{values}}, a branch or tag that can be moved to another commit: pin it with its full commit sha, kept beside {{those}}.',
      archiveWindows:
        'ADD `{{url}}` stores the downloaded archive in a layer without unpacking it (ADD only unpacks local archives); to keep only the extracted files, download, unpack and delete it in one RUN{{example}}.',
      archive:
        'ADD `{{url}}` stores the downloaded archive in a layer without unpacking it (ADD only unpacks local archives); to keep only the extracted files, with no download tool in the image, ADD it with `--checksum=sha256:...` to `/{{file}}` in a stage `FROM scratch AS download` and unpack it with `RUN --mount=type=bind,from=download,source=/{{file}},target=/tmp/{{file}} {{unpack}}` (or, with curl installed, `RUN curl -fsSLo /tmp/{{file}} {{shellUrl}} && {{unpack}} && rm /tmp/{{file}}`).',
      unpinned:
        'ADD `{{url}}` downloads a file with no checksum: the layer changes whenever the remote file does; add `--checksum=sha256:...` or download with RUN and verify.',
      unpinnedWindows:
        'ADD `{{url}}` downloads a file with no checksum: the layer changes whenever the remote file does; download it in a RUN and compare its SHA-256 there{{verify}}.',
      variableUrl:
        'ADD `{{url}}` downloads a file with no checksum, and {{variables}} in its URL can name another file per platform or build: one `--checksum` cannot match them all; download with RUN and verify the checksum for each value.',
      versionUrl:
        'ADD `{{url}}` downloads a file with no checksum: `{{variable}}` in its URL picks one file per build, so set its checksum in an ARG beside it (`ARG {{checksumArg}}=...`, changed with the version) and add `--checksum=sha256:${{{checksumArg}}}`.',
      versionUrlWindows:
        'ADD `{{url}}` downloads a file with no checksum: `{{variable}}` in its URL picks one file per build, so set its checksum in an ARG beside it (`ARG {{checksumArg}}=...`, changed with the version), download the file in a RUN and compare its SHA-256 with that ARG there{{verify}}.',
      wholeUrl:
        'ADD `{{url}}` downloads a file with no checksum, and the value of `{{variable}}` decides which file: pin it with `--checksum=sha256:...` and keep the checksum beside that value, or download with RUN and verify.',
      wholeUrlWindows:
        'ADD `{{url}}` downloads a file with no checksum, and the value of `{{variable}}` decides which file: keep its checksum beside that value, download the file in a RUN and compare its SHA-256 there{{verify}}.',
      valueUrl:
        'ADD `{{url}}` downloads a file with no checksum, and the file can differ with {{values}} in its URL: pin it with `--checksum=sha256:...` and keep the checksum beside {{those}}, or download with RUN and verify.',
      valueUrlWindows:
        'ADD `{{url}}` downloads a file with no checksum, and the file can differ with {{values}} in its URL: keep its checksum beside {{those}}, download the file in a RUN and compare its SHA-256 there{{verify}}.',
    },
    sources: [{ tool: 'hadolint', id: 'DL3020', relation: 'inspired' }],
  }),
  create(ctx) {
    return {
      ADD(instruction) {
        for (const written of copySources(instruction).sources) {
          const source = ctx.resolve(written, instruction);
          const git = gitSource(source);
          if (git !== undefined) {
            const checksum = instruction.flags.checksum;
            // `--checksum=<full commit sha>` pins a clone; a `sha256:` one is for downloads, and BuildKit refuses it
            // for a git source, so the build fails on it rather than being pinned.
            const finding = /^sha256:/i.test(checksum ?? '')
              ? checksumFinding(git, source)
              : checksum === undefined
                ? gitFinding(git, source, written)
                : undefined;
            if (finding !== undefined) ctx.report({ ...finding, at: instruction });
            return;
          }
          if (!URL.test(source)) continue;
          const path = source.replace(/[?#].*$/, '');
          if (ARCHIVE.test(path) && !unpacks(instruction) && storedInImage(ctx, instruction)) {
            const written = path.slice(path.lastIndexOf('/') + 1);
            const file = PLAIN_NAME.test(written) ? written : `archive${ARCHIVE.exec(path)![0]}`;
            // The Linux advice (a `FROM scratch` stage, `RUN --mount`, unzip, /tmp, a POSIX shell) does not build on
            // Windows, where scratch is no base and the classic builder has no mounts.
            if (onWindows(ctx, instruction)) {
              ctx.report({
                messageId: 'archiveWindows',
                data: { url: source, example: windowsExample(ctx, instruction, source, path, file) },
                at: instruction,
              });
              return;
            }
            ctx.report({
              messageId: 'archive',
              data: { url: source, shellUrl: shellWord(source), file, unpack: unpack(path, file) },
              at: instruction,
            });
          } else if (!('checksum' in instruction.flags)) {
            const variables = urlVariables(written);
            const [first] = variables;
            // `--checksum` needs BuildKit; the classic builder that Windows images are mostly built with does not
            // verify it, so there the advice is the check in a RUN (PowerShell's Get-FileHash, as Microsoft's images do).
            const windows = onWindows(ctx, instruction);
            const verify = (expected: string): string => windowsVerify(path, expected, nanoserver(ctx, instruction));
            if (first === undefined)
              ctx.report(
                windows
                  ? {
                      messageId: 'unpinnedWindows',
                      data: { url: source, verify: verify("'<sha256>'") },
                      at: instruction,
                    }
                  : { messageId: 'unpinned', data: { url: source }, at: instruction },
              );
            else if (PLATFORM_VARIABLE.test(first))
              ctx.report({
                messageId: 'variableUrl',
                data: { url: written, variables: list(variables) },
                at: instruction,
              });
            // A variable that is the whole URL is not a part of it that may or may not change the file: it names the file.
            else if (WHOLE_VARIABLE.test(written))
              ctx.report(
                windows
                  ? {
                      messageId: 'wholeUrlWindows',
                      data: { url: written, variable: first, verify: verify("'<sha256>'") },
                      at: instruction,
                    }
                  : { messageId: 'wholeUrl', data: { url: written, variable: first }, at: instruction },
              );
            // One version names one checksum ARG to change with it. With more variables the checksum depends on
            // all of their values, so the advice stays neutral rather than tie it to one of them.
            else if (variables.length === 1 && isVersion(first)) {
              const arg = checksumArg(first);
              ctx.report(
                windows
                  ? {
                      messageId: 'versionUrlWindows',
                      data: { url: written, variable: first, checksumArg: arg, verify: verify(`$env:${arg}`) },
                      at: instruction,
                    }
                  : {
                      messageId: 'versionUrl',
                      data: { url: written, variable: first, checksumArg: arg },
                      at: instruction,
                    },
              );
            } else
              ctx.report(
                windows
                  ? {
                      messageId: 'valueUrlWindows',
                      data: { url: written, ...valuesOf(variables), verify: verify("'<sha256>'") },
                      at: instruction,
                    }
                  : { messageId: 'valueUrl', data: { url: written, ...valuesOf(variables) }, at: instruction },
              );
          }
          return;
        }
      },
    };
  },
});

/** The variables of a URL as written, each once, platform ones first (the ones most sure to vary). */
function urlVariables(url: string): string[] {
  const names = [...new Set([...url.matchAll(VARIABLE)].map((m) => m[1] ?? m[2]))];
  return [...names.filter((name) => PLATFORM_VARIABLE.test(name)), ...names.filter((n) => !PLATFORM_VARIABLE.test(n))];
}

/** `A`, `A` and `B`, `A`, `B` and `C`. */
function list(names: string[]): string {
  const quoted = names.map((name) => `\`${name}\``);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}` : quoted[0];
}

/** How a message names the value(s) of variables in a URL or ref, and refers back to them ("that value"). */
function valuesOf(variables: string[]): { values: string; those: string } {
  return variables.length > 1
    ? { values: `the values of ${list(variables)}`, those: 'those values' }
    : { values: `the value of ${list(variables)}`, those: 'that value' };
}

/** Whether a variable's name says it holds a version (a word of it, split at `_`). */
function isVersion(variable: string): boolean {
  return variable.split('_').some((word) => VERSION_WORD.test(word));
}

/** The name for the ARG holding the checksum of the file `variable` picks: TINI_VERSION's is TINI_SHA256. */
function checksumArg(variable: string): string {
  const words = variable.split('_');
  const last = words[words.length - 1];
  const sha = last === last.toLowerCase() ? 'sha256' : 'SHA256';
  // Only a last word that names the version is replaced; VERSION_NODE keeps its name, which says what it versions.
  if (!VERSION_WORD.test(last)) return `${variable}_${sha}`;
  const word = /VERSION$/i.test(last) ? last.slice(0, -'VERSION'.length) + sha : sha;
  return [...words.slice(0, -1), word].join('_');
}

/**
 * Whether the ADD unpacks a remote archive itself: `ADD --unpack` (Dockerfile 1.17) does, and a bare flag is true, as
 * the builder reads a boolean flag.
 */
function unpacks(add: Instruction): boolean {
  const value = add.flags.unpack;
  return value !== undefined && /^(|1|t|true)$/i.test(value);
}

/**
 * The URL as one shell word in the advised RUN: a pre-signed URL's `&` would send curl to the background and its `?`
 * is a glob. Double quotes keep a `${VERSION}` in it expanding.
 */
function shellWord(url: string): string {
  return /^[\w@%+=:,./~${}-]+$/.test(url) ? url : `"${url.replace(/(["\\`])/g, '\\$1')}"`;
}

/** Whether the instruction's stage is built on a Windows image (through the stages it is built FROM). */
function onWindows(ctx: DockerfileContext, instruction: Instruction): boolean {
  const root = ctx.parsed.stages[rootStage(ctx.stages, instruction.stageIndex)];
  return root !== undefined && isWindowsImage(substitute(root.baseImage, ctx.stages.globalArgs));
}

/**
 * A cmd line that downloads, unpacks and deletes the archive with the curl.exe and tar.exe that Windows Server 2019 and
 * later images ship, or '' when one would not be right: another SHELL is in effect (Windows PowerShell 5.1 has no
 * `&&`), tar.exe may not read the format, or the URL holds a variable or a character cmd reads (`%`, `^`, `"`).
 * A URL with `&` or `?` is double-quoted for cmd.
 */
function windowsExample(
  ctx: DockerfileContext,
  instruction: Instruction,
  url: string,
  path: string,
  file: string,
): string {
  if (ctx.stages.shellAt[instruction.index] !== undefined || !WINDOWS_TAR.test(path) || /[$%^"]/.test(url)) return '';
  const word = /^[\w@+=:,./~-]+$/.test(url) ? url : `"${url}"`;
  const local = `C:\\${file}`;
  return `, with cmd and the curl.exe and tar.exe of Windows Server 2019 and later: \`RUN curl.exe -fsSLo ${local} ${word} && tar.exe -xf ${local} -C ... && del ${local}\``;
}

/**
 * The PowerShell check of a download's SHA-256 against `expected` (a quoted placeholder or `$env:ARG`; Get-FileHash
 * hashes with SHA-256 by default, and `-ne` compares its upper-case hex without case), and why not `ADD --checksum`:
 * it needs BuildKit, which Windows images are mostly built without. The file keeps the URL's name when that is plain.
 */
function windowsVerify(path: string, expected: string, nano: boolean): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const file = `C:\\${PLAIN_NAME.test(name) ? name : 'download'}`;
  // Nano Server images have no Windows PowerShell: the check runs in a Server Core stage the file is copied from.
  const where = nano ? 'in a servercore stage, as Nano Server has no PowerShell, then COPY --from it; ' : '';
  return ` (${where}in PowerShell: \`if ((Get-FileHash ${file}).Hash -ne ${expected}) { exit 1 }\`): \`ADD --checksum\` needs BuildKit, and Windows images are mostly built with the classic builder`;
}

/** Whether the instruction's stage is built on a Nano Server image (through the stages it is built FROM). */
function nanoserver(ctx: DockerfileContext, instruction: Instruction): boolean {
  const root = ctx.parsed.stages[rootStage(ctx.stages, instruction.stageIndex)];
  const image = root === undefined ? '' : substitute(root.baseImage, ctx.stages.globalArgs);
  // mcr.microsoft.com/powershell:nanoserver-* has PowerShell 7, whose Get-FileHash is the same.
  return /nanoserver/i.test(image) && !/(^|\/)powershell[:@]/i.test(image);
}

/** The command that unpacks the archive at `path` (the URL without its query) from `/tmp/<file>`. */
function unpack(path: string, file: string): string {
  return (UNPACK.find(([extension]) => extension.test(path)) ?? UNPACK[0])[1].replace('FILE', `/tmp/${file}`);
}

/**
 * Whether an ADD's layer can end up in the final image: its stage ships whole (the final stage, a stage it is built
 * FROM, one copied `/` of), or a `COPY --from` in a stage that reaches the final image takes from it or a stage built on
 * it. A stage only bind-mounted (`RUN --mount=type=bind,from=`) lends its files to a RUN without storing them in a layer:
 * that is the advised way to unpack a downloaded archive.
 */
function storedInImage(ctx: DockerfileContext, add: Instruction): boolean {
  if (ctx.ships(add)) return true;
  const stage = add.stageIndex;
  return ctx.parsed.instructions.some((copy) => {
    if (copy.keyword !== 'COPY' || copy.flags.from === undefined || !ctx.inFinalImage(copy)) return false;
    for (
      let from = ctx.stages.stageByRef(ctx.resolve(copy.flags.from, copy), copy.stageIndex);
      from !== undefined;
      from = ctx.stages.baseStage[from]
    )
      if (from === stage) return true;
    return false;
  });
}

/**
 * What to say of a git source (`source`, as `written`) cloned without `--checksum`: nothing when its ref is a full
 * commit sha, also as a variable's value. A ref made from variables is spoken of as written: a literal in its place
 * would pin one value of a ref the build chooses.
 */
function gitFinding(
  git: GitSource,
  source: string,
  written: string,
):
  | { messageId: 'gitRef' | 'gitShortSha'; data: { url: string; ref: string; pinned: string } }
  | { messageId: 'gitVariableRef'; data: { url: string; variable: string } }
  | { messageId: 'gitValueRef'; data: { url: string; values: string; those: string } }
  | undefined {
  const read = gitRef(git, written);
  if (read === undefined) return undefined;
  const { ref, writtenRef, pinned } = read;
  if (COMMIT.test(ref)) return undefined;
  const variables = urlVariables(writtenRef);
  if (variables.length === 1 && WHOLE_VARIABLE.test(writtenRef))
    return { messageId: 'gitVariableRef', data: { url: written, variable: variables[0] } };
  if (variables.length > 0) return { messageId: 'gitValueRef', data: { url: written, ...valuesOf(variables) } };
  if (SHORT_COMMIT.test(ref)) return { messageId: 'gitShortSha', data: { url: source, ref, pinned } };
  return {
    messageId: 'gitRef',
    data: { url: source, ref: ref === '' ? 'its default branch' : `the ref \`${ref}\``, pinned },
  };
}

/** What to say of a git source given `--checksum=sha256:...`: the commit pin that would pin it, when its ref is read. */
function checksumFinding(
  git: GitSource,
  source: string,
): { messageId: 'gitSha256Checksum'; data: { url: string; pinned: string } } {
  return {
    messageId: 'gitSha256Checksum',
    data: { url: source, pinned: gitRef(git, source)?.pinned ?? `${git.repository}#<full commit sha>` },
  };
}

// The query keys of BuildKit's query form of a git source (`https://host/r.git?ref=v1&subdir=docs`). A `checksum` there
// is the commit the clone must be at: a full sha pins it, as a full sha as the ref does.
const GIT_QUERY_KEYS = new Set(['ref', 'tag', 'branch', 'checksum', 'subdir', 'keep-git-dir', 'submodules']);

/**
 * The ref a git source is cloned at (`ref`, '' for the default branch), as written (`writtenRef`, for its variables),
 * and the source pinned to a full commit sha, keeping its subdir: from the fragment (`#<ref>[:<subdir>]`), or from
 * BuildKit's query form (`?ref=<ref>`, `?tag=`, `?branch=`, with `&subdir=`), where a full commit sha as `checksum=`
 * pins whatever the ref says (its ref is then read as that sha). Undefined for a query with a key it does not know, or
 * both a query and a fragment: no advice rather than wrong advice.
 */
function gitRef(git: GitSource, written: string): { ref: string; writtenRef: string; pinned: string } | undefined {
  const query = git.repository.indexOf('?');
  if (query < 0) {
    const [, ref, subdir] = FRAGMENT.exec(git.fragment ?? '')!;
    const hash = written.indexOf('#');
    const writtenRef = hash < 0 ? '' : FRAGMENT.exec(written.slice(hash + 1))![1];
    return {
      ref,
      writtenRef,
      pinned: `${git.repository}#<full commit sha>${subdir === undefined ? '' : `:${subdir}`}`,
    };
  }
  if (git.fragment !== undefined) return undefined;
  const params = [...new URLSearchParams(git.repository.slice(query + 1))];
  if (params.some(([key]) => !GIT_QUERY_KEYS.has(key))) return undefined;
  const value = (...keys: string[]) => params.find(([key]) => keys.includes(key))?.[1];
  const checksum = value('checksum');
  const ref = checksum !== undefined && COMMIT.test(checksum) ? checksum : (value('ref', 'tag', 'branch') ?? '');
  const writtenQuery = written.slice(written.indexOf('?') + 1).split('#')[0];
  const writtenRef = /(?:^|&)(?:ref|tag|branch)=([^&]*)/.exec(writtenQuery)?.[1] ?? '';
  const kept = params.filter(([key]) => !['ref', 'tag', 'branch', 'checksum'].includes(key));
  const pinned = `${git.repository.slice(0, query)}?${['ref=<full commit sha>', ...kept.map(([k, v]) => `${k}=${v}`)].join('&')}`;
  return { ref, writtenRef, pinned };
}
