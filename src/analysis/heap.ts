// At a million files nearly everything the analysis keeps per path lives in typed arrays outside the JS heap
// (path-index.ts, node-table.ts, columns.ts): after a full garbage collection 3 bytes per path are left on the
// heap. The heap's size is then set by garbage (each layer's entry list, dropped once the layer is applied), and
// V8 lets it grow to up to 4 times what survived the last full collection before collecting again. On the
// 1M-file benchmark that headroom was 30-90 MB of peak RSS (285-308 bytes per entry in alternating runs), and it
// changed from run to run with the timing of the collections. Growth capped at 100% (the heap at most doubles):
// 242-245 bytes per entry, for 6% more CPU; at 50%, 230 bytes for 12% more.
//
// Only for images with many paths: on `big` (45k files, 1.3 GB of contents) a 50% cap cost 10-20% more CPU, its
// garbage being stream buffers, collected more often. And only on the V8 this was measured with (Node 20): on a
// V8 without the flag, setting it prints an error on stdout, where `--json` output goes.
import { setFlagsFromString } from 'node:v8';

/** Paths the analysis holds before the heap's growth is capped. */
export const MANY_PATHS = 200_000;

let capped = false;

/** Caps the heap's growth for the rest of the process (see above); once, and only on V8 11 (Node 20). */
export function capHeapGrowth(): void {
  if (capped) return;
  capped = true;
  if (process.versions.v8.startsWith('11.')) setFlagsFromString('--heap-growing-percent=100');
}
