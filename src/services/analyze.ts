// `ballast analyze`: why is this image so big, exactly, and what to do about it.
// Opens the image, walks every layer once (in parallel), measures, reads package databases, attributes layers
// to Dockerfile lines when given one, and runs the image rules. Returns plain data for the reporters and --json.
import { stat } from 'node:fs/promises';
import type { Attribution, LayerAttribution } from '../analysis/attribution.js';
import { cachedChecks, summarizeChecks, type CheckState } from '../analysis/checks.js';
import { runImageRules } from '../analysis/image-rules.js';
import { wastedCacheClasses, type JunkTotals } from '../analysis/junk.js';
import {
  LayerApplier,
  measureLayers,
  originLayers,
  type DirectoryTotal,
  type DuplicateGroup,
  type FinalFile,
  type LayerMeasure,
  type Measurements,
  type WasteBreakdown,
  type WastedFile,
} from '../analysis/measure.js';
import { readPackages, type PackageInfo, type PackagesResult } from '../analysis/packages.js';
import { LayerTreeRecorder } from '../analysis/layer-tree.js';
import { buildSizeTree, type SizeTree } from '../analysis/size-tree.js';
import { displayPath } from '../analysis/tar-parser.js';
import { typedPathCandidates } from '../image/tar-header.js';
import { UnionFs, type UnionObserver } from '../analysis/union.js';
import { layerCacheFor } from '../analysis/layer-cache.js';
import { resultCacheFor, resultCacheKey } from '../analysis/result-cache.js';
import { checkStoredSizes, walkLayers, type WalkedLayer, type WalkProgress } from '../analysis/walk.js';
import { wrapError } from '../errors.js';
import { isCompressedLayerType } from '../image/media-types.js';
import { loadOnce } from '../load-once.js';
import { withoutCredentials } from '../image/reference.js';
import type { ConfigFile, Image } from '../image/types.js';
import type { ImageFacts, ImageLayerView } from '../report/rule.js';
import type { Finding, RuleMeta, SeveritySetting } from '../report/types.js';
import { namesImage, openImage, type ResolveOptions } from '../sources/resolve.js';

export interface AnalyzeOptions extends ResolveOptions {
  image: string;
  /** Dockerfile to attribute layers to (file:line). */
  dockerfile?: string;
  /**
   * How the report names the Dockerfile, when not as `dockerfile` is read (ci names it from its own cwd, which need not
   * be the process's).
   */
  dockerfileName?: string;
  /** The base image, to tell its layers from yours when there is no Dockerfile. */
  base?: string;
  /** Rows in the top-N lists (default 20). */
  top?: number;
  /** Worker threads for the layer walk (default: one per core). */
  workers?: number;
  /** Also check each layer's uncompressed sha256 against the config's diff_ids (blob digests are always checked). */
  verifyDiffIds?: boolean;
  onProgress?: (progress: WalkProgress) => void;
  /** Called once the layers are being read (see WalkOptions.onReading): what the command needs afterwards can load. */
  onReading?: () => void;
  /** Rule severities by code or name ('off' disables). */
  severities?: Record<string, SeveritySetting>;
  /** Rule options by code or name. */
  ruleOptions?: Record<string, Record<string, unknown>>;
  /** Sees every change to the union filesystem while layers are applied (explore's per-layer tree). */
  unionObserver?: UnionObserver;
  /**
   * Also return the final filesystem by directory (`sizeTree`), for the HTML report's treemap. Off by default:
   * it is the one part of the result that grows with the number of files, and only that report draws it.
   */
  sizeTree?: boolean;
}

/** A layer as the result shows it: the walk's measure, with attribution instead of the raw instruction. */
export type AnalyzeLayer = Omit<LayerMeasure, 'instruction' | 'diveSizeBytes'> & {
  /** The Dockerfile instruction that made it (with --dockerfile). */
  instruction?: LayerAttribution;
  /** created_by in Dockerfile terms, from the image history. */
  historyInstruction: string | null;
  base: boolean;
};

