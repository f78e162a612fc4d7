// settleHeap (run by `ballast explore` between the walk and the first frame) really runs a full collection in a
// process started without --expose-gc, as the CLI is.
import { settleHeap } from '../../src/ui/settle-heap.js';

describe('settleHeap', () => {
  it('collects what nothing references any more', async () => {
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ payload: new Array(10_000).fill(1) });
    })();
    // A WeakRef's target is kept alive until the end of the job that created it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined'); // jest's own context has no gc()
    settleHeap();
    expect(ref!.deref()).toBeUndefined();
  });
});
