// The view asks the filter's thread synchronously (Atomics.wait on shared words), so while it waits its event loop,
// and with it the worker's 'error' event, never runs: a thread that failed while starting (before its question loop)
// left the view waiting for ever. The thread says so through the shared words, and the view searches in place.
import { FilterThread } from '../../src/ui/explore/filter-thread.js';
import { layerTreeOf } from '../helpers/layer-tree.js';
import type { FsNode } from '../../src/analysis/union.js';

function index() {
  const nodes = new Map<string, FsNode>();
  const file: FsNode = { layer: 0, kind: 'file', size: 1, mode: 0o644, uid: 0, gid: 0 };
  for (const path of ['etc/passwd', 'usr/bin/xz', 'usr/lib/libc.so']) nodes.set(path, file);
  return layerTreeOf(nodes, 1).pathIndex();
}

describe('the filter thread failing as it starts', () => {
  it('answers in place, at once, instead of waiting for a thread that is gone', () => {
    const paths = index();
    // A search whose source does not compile: the thread fails before its first question.
    const thread = new FilterThread(paths, 'function (');
    try {
      // A deadline, so that the old code (which waited for the thread's answer) fails here rather than hang.
      thread.deadline(5000);
      const started = performance.now();
      const tests = thread.tests([/xz/]);
      const answers = paths.paths.map((_, i) => tests.own(i));
      expect(performance.now() - started).toBeLessThan(2500);
      expect(paths.paths.filter((_, i) => answers[i])).toEqual(paths.paths.filter((p) => p.includes('xz')));
      expect(paths.paths.some((p) => p.includes('xz'))).toBe(true);
    } finally {
      thread.close();
    }
  });
});
