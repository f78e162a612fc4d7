// The layer walk: every layer read once, layers in parallel on worker threads (one per core) once an image has enough
// to read (see `worthWorkers`), else in-process. A worker reads a blob that lies in a local file itself (scan-file.ts:
// the blob digest, decompression on its own thread, the diffId, the tar and every regular file's hash), and so it
// reads a registry's layer downloading into the blob cache, as the file grows (Layer.download: this thread only
// receives and writes it); a daemon's stream, or a download with no cache, is read by this thread, verified as it
// flows, and posted to a worker in 1 MiB buffers (`run`). Nothing else touches the disk; memory is the entry lists
// plus a few MB of chunks in flight per layer.
//
// Workers need compiled JavaScript: when `walk-worker.js` is not beside this module (ts-jest runs the sources),
// the same pipeline runs in-process, where zlib still decompresses on libuv's thread pool.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { BallastError, BugError, restate, SourceError, wrapError } from '../errors.js';
import type { DigestSource, Image, Layer, LayerDownload, StoredFile } from '../image/types.js';
import { cachedChecks, planChecks, type LayerChecks } from './checks.js';
import { takeWorker, WALK_WORKER_URL } from './early-workers.js';
import { EntryList } from './entry-list.js';
import type { LayerCache } from './layer-cache.js';
import {
  DEFAULT_LIMITS,
  ImageHoles,
  imageHolesExceeded,
  MAX_LAYERS,
  scanOverBudget,
  tooManyLayers,
  type LayerLimits,
} from './limits.js';
import { scanToRootCause, type LayerTask } from './layer-pipeline.js';
import { emptyCounts, type LayerScan } from './scan-layer.js';
import type { FromWorker, ToWorker, WorkerError } from './walk-worker.js';

export interface WalkProgress {
  layer: number;
  /** Stored bytes of this layer read so far. */
  layerBytes: number;
  layerTotalBytes: number;
  /** Stored bytes of all layers read so far / in total. */
  doneBytes: number;
  totalBytes: number;
}

export interface WalkOptions {
  /**
   * Worker threads, at most one per core; 0 walks in-process. Default: one per core where the layers to read are
   * enough to pay for them (see walkLayers), else in-process.
   */
  workers?: number;
  /** Check blob digests (default true). */
  verify?: boolean;
  /**
   * Also hash the decompressed stream and compare it with the config's diff_ids where a blob digest from the
   * manifest or file name vouches for the bytes already (default false): decompression is deterministic, so
   * this only checks that the config describes its layers truthfully, for one more sha256 pass over the
   * uncompressed bytes (about a fifth of the walk's CPU on gzip images). Layers without such a digest are
   * checked against their diff_id whenever `verify` is on (see checks.ts).
   */
  verifyDiffIds?: boolean;
  onProgress?: (progress: WalkProgress) => void;
  /**
   * Called with each layer as soon as it and every layer below it are scanned, in index order, so the union
   * filesystem can be built while higher layers are still being read.
   */
  onLayer?: (layer: WalkedLayer) => void;
  /**
   * Called with a layer read while a layer below it is not yet (`onLayer` comes for it later, in order), for what
   * can be done with one layer alone: the walk's last minutes are the lower layers' wait, and this thread is idle then.
   */
  onEarly?: (layer: WalkedLayer) => void;
  /**
   * Called once every layer to read is being read (on workers, their shares posted): this thread mostly waits from
   * then on, so the modules a command needs only afterwards can load now instead of before the walk.
   */
  onReading?: () => void;
  /**
   * Layers already walked for another image, by diffId (diff walks the layers two images share once): a layer
   * with one of these diffIds takes that scan instead of being read. `onLayer` is still called for it, in order.
   */
  reuse?: ReadonlyMap<string, WalkedLayer>;
  /**
   * Check this image's own copies of the reused layers (default true): hash the stored blob, or the decompressed
   * tar where the blob is another one; with `verify` off, read it as reading this image alone would. False: not read
   * at all (a registry's copy would be a download), and their `checks` say `skipped`.
   */
  checkReused?: boolean;
  /**
   * The per-layer result cache: layers found there (by diffId) are not read; layers read with verification on
   * are written to it.
   */
  cache?: LayerCache;
  /** Per-layer budgets (default DEFAULT_LIMITS). */
  limits?: LayerLimits;
}

