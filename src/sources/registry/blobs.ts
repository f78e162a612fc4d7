// Blobs of one repository: small ones (configs) read whole and verified, the first bytes of a layer for
// sniffing its compression, and layer downloads streamed straight to the reader while they are teed into the
// blob cache, resumed with Range after a cut. The cache keeps a blob only once its digest checks out.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { restate, SourceError, wrapError, type BallastError } from '../../errors.js';
import { SHA256_OF, matchesDigest, shortDigest, type SelfHashing } from '../../image/digest.js';
import { Growth } from '../../image/growing.js';
import type { DownloadCore } from '../../image/partial.js';
import { readHead } from '../../image/streams.js';
import type { Descriptor } from '../../image/types.js';
import { blobMissing, rangeRefused, unexpectedStatus } from './api-errors.js';
import type { RegistryClient } from './client.js';
import { RETRY_ERRORS } from './retry.js';
import { errorCode, readBody } from './transport.js';
import { MIN_BYTES_PER_SECOND } from '../slow-body.js';

/** Waits until a writable drains or closes, leaving no listener behind. */
function drained(stream: PassThrough): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

/**
 * What a layer's blob is called in an error's detail (BallastErrorOptions.detail): the walk names the layer, by its
 * digest, so the detail names neither.
 */
const UNNAMED = 'the blob';

function blobPath(client: RegistryClient, descriptor: Descriptor): string {
  return `/v2/${client.repository}/blobs/${descriptor.digest}`;
}

/** A small blob (a config), from the cache or the registry, verified against its descriptor. */
export async function smallBlob(client: RegistryClient, descriptor: Descriptor, what: string): Promise<Buffer> {
  const cache = client.cache;
  const cached = await cache?.read(descriptor.digest);
  if (cached) return cached;
  const { res, body } = await client.fetch(blobPath(client, descriptor));
  const status = res.statusCode ?? 0;
  if (status !== 200) {
    if (status === 404) throw blobMissing(client, descriptor, what);
    if (status === 416) throw rangeRefused(client, descriptor, what);
    throw unexpectedStatus(client, status, body, what);
  }
  if (!matchesDigest(body, descriptor.digest)) {
    throw new SourceError(
      `${what} from ${client.registry}/${client.repository} does not match its digest ${descriptor.digest}`,
      {
        code: 'digest-mismatch',
        hint: 'the registry or something between you and it altered the blob; try again',
      },
    );
  }
  await cache?.put(descriptor.digest, body).catch(() => {});
  return body;
}

/**
 * The first bytes of a blob, for sniffing compression: from the cache, else one ranged request. The status is
 * checked first: an error page (404, 403, 5xx after the retries) is never sniffed as if it were the layer.
 */
export async function blobHead(
  client: RegistryClient,
  descriptor: Descriptor,
  bytes = 16,
  what = 'a layer',
): Promise<Buffer> {
  const cache = client.cache;
  if (await cache?.has(descriptor.digest, descriptor.size)) return readHead(cache!.open(descriptor.digest, 0), bytes);
  const range = `bytes=0-${bytes - 1}`;
  const { res } = await client.request('GET', blobPath(client, descriptor), { range });
  const status = res.statusCode ?? 0;
  if (status !== 200 && status !== 206) {
    const body = await readBody(res).catch(() => Buffer.alloc(0));
    if (status === 404) throw blobMissing(client, descriptor, what, UNNAMED);
    if (status === 416) throw rangeRefused(client, descriptor, what, range, UNNAMED);
    throw unexpectedStatus(client, status, body, what, UNNAMED);
  }
  return readHead(res, bytes);
}

/**
 * Streams a blob straight into the caller (no temp file), teeing it into the cache. A connection cut
 * mid-blob is resumed with `Range` from the byte where it stopped; a server that ignores Range (200)
 * is skipped forward. Digest checking is left to the image model, which names the layer.
 */
