// Lint on every core: a run of many Dockerfiles is linted on the main thread and on worker threads at once, each taking
// the next file from one shared queue (a worker starts some 0.2-0.4 s late, loading the rule modules, so a fixed split
// would leave the main thread waiting for it). Still one process. The lint service lays the results out in file order
// afterwards, exactly as one thread would have made them; a file no thread could lint is linted there again, so its
// error is the single-thread one (bench/README.md, "Session 56: lint on two cores").
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import type { FileConfig, FileLint, FileTask } from './lint-file.js';
import type { FromLintWorker, ToLintWorker } from './lint-worker.js';

/** The worker module, beside this one in dist/ (under ts-jest there is none: lints run on one thread). */
const LINT_WORKER_URL = new URL('./lint-worker.js', import.meta.url);

/**
 * The fewest files linted on more than one thread. A worker costs ~0.3 s of a core to start; the main thread lints
 * ~3 ms a file, so below this the worker would lint few files, if any, before the main thread has done them all.
 */
export const THREADS_FROM_FILES = 64;

/**
 * How many threads lint `files` Dockerfiles: one unless $BALLAST_LINT_THREADS asks for more (from THREADS_FROM_FILES
 * files on; more than the cores is allowed, for tests). One by default: measured from the command line on an idle
 * 2-core machine (1,000 files, --no-shellcheck), a new worker's start and its unoptimised first files made the run
 * slower (4.1-5.1 s on one thread, 4.6-5.9 s on two); only a process that lints again with a kept worker gained.
 */
export function lintThreads(files: number, env: NodeJS.ProcessEnv): number {
  const asked = env.BALLAST_LINT_THREADS;
  let threads = 1;
  if (asked !== undefined && asked !== '') {
    threads = Number(asked);
    if (!Number.isInteger(threads) || threads < 1 || threads > 64)
      throw new UsageError(`$BALLAST_LINT_THREADS must be a whole number from 1 to 64, not ${JSON.stringify(asked)}`, {
        code: 'usage',
        hint: 'unset it (or set 1) to lint on the main thread only, or set the number of threads, such as 2',
      });
  }
  return files >= THREADS_FROM_FILES ? threads : 1;
}

/** Whether lint workers can start here (the compiled worker exists). */
export function lintWorkersAvailable(): boolean {
  return existsSync(fileURLToPath(LINT_WORKER_URL));
}

export interface ThreadedLints {
  /** Each task's lint, by index; undefined where no thread could lint it (the service lints it again itself). */
  lints: (FileLint | undefined)[];
  /** How many threads ran (the main thread and the workers that started), and the files each linted (main first). */
  threads: number;
  linted: number[];
}

/**
 * Workers kept after a lint for the next one in the same process (the bench, ci linting one set after another): a
 * new worker loads the rule modules and runs them unoptimised at first, ~1.8x the main thread's time a file over a
 * thousand files, where a kept one is as fast. Unreferenced, they never keep the process alive, and end IDLE_MS after
 * the last lint.
 */
const IDLE_MS = 10_000;
const idle: { worker: Worker; drop: () => void }[] = [];
let idleTimer: NodeJS.Timeout | undefined;
let runs = 0;

function takeWorker(youngGenerationMb: number | undefined): Worker {
  const kept = idle.shift();
  if (kept) {
    // Its own listeners only: removeAllListeners would take Node's, which start its port for 'message' listeners.
    kept.worker.off('error', kept.drop).off('exit', kept.drop);
    kept.worker.ref();
    return kept.worker;
  }
  return new Worker(LINT_WORKER_URL, {
    resourceLimits: youngGenerationMb ? { maxYoungGenerationSizeMb: youngGenerationMb } : undefined,
  });
}

function keepWorker(worker: Worker): void {
  worker.unref();
  // One that fails or ends while kept is dropped.
  const drop = () => {
    const at = idle.findIndex((kept) => kept.worker === worker);
    if (at >= 0) idle.splice(at, 1);
  };
  worker.on('error', drop).on('exit', drop);
  idle.push({ worker, drop });
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    for (const kept of idle.splice(0)) void kept.worker.terminate();
  }, IDLE_MS).unref();
}

/**
 * Lints `tasks` on the main thread (`lintHere`, which may throw) and on `threads - 1` workers at once. When this
 * returns, each worker has ended, or waits unreferenced for the next lint (keepWorker). `workersFirst` (tests): the
 * main thread starts once the workers have loaded, so that a test sees files linted on a worker on any machine.
 */
export async function lintOnThreads(
  tasks: FileTask[],
  configs: FileConfig[],
  fixStyle: ToLintWorker['fixStyle'],
  threads: number,
  lintHere: (task: FileTask) => FileLint,
  { workersFirst = false, youngGenerationMb }: { workersFirst?: boolean; youngGenerationMb?: number } = {},
): Promise<ThreadedLints> {
  const run = ++runs;
  const lints: (FileLint | undefined)[] = new Array(tasks.length);
  const next = new Int32Array(new SharedArrayBuffer(4));
  let accounted = 0;
  const workers: {
    worker: Worker;
    ready: boolean;
    done: boolean;
    dead: boolean;
    linted: number;
    /** This run's listeners, taken off when it ends (see takeWorker). */
    off: () => void;
  }[] = [];
  let wake: (() => void) | undefined;
  for (let i = 0; i < threads - 1; i++) {
    let worker: Worker;
    try {
      worker = takeWorker(youngGenerationMb);
    } catch {
      // One that cannot start leaves its files to the other threads.
      break;
    }
    const end = () => {
      state.dead = true;
      wake?.();
    };
    const listen = (message: FromLintWorker) => {
      if (message.run !== run) return;
      if (message.type === 'ready') state.ready = true;
      else if (message.type === 'done') state.done = true;
      else {
        lints[message.index] = message.lint;
        accounted++;
        state.linted++;
      }
      wake?.();
    };
    const state = {
      worker,
      ready: false,
      done: false,
      dead: false,
      linted: 0,
      off: () => void worker.off('message', listen).off('error', end).off('exit', end),
    };
    workers.push(state);
    worker.on('message', listen).on('error', end).on('exit', end);
    try {
      worker.postMessage({ run, tasks, configs, fixStyle, next } satisfies ToLintWorker);
    } catch {
      // Settings that do not survive the structured clone: this run lints on the main thread.
      end();
    }
  }
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  };
  let mine = 0;
  try {
    if (workersFirst) await until(() => workers.every((w) => w.ready || w.dead));
    for (let index = Atomics.add(next, 0, 1); index < tasks.length; index = Atomics.add(next, 0, 1)) {
      try {
        lints[index] = lintHere(tasks[index]);
      } catch {
        // Linted again by the service, which reports the error as a single-thread run would.
      }
      mine++;
      accounted++;
    }
    // Every file is taken: wait for those the workers are still linting, and for each worker that took part to say
    // it is done (it is kept then). One still loading its modules has taken none: it is not waited for.
    await until(
      () =>
        workers.every((w) => w.dead || w.done) ||
        (accounted >= tasks.length && workers.every((w) => w.dead || w.done || !w.ready)),
    );
  } finally {
    for (const { worker, done, dead, off } of workers) {
      off();
      if (done && !dead) keepWorker(worker);
      else {
        worker.unref();
        void worker.terminate();
      }
    }
  }
  const started = workers.filter((w) => w.ready);
  return { lints, threads: 1 + started.length, linted: [mine, ...started.map((w) => w.linted)] };
}
