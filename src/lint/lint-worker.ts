// Worker-thread entry of a large lint (lint-threads.ts): takes files from the run's shared queue, the same queue the
// main thread takes from, lints each as the main thread would (lint-file.ts) and posts back what it found. A file
// that fails here is posted as failed: the main thread lints it again, so its error is the single-thread one. A worker
// lints one run after another (kept between the lints of one process, its compiled code warm), one at a time.
import { parentPort } from 'node:worker_threads';
import { loadDockerfileRules } from '../../rules/index.js';
import { contextReaders, lintFile, type FileConfig, type FileLint, type FileTask } from './lint-file.js';

export interface ToLintWorker {
  /** Which run this is: every message back names it. */
  run: number;
  tasks: FileTask[];
  configs: FileConfig[];
  fixStyle?: 'cleanup' | 'cache-mount';
  /** The queue: the index of the next task to take, shared with the main thread (Atomics.add). */
  next: Int32Array;
}

export type FromLintWorker =
  /** The rules are loaded: the worker takes files from here. */
  | { type: 'ready'; run: number }
  /** A task taken and linted (`lint`), or failed (none). */
  | { type: 'file'; run: number; index: number; lint?: FileLint }
  /** The queue is empty: the worker is free for another run. */
  | { type: 'done'; run: number };

// Loaded at once, while the main thread works out the run's configs: the rule modules are most of a worker's start.
const rules = loadDockerfileRules();

// Runs are linted in the order sent, each to its end (the main thread sends one only to a worker that said `done`).
let queue = Promise.resolve();
parentPort!.on('message', (message: ToLintWorker) => (queue = queue.then(() => lintRun(message))));

async function lintRun({ run, tasks, configs, fixStyle, next }: ToLintWorker): Promise<void> {
  const all = await rules;
  const codes = new Set(all.map((r) => r.meta.code));
  const knownCode = (code: string) => codes.has(code);
  // Each config's rules, filtered as the main thread filters them (the rules left on by its severities).
  const configRules = configs.map((c) => all.filter((r) => c.severities[r.meta.code] !== 'off'));
  const contextOf = contextReaders();
  post({ type: 'ready', run });
  for (let index = Atomics.add(next, 0, 1); index < tasks.length; index = Atomics.add(next, 0, 1)) {
    const task = tasks[index];
    let lint: FileLint | undefined;
    try {
      lint = lintFile(
        task,
        configs[task.config],
        configRules[task.config],
        knownCode,
        contextOf(task.contextDir),
        fixStyle,
      );
    } catch {
      // Linted again on the main thread, which reports it as a single-thread run would.
    }
    try {
      post({ type: 'file', run, index, lint });
    } catch {
      // A finding that does not survive the structured clone: the main thread lints that file itself.
      post({ type: 'file', run, index });
    }
  }
  post({ type: 'done', run });
}

function post(message: FromLintWorker): void {
  parentPort!.postMessage(message);
}
