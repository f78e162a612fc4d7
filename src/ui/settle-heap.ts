// One full garbage collection between the walk and the first frame of the explore view. The walk leaves the heap
// full of garbage (stream buffers, per-entry scan objects); left to itself V8 collects it during the first seconds of
// the view, and those pauses land in the first keystrokes (bench/explore-keys.js on corpus `big` at 80x24: 41 tab
// presses right after the walk, p95 36 ms and max 255 ms of wall time). Collecting once before the first frame, while
// the user is still waiting for the screen, moves that cost where it is not felt; it is measured and printed by the
// bench (tens of ms on `big`, inside the one-second budget from the end of the walk to an interactive view).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Runs a full GC now, if this V8 lets a running process enable `gc()`; otherwise does nothing (never an error). */
export function settleHeap(): void {
  try {
    // A flag set at run time applies to contexts created afterwards: the new context gets `gc`. It is unset at once, so
    // contexts made later (a test runner's next file) do not get it too.
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    setFlagsFromString('--no-expose-gc');
    if (typeof gc === 'function') gc();
  } catch {
    // Only the first keystrokes would be slower: not worth failing (or even warning) the view for.
  }
}