export function openBlob(client: RegistryClient, descriptor: Descriptor, what: string): Readable {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  // One sha256 pass serves both the cache (a blob is kept only if it matches) and the image model's digest check,
  // which reads it from SHA256_OF instead of hashing the same bytes again.
  const hash = descriptor.digest.startsWith('sha256:') ? createHash('sha256') : undefined;
  let computed: string | undefined;
  if (hash) (out as SelfHashing)[SHA256_OF] = () => computed;
  const finish = (): void => {
    if (hash) computed = `sha256:${hash.digest('hex')}`;
  };
  const cache = client.cache;
  const fetch: Fetch = { closed: false };
  out.on('close', () => {
    fetch.closed = true;
    fetch.current?.destroy();
  });
  const run = async (): Promise<void> => {
    if (cache && (await cache.has(descriptor.digest, descriptor.size))) {
      const cached = cache.open(descriptor.digest);
      try {
        for await (const chunk of cached as AsyncIterable<Buffer>) {
          if (fetch.closed) return;
          hash?.update(chunk);
          if (!out.write(chunk)) await drained(out);
        }
      } finally {
        cached.destroy();
      }
      finish();
      out.end();
      return;
    }
    const writer = await cache?.writer(descriptor.digest, { callerHashes: hash !== undefined });
    let committed = false;
    try {
      const complete = await fetchBlob(client, descriptor, what, fetch, async (chunk) => {
        hash?.update(chunk);
        await writer?.write(chunk);
        if (!out.write(chunk)) await drained(out);
      });
      if (!complete) return;
      finish();
      if (writer) await writer.commit(computed);
      committed = true;
    } finally {
      // A download that failed, or that the reader stopped early, leaves no temp file behind.
      if (!committed) await writer?.abort();
    }
    out.end();
  };
  run().catch((error: unknown) => {
    if (!fetch.closed) out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}

/** Downloads at once per registry client (Docker pulls three layers at a time by default). */
export const PARALLEL_DOWNLOADS = 3;

/** At most `free` holders at once (its starting value); the others wait, in the order they asked. */
export class Slots {
  private readonly waiting: (() => void)[] = [];
  constructor(private free: number) {}

  async take(): Promise<void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/**
 * Starts downloading a layer blob into the cache's temp file, which another thread reads as it grows, hashing and
 * checking it there (the walk's workers): this thread only receives and writes. The cache keeps the file once the
 * reader says its digest held (`settle(true)`). A download waiting its turn (`downloadSlots`) holds no file: the cache
 * makes it at the first byte. Resumed after a cut as openBlob is. Undefined without a writable cache, for a blob
 * already cached (read through openBlob, which checks its copy), or one no sha256 names.
 */
export async function downloadBlob(
  client: RegistryClient,
  descriptor: Descriptor,
  what: string,
): Promise<DownloadCore | undefined> {
  const cache = client.cache;
  if (!cache || !descriptor.digest.startsWith('sha256:') || (await cache.has(descriptor.digest, descriptor.size)))
    return undefined;
  const growth = new Growth();
  const writer = await cache.writer(descriptor.digest, { callerHashes: true, onWritten: (n) => growth.written(n) });
  if (!writer) return undefined;
  const fetch: Fetch = { closed: false };
  let failure: Error | undefined;
  // The cache could not take the bytes (a full disk; the cache told the user): the download stops, and the reader
  // reads the layer another way, since a cache never fails a command.
  let unwritable = false;
  const stopUnwritable = (): void => {
    if (!writer.error()) return;
    unwritable = true;
    fetch.closed = true;
    throw writer.error();
  };
  const running = (async (): Promise<boolean> => {
    await client.downloadSlots.take();
    try {
      if (fetch.closed) return false;
      const complete = await fetchBlob(client, descriptor, what, fetch, async (chunk) => {
        await writer.write(chunk);
        stopUnwritable();
      });
      if (!complete) return false;
      await writer.flush();
      stopUnwritable();
      growth.complete();
      return true;
    } finally {
      client.downloadSlots.give();
    }
  })().catch((error: unknown) => {
    failure = error instanceof Error ? error : new Error(String(error));
    growth.fail();
    return false;
  });
  let settled: Promise<void> | undefined;
  return {
    path: writer.path,
    growing: growth.shared,
    failure: () => (unwritable ? undefined : failure),
    unwritable: () => unwritable,
    settle: (verified) =>
      (settled ??= (async () => {
        if (!verified) {
          fetch.closed = true;
          fetch.current?.destroy();
        }
        // A blob is kept only if its reader checked every byte of it against its digest.
        if ((await running) && verified) await writer.commit(descriptor.digest);
        else await writer.abort();
      })()),
  };
}

/** A fetch in progress: `closed` once its reader went away; `current`, the response being read. */
interface Fetch {
  closed: boolean;
  current?: IncomingMessage;
}

/**
 * Fetches a blob's bytes into `sink`, in order, each once: a connection cut mid-blob is resumed with `Range` from the
 * byte where it stopped; a server that ignores Range (200) is skipped forward. True once every byte came; false when
 * the reader went away (`fetch.closed`); else throws the download's error.
 */
async function fetchBlob(
  client: RegistryClient,
  descriptor: Descriptor,
  what: string,
  fetch: Fetch,
  sink: (chunk: Buffer) => Promise<void>,
): Promise<boolean> {
  const path = blobPath(client, descriptor);
  const attempts = client.retrier.attempts;
  let received = 0;
  let failures = 0;
  // Like a request's retries, resuming gets one --timeout from the first failure; an attempt that brought a real
  // amount of data (a --timeout's worth at the minimum rate) starts a new budget, a dribble does not.
  const timeout = client.transport.timeoutMs();
  let failingSince: number | undefined;
  let receivedAtFailure = 0;
  const progress = (MIN_BYTES_PER_SECOND * timeout) / 1000;
  const failing = (): number => {
    if (failingSince === undefined || received - receivedAtFailure >= progress) failingSince = Date.now();
    receivedAtFailure = received;
    return failingSince + timeout;
  };
  for (;;) {
    const headers = received > 0 ? { range: `bytes=${received}-` } : {};
    // A request that fails after its retries (no answer, a refused connection), the first or a resume, fails the
    // download as a body cut for good does: a resume that timed out before its headers said only "did not answer",
    // where a body that stalled said what was being downloaded.
    const { res } = await client.request('GET', path, headers).catch((error: unknown) => {
      throw downloadFailed(client, descriptor, what, path, error);
    });
    fetch.current = res;
    const status = res.statusCode ?? 0;
    if (status !== 200 && status !== 206) {
      const body = await readBody(res).catch(() => Buffer.alloc(0));
      // Asked for the rest of a body that ended early, the registry says there is none: its blob is short.
      if (status === 416 && received > 0 && Number.isFinite(descriptor.size))
        throw shorter(client, descriptor, what, received);
      if (status === 404) throw blobMissing(client, descriptor, what, UNNAMED);
      if (status === 416 && received === 0) throw rangeRefused(client, descriptor, what, undefined, UNNAMED);
      throw unexpectedStatus(client, status, body, what, UNNAMED);
    }
    let skip = status === 200 ? received : 0;
    let sent = 0;
    try {
      for await (const raw of res) {
        if (fetch.closed) return false;
        let chunk = raw as Buffer;
        sent += chunk.length;
        if (skip > 0) {
          const drop = Math.min(skip, chunk.length);
          chunk = chunk.subarray(drop);
          skip -= drop;
          if (chunk.length === 0) continue;
        }
        received += chunk.length;
        if (Number.isFinite(descriptor.size) && received > descriptor.size) {
          // Never store or pass on more than the manifest promised: a registry cannot fill the disk.
          throw sizeDiffers(
            client,
            descriptor,
            what,
            `is larger than the ${descriptor.size} bytes its descriptor says`,
          );
        }
        await sink(chunk);
      }
    } catch (error) {
      if (fetch.closed || error instanceof SourceError) throw error;
      // Every promised byte came before the connection dropped (a Content-Length that overstated the body):
      // nothing is left to resume, and the digest check decides whether the bytes are right.
      if (received === descriptor.size) break;
      const code = errorCode(error);
      failures++;
      const deadline = failing();
      const fatal = failures >= attempts || (code && !RETRY_ERRORS.has(code) && code !== 'ERR_STREAM_PREMATURE_CLOSE');
      if (
        fatal ||
        !(await client.retrier.backoff(
          failures,
          `the download of ${what} was cut at ${received} bytes; resuming`,
          deadline,
          `a download from ${client.host} was cut`,
        ))
      )
        throw downloadFailed(client, descriptor, what, path, error);
      continue;
    }
    if (fetch.closed) return false;
    if (Number.isFinite(descriptor.size) && received < descriptor.size) {
      // The body ended where the registry said it would: it sent all it has, and a resume could only bring a 416.
      const length = blobLength(res, sent, received);
      if (length !== undefined && length < descriptor.size) throw shorter(client, descriptor, what, length);
      failures++;
      const deadline = failing();
      if (
        failures >= attempts ||
        !(await client.retrier.backoff(
          failures,
          `the download of ${what} ended early at ${received} bytes; resuming`,
          deadline,
          `a download from ${client.host} ended early`,
        ))
      ) {
        const stopped = `from ${client.registry} stopped at ${received} of ${descriptor.size} bytes`;
        throw new SourceError(`the download of ${what} (${shortDigest(descriptor.digest)}) ${stopped}`, {
          code: 'truncated',
          detail: `the download of ${UNNAMED} ${stopped}`,
          hint: 'the connection keeps dropping; try again later',
        });
      }
      continue;
    }
    return true;
  }
  return true;
}

/**
 * A download that stopped for good (`error`: its request's, or its body's), named as the other errors of fetchBlob are:
 * by the layer and its digest, the detail by neither (the walk names the layer).
 */
function downloadFailed(
  client: RegistryClient,
  descriptor: Descriptor,
  what: string,
  path: string,
  error: unknown,
): BallastError {
  const cause = client.transport.networkError(error, new URL(`http://${client.host}${path}`));
  const wrapped = wrapError(`downloading ${what} (${shortDigest(descriptor.digest)})`, cause);
  return restate(wrapped, { detail: `downloading ${UNNAMED}: ${cause.message}` });
}

/**
 * The length of the blob as the registry has it, when a response that ended cleanly tells it: a 200 that brought all
 * its Content-Length, or a 206 that did, by its Content-Range's total (else where it ended). Undefined when the body
 * stopped short of its own Content-Length, or had none: that is a cut, for a resume to finish.
 */
function blobLength(res: IncomingMessage, sent: number, received: number): number | undefined {
  const declared = res.headers['content-length'];
  if (declared === undefined || Number(declared) !== sent) return undefined;
  if (res.statusCode === 200) return sent;
  const total = /\/(\d+)$/.exec(res.headers['content-range'] ?? '');
  return total ? Number(total[1]) : received;
}

/** A layer's blob in the registry with fewer bytes (`length`) than its descriptor says. */
function shorter(client: RegistryClient, descriptor: Descriptor, what: string, length: number): SourceError {
  return sizeDiffers(
    client,
    descriptor,
    what,
    `is shorter than the manifest says: ${length} of ${descriptor.size} bytes`,
    'the image in the registry is inconsistent, and retrying will not help; push it again',
  );
}

/**
 * A layer's blob in the registry whose size is not its descriptor's, `rest` said of it: named as blobMissing names one,
 * by the repository and the blob's digest (the detail by the repository only, as the walk names the layer by digest).
 */
function sizeDiffers(
  client: RegistryClient,
  descriptor: Descriptor,
  what: string,
  rest: string,
  hint = 'the registry serves a different blob than the manifest describes; push the image again',
): SourceError {
  const repository = `${client.registry}/${client.repository}`;
  return new SourceError(`the blob ${shortDigest(descriptor.digest)} (${what}) in ${repository} ${rest}`, {
    code: 'size-mismatch',
    detail: `${UNNAMED} in ${repository} ${rest}`,
    hint,
  });
}