export interface WalkedLayer {
  index: number;
  digest: string;
  diffId: string;
  mediaType: string;
  compressedBytes: number;
  /** False for foreign layers whose bytes the image does not carry: counted as empty. */
  present: boolean;
  /** The scan came from the layer result cache: the blob was not read. */
  fromCache?: boolean;
  /** From the cache: the stored size its entry recorded for this blob (see Layer.checkStoredSize), if any. */
  cachedSize?: number;
  scan: LayerScan;
  /** Which digest checks ran on this layer's bytes. */
  checks: LayerChecks;
}

const HIGH_WATER_BYTES = 8 * 1024 * 1024;
/** Streamed bytes go to a worker in buffers of this size ... */
const POST_BYTES = 1024 * 1024;
/** ... of which a worker's runner keeps this many that came back, for the next chunks (HIGH_WATER_BYTES in flight). */
const MAX_SPARE_BUFFERS = 12;
/** The stored bytes an image must have to read before the default walk starts worker threads. */
const WORKERS_FROM_BYTES = 16 * 1024 * 1024;
/** ... and the stored bytes its layers to read must have on average. */
const WORKERS_FROM_LAYER_BYTES = 4 * 1024 * 1024;
const LOW_WATER_BYTES = 2 * 1024 * 1024;

function emptyScan(): LayerScan {
  return {
    uncompressedBytes: 0,
    counts: emptyCounts(),
    diveSizeBytes: 0,
    entries: EntryList.of([]),
    captured: {},
  };
}

/** Where the compiled worker lives, if it exists. */
export function compiledWorkerUrl(): URL | undefined {
  return existsSync(fileURLToPath(WALK_WORKER_URL)) ? WALK_WORKER_URL : undefined;
}

interface Job {
  index: number;
  layer: Layer;
  task: LayerTask;
  sizeBytes: number;
  /**
   * A reused layer: its bytes are only checked (see walkLayers), `stored` by hashing the blob, `tar` by hashing the
   * decompressed tar; `scan` reads it as a layer of its own, and drops the scan (the reused one stands).
   */
  confirm?: 'stored' | 'tar' | 'scan';
}

/** A reused layer's check that hashes this image's copy (its blob, or its tar) and scans nothing: no worker needed. */
const onlyChecks = (job: Job): boolean => job.confirm === 'stored' || job.confirm === 'tar';

function reconstructError(error: WorkerError): Error {
  if (error.system) return Object.assign(new Error(error.message), { code: error.code });
  return new SourceError(error.message, { code: error.code, hint: error.hint, detail: error.detail });
}

class WorkerRunner {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    {
      resolve: (s: LayerScan) => void;
      reject: (e: Error) => void;
      onAck: (n: number, buffer?: ArrayBuffer) => void;
      onRead?: (n: number) => void;
    }
  >();
  private readonly worker: Worker;
  private failed: Error | undefined;
  /** Buffers the worker handed back, to post the next chunks in (see run). */
  private readonly spare: ArrayBuffer[] = [];

  constructor() {
    // One started early (bin/run.js) if there is one: it has loaded its modules by now.
    this.worker = takeWorker();
    this.worker.on('message', (message: FromWorker) => {
      const job = this.pending.get(message.id);
      if (!job) return;
      if (message.type === 'ack') job.onAck(message.bytes, message.buffer);
      else if (message.type === 'read') job.onRead?.(message.bytes);
      else if (message.type === 'done') {
        this.pending.delete(message.id);
        job.resolve({ ...message.scan, entries: new EntryList(message.scan.entries) });
      } else {
        this.pending.delete(message.id);
        job.reject(reconstructError(message.error));
      }
    });
    this.worker.on('error', (error) =>
      this.failAll(new BugError(`layer worker failed: ${error.message}`, { cause: error })),
    );
    this.worker.on('exit', (code) => {
      if (this.pending.size) this.failAll(new BugError(`layer worker exited with code ${code}`, {}));
    });
  }

  private failAll(error: Error): void {
    this.failed = error;
    for (const job of this.pending.values()) job.reject(error);
    this.pending.clear();
  }

