// Shared by the image rules: grouping wasted files by the pair of layers involved, and naming a group by the
// directory its files have in common.
import type { WastedFile } from '../../src/analysis/measure.js';
import type { WasteCause } from '../../src/analysis/union.js';

export interface WasteGroup {
  layer: number;
  byLayer: number;
  files: number;
  bytes: number;
  /** The deepest directory holding every file of the group ('/' when they share none), or the file itself. */
  path: string;
  largest: WastedFile;
  changes: Set<string>;
}

/** Common leading directory of the paths (absolute, as people read them). */
export function commonPath(paths: string[]): string {
  if (paths.length === 1) return `/${paths[0]}`;
  let prefix = paths[0].split('/').slice(0, -1);
  for (const p of paths.slice(1)) {
    const parts = p.split('/');
    let i = 0;
    while (i < prefix.length && i < parts.length - 1 && prefix[i] === parts[i]) i++;
    prefix = prefix.slice(0, i);
    if (prefix.length === 0) break;
  }
  return `/${prefix.join('/')}`;
}

export function groupWaste(files: WastedFile[], cause: WasteCause): WasteGroup[] {
  const groups = new Map<string, { files: WastedFile[]; bytes: number; changes: Set<string> }>();
  for (const f of files) {
    if (f.cause !== cause) continue;
    const key = `${f.layer}:${f.byLayer}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { files: [], bytes: 0, changes: new Set() }));
    g.files.push(f);
    g.bytes += f.sizeBytes;
    if (f.change) g.changes.add(f.change);
  }
  return [...groups.values()].map((g) => {
    const largest = g.files.reduce((a, b) => (b.sizeBytes > a.sizeBytes ? b : a));
    return {
      layer: largest.layer,
      byLayer: largest.byLayer,
      files: g.files.length,
      bytes: g.bytes,
      path: commonPath(g.files.map((f) => f.path)),
      largest,
      changes: g.changes,
    };
  });
}