export interface AnalyzeResult {
  image: {
    reference: string;
    source: string;
    tag: string | null;
    digest: string | null;
    imageId: string;
    platform: string;
    /** The digest checks that ran over every layer (`verified` only when they ran on all); per layer in `layers[].checks`. */
    checks: { blobDigests: CheckState; diffIds: CheckState };
  };
  summary: {
    layers: number;
    compressedBytes: number;
    uncompressedBytes: number;
    /**
     * Layers stored as plain tars (a `docker save` writes them so): compressedBytes counts their tar size, not what a
     * pull downloads. 0 when every layer is stored compressed.
     */
    plainLayers: number;
    /** Sum of regular-file bytes over all layers. */
    fileBytes: number;
    /** Regular files over all layers. */
    files: number;
    finalFileBytes: number;
    finalFiles: number;
    wastedBytes: number;
    wasted: WasteBreakdown;
    duplicateBytes: number;
    /** dive's efficiency score (so `.dive-ci` thresholds carry over). */
    efficiency: number;
    /** Reclaimable bytes of all findings, each wasted copy counted once when findings overlap. */
    findingBytes: number;
    base: {
      layers: number;
      source: 'dockerfile' | 'base-image' | 'first-layer';
      fileBytes: number;
      uncompressedBytes: number;
      compressedBytes: number;
    };
    user: {
      layers: number;
      fileBytes: number;
      uncompressedBytes: number;
      compressedBytes: number;
      wastedBytes: number;
      /**
       * wastedBytes / fileBytes as a fraction, the figure ci's maxWastedPercent checks (yourWastedShare); null when
       * your layers hold no file bytes, where that budget skips.
       */
      wastedPercent: number | null;
    };
  };
  dive: {
    efficiencyScore: number;
    sizeBytes: number;
    inefficientBytes: number;
    userSizeBytes: number;
    /** null when dive would divide by zero (a one-layer image). */
    userWastedPercent: number | null;
    files: number;
    /** The `top` paths dive finds inefficient, largest cumulative size first (dive's JSON `fileReference`). */
    fileReferences: { file: string; count: number; sizeBytes: number }[];
    /** How many paths dive finds inefficient: fileReferences lists the `top` largest of them. */
    fileReferenceCount: number;
    /** inefficientBytes by layer (each copy in the layer holding it): where ci points dive's rules. */
    layerInefficientBytes: number[];
  };
  layers: AnalyzeLayer[];
  wastedFiles: WastedFile[];
  duplicates: { bytes: number; groups: number; top: DuplicateGroup[] };
  /** With the bytes each layer holds (`ci`'s junk budgets point at those layers with their bytes). */
  junk: Omit<JunkTotals, 'filesByLayer' | 'pathByLayer'>[];
  packages: { totals: PackagesResult['totals']; top: PackageInfo[]; unsupported: string[]; warnings: string[] };
  topDirectories: DirectoryTotal[];
  /** The directories left out of `topDirectories` that sort before its last row (measure.ts). */
  leftOutDirectories: DirectoryTotal[];
  topFiles: FinalFile[];
  findings: Finding[];
  rules: Record<string, RuleMeta>;
  attribution: { dockerfile: string; matched: boolean; from: LayerAttribution | null } | null;
  /** With the `sizeTree` option: every visible file and hidden copy by directory, small entries merged. */
  sizeTree?: SizeTree;
}

/**
 * Whether an image of this source was named by a reference (a registry's, a daemon's) rather than read from a path:
 * reporters must not turn such a name into a file of the repository.
 */
export function isReferenceSource(source: string): boolean {
  return source === 'registry' || source === 'docker-daemon' || source === 'podman';
}

/**
 * The wasted share of your layers: the one figure ci's maxWastedPercent checks and analyze's reports show beside it,
 * so a budget set from the report is read against the same number. Not dive's user-wasted percent, which counts
 * every copy of a path written by two or more layers, the kept one too. null when your layers hold no file bytes:
 * the budget skips.
 */