  run(stream: Readable, task: LayerTask, onBytes: (n: number) => void): Promise<LayerScan> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    const post = (message: ToWorker) => this.worker.postMessage(message);
    return new Promise<LayerScan>((resolve, reject) => {
      let inFlight = 0;
      let paused = false;
      let settled = false;
      const finish = (error?: Error, scan?: LayerScan) => {
        if (settled) return;
        settled = true;
        this.pending.delete(id);
        if (error) {
          stream.destroy();
          post({ type: 'abort', id });
          reject(error);
        } else resolve(scan!);
      };
      this.pending.set(id, {
        resolve: (scan) => finish(undefined, scan),
        reject: (error) => finish(error),
        onAck: (n, buffer) => {
          if (buffer?.byteLength === POST_BYTES && this.spare.length < MAX_SPARE_BUFFERS) this.spare.push(buffer);
          inFlight -= n;
          if (paused && inFlight < LOW_WATER_BYTES) {
            paused = false;
            stream.resume();
          }
        },
      });
      post({ type: 'start', id, task });
      // A download arrives in 64 KiB pieces, which the blob cache may still be writing: they are copied into buffers
      // of POST_BYTES that are moved to the worker (not copied twice by a message per piece), and that the worker
      // hands back with its ack once it has scanned them, to be filled again.
      let batch: Buffer | undefined;
      let batched = 0;
      const flush = () => {
        if (!batch) return;
        const chunk = batch.subarray(0, batched);
        inFlight += batched;
        batch = undefined;
        batched = 0;
        this.worker.postMessage({ type: 'chunk', id, chunk } satisfies ToWorker, [chunk.buffer as ArrayBuffer]);
        if (inFlight > HIGH_WATER_BYTES && !paused) {
          paused = true;
          stream.pause();
        }
      };
      stream.on('data', (piece: Buffer) => {
        onBytes(piece.length);
        for (let at = 0; at < piece.length;) {
          batch ??= Buffer.from(this.spare.pop() ?? new ArrayBuffer(POST_BYTES));
          const n = piece.copy(batch, batched, at);
          batched += n;
          at += n;
          if (batched === batch.length) flush();
        }
      });
      stream.on('error', (error) => finish(error));
      stream.on('end', () => {
        flush();
        post({ type: 'end', id });
      });
    });
  }

  /** Scans a layer the worker reads (and verifies) from its file itself: this thread only hears of its progress. */
  runFile(file: StoredFile, task: LayerTask, onBytes: (n: number) => void): Promise<LayerScan> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise<LayerScan>((resolve, reject) => {
      this.pending.set(id, {
        resolve: (scan) => {
          this.pending.delete(id);
          resolve(scan);
        },
        // Rejected once the worker reported this file's error, or died: there is no read left to stop on the worker.
        reject: (error) => {
          this.pending.delete(id);
          reject(error);
        },
        onAck: () => {},
        onRead: onBytes,
      });
      this.worker.postMessage({ type: 'file', id, task, file } satisfies ToWorker);
    });
  }

  /** Jobs of its lane (see walkLayers) not yet scanned. */
  assigned = 0;

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * A scan for one more layer listing the same blob: the entries are shared, but the object is its own, as the
 * measure drops a layer's `entries` once it is applied and every listing must still be applied in its place.
 */
function sharedScan(scan: LayerScan): LayerScan {
  return { ...scan };
}

/** An error reading layer `index` of the image `where`, as the walk reports it. */
function layerReadError(where: string, index: number, digest: string, error: unknown): Error {
  const context = `reading layer ${index} (${digest}) of ${where}`;
  // The read's own error names the layer too ("layer 3 (sha256:84009204da3f) blob does not match ..."), by its
  // diff_id where this names it by its blob digest: named here, once, its detail says the rest.
  if (error instanceof BallastError && error.detail !== undefined)
    return restate(error, { message: `${context}: ${error.detail}` });
  // Every layer error names the image; those naming it already say "layer 3 of image.tar ...".
  const named = error instanceof Error && error.message.includes(where);
  return wrapError(`reading layer ${index} (${digest})${named ? '' : ` of ${where}`}`, error);
}

/**
 * For a result served from the result cache, which reads no layer: each stored blob's size against its descriptor's,
 * failing with the error the walk gives (see Layer.checkStoredSize). A blob no descriptor sizes is held to its size
 * by the key instead: resultKey has each layer's size(), which is then the stored size, so one of another size misses
 * and the walk holds it to the size its layer cache entry recorded.
 */
export async function checkStoredSizes(image: Image): Promise<void> {
  const layers = await image.layers();
  for (const [index, layer] of layers.entries()) await checkStoredSize(image.ref.name, layer, index);
}

