// A content-addressed blob cache (`$XDG_CACHE_HOME/ballast/blobs/sha256/<hex>`), so a second run of the
// same image, or of an image sharing its base layers, downloads nothing it already has. Entries are written
// to a temp file and renamed only once their digest checks out; reads are verified again (a corrupt entry
// is removed, so the next run fetches it anew). The total size is capped: oldest entries go first.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parseBytes } from '../../analysis/growth.js';
import { ConfigError, SourceError } from '../../errors.js';
import { shortDigest } from '../../image/digest.js';
import { forget, removeOnExit } from '../../temp-files.js';
import { makeDirectory } from '../../make-directory.js';

export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 ** 3;

/**
 * A cache's cap from its variable (BALLAST_CACHE_MAX_BYTES, BALLAST_LAYER_CACHE_MAX_BYTES, ...), read as every size in
 * ballast is (`10GB`, `500MiB`, bytes); unset or empty: `fallback`. Anything else is an error: a cap silently ignored
 * lets the cache fill the disk.
 */
export function cacheMaxBytesFromEnv(
  env: NodeJS.ProcessEnv,
  name = 'BALLAST_CACHE_MAX_BYTES',
  fallback = DEFAULT_CACHE_MAX_BYTES,
): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const bytes = parseBytes(text);
  if (bytes === undefined || bytes < 1) {
    const gib = fallback / 1024 ** 3;
    const byDefault = gib >= 1 ? `${gib} GiB` : `${fallback / 1024 ** 2} MiB`;
    throw new ConfigError(`${name}=${text} is not a size`, {
      code: 'config-env',
      hint: `give bytes or a size such as 10GB or 500MiB, or unset it for the default (${byDefault}); --no-cache skips the cache`,
    });
  }
  return bytes;
}

export { makeDirectory };

const toldUnwritable = new Set<string>();

/**
 * A cache that cannot be written never fails a command (a full disk mid-pull, a cache folder made read-only, a
 * BALLAST_CACHE_DIR that cannot be a folder): the command runs without it. The user is told once per cache folder, so
 * a mistyped or unusable BALLAST_CACHE_DIR does not silently make every run cold.
 */
export function cacheUnwritable(root: string, error: unknown, notice?: (message: string) => void): void {
  if (!notice || toldUnwritable.has(root)) return;
  toldUnwritable.add(root);
  const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  notice(
    `cannot write the cache in ${root} (${reason}); running without it (set BALLAST_CACHE_DIR to a writable folder, or pass --no-cache)`,
  );
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BALLAST_CACHE_DIR) return env.BALLAST_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'ballast');
}

function cacheable(digest: string): boolean {
  return /^sha256:[a-f0-9]{64}$/.test(digest);
}

export interface CacheWriter {
  /**
   * The temp file the bytes go to until commit (a reader on another thread may read it as it grows), made at the first
   * write or at flush: not there before.
   */
  readonly path: string;
  write(chunk: Buffer): Promise<void>;
  /** Ends the writing: resolves once every byte written is in the file (then commit or abort). */
  flush(): Promise<void>;
  /** Why a write failed (a full disk), if one did: the writes after it are dropped. */
  error(): Error | undefined;
  /**
   * Renames the temp file into place when its bytes hash to the digest; drops it otherwise. A writer made with
   * `callerHashes` is given the caller's sha256 of the bytes it wrote (`sha256:<hex>`) instead of hashing them.
   */
  commit(actual?: string): Promise<boolean>;
  abort(): Promise<void>;
}

export class BlobCache {
  constructor(
    readonly dir: string,
    private readonly maxBytes = DEFAULT_CACHE_MAX_BYTES,
    /** Told once when the cache cannot be written (the pull goes on without it). */
    private readonly notice?: (message: string) => void,
  ) {}

