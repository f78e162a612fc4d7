// `ballast explore`: the analysis of `analyze` plus the per-layer file tree, recorded during the same walk, for
// the terminal view (src/ui/explore). Nothing here draws; the command mounts the view on a TTY, or prints
// `exploreJson` under --json.
import { LayerTreeRecorder, type LayerTree, type TreeEntry } from '../analysis/layer-tree.js';
import { displayPath } from '../analysis/tar-parser.js';
import { openImage } from '../sources/resolve.js';
import { analyzeImage, type AnalyzeOptions, type AnalyzeResult } from './analyze.js';

export type ExploreOptions = Omit<AnalyzeOptions, 'unionObserver'>;

/** The image argument checked before the view's terminal is (a mistyped path is the user's real mistake). */
export { checkImageArgument } from '../sources/resolve.js';

export interface ExploreResult {
  analysis: AnalyzeResult;
  tree: LayerTree;
  /** Wall time of the walk and analysis, for the status line. */
  analyzeMs: number;
  /** Of which: turning the recorded histories into the tree (directory sums), after the walk. */
  treeMs: number;
}

export async function explore(options: ExploreOptions): Promise<ExploreResult> {
  const started = performance.now();
  const image = await openImage(options.image, options);
  try {
    const recorder = new LayerTreeRecorder();
    const analysis = await analyzeImage(image, { ...options, unionObserver: recorder });
    const treeStarted = performance.now();
    const tree = recorder.finish(analysis.layers.length);
    const done = performance.now();
    return { analysis, tree, analyzeMs: done - started, treeMs: done - treeStarted };
  } finally {
    await image.close();
  }
}

export interface ExploreJsonChange {
  path: string;
  kind: TreeEntry['kind'];
  status: TreeEntry['status'];
  sizeBytes: number;
  /**
   * A symlink's target as written; a hard link's file by its absolute path, as the view shows them (`→`, `⇒`):
   * without it a link reads as an empty file of 0 bytes.
   */
  link?: string;
  /**
   * The copy this change names is hidden: on an added or modified path, the copy this layer wrote; on a removal, the
   * older copy it removed (`byLayer` is this layer). The same bytes are marked on both, so a total of wasted bytes
   * leaves the removals out (the README says so).
   */
  wasted?: TreeEntry['waste'];
}

export interface ExploreJson {
  image: AnalyzeResult['image'];
  summary: AnalyzeResult['summary'];
  layers: (Pick<
    AnalyzeResult['layers'][number],
    'index' | 'digest' | 'instruction' | 'historyInstruction' | 'fileBytes' | 'wastedBytes'
  > & {
    changes: ExploreJsonChange[];
  })[];
  findings: AnalyzeResult['findings'];
}

/** What `explore --json` prints: each layer's changes (paths absolute), the summary and the findings. */
export function exploreJson(result: ExploreResult): ExploreJson {
  const { analysis, tree } = result;
  return {
    image: analysis.image,
    summary: analysis.summary,
    layers: analysis.layers.map((l) => ({
      index: l.index,
      digest: l.digest,
      ...(l.instruction ? { instruction: l.instruction } : {}),
      historyInstruction: l.historyInstruction,
      fileBytes: l.fileBytes,
      wastedBytes: l.wastedBytes,
      // A getter, not a list: JSON.stringify asks for one layer's changes at a time, so a 45k-file image holds one
      // layer's changes while it prints, not every layer's at once (each read makes the list anew); and the list
      // makes each change when it is read, so that layer holds its sorted paths, not 45k objects.
      get changes(): ExploreJsonChange[] {
        const paths = tree.changedPaths(l.index);
        return lazyList(paths.length, (i) => {
          const e = tree.entry(paths[i], l.index)!;
          return {
            path: `/${displayPath(e.path)}`,
            kind: e.kind,
            status: e.status,
            sizeBytes: e.sizeBytes,
            ...(e.node.link !== undefined && (e.kind === 'symlink' || e.kind === 'hardlink')
              ? { link: e.kind === 'symlink' ? displayPath(e.node.link) : `/${displayPath(e.node.link)}` }
              : {}),
            ...(e.waste ? { wasted: e.waste } : {}),
          };
        });
      },
    })),
    findings: analysis.findings,
  };
}

/**
 * A read-only array whose items are made when read (`at(i)`), not stored: JSON.stringify and json-ext's
 * stringifyChunked see an array (Array.isArray, length, indices), and so do array methods, spreading and
 * equality checks (the traps for `has`, own keys and property descriptors answer for the indices too).
 */
export function lazyList<T>(length: number, at: (i: number) => T): T[] {
  const index = (key: string | symbol): number => {
    if (typeof key !== 'string') return -1;
    const i = Number(key);
    return Number.isInteger(i) && i >= 0 && i < length && String(i) === key ? i : -1;
  };
  const target: T[] = [];
  target.length = length;
  return new Proxy(target, {
    get: (t, key, receiver) => {
      const i = index(key);
      return i >= 0 ? at(i) : Reflect.get(t, key, receiver);
    },
    has: (t, key) => index(key) >= 0 || Reflect.has(t, key),
    ownKeys: (t) => [...Array.from({ length }, (_, i) => String(i)), ...Reflect.ownKeys(t)],
    getOwnPropertyDescriptor: (t, key) => {
      const i = index(key);
      return i >= 0
        ? { value: at(i), writable: false, enumerable: true, configurable: true }
        : Reflect.getOwnPropertyDescriptor(t, key);
    },
    set: () => false,
    deleteProperty: () => false,
    defineProperty: () => false,
  });
}
