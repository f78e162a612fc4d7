// Why a path named as an image cannot be read, told as `ls` would show it: a folder on the way refused or not a folder,
// a name or path too long, a symlink loop or a dangling link, or `-`. resolve.ts asks; nothing else needs these.
import { readlink, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { BallastError, isPermissionDenied, READ_PERMISSION_HINT, SourceError, UsageError } from '../errors.js';
import { shellQuote } from '../shell-quote.js';

/**
 * Why `path`, which resolve.ts's pathKind found nothing at, cannot be reached: a folder on the way this user may not
 * open, a file standing where a folder is named, or a path longer than the kernel takes. "does not exist" would be
 * contradicted by `ls` in each case. Anything else (ENOENT) is missing.
 */
export async function unreachable(path: string): Promise<BallastError> {
  const code = await stat(path).then(
    () => undefined,
    (error: NodeJS.ErrnoException) => error.code,
  );
  if (code === 'ENAMETOOLONG') {
    // Linux: NAME_MAX 255 bytes a name, PATH_MAX 4096 with the NUL.
    const longest = Math.max(...path.split('/').map((name) => Buffer.byteLength(name)));
    if (longest > 255)
      return new UsageError(`a name in the path is too long (${longest} bytes)`, {
        code: 'path-too-long',
        hint: 'a name in a path may be at most 255 bytes long',
      });
    return new UsageError(`the path is too long (${Buffer.byteLength(path)} bytes)`, {
      code: 'path-too-long',
      hint: 'a path may be at most 4095 bytes long',
    });
  }
  if (code === 'ENOTDIR' || isPermissionDenied(code)) {
    // The path and the folders on the way, as typed, stat'ed in turn: the first one refused is in the folder last
    // reached (its own mode is not asked to stat it); the first one that is no folder is the file in the way.
    const prefixes = [...path.matchAll(/[^/]\/+/g)].map((match) => path.slice(0, match.index + 1));
    let reached = path.startsWith('/') ? '/' : '.';
    for (const prefix of [...prefixes, path]) {
      const info = await stat(prefix).catch((error: NodeJS.ErrnoException) => error);
      if (info instanceof Error) {
        if (!isPermissionDenied(info.code)) break;
        return new SourceError(`cannot read ${path}: permission denied on ${reached}`, {
          code: 'permission-denied',
          hint: `run ballast as a user who may open ${shellQuote(reached)}, or let others in: chmod a+x ${shellQuote(reached)}`,
        });
      }
      if (!info.isDirectory()) {
        const archive = info.isFile()
          ? `; an image inside an archive is named ${shellQuote(prefix)}:NAME:TAG or ${shellQuote(prefix)}@N`
          : '';
        return new UsageError(`${prefix} is not a folder, so ${path} cannot be inside it`, {
          code: 'not-a-folder',
          hint: `check the path${archive}`,
        });
      }
      reached = prefix;
    }
    // Through a symlink the folder refused is not one typed; the file itself may be what is refused.
    if (isPermissionDenied(code))
      return new SourceError(`cannot read ${path}: permission denied`, {
        code: 'permission-denied',
        hint: READ_PERMISSION_HINT,
      });
  }
  return new UsageError(`${path} does not exist`, { code: 'not-found', hint: 'check the path' });
}

export type BadLink = 'loop' | 'dangling';

/**
 * Why the symlink at `path` leads to no file, with the links followed from it: `ls -l` shows the link there, so "does
 * not exist" would be contradicted. Each link is shown resolved, as the kernel follows it (relative to its folder).
 */
export async function badLinkError(path: string, kind: BadLink): Promise<UsageError> {
  const chain = [path];
  let current = resolve(path);
  const seen = new Set([current]);
  // Linux gives up after 40 links; a loop shows within them.
  for (let hop = 0; hop < 40; hop++) {
    const target = await readlink(current).catch(() => undefined);
    if (target === undefined) break;
    current = resolve(dirname(current), target);
    chain.push(current);
    if (seen.has(current)) break;
    seen.add(current);
  }
  if (kind === 'loop') {
    // The loop may be in a folder on the way (`loop/image.tar`), which readlink does not follow.
    const what =
      chain.length > 1 ? `is a symlink loop (ELOOP): ${chain.join(' -> ')}` : 'is behind a symlink loop (ELOOP)';
    return new UsageError(`${path} ${what}`, {
      code: 'symlink-loop',
      hint: 'point one of the links at an image',
    });
  }
  const missing = chain[chain.length - 1];
  return new UsageError(`${path} is a symlink to a missing target, ${missing}`, {
    code: 'dangling-symlink',
    hint: `make ${missing}, or point the link at an image`,
  });
}

/**
 * `ballast COMMAND IMAGE < FILE`, reading the image from standard input, as hints show it: `diff` takes two images and
 * `lint` its image as --image, so the `ballast COMMAND /dev/stdin` of the other commands would not run under them;
 * an image named by `flag` (`--base`) is read by that flag.
 */
export function stdinCommandLine(command: string, image: string, redirect = true, flag?: string): string {
  // An image a flag names (`analyze app.tar --base -`) is read from standard input by that flag, beside the IMAGE.
  if (flag) {
    const line = `ballast ${command} app.tar ${flag} ${image}`;
    return redirect ? `${line} < ${flag.replace(/^-+/, '')}.tar` : line;
  }
  const line =
    command === 'diff'
      ? `ballast diff ${image} new.tar`
      : command === 'lint'
        ? `ballast lint --image ${image} Dockerfile`
        : `ballast ${command} ${image}`;
  return redirect ? `${line} < ${command === 'diff' ? 'old.tar' : 'image.tar'}` : line;
}

/**
 * `-` reads standard input for `lint`, so it is tried for an image too. An image is read from a file ballast can seek
 * in (see checkLocal in resolve.ts): a file redirected to standard input is one, a pipe is not.
 */
export function refuseStandardInput(path: string, transport = '', command = 'analyze', flag?: string): void {
  if (path.trim() !== '-') return;
  // An OCI layout is a directory, which standard input cannot be: its archive can.
  const example = transport === 'oci:' ? 'oci-archive:' : transport;
  throw new UsageError(`an image cannot be read from ${transport}- (standard input)`, {
    code: 'stdin-image',
    hint: `redirect a file to standard input and name it /dev/stdin: \`${stdinCommandLine(command, `${example}/dev/stdin`, true, flag)}\`; a pipe is refused (\`docker save IMAGE | ${stdinCommandLine(command, '/dev/stdin', false, flag)}\` is a FIFO), so save the image to a file first`,
  });
}