export function yourWastedShare(user: { fileBytes: number; wastedBytes: number }): number | null {
  return user.fileBytes > 0 ? user.wastedBytes / user.fileBytes : null;
}

/** Layers shared with the base image: the common prefix of diffIds. */
async function baseLayerCount(options: AnalyzeOptions, diffIds: string[]): Promise<number> {
  const base = await openImage(options.base!, { ...options, flag: '--base', notice: options.notice }).catch(
    (error: unknown) => {
      const named = namesImage(error, options.base!);
      throw wrapError(`opening the base image${named ? '' : ` ${withoutCredentials(options.base!)}`}`, error);
    },
  );
  try {
    const baseIds = (await base.configFile()).rootfs.diff_ids;
    let n = 0;
    while (n < baseIds.length && n < diffIds.length && baseIds[n] === diffIds[n]) n++;
    // A --base the image is not built on (another image, or the tag rebuilt since) would otherwise pass in silence as
    // "0 base" or a short base, and every budget on your layers would count the base's bytes as yours.
    if (n < baseIds.length)
      options.notice?.(
        `--base ${withoutCredentials(options.base!)} is not this image's base: ${n === 0 ? 'it shares no layer with this image, so no layer counts as base' : `it shares only its lowest ${n} of ${baseIds.length} layers with this image, so ${n} ${n === 1 ? 'layer counts' : 'layers count'} as base`} (another image, or the base rebuilt since?)`,
      );
    return n;
  } finally {
    await base.close();
  }
}

/** How analyzeImageWith walks: lower layers already walked and applied elsewhere (diff's shared layers). */
export interface WalkPlan {
  /** The union state to continue from (its `applied` lowest layers are in it already). Default: empty. */
  applier?: LayerApplier;
  /** Layers walked for another image, by diffId: not read again (see WalkOptions.reuse). */
  reuse?: ReadonlyMap<string, WalkedLayer>;
  /** Whether this image's copies of the reused layers are checked (see WalkOptions.checkReused). */
  checkReused?: boolean;
  /** diffIds whose entry lists must outlive this analysis (another image applies them too). */
  keepEntries?: ReadonlySet<string>;
  /** Called after each layer is applied, with the state so far (diff clones it where two images part ways). */
  onApplied?: (index: number, applier: LayerApplier) => void;
}

/** The result, plus what the analysis saw in full (the result keeps only top-N lists): for diff and ci. */
export interface AnalyzedImage {
  result: AnalyzeResult;
  walked: WalkedLayer[];
  measured: Measurements;
  packages: PackagesResult;
  config: ConfigFile;
}

/**
 * The result cache key for analysing `image` with `options`, or undefined when the result may not be cached (see
 * result-cache.ts): verification off, a layer whose blob digest comes from its own bytes (a legacy `docker save`
 * layer.tar, checked only by hashing it, as walk.ts never serves those from the layer cache either), a base image
 * (another image whose layers would have to be part of the key), an observer that must see the union being built, or
 * a Dockerfile that is not a regular file.
 */
async function resultKey(image: Image, options: AnalyzeOptions): Promise<string | undefined> {
  if (options.verify === false || options.base !== undefined || options.unionObserver) return undefined;
  // A Dockerfile from a pipe (`--dockerfile /dev/stdin`) could not be read twice (once for the key, once to use).
  if (options.dockerfile && !(await stat(options.dockerfile).catch(() => undefined))?.isFile()) return undefined;
  const layers = await Promise.all(
    (await image.layers()).map(async (layer) => {
      const present = await layer.isFilesystem();
      const source = await layer.digestSource();
      if (present && source !== 'manifest' && source !== 'name') return undefined;
      return [await layer.digest(), await layer.diffId(), await layer.mediaType(), await layer.size(), present, source];
    }),
  );
  if (layers.includes(undefined)) return undefined;
  return resultCacheKey({
    ref: image.ref,
    manifest: (await image.digest()) ?? null,
    config: await image.configDigest(),
    layers,
    options: {
      top: options.top ?? 20,
      dockerfile: options.dockerfileName ?? options.dockerfile ?? null,
      dockerfileText: options.dockerfile ? await readDockerfileText(options.dockerfile) : null,
      verifyDiffIds: options.verifyDiffIds === true,
      severities: options.severities ?? null,
      ruleOptions: options.ruleOptions ?? null,
      sizeTree: options.sizeTree === true,
      // A hit stands for a walk that met these budgets on every layer (read, or checked when served from the layer
      // cache), so a result computed under higher budgets, or none, never answers a run with lower ones.
      limits: options.limits ?? null,
    },
  });
}

