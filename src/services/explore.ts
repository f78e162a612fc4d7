// `ballast explore`: the analysis of `analyze` plus the per-layer file tree, recorded during the same walk, for
// the terminal view (src/ui/explore). Nothing here draws; the command mounts the view on a TTY, or prints
// `exploreJson` under --json.
import { LayerTreeRecorder, type LayerTree, type TreeEntry } from '../analysis/layer-tree.js';
import { displayPath } from '../analysis/tar-parser.js';
import { openImage } from '../sources/resolve.js';
import { analyzeImage, type AnalyzeOptions, type AnalyzeResult } from './analyze.js';

export type ExploreOptions = Omit<AnalyzeOptions, 'unionObserver'>;

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
      // layer's entries while it prints, not every layer's at once (each read builds the list anew).
      get changes(): ExploreJsonChange[] {
        return tree.changesIn(l.index).map((e) => ({
          path: `/${displayPath(e.path)}`,
          kind: e.kind,
          status: e.status,
          sizeBytes: e.sizeBytes,
          ...(e.waste ? { wasted: e.waste } : {}),
        }));
      },
    })),
    findings: analysis.findings,
  };
}
