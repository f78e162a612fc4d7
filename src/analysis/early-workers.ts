// Walk workers started before the walk asks for them. A worker thread takes ~60 ms to start and load its modules
// (walk-worker.ts), and the CLI spends ~190 ms loading oclif and the command before its walk begins: started first
// thing (bin/run.js) on a command line that will likely walk a large image, the workers are ready when the walk
// starts instead of 60 ms after it (bench/README.md, "Session 48"). The walk takes them (`takeWorker`); the ones no walk
// takes end on their own (`IDLE_MS`) and never keep the process alive.
//
// Imports nothing of ballast's: bin/run.js loads this before oclif, and every module it pulls in delays the command.
import { statSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The walk's worker module (beside this one in dist/; walk.ts checks that it exists). */
export const WALK_WORKER_URL = new URL('./walk-worker.js', import.meta.url);

/** How every walk worker is started: early here or by the walk. */
export function walkWorkerOptions(env: NodeJS.ProcessEnv = process.env): WorkerOptions {
  return {
    resourceLimits: {
      // A small young generation: the worker churns through 256 KB chunks, and a big nursery only raises RSS.
      maxYoungGenerationSizeMb: Number(env.BALLAST_WORKER_YOUNG_MB ?? 8),
      maxOldGenerationSizeMb: Number(env.BALLAST_WORKER_OLD_MB ?? 0) || undefined,
    },
  };
}

/** An early worker no walk took by then is ended: a long `explore` session should not keep idle threads. */
const IDLE_MS = 30_000;
/**
 * The size of a local image from which workers are started early: well above what the walk's default needs before it
 * uses workers (16 MiB to read, walk.ts), as the size here counts every blob (the config, the manifests) and cannot
 * tell one big layer, read in-process, from several. The ~60 ms won matters on images that take a second or more.
 */
export const EARLY_FROM_BYTES = 64 * 1024 * 1024;

const early: Worker[] = [];
let idleTimer: NodeJS.Timeout | undefined;

/** A started walk worker: an early one if one is ready, else a new one. */
export function takeWorker(): Worker {
  const worker = early.shift();
  if (!worker) return new Worker(WALK_WORKER_URL, walkWorkerOptions());
  // From here the walk owns it: its runner listens for errors and ends it.
  worker.removeAllListeners();
  worker.ref();
  return worker;
}

/** Ends the early workers no walk took (IDLE_MS after they started: the walk ran in-process, or with fewer). */
function endEarlyWorkers(): void {
  for (const worker of early.splice(0)) void worker.terminate();
  clearTimeout(idleTimer);
}

/** Starts `count` walk workers now, for the walk to take later. */
export function startWorkers(count: number): void {
  for (let i = 0; i < count; i++) {
    const worker = new Worker(WALK_WORKER_URL, walkWorkerOptions());
    worker.unref();
    // One that fails to start is dropped (the walk starts its own, and reports that one's failure).
    const drop = () => {
      const at = early.indexOf(worker);
      if (at >= 0) early.splice(at, 1);
    };
    worker.on('error', drop);
    worker.on('exit', drop);
    early.push(worker);
  }
  if (count > 0) idleTimer = setTimeout(endEarlyWorkers, IDLE_MS).unref();
}

/** The stored bytes of an image argument that is a local path: an archive's size, an OCI layout's blobs. */
function localImageBytes(argument: string): number {
  // `path:selector` (an archive's image, a layout's tag) names the path before the last colon.
  const candidates = [argument];
  const colon = argument.lastIndexOf(':');
  if (colon > 0) candidates.push(argument.slice(0, colon));
  for (const path of candidates) {
    try {
      const stat = statSync(path);
      if (stat.isFile()) return stat.size;
      if (!stat.isDirectory()) continue;
      const blobs = join(path, 'blobs', 'sha256');
      let bytes = 0;
      for (const name of readdirSync(blobs)) bytes += statSync(join(blobs, name)).size;
      return bytes;
    } catch {
      // Not this one.
    }
  }
  return -1;
}

/**
 * How many walk workers to start early for a command line (`args` after the command name), by the walk's own
 * default (walk.ts, `worthWorkers`) as far as the command line tells it: `--workers N` or BALLAST_WORKERS if given,
 * else one per core on 2+ cores when an argument is a local image of EARLY_FROM_BYTES or more, or when no argument is
 * a local path (a registry or a daemon image; started for nothing when it proves small, they cost a core's idle time
 * while oclif loads). None for help, the version, or a command line with no argument.
 */
export function earlyWorkerCount(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cores = availableParallelism(),
): number {
  if (args.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-v')) return 0;
  let asked: string | undefined = env.BALLAST_WORKERS;
  const values = new Set<number>();
  args.forEach((a, i) => {
    if (a === '--workers') {
      asked = args[i + 1];
      values.add(i + 1);
    } else if (a.startsWith('--workers=')) asked = a.slice('--workers='.length);
  });
  if (asked !== undefined) {
    const n = Number(asked);
    return Number.isInteger(n) && n > 0 ? Math.min(n, cores) : 0;
  }
  if (cores < 2) return 0;
  const positionals = args.filter((a, i) => !a.startsWith('-') && !values.has(i));
  if (positionals.length === 0) return 0;
  const sizes = positionals.map(localImageBytes);
  const big = sizes.some((s) => s >= EARLY_FROM_BYTES) || sizes.every((s) => s < 0);
  return big ? cores : 0;
}