/** A cached result as this run may tell it: no digest was checked in this run (see checks.ts, `cached`). */
function servedFromCache(result: AnalyzeResult): AnalyzeResult {
  // The entry's checks say what ran when it was written: each `verified` then is `cached` now.
  const layers = result.layers.map((l) => ({ ...l, checks: cachedChecks(l.checks, true) }));
  return {
    ...result,
    image: { ...result.image, checks: summarizeChecks(layers.map((l) => l.checks)) },
    layers,
  };
}

/**
 * The modules an analysis needs once its layers are read and not before: the rules (all of them, in one bundle, with
 * the Dockerfile parser: ~55 ms to load) and the Dockerfile attribution. Loaded while the walk's workers read the
 * layers (`onReading`), when this thread has nothing else to do, instead of before the walk starts.
 */
const loadAfterWalk = loadOnce(() =>
  Promise.all([import('../../rules/index.js'), import('../analysis/attribution.js')]),
);

async function readDockerfileText(file: string): Promise<string> {
  return (await import('../dockerfile/parse.js')).readDockerfileText(file);
}

export async function analyzeImage(image: Image, options: AnalyzeOptions): Promise<AnalyzeResult> {
  const cache = resultCacheFor(options);
  const key = cache && (await resultKey(image, options));
  if (key) {
    const hit = await cache.get<AnalyzeResult>(key);
    if (hit) {
      await checkStoredSizes(image);
      return servedFromCache(hit);
    }
  }
  const { result } = await analyzeImageWith(image, options);
  if (key) await cache.put(key, result);
  return result;
}