/**
 * One layer's stored size against its descriptor's, or the one its cache entry recorded (Layer.checkStoredSize),
 * failing as the walk reports a read.
 */
async function checkStoredSize(where: string, layer: Layer, index: number, cachedSize?: number): Promise<void> {
  try {
    await layer.checkStoredSize(cachedSize);
  } catch (error) {
    throw layerReadError(where, index, await layer.digest(), error);
  }
}

export async function walkLayers(image: Image, options: WalkOptions = {}): Promise<WalkedLayer[]> {
  const verify = options.verify !== false;
  const layers = await image.layers();
  const where = image.ref.name;
  if (layers.length > MAX_LAYERS) throw tooManyLayers(where, layers.length);
  const hashDiffId = new Set<number>();
  // Where each layer's blob digest comes from. From outside the bytes (a manifest, a file name): only these are
  // served from the layer cache, since for a legacy `docker save` layer.tar the only check is hashing the bytes
  // against the config's diff_id, and a cache hit would skip it (a layer.tar modified after saving would pass
  // unread). The config's diff_id claimed for an uncompressed legacy layer.tar: two listings of one such digest may
  // be two different files (a tampered archive), each proven only by hashing its own bytes, so neither is read once
  // for both (the layers named by a manifest, a blob's file name or their own bytes are).
  const sources = new Map<number, DigestSource>();
  // Each blob's stored size where a stat or tar header gives it, for its cache entry: with no descriptor size, a later
  // hit has only this to tell the blob read from one cut short or grown since. Looked up only where an entry may be
  // written (remember's condition below): --no-cache and --no-verify runs stat nothing for it.
  const storedSizes = new Map<number, number | undefined>();
  const addressed = (index: number) => sources.get(index) === 'manifest' || sources.get(index) === 'name';
  // The key that makes listings one blob: the digests, or the listing itself where the digest is only claimed.
  const blobKey = (w: { index: number; digest: string; diffId: string }, how: string | boolean) =>
    sources.get(w.index) === 'diff-id' ? `#${w.index}` : `${w.digest} ${w.diffId} ${how}`;
  const walked: WalkedLayer[] = await Promise.all(
    layers.map(async (layer, index) => {
      const w = {
        index,
        digest: await layer.digest(),
        diffId: await layer.diffId(),
        mediaType: await layer.mediaType(),
        compressedBytes: await layer.size(),
        present: await layer.isFilesystem(),
        scan: emptyScan(),
      };
      const source = await layer.digestSource();
      const plan = planChecks({ ...w, source }, verify, options.verifyDiffIds === true);
      if (plan.hashDiffId) hashDiffId.add(index);
      sources.set(index, source);
      if (options.cache && verify) storedSizes.set(index, await layer.storedSize());
      return { ...w, checks: plan.checks };
    }),
  );
  const layerWhat = (index: number) => `layer ${index} of ${where}`;
  const layerError = (index: number, error: unknown) => layerReadError(where, index, walked[index].digest, error);
  const reused = new Set<number>();
  // A layer taken from another image's walk was read from that image's blob, not this one's: this image's copy
  // may be corrupt (`analyze` of it would fail), so its bytes are still checked, without the tar parse. The same
  // blob digest as the scanned copy: hashing the stored bytes proves they are those bytes (no decompression).
  // Another blob of that diffId (recompressed, or stored uncompressed): its tar is decompressed and hashed
  // against the diff_id, which is what makes it the scanned content. Where the other walk served the layer from
  // the cache by this very blob digest, reading this image alone would have hit the cache too: not read.
  const confirm = new Map<number, 'stored' | 'tar' | 'scan'>();
  // One check per blob, as for the layers read (see `repeats` below): an image may list one reused blob many times,
  // and each listing would read and hash the same bytes again.
  const confirming = new Set<string>();
  for (const w of walked) {
    const r = options.reuse?.get(w.diffId);
    if (!r) continue;
    w.scan = sharedScan(r.scan); // its own object, as a repeated listing gets (see sharedScan)
    reused.add(w.index);
    if (!w.present || !r.present) {
      w.present = r.present;
      w.checks = r.checks;
      continue;
    }
    const sameBlob = r.digest === w.digest;
    if (sameBlob && r.fromCache && addressed(w.index)) {
      // As analysing this image alone would: its own copy's size checked, its checks those of a cached layer.
      await checkStoredSize(where, layers[w.index], w.index, r.cachedSize);
      w.fromCache = true;
      w.cachedSize = r.cachedSize;
      w.checks = cachedChecks(w.checks, r.checks.diffId === 'cached');
      continue;
    }
    if (options.checkReused === false) {
      // Not read at all: the result must not claim checks of bytes it never saw.
      w.checks = { blobDigest: 'skipped', diffId: 'skipped' };
      continue;
    }
    // Without verification there is no digest to vouch for this copy, but reading this image alone still inflates
    // and parses every layer: a copy cut short, not gzip, or not a tar fails there, and must fail here. So it is
    // read as its own layer would be (its checks stay `skipped`), only the scan is not used.
    const how = !verify ? 'scan' : sameBlob ? 'stored' : 'tar';
    if (how === 'tar') w.checks = { ...w.checks, diffId: 'verified' };
    const key = blobKey(w, how);
    if (confirming.has(key)) continue;
    confirming.add(key);
    confirm.set(w.index, how);
  }
  if (options.cache) {
    const cache = options.cache;
    // One cache read per blob, however many layers list it (each listing gets its own copy: see sharedScan).
    const gets = new Map<string, ReturnType<LayerCache['lookup']>>();
    await Promise.all(
      walked
        .filter((w) => w.present && !reused.has(w.index) && addressed(w.index))
        .map(async (w) => {
          const key = `${w.diffId} ${w.digest}`;
          if (!gets.has(key)) gets.set(key, cache.lookup({ diffId: w.diffId, digest: w.digest }));
          const hit = await gets.get(key)!;
          // --verify-diff-ids asks for a check an entry read without it never ran: the layer is read, and checked.
          if (!hit || (w.checks.diffId === 'verified' && !hit.verifiedDiffId)) return;
          // It also asks that this blob be checked to inflate to its diffId: an entry read from another blob (the same
          // tar compressed another way, the config says) vouches for that tar, not for this blob, which may be cut
          // short or another tar under the same claim, as a pull would find. A blob that is its own tar is checked by
          // its digest, as a hit of the same blob is.
          if (options.verifyDiffIds && !hit.sameBlob && w.digest !== w.diffId) return;
          w.scan = sharedScan(hit.scan);
          w.fromCache = true;
          w.cachedSize = hit.storedSize;
          w.checks = cachedChecks(w.checks, hit.verifiedDiffId);
          reused.add(w.index);
        }),
    );
    // A hit reads nothing of the blob, but a blob cut short or grown since it was cached is not the one cached: what
    // is cheap to see (its size) is checked, failing as reading it would (--no-cache), whatever the cache holds.
    for (const w of walked) if (w.fromCache) await checkStoredSize(where, layers[w.index], w.index, w.cachedSize);
    // A cached layer over a budget stops the walk as reading it would have, with the same error: the budgets are
    // the caller's, not the cache's, and the exit code must not depend on what the cache holds.
    for (const w of walked) {
      const over = w.fromCache ? scanOverBudget(layerWhat(w.index), w.scan, options.limits) : undefined;
      if (over) throw layerError(w.index, over);
    }
  }
  const isReused = (index: number) => reused.has(index);
  // Only what was read with its digests checked goes into the cache (see layer-cache.ts for the trust rules).
  const cacheWrites: Promise<void>[] = [];
  // One write per blob: an image may list one blob many times (the empty layer of every ENV step in old builders),
  // and each write of the same entry also sweeps the cache's tmp/, which holds the other writes' temp files.
  const remembered = new Set<string>();
  const remember = (job: Job) => {
    if (!options.cache || !verify) return;
    const w = walked[job.index];
    const verifiedDiffId = job.task.diffId !== undefined || w.digest === w.diffId;
    const key = `${w.diffId} ${w.digest} ${verifiedDiffId}`;
    if (remembered.has(key)) return;
    remembered.add(key);
    try {
      const storedSize = storedSizes.get(job.index);
      cacheWrites.push(options.cache.put({ diffId: w.diffId, digest: w.digest, verifiedDiffId, storedSize }, w.scan));
    } catch {
      // An entry that cannot be serialised is simply not cached.
    }
  };
  // The sparse holes every layer read here hashes, counted together (across worker threads) against one budget.
  // A layer not read here (served from the cache, or taken from another image's walk) counts the holes its scan
  // hashed, once per blob as a blob is read once: reading it would have, and the exit code must not depend on what
  // the cache holds. A reused layer read again to confirm its copy hashes its holes again, and counts then; so do
  // the other listings of its blob, whose confirmation that one read is (confirm holds the first listing only).
  const holes = new ImageHoles();
  const limits = options.limits ?? DEFAULT_LIMITS;
  const holesCounted = new Set(walked.filter((w) => confirm.get(w.index) === 'scan').map((w) => blobKey(w, 'holes')));
  for (const w of walked) {
    if (!reused.has(w.index) || !w.scan.holeBytes) continue;
    const key = blobKey(w, 'holes');
    if (holesCounted.has(key)) continue;
    holesCounted.add(key);
    if (holes.add(w.scan.holeBytes) > limits.maxDecompressedBytes)
      throw layerError(w.index, imageHolesExceeded(layerWhat(w.index), limits));
  }
  const imageHoles = holes.shared;
  // One read per blob: an image may list one blob hundreds of times, and each listing would read, inflate and parse
  // the same bytes again. The first listing is read; the others take its scan when it completes.
  const repeats = new Map<number, number[]>();
  const firstListing = new Map<string, number>();
  const jobs: Job[] = walked
    .filter((w) => w.present && !isReused(w.index))
    .filter((w) => {
      const key = blobKey(w, hashDiffId.has(w.index));
      const first = firstListing.get(key);
      if (first === undefined) {
        firstListing.set(key, w.index);
        return true;
      }
      const listings = repeats.get(first);
      if (listings) listings.push(w.index);
      else repeats.set(first, [w.index]);
      return false;
    })
    .map((w): Job => ({
      index: w.index,
      layer: layers[w.index],
      sizeBytes: w.compressedBytes,
      task: {
        what: layerWhat(w.index),
        diffId: hashDiffId.has(w.index) ? w.diffId : undefined,
        limits: options.limits,
        imageHoles,
        storedBytes: Number.isFinite(w.compressedBytes) ? w.compressedBytes : undefined,
      },
    }))
    .concat(
      [...confirm].map(([index, how]): Job => ({
        index,
        layer: layers[index],
        sizeBytes: walked[index].compressedBytes,
        task: {
          what: layerWhat(index),
          limits: options.limits,
          imageHoles,
          // A confirming scan reads the blob as its own walk would (the stored size sizes the decoder).
          ...(how === 'scan' && Number.isFinite(walked[index].compressedBytes)
            ? { storedBytes: walked[index].compressedBytes }
            : {}),
        },
        confirm: how,
      })),
    )
    .sort((a, b) => a.index - b.index);
  // The largest layer starts first (it bounds the wall time); the rest go in index order, so layers complete
  // roughly bottom-up and `onLayer` can apply them while the big one is still being read.
  if (jobs.length > 2) {
    const largest = jobs.reduce((m, j) => (j.sizeBytes > m.sizeBytes ? j : m));
    jobs.splice(jobs.indexOf(largest), 1);
    jobs.unshift(largest);
  }

  const totalBytes = jobs.reduce((sum, j) => sum + j.sizeBytes, 0);
  let doneBytes = 0;
  const progressFor = (job: Job) => {
    let layerBytes = 0;
    const count = (n: number) => {
      layerBytes += n;
      doneBytes += n;
      options.onProgress?.({ layer: job.index, layerBytes, layerTotalBytes: job.sizeBytes, doneBytes, totalBytes });
    };
    /** For the layer read again from its start: only the bytes past those counted already count. */
    const again = () => {
      let read = 0;
      const counted = layerBytes;
      return (n: number) => {
        const fresh = Math.min(n, read + n - counted);
        read += n;
        if (fresh > 0) count(fresh);
      };
    };
    return Object.assign(count, { again });
  };

  const workerUrl = compiledWorkerUrl();
  // A worker per core once there are two layers and enough bytes to read: on the 2-core reference machine two workers
  // took corpus `big` in 0.97x the one-thread gunzip baseline at 173 MB, in-process 1.43x (bench/README.md, "Session
  // 47"). A small image (the demo's 5 MB) is read as fast in-process, without starting threads; one layer alone is
  // read in-process too, where zlib's pool inflates it while this thread parses; and so are many small layers (a
  // million small files in 20 layers of 1.4 MB): there the work is per entry, on this thread, not decompression, and
  // each worker's entry lists cost memory of its own.
  // Only layers to scan count: a reused layer's check (hashing this image's copy of a shared blob) runs on this thread
  // (`diff` of an image and its base plus one layer reads that one layer in-process, with no idle worker beside it).
  const scans = jobs.filter((j) => !onlyChecks(j));
  const toRead = scans.reduce((sum, j) => sum + (Number.isFinite(j.sizeBytes) ? j.sizeBytes : 0), 0);
  const worthWorkers =
    availableParallelism() >= 2 &&
    scans.length >= 2 &&
    toRead >= WORKERS_FROM_BYTES &&
    toRead / scans.length >= WORKERS_FROM_LAYER_BYTES;
  const wanted = options.workers ?? (worthWorkers ? availableParallelism() : 0);
  // At most one per core, whatever was asked: threads beyond the cores cannot run at once, and each costs ~12 MB
  // (`--workers 1000` on a 1,000-layer image started 1,000 of them, 12 GB).
  const count = workerUrl ? Math.max(0, Math.min(wanted, scans.length, availableParallelism())) : 0;
  const queue = [...jobs];

  const done = walked.map((w) => !w.present || isReused(w.index));
  let nextReady = 0;
  const emitReady = () => {
    // (Not `onLayer?.(walked[nextReady++])`: optional chaining would skip the increment when onLayer is unset.)
    while (nextReady < walked.length && done[nextReady]) {
      const ready = walked[nextReady];
      nextReady++;
      options.onLayer?.(ready);
    }
  };
  emitReady();
  // The streams this thread is reading in-process: one layer failing ends the others, so its error ends the command
  // then, not once every other layer has been read (a download dripping in, a large layer inflating). Worker threads
  // are ended by terminating them.
  const reading = new Set<Readable>();
  let failure: Error | undefined;
  const track = (stream: Readable): Readable => {
    if (failure) stream.destroy(failure);
    else {
      reading.add(stream);
      stream.once('close', () => reading.delete(stream));
    }
    return stream;
  };
  // The scans on this thread are stopped by a signal instead: a stream read to its end already (688 KB of zstd, read
  // at once) leaves its decoder gigabytes of output to give, which destroying the stream does not stop.
  const stop = new AbortController();
  const runJob = async (job: Job, runner?: WorkerRunner, file?: StoredFile, download?: LayerDownload) => {
    try {
      if (onlyChecks(job)) {
        const stream = track(await (job.confirm === 'stored' ? job.layer.compressed() : job.layer.uncompressed()));
        const onBytes = progressFor(job);
        // Progress counts stored bytes: a decompressed tar's chunks are counted as one, once it is checked.
        for await (const chunk of stream) if (job.confirm === 'stored') onBytes((chunk as Buffer).length);
        if (job.confirm === 'tar') onBytes(job.sizeBytes);
        return;
      }
      const onBytes = progressFor(job);
      // A confirming scan only has to succeed: the reused scan stays, and nothing read unverified is cached.
      const keep = (scan: LayerScan) => {
        if (job.confirm !== 'scan') walked[job.index].scan = scan;
      };
      if (runner) {
        keep(
          await (file
            ? runner.runFile(file, job.task, onBytes).catch(async (error: unknown) => {
                // A cache that could not take the download (a full disk) stopped its file growing: the layer is read
                // from its source as with no cache, since a cache never fails a command. Progress goes on from the
                // bytes already counted.
                if (download?.unwritable()) {
                  await download.settle(false);
                  return runner.run(await job.layer.compressed(), job.task, onBytes.again());
                }
                // A download that failed stopped its file growing: its own error is the one to give.
                throw download?.failure() ?? error;
              })
            : runner.run(await job.layer.compressed(), job.task, onBytes)),
        );
        // Read to its end and its digest checked: the download may keep its copy in the cache.
        await download?.settle(true);
        // A worker with nothing more to read goes now, before this layer is applied: what it holds (its last layer's
        // entry columns, kept for a next one) is freed while the union grows, not at the end of the walk.
        runner.assigned--;
        if (runner.assigned === 0 && queue.length === 0) void runner.close();
      } else {
        // Stopped by the signal, not by destroying its stream: the scan stops its decoder too, then the stream.
        keep(await scanToRootCause(await job.layer.compressed(), job.task, onBytes, stop.signal));
      }
      remember(job);
      done[job.index] = true;
      if (!job.confirm) {
        for (const index of repeats.get(job.index) ?? []) {
          walked[index].scan = sharedScan(walked[job.index].scan);
          done[index] = true;
        }
        // Read before a layer below it: what needs no lower layer can be done while that one is still read.
        if (job.index > nextReady) options.onEarly?.(walked[job.index]);
      }
      emitReady();
    } catch (error) {
      // A layer stopped because another failed fails with that one's error: the first failure is the walk's.
      if (failure) throw failure;
      failure = layerError(job.index, error);
      queue.length = 0; // stop the other lanes: one unreadable layer fails the walk
      for (const stream of reading) stream.destroy(failure);
      stop.abort();
      throw failure;
    }
  };

  if (count === 0) {
    // In-process: three layers at a time, so zlib's thread pool decompresses two while this thread parses a third,
    // and the cores stay busy while the largest layer finishes (corpus `big`, quiet 2-core machine: 4.4-4.6 s with
    // three lanes, 4.5-5.2 s with two; bench/README.md, "the layer pipeline").
    const lanes = Math.max(1, Math.min(3, jobs.length));
    const walking = Promise.all(
      Array.from({ length: lanes }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await runJob(job);
      }),
    );
    options.onReading?.();
    await walking;
    await Promise.all(cacheWrites);
    return walked;
  }

  // Layers of known size are dealt out before the walk starts, in the split that finishes soonest by their sizes
  // (largest first, each to the least loaded worker; bench/README.md, "Session 47"): taking the next layer when free
  // left one worker reading the last layer alone while the other idled. Each worker takes its share in index order,
  // so the lower layers complete first and `onLayer` can apply them while the rest are read. A share in local files is
  // posted at once (the worker reads each file itself, a download's as it grows), so applying a layer on this thread
  // never holds up a worker's next; a daemon's stream, or a download with no cache, is fed through this thread, one
  // after another. The rest (a size unknown, a reused layer's check) go to whichever worker is free.
  type Share = { job: Job; file?: StoredFile; download?: LayerDownload };
  const lanes: Share[][] = Array.from({ length: count }, () => []);
  const loads = new Array<number>(count).fill(0);
  const sized: Job[] = [];
  for (const job of queue.splice(0)) {
    if (Number.isFinite(job.sizeBytes) && !onlyChecks(job)) sized.push(job);
    else queue.push(job);
  }
  sized.sort((a, b) => b.sizeBytes - a.sizeBytes);
  for (const job of sized) {
    const lane = loads.indexOf(Math.min(...loads));
    lanes[lane].push({ job, file: await job.layer.storedFile() });
    loads[lane] += job.sizeBytes;
  }
  for (const lane of lanes) lane.sort((a, b) => a.job.index - b.job.index);
  // A registry's layers download into the blob cache's files, which the workers read as they grow (Layer.download):
  // started in the order the workers take them, each lane's first, then each lane's second, as the downloads run a
  // few at a time. This thread then only receives and writes; the workers hash, as they do a local file.
  const downloads: LayerDownload[] = [];
  const startDownloads = async () => {
    for (let k = 0; lanes.some((lane) => k < lane.length); k++) {
      for (const share of lanes.map((lane) => lane[k]).filter((s) => s && !s.file)) {
        share.download = await share.job.layer.download();
        share.file = share.download?.file;
        if (share.download) downloads.push(share.download);
      }
    }
  };
  const runLane = async (runner: WorkerRunner, lane: Share[]) => {
    if (lane.every((share) => share.file))
      await Promise.all(lane.map(({ job, file, download }) => runJob(job, runner, file, download)));
    else for (const { job, file, download } of lane) await runJob(job, runner, file, download);
  };
  const runners = Array.from({ length: count }, () => new WorkerRunner());
  runners.forEach((runner, i) => (runner.assigned = lanes[i].length));
  try {
    await startDownloads();
    const walking = Promise.all(
      runners.map(async (runner, i) => {
        await runLane(runner, lanes[i]);
        for (let job = queue.shift(); job; job = queue.shift()) await runJob(job, runner);
      }),
    );
    options.onReading?.();
    await walking;
  } finally {
    await Promise.all(runners.map((r) => r.close()));
    // Those not read to the end (the walk failed) are stopped, their files dropped.
    await Promise.all(downloads.map((d) => d.settle(false)));
  }
  await Promise.all(cacheWrites);
  return walked;
}
