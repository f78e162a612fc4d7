// A layer tree recorded from a final filesystem given as a map (path -> node), for tests of the views built on it
// (the treemap's size tree) at sizes or depths that building a real image for would only slow down. Each path's
// missing parents are recorded first as directories, as the union filesystem reports them during a walk.
import { LayerTreeRecorder, type LayerTree } from '../../src/analysis/layer-tree.js';
import type { FsNode } from '../../src/analysis/union.js';

export function layerTreeOf(nodes: Map<string, FsNode>, layerCount = 1): LayerTree {
  const recorder = new LayerTreeRecorder();
  const seen = new Set<string>();
  for (const [path, node] of nodes) {
    const parents: string[] = [];
    for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) parents.push(path.slice(0, i));
    for (const dir of parents) {
      if (seen.has(dir)) continue;
      seen.add(dir);
      recorder.put(
        dir,
        { layer: node.layer, kind: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0 },
        undefined,
        node.layer,
      );
    }
    recorder.put(path, node, undefined, node.layer);
  }
  return recorder.finish(layerCount);
}