export async function analyzeImageWith(
  image: Image,
  options: AnalyzeOptions,
  plan: WalkPlan = {},
): Promise<AnalyzedImage> {
  const top = options.top ?? 20;
  const dockerfileText = options.dockerfile ? await readDockerfileText(options.dockerfile) : undefined;
  const [config, digest, imageId] = await Promise.all([image.configFile(), image.digest(), image.configDigest()]);
  // Layers are applied to the union filesystem as they complete (bottom-up), overlapping with the walk.
  // The treemap is a view of the per-layer tree `explore` browses (one tree builder): recorded here when asked.
  // (diff hands in a union that already holds its shared layers, and never asks for the tree.)
  const recorder = options.sizeTree ? new LayerTreeRecorder() : undefined;
  const observers = [options.unionObserver, recorder].filter((o): o is UnionObserver => o !== undefined);
  const observer: UnionObserver | undefined =
    observers.length < 2
      ? observers[0]
      : {
          put: (...a) => observers.forEach((o) => o.put(...a)),
          remove: (...a) => observers.forEach((o) => o.remove(...a)),
          promote: (...a) => observers.forEach((o) => o.promote(...a)),
          waste: (e) => observers.forEach((o) => o.waste(e)),
        };
  const applier = plan.applier ?? new LayerApplier(new UnionFs(observer));
  applier.keepEntries = plan.keepEntries;
  const walked = await walkLayers(image, {
    workers: options.workers,
    verify: options.verify,
    verifyDiffIds: options.verifyDiffIds,
    onProgress: options.onProgress,
    onReading: () => {
      void loadAfterWalk();
      options.onReading?.();
    },
    reuse: plan.reuse,
    checkReused: plan.checkReused,
    cache: layerCacheFor(options),
    limits: options.limits,
    onLayer: (layer) => {
      // Reused lower layers are in the given state already.
      if (layer.index >= applier.applied) applier.add(layer);
      plan.onApplied?.(layer.index, applier);
    },
    onEarly: (layer) => applier.early(layer),
  });
  const [{ loadImageRules }, { attributeLayers }] = await loadAfterWalk();
  const m = measureLayers(walked, config, { top }, applier);
  // A key or certificate an OS package installed (a test suite's keycert.pem) is not a secret the build leaked.
  const packaged = { candidates: new Set(m.secretPaths), found: new Set<string>() };
  const packages = await readPackages(m.fs, m.captured, packaged.candidates.size > 0 ? packaged : undefined);
  m.dropPackaged(packaged.found);

  let attribution: Attribution | undefined;
  if (dockerfileText !== undefined)
    attribution = attributeLayers(config, walked.length, dockerfileText, options.dockerfileName ?? options.dockerfile!);
  let baseLayers: number;
  let baseSource: AnalyzeResult['summary']['base']['source'];
  if (options.base) {
    baseLayers = await baseLayerCount(
      options,
      walked.map((w) => w.diffId),
    );
    baseSource = 'base-image';
  } else if (attribution?.matched) {
    baseLayers = attribution.baseLayers;
    baseSource = 'dockerfile';
  } else {
    baseLayers = Math.min(1, walked.length);
    baseSource = 'first-layer';
  }

  const views: ImageLayerView[] = m.layers.map((l) => ({
    ...l,
    attribution: attribution?.layers[l.index],
    base: l.index < baseLayers,
  }));
  // Rules name paths as the reports show them (UTF-8 text, `\xHH` for a byte that is not UTF-8); the union keys
  // them by the bytes the layer wrote.
  const finalLookup = (path: string) => {
    for (const binary of typedPathCandidates(path.replace(/^\/+/, ''))) {
      const node = m.fs.nodes.get(binary);
      if (node) return node.kind === 'file' ? { sizeBytes: node.size, layer: node.layer } : undefined;
    }
    return undefined;
  };
  const originLayer = originLayers(m.wastedFiles);
  const facts: ImageFacts = {
    image: image.ref.name,
    reference: isReferenceSource(image.ref.source),
    layers: views,
    totals: m.totals,
    wastedFiles: m.wastedFiles,
    wastedCacheClass: wastedCacheClasses(m.wastedFiles),
    junk: m.junk,
    junkFiles: m.junkFiles,
    packages,
    finalFile: finalLookup,
    originLayer,
    baseKnown: baseSource !== 'first-layer',
    ...(attribution?.matched && attribution.from ? { from: attribution.from } : {}),
  };
  const rules = await loadImageRules();
  const { findings, reclaimableBytes } = runImageRules(rules, facts, {
    severities: options.severities,
    ruleOptions: options.ruleOptions,
  });
  const ruleMeta: Record<string, RuleMeta> = {};
  for (const r of rules) ruleMeta[r.meta.code] = r.meta;

  const sumOf = (from: number, to: number, f: (l: ImageLayerView) => number) =>
    views.slice(from, to).reduce((s, l) => s + f(l), 0);
  const yours = {
    fileBytes: sumOf(baseLayers, views.length, (l) => l.fileBytes),
    wastedBytes: sumOf(baseLayers, views.length, (l) => l.wastedBytes),
  };
  const platform = [config.os, config.architecture, config.variant].filter(Boolean).join('/');
  const dive = m.dive;
  const result: AnalyzeResult = {
    image: {
      reference: image.ref.name,
      source: image.ref.source,
      tag: image.ref.tag ?? null,
      digest: digest ?? null,
      imageId,
      platform,
      checks: summarizeChecks(m.layers.map((l) => l.checks)),
    },
    summary: {
      layers: m.totals.layers,
      compressedBytes: m.totals.compressedBytes,
      uncompressedBytes: m.totals.uncompressedBytes,
      plainLayers: views.filter((l) => !isCompressedLayerType(l.mediaType)).length,
      fileBytes: m.totals.fileBytes,
      files: m.totals.files,
      finalFileBytes: m.totals.finalFileBytes,
      finalFiles: m.totals.finalFiles,
      wastedBytes: m.totals.wastedBytes,
      wasted: m.totals.wasted,
      duplicateBytes: m.totals.duplicateBytes,
      efficiency: dive.efficiencyScore,
      findingBytes: reclaimableBytes,
      base: {
        layers: baseLayers,
        source: baseSource,
        fileBytes: sumOf(0, baseLayers, (l) => l.fileBytes),
        uncompressedBytes: sumOf(0, baseLayers, (l) => l.uncompressedBytes),
        compressedBytes: sumOf(0, baseLayers, (l) => l.compressedBytes),
      },
      user: {
        layers: views.length - baseLayers,
        fileBytes: yours.fileBytes,
        uncompressedBytes: sumOf(baseLayers, views.length, (l) => l.uncompressedBytes),
        compressedBytes: sumOf(baseLayers, views.length, (l) => l.compressedBytes),
        wastedBytes: yours.wastedBytes,
        wastedPercent: yourWastedShare(yours),
      },
    },
    dive: {
      efficiencyScore: dive.efficiencyScore,
      sizeBytes: dive.sizeBytes,
      inefficientBytes: dive.inefficientBytes,
      userSizeBytes: dive.userSizeBytes,
      userWastedPercent: Number.isFinite(dive.userWastedPercent) ? dive.userWastedPercent : null,
      files: dive.files,
      fileReferences: dive.fileReferences.slice(0, top).map((r) => ({ ...r, file: displayPath(r.file) })),
      fileReferenceCount: dive.fileReferences.length,
      layerInefficientBytes: dive.layerInefficientBytes,
    },
    layers: views.map((l) => ({
      index: l.index,
      digest: l.digest,
      diffId: l.diffId,
      mediaType: l.mediaType,
      createdBy: l.createdBy,
      ...(l.attribution ? { instruction: l.attribution } : {}),
      historyInstruction: l.instruction,
      base: l.base,
      compressedBytes: l.compressedBytes,
      uncompressedBytes: l.uncompressedBytes,
      fileBytes: l.fileBytes,
      files: l.files,
      entries: l.entries,
      whiteouts: l.whiteouts,
      opaqueWhiteouts: l.opaqueWhiteouts,
      added: l.added,
      modified: l.modified,
      removed: l.removed,
      wastedBytes: l.wastedBytes,
      wasted: l.wasted,
      checks: l.checks,
    })),
    wastedFiles: m.wastedFiles.slice(0, top),
    duplicates: { bytes: m.totals.duplicateBytes, groups: m.totals.duplicateGroups, top: m.duplicates.slice(0, top) },
    junk: m.junk.map(({ filesByLayer: _filesByLayer, pathByLayer: _pathByLayer, ...rest }) => rest),
    packages: {
      totals: packages.totals,
      top: packages.packages.slice(0, top),
      unsupported: packages.unsupported,
      warnings: packages.warnings,
    },
    topDirectories: m.topDirectories,
    leftOutDirectories: m.leftOutDirectories,
    topFiles: m.topFiles,
    findings,
    rules: ruleMeta,
    attribution: options.dockerfile
      ? {
          dockerfile: options.dockerfileName ?? options.dockerfile,
          matched: attribution?.matched ?? false,
          from: attribution?.from ?? null,
        }
      : null,
    ...(recorder ? { sizeTree: buildSizeTree(recorder.finish(walked.length)) } : {}),
  };
  return { result, walked, measured: m, packages, config };
}

export async function analyze(options: AnalyzeOptions): Promise<AnalyzeResult> {
  const image = await openImage(options.image, options);
  try {
    return await analyzeImage(image, options);
  } finally {
    await image.close();
  }
}