  private pathOf(digest: string): string {
    return join(this.dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  }

  /** Whether a blob of this digest and size is cached. */
  async has(digest: string, sizeBytes?: number): Promise<boolean> {
    if (!cacheable(digest)) return false;
    try {
      const info = await stat(this.pathOf(digest));
      return info.isFile() && (sizeBytes === undefined || info.size === sizeBytes);
    } catch {
      return false;
    }
  }

  /** Reads a small cached blob whole (configs), verified; undefined when absent or corrupt. */
  async read(digest: string): Promise<Buffer | undefined> {
    if (!cacheable(digest)) return undefined;
    let data: Buffer;
    try {
      data = await readFile(this.pathOf(digest));
    } catch {
      return undefined;
    }
    if (`sha256:${createHash('sha256').update(data).digest('hex')}` !== digest) {
      await rm(this.pathOf(digest), { force: true });
      return undefined;
    }
    await this.touch(digest);
    return data;
  }

  /** Streams a cached blob; the stream fails (and the entry is removed) if its bytes no longer match. */
  open(digest: string, start = 0): Readable {
    const path = this.pathOf(digest);
    void this.touch(digest);
    const file = createReadStream(path, { start, highWaterMark: 256 * 1024 });
    if (start > 0) return file;
    const hash = createHash('sha256');
    const check = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        hash.update(chunk);
        callback(null, chunk);
      },
      flush: (callback: TransformCallback) => {
        const actual = `sha256:${hash.digest('hex')}`;
        if (actual === digest) return callback();
        rm(path, { force: true }).finally(() =>
          callback(
            new SourceError(
              `the cached blob ${shortDigest(digest)} is corrupt (it hashes to ${shortDigest(actual)}); it was removed`,
              {
                code: 'cache-corrupt',
                hint: `run the command again to download it anew, or pass --no-cache (cache: ${this.dir})`,
              },
            ),
          ),
        );
      },
    });
    file.on('error', (error) => check.destroy(error));
    return file.pipe(check);
  }

  async put(digest: string, data: Buffer): Promise<void> {
    const writer = await this.writer(digest);
    if (!writer) return;
    await writer.write(data);
    await writer.commit();
  }

  /** A writer for one blob, or undefined when the digest is not cacheable or the cache is unwritable. */
  async writer(
    digest: string,
    options: {
      callerHashes?: boolean;
      /** Told the file's length after each write reaches it (Growth.written, for a reader of the temp file). */
      onWritten?: (bytes: number) => void;
    } = {},
  ): Promise<CacheWriter | undefined> {
    if (!cacheable(digest)) return undefined;
    const final = this.pathOf(digest);
    const dir = join(this.dir, 'blobs', 'sha256');
    const temp = join(this.dir, 'tmp', `${digest.slice(7, 19)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await makeDirectory(dir);
      await makeDirectory(join(this.dir, 'tmp'));
      await sweepStaleTemps(join(this.dir, 'tmp'));
    } catch (error) {
      // A cache that cannot be written never stops a pull.
      cacheUnwritable(this.dir, error, this.notice);
      return undefined;
    }
    const hash = createHash('sha256');
    let failure: Error | undefined;
    const fail = (error: Error): void => {
      failure ??= error;
      // A full disk mid-download: the pull goes on without the cache, and the user is told why it stays cold.
      cacheUnwritable(this.dir, error, this.notice);
    };
    // The temp file is made at the first write (or at the end, for an empty blob), not with the writer: a pull starts
    // a writer for every layer, which wait their turn to download (Slots), and each held an open file, and left an
    // empty one, all the while (a 100-layer image held 100). Undefined once it could not be made (the cache told why).
    let opening: Promise<WriteStream | undefined> | undefined;
    const open = (): Promise<WriteStream | undefined> =>
      (opening ??= (async () => {
        removeOnExit(temp);
        // A deep buffer, so teeing a download into the cache rarely makes it wait for the disk (the default 16 KiB
        // made every 64 KiB network chunk wait for its write on libuv's thread pool, which zlib also uses).
        const out = createWriteStream(temp, { mode: 0o644, highWaterMark: 4 * 1024 * 1024 });
        try {
          await new Promise<void>((resolve, reject) => {
            out.once('open', () => resolve());
            out.once('error', reject);
          });
        } catch (error) {
          fail(error as Error);
          await rm(temp, { force: true }).catch(() => {});
          forget(temp);
          return undefined;
        }
        out.on('error', fail);
        return out;
      })());
    // end's callback is given a failed write's error before 'error' is emitted: a blob that fit in the stream's buffer
    // (written only at the end) counts as failed as soon as the flush returns, not a tick later. Ended once: flush, then
    // commit or abort, share it (a second end is an error of its own).
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= open().then(
        (out) =>
          new Promise((resolve) =>
            !out || out.closed
              ? resolve()
              : out.end((error?: Error | null) => {
                  if (error) fail(error);
                  // Resolved once the file is closed, not when its data is written ('finish' comes first): a
                  // download gives its slot back after this, and its file would still be open while the next one
                  // opened its own.
                  if (out.closed) resolve();
                  else out.once('close', () => resolve());
                }),
          ),
      ));
    const { onWritten } = options;
    const written = (out: WriteStream) =>
      onWritten && ((error?: Error | null) => (error ? fail(error) : onWritten(out.bytesWritten)));
    return {
      path: temp,
      flush: close,
      error: () => failure,
      write: async (chunk) => {
        if (failure) return;
        if (!options.callerHashes) hash.update(chunk);
        const out = await open();
        if (!out) return;
        // A write that fails after filling the buffer (a full disk) emits 'error' and never 'drain': wait for either,
        // or the pull would wait forever (the process then exited 13, saying nothing).
        if (!out.write(chunk, written(out)) && !failure && !out.destroyed)
          await new Promise<void>((resolve) => {
            const done = () => {
              out.off('drain', done);
              out.off('error', done);
              out.off('close', done);
              resolve();
            };
            out.on('drain', done);
            out.on('error', done);
            out.on('close', done);
          });
      },
      commit: async (actual) => {
        await close();
        const ok = !failure && (options.callerHashes ? actual : `sha256:${hash.digest('hex')}`) === digest;
        if (!ok) {
          await rm(temp, { force: true });
          forget(temp);
          return false;
        }
        try {
          await rename(temp, final);
        } catch {
          await rm(temp, { force: true });
          return false;
        } finally {
          forget(temp);
        }
        await this.prune();
        return true;
      },
      abort: async () => {
        // A writer that never wrote made no file: there is none to make now.
        if (opening) await close();
        await rm(temp, { force: true });
        forget(temp);
      },
    };
  }

  private async touch(digest: string): Promise<void> {
    const now = new Date();
    await utimes(this.pathOf(digest), now, now).catch(() => {});
  }

  /** Removes least recently used blobs until the cache fits its cap. */
  async prune(): Promise<void> {
    await pruneLeastRecentlyUsed(join(this.dir, 'blobs', 'sha256'), this.maxBytes);
  }
}

/**
 * Removes the least recently used files of `dir` (by mtime: readers touch what they use) until their total size
 * fits `maxBytes`. Shared by the blob cache and the layer result cache.
 */
export async function pruneLeastRecentlyUsed(dir: string, maxBytes: number): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const entries = (
    await Promise.all(
      names.map(async (name) => {
        try {
          const info = await stat(join(dir, name));
          return { path: join(dir, name), sizeBytes: info.size, mtimeMs: info.mtimeMs };
        } catch {
          return undefined;
        }
      }),
    )
  ).filter((e): e is { path: string; sizeBytes: number; mtimeMs: number } => e !== undefined);
  let total = entries.reduce((sum, e) => sum + e.sizeBytes, 0);
  if (total <= maxBytes) return;
  entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const entry of entries) {
    if (total <= maxBytes) break;
    await rm(entry.path, { force: true });
    total -= entry.sizeBytes;
  }
}

let swept = false;

/**
 * Removes, once per process, the temp files of cache writers whose process is gone (killed with SIGKILL, or a
 * crash): the names carry the writer's PID (`<digest prefix>-<pid>-<random>`), and a live writer's file is kept.
 * They are never served (entries are renamed into place only when complete); this only reclaims their space.
 */
export async function sweepStaleTemps(dir: string): Promise<void> {
  if (swept) return;
  swept = true;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(name.split('-').at(-2));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    await rm(join(dir, name), { force: true }).catch(() => {});
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
