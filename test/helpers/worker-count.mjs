// Preloaded into the CLI (NODE_OPTIONS=--import) by the tests of when the layer walk starts worker threads: writes
// how many the process started (Node's `worker` event) to $BALLAST_WORKER_COUNT_FILE when it exits. Only the main
// thread counts: a worker may run this preload too, and its own exit must not write its count of none.
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { isMainThread } from 'node:worker_threads';

const file = process.env.BALLAST_WORKER_COUNT_FILE;
if (file && isMainThread) {
  let started = 0;
  process.on('worker', () => started++);
  process.on('exit', () => writeFileSync(file, String(started)));
}
