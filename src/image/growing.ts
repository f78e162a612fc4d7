// A file one thread is still writing (a registry download into the blob cache) and another reads as it grows (a walk
// worker): how many bytes are written and whether the writing ended, in memory both threads share. The reader blocks
// in Atomics.wait between pieces, since a worker reading a layer has a thread to itself and nothing else to do; the
// writer bumps a tick after every change and wakes it, so no wake-up is lost between the reader's look and its wait.

const WRITTEN = 0;
const STATE = 1;
const TICK = 2;

const COMPLETE = 1n;
const FAILED = 2n;

/** How long a reader sleeps before it looks again anyway (a terminated worker stops at its next look). */
const WAIT_MS = 200;

/** The writer's side: made on the thread that writes; `shared` goes to the reader in its StoredFile. */
export class Growth {
  readonly shared = new SharedArrayBuffer(3 * 8);
  private readonly cells = new BigInt64Array(this.shared);

  /** `bytes` are in the file, readable by another thread from now on. */
  written(bytes: number): void {
    Atomics.store(this.cells, WRITTEN, BigInt(bytes));
    this.tick();
  }

  /** Every byte is written: the file will not grow again. */
  complete(): void {
    Atomics.store(this.cells, STATE, COMPLETE);
    this.tick();
  }

  /** The writing failed: the writer holds its error; the reader stops with `GrowthFailed`. */
  fail(): void {
    Atomics.store(this.cells, STATE, FAILED);
    this.tick();
  }

  private tick(): void {
    Atomics.add(this.cells, TICK, 1n);
    Atomics.notify(this.cells, TICK);
  }
}

/** The reader's stop when the writer failed: the thread that wrote names the failure (Growth's owner). */
export class GrowthFailed extends Error {
  readonly code = 'growth-failed';
  constructor() {
    super('the file being read stopped growing: its writer failed');
  }
}

/** How far the file is written now: its length once there are `bytes`, or it is complete; else the tick to wait on. */
function look(cells: BigInt64Array, bytes: number): { written: number } | { tick: bigint } {
  const tick = Atomics.load(cells, TICK);
  const state = Atomics.load(cells, STATE);
  const written = Number(Atomics.load(cells, WRITTEN));
  if (state === FAILED) throw new GrowthFailed();
  return written >= bytes || state === COMPLETE ? { written } : { tick };
}

/**
 * Blocks until the file `shared` describes holds at least `bytes` bytes, or is complete; returns how many it holds
 * then (fewer than `bytes` only at its end). Throws GrowthFailed once the writer failed.
 */
export function awaitGrowth(shared: SharedArrayBuffer, bytes: number): number {
  const cells = new BigInt64Array(shared);
  for (;;) {
    const now = look(cells, bytes);
    if ('written' in now) return now.written;
    Atomics.wait(cells, TICK, now.tick, WAIT_MS);
  }
}

/** Atomics.waitAsync: in Node since 16 (V8), typed by TypeScript only in lib ES2024, which this project is not on. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      cells: BigInt64Array,
      index: number,
      value: bigint,
      timeoutMs: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/** awaitGrowth without blocking the thread: for a stream reading the file (its event loop goes on meanwhile). */
export async function growth(shared: SharedArrayBuffer, bytes: number): Promise<number> {
  const cells = new BigInt64Array(shared);
  for (;;) {
    const now = look(cells, bytes);
    if ('written' in now) return now.written;
    const wait = waitAsync(cells, TICK, now.tick, WAIT_MS);
    if (wait.async) await wait.value;
  }
}
