// `ballast diff A B`: what changed between two images, from any two sources. Each side is analysed exactly as
// `analyze` does it (its `summary` is the object `analyze --json` prints), but the lowest layers the two images
// share (same diffIds from the bottom up) are walked and applied once: A's union state at that point is cloned
// and B continues from it. The comparison itself is analysis/compare.ts.
import {
  compareConfigs,
  compareDirectories,
  explainingDirectories,
  explainingWaste,
  pairWaste,
  compareFiles,
  compareHistory,
  compareLayers,
  comparePackages,
  compareWaste,
  commonPrefix,
  ignoreFilter,
  RootIgnoreCheck,
  packagesOf,
  type ConfigChange,
  type DirectoryDelta,
  type ExplainingDirectory,
  type ExplainingWaste,
  type FilesDiff,
  type HistoryDiff,
  type LayersDiff,
  type PackagesDiff,
  type WasteDiff,
} from '../analysis/compare.js';
import { exceedsGrowth, fractionOfAByte, growthOf, parseGrowthLimit, type GrowthLimit } from '../analysis/growth.js';
import { aboveRow, biggestChangeFirst, distinctPlaces, LayerApplier, LEFT_OUT_MAX } from '../analysis/measure.js';
import type { WalkProgress } from '../analysis/walk.js';
import { BugError, UsageError, wrapError } from '../errors.js';
import { isCompressedLayerType, MediaTypes } from '../image/media-types.js';
import { withoutCredentials } from '../image/reference.js';
import type { Image } from '../image/types.js';
import type { PackageManager } from '../analysis/packages.js';
import { namesImage, openImage, type ResolveOptions } from '../sources/resolve.js';
import { compareContents, type FileContentDiff } from './diff-contents.js';
import { analyzeImageWith, type AnalyzeOptions, type AnalyzeResult, type AnalyzedImage } from './analyze.js';
import { asTyped, type SourceOf } from '../flag-sources.js';

export const DIFF_SECTIONS = [
  'size',
  'layers',
  'history',
  'files',
  'directories',
  'packages',
  'config',
  'waste',
] as const;
export type DiffSection = (typeof DIFF_SECTIONS)[number];
export type { PackageManager };

/** What `--only` asked for. */
export interface DiffSelection {
  /** undefined: every section. */
  sections?: DiffSection[];
  /** The package managers named (`--type=pip`); undefined: all of them (`packages`, or none named). */
  managers?: PackageManager[];
}

/**
 * The result as `--json` prints it for a selection: the sections asked for, plus what every diff result carries
 * (sides, deltas, growth, explaining, explainingWaste, unexplainedBytes, walk); with package managers named (`--type=pip`), only their packages.
 */
export function selectDiff(result: DiffResult, { sections, managers }: DiffSelection): Partial<DiffResult> {
  if (!sections) return result;
  const out: Partial<DiffResult> = { ...result };
  if (managers) out.packages = packagesOf(result.packages, managers);
  const keyed: Record<Exclude<DiffSection, 'size'>, keyof DiffResult> = {
    layers: 'layers',
    history: 'history',
    files: 'files',
    directories: 'directories',
    packages: 'packages',
    config: 'config',
    waste: 'waste',
  };
  for (const [section, key] of Object.entries(keyed)) if (!sections.includes(section as DiffSection)) delete out[key];
  if (!sections.includes('directories')) {
    delete out.directoryCount;
    delete out.leftOutDirectories;
  }
  // --filename asked for these whatever the sections.
  if (!out.files && result.files.contents) out.files = { contents: result.files.contents } as DiffResult['files'];
  return out;
}

export const GROWTH_METRICS = {
  uncompressed: 'uncompressedBytes',
  compressed: 'compressedBytes',
  files: 'finalFileBytes',
} as const;
export type GrowthMetric = keyof typeof GROWTH_METRICS;

export interface DiffOptions extends ResolveOptions {
  /** The image before (the baseline). */
  a: string;
  /** The image after. */
  b: string;
  /** The platform to pick from B when it differs from A's (`platform`, which otherwise picks both). */
  platformB?: string;
  /** Globs of paths left out of the files, directories and waste lists (new and resized) (`**\/*.pyc`). */
  ignore?: string[];
  /** Rows in the directory list, and in each side's analyze top lists (default 20); the other lists hold all. */
  top?: number;
  workers?: number;
  verifyDiffIds?: boolean;
  /** `50MB` or `10%`: `growth.exceeded` is true when B outgrows A by more (the command exits 1). */
  failOnGrowth?: string;
  /** How errors name a flag's value: the flag (the default) or the variable that set it (`$BALLAST_FAIL_ON_GROWTH`). */
  sourceOf?: SourceOf;
  /** What growth is measured on (default uncompressed bytes: what `docker images` shows). */
  growthMetric?: GrowthMetric;
  /** Absolute paths whose contents to compare (`--filename`, normalised by parseFilenames). */
  filenames?: string[];
  onProgress?: (side: 'a' | 'b', progress: WalkProgress) => void;
}

export interface DiffSide {
  image: AnalyzeResult['image'];
  summary: AnalyzeResult['summary'];
}

export interface SizeDelta {
  compressedBytes: number;
  uncompressedBytes: number;
  finalFileBytes: number;
  /** Regular files in the final filesystem. */
  files: number;
  wastedBytes: number;
}

export interface DiffResult {
  a: DiffSide;
  b: DiffSide;
  /**
   * A and B are one image: the same config digest (an image against itself, or a `docker save` copy of an OCI
   * layout), so nothing but how the layers are stored can differ. The opening sentence says so.
   */
  sameImage: boolean;
  /** B - A. */
  delta: SizeDelta;
  /** delta / A (null when A is 0). */
  percent: Record<keyof SizeDelta, number | null>;
  layers: LayersDiff;
  /** The configs' history entries (empty-layer steps included) only one side has. */
  history: HistoryDiff;
  /** `contents`: the `--filename` comparisons, when any were asked for. */
  files: FilesDiff & { contents?: FileContentDiff[] };
  /**
   * The biggest directory changes, up to `top`, each a place of its own: one whose subdirectory carries 95% or more
   * of its change in the same direction is left out, as analyze's `topDirectories` leaves such a directory out.
   */
  directories: DirectoryDelta[];
  /**
   * How many such places changed, `directories` and those past `top` (the reports' `…and N more`): the other lists
   * are whole in --json, this one is cut to `top`, and without the count it read as every directory that changed.
   */
  directoryCount: number;
  /**
   * The directories left out of `directories` that sort before its last row, biggest change first (at most
   * LEFT_OUT_MAX), as analyze's `leftOutDirectories`: the reports name those above the rows they show.
   */
  leftOutDirectories: DirectoryDelta[];
  /**
   * The directories that explain the growth (the one-sentence story names them), picked from every changed
   * directory: picked from `directories` they would depend on `top`.
   */
  explaining: ExplainingDirectory[];
  /** The wasted bytes the story names beside those directories (null when they do not explain the change). */
  explainingWaste: ExplainingWaste | null;
  /**
   * The growth the story leaves unexplained: what `explaining` and `explainingWaste` do not carry (smaller changes,
   * tar headers, though not for the files metric, which has none). Null for compressed growth, which is not in the directories' (uncompressed) bytes.
   */
  unexplainedBytes: number | null;
  packages: PackagesDiff;
  config: ConfigChange[];
  waste: WasteDiff;
  growth: {
    metric: GrowthMetric;
    before: number;
    after: number;
    bytes: number;
    ratio: number | null;
    /** As given (`100MB`, `10%`). */
    limit: string | null;
    /** A limit in bytes, exact (null for none, or a percentage). */
    limitBytes: number | null;
    exceeded: boolean;
  };
  /**
   * How the layers were read: `sharedLayers` lowest layers read and stacked once for both images; any other layer
   * of B with a diffId A has is not parsed again either (`layersRead.b` counts only B's own; B's copies are only
   * checked, see checkReused). Layers served by the layer result cache are not counted either.
   */
  walk: { sharedLayers: number; layersRead: { a: number; b: number } };
  /** --ignore globs in effect. */
  ignore: string[];
}

export function parseGrowthOption(text: string | undefined, source = '--fail-on-growth'): GrowthLimit | undefined {
  if (text === undefined) return undefined;
  // Rounded, `--fail-on-growth 0.4` would be a limit of 0 bytes: a fraction of a byte is a percentage meant or a typo.
  if (fractionOfAByte(text))
    throw new UsageError(`${source} ${text} is not a whole number of bytes`, {
      code: 'usage',
      hint: 'give whole bytes, a size with a unit such as 1.5MB, or a percentage such as 10%',
    });
  const limit = parseGrowthLimit(text);
  if (!limit) {
    throw new UsageError(`${source} ${text} is not a size or a percentage`, {
      code: 'usage',
      hint: 'write it like 50MB, 1.5GiB, 1048576 or 10%',
    });
  }
  return limit;
}

const SIZE_KEYS = {
  compressedBytes: 'compressedBytes',
  uncompressedBytes: 'uncompressedBytes',
  finalFileBytes: 'finalFileBytes',
  files: 'finalFiles',
  wastedBytes: 'wastedBytes',
} as const;

/** Compares two opened images (the caller closes them). */
export async function diffOpened(
  imageA: Image,
  imageB: Image,
  options: Omit<DiffOptions, 'a' | 'b'>,
): Promise<DiffResult> {
  const limit = parseGrowthOption(options.failOnGrowth);
  const metric = options.growthMetric ?? 'uncompressed';
  if (!(metric in GROWTH_METRICS))
    throw new UsageError(`unknown growth metric ${metric}`, {
      code: 'usage',
      hint: `use one of ${Object.keys(GROWTH_METRICS).join(', ')}`,
    });
  if (metric === 'compressed') await refuseUnknownCompressedSize(imageA, imageB, options);
  const top = options.top ?? 20;
  const ignore = ignoreFilter(options.ignore);
  const [configA, configB] = await Promise.all([imageA.configFile(), imageB.configFile()]);
  const shared = commonPrefix(configA.rootfs.diff_ids, configB.rootfs.diff_ids);

  const analyzeOptions = (name: string, side: 'a' | 'b'): AnalyzeOptions => ({
    image: name,
    top,
    workers: options.workers,
    verify: options.verify,
    verifyDiffIds: options.verifyDiffIds,
    noCache: options.noCache,
    cacheDir: options.cacheDir,
    env: options.env,
    notice: options.notice,
    limits: options.limits,
    onProgress: options.onProgress ? (p) => options.onProgress!(side, p) : undefined,
  });
  // One image is walked in full; where it has applied the shared lowest layers, its state is cloned for the other,
  // which continues from there. The other reads only the layers the first does not have: a layer both have higher up
  // (same tar on another base) is not read again either, but applied to its own state, so the first keeps its entry
  // list. A is first, unless all of A's layers are B's lowest (B built on A, `diff base app`): then B is, so that its
  // own layers are read on the walk's workers beside the shared ones, as `analyze B` reads them, and A is only applied,
  // its copies of the shared layers checked (see checkReused). Read first, in-process, the one 63 MB layer of
  // debian-base held up B's walk: `diff debian-base big` took 1.26x `analyze big`, 1.10x now (bench/README.md).
  const sides = [
    { image: imageA, config: configA, side: 'a' as const, label: 'A' },
    { image: imageB, config: configB, side: 'b' as const, label: 'B' },
  ];
  const bOnA = shared > 0 && shared === configA.rootfs.diff_ids.length && shared < configB.rootfs.diff_ids.length;
  const [first, second] = bOnA ? [sides[1], sides[0]] : sides;
  const diffIdsFirst = new Set(first.config.rootfs.diff_ids);
  const sharedAbove = new Set(second.config.rootfs.diff_ids.slice(shared).filter((d) => diffIdsFirst.has(d)));
  let fork: LayerApplier | undefined = shared === 0 ? new LayerApplier() : undefined;
  const analyzing = (side: (typeof sides)[number]) => (error: unknown) => {
    throw wrapError(`analyzing ${side.label} (${side.image.ref.name})`, error);
  };
  const walkedFirst: AnalyzedImage = await analyzeImageWith(
    first.image,
    analyzeOptions(first.image.ref.name, first.side),
    {
      keepEntries: sharedAbove,
      onApplied: (index, applier) => {
        if (index === shared - 1) fork = applier.clone();
      },
    },
  ).catch(analyzing(first));
  const reusable = new Map(
    walkedFirst.walked.filter((w) => w.index < shared || sharedAbove.has(w.diffId)).map((w) => [w.diffId, w]),
  );
  if (!fork) throw new BugError(`the state after ${shared} shared layers was never captured`, {});
  const walkedSecond: AnalyzedImage = await analyzeImageWith(
    second.image,
    analyzeOptions(second.image.ref.name, second.side),
    {
      applier: fork,
      reuse: reusable,
      // Its copies of them are checked (hashed, not parsed, or under --no-verify read as `analyze` of it reads them: a
      // corrupt copy must not pass where `analyze` fails),
      // except from a registry, where checking would be downloading them: that is what reusing them saves, so
      // they are left unread and its `checks` say `skipped` for them.
      checkReused: second.image.ref.source !== 'registry',
      // It may hold one of those layers twice: each application needs the entry list.
      keepEntries: sharedAbove,
    },
  ).catch(analyzing(second));
  const [a, b] = first.side === 'a' ? [walkedFirst, walkedSecond] : [walkedSecond, walkedFirst];
  const [annotationsA, annotationsB] = await Promise.all([knownAnnotations(imageA), knownAnnotations(imageB)]);
  // Annotations are compared only when both sides could carry them: a `docker save` archive without a manifest
  // (or a Docker schema 2 manifest) says nothing about them, so the same image saved as OCI and as a docker
  // archive would otherwise differ by every annotation the OCI copy has.
  const compareAnnotations = annotationsA !== undefined && annotationsB !== undefined;

  const sa = a.result.summary;
  const sb = b.result.summary;
  const delta = {} as SizeDelta;
  const percent = {} as DiffResult['percent'];
  for (const [key, field] of Object.entries(SIZE_KEYS) as [keyof SizeDelta, (typeof SIZE_KEYS)[keyof SizeDelta]][]) {
    const g = growthOf(sa[field], sb[field]);
    delta[key] = g.bytes;
    percent[key] = g.ratio === null ? null : g.ratio * 100;
  }
  const growth = growthOf(sa[GROWTH_METRICS[metric]], sb[GROWTH_METRICS[metric]]);
  const contents = options.filenames?.length
    ? await compareContents(
        { image: imageA, fs: a.measured.fs },
        { image: imageB, fs: b.measured.fs },
        options.filenames,
        options.limits,
      )
    : undefined;
  const rootCheck = new RootIgnoreCheck(options.ignore);
  const allDirectories = compareDirectories(a.measured.fs, b.measured.fs, ignore, Infinity, rootCheck);
  for (const note of rootCheck.notes((options.sourceOf ?? asTyped)('ignore'))) options.notice?.(note);
  const wasteSide = (x: AnalyzedImage) => ({
    wastedBytes: x.result.summary.wastedBytes,
    wasted: x.result.summary.wasted,
    wastedFiles: x.measured.wastedFiles,
    junk: x.measured.junk,
    diffIds: x.config.rootfs.diff_ids,
  });
  // Only directories that moved the way the image did explain it (a later RUN that deletes files grows the image).
  const explaining = explainingDirectories(allDirectories, { sign: Math.sign(growth.bytes), whole: growth.bytes });
  const wasteA = wasteSide(a);
  const wasteB = wasteSide(b);
  const pairedWaste = pairWaste(wasteA, wasteB, ignore);
  // New waste only: waste A has too at another size is not where the growth went, though its change is in the total.
  const wasteExplaining = explainingWaste(delta.wastedBytes, pairedWaste.fresh, {
    bytes: growth.bytes,
    metric,
  });
  // The list names distinct places, as analyze's Biggest directories does: /var/lib, /var/lib/apt and
  // /var/lib/apt/lists were three rows of one +87 MB. allDirectories is in the list's order, and so are both parts.
  const leftOut: DirectoryDelta[] = [];
  const places = distinctPlaces(allDirectories, (d) => d.deltaBytes, leftOut);
  const directories = places.slice(0, top);
  const leftOutDirectories = aboveRow(leftOut, directories.at(-1), biggestChangeFirst).slice(0, LEFT_OUT_MAX);
  const named =
    explaining.reduce((sum, d) => sum + (d.rest?.deltaBytes ?? d.deltaBytes), 0) + (wasteExplaining?.deltaBytes ?? 0);
  return {
    a: { image: a.result.image, summary: sa },
    b: { image: b.result.image, summary: sb },
    sameImage: Boolean(a.result.image.imageId) && a.result.image.imageId === b.result.image.imageId,
    delta,
    percent,
    layers: compareLayers(a.result.layers, b.result.layers),
    history: compareHistory(a.config, b.config),
    files: { ...compareFiles(a.measured.fs, b.measured.fs, ignore), ...(contents ? { contents } : {}) },
    directories,
    directoryCount: places.length,
    leftOutDirectories,
    explaining,
    explainingWaste: wasteExplaining,
    unexplainedBytes: metric === 'compressed' ? null : growth.bytes - named,
    packages: comparePackages(a.packages.packages, b.packages.packages),
    config: compareConfigs(
      { config: a.config, annotations: compareAnnotations ? annotationsA : undefined },
      { config: b.config, annotations: compareAnnotations ? annotationsB : undefined },
    ),
    waste: compareWaste(wasteA, wasteB, pairedWaste),
    growth: {
      metric,
      before: growth.before,
      after: growth.after,
      bytes: growth.bytes,
      ratio: growth.ratio,
      limit: limit?.text ?? null,
      limitBytes: limit?.kind === 'bytes' ? limit.bytes : null,
      exceeded: limit ? exceedsGrowth(growth, limit) : false,
    },
    walk: {
      sharedLayers: shared,
      layersRead: {
        a: a.walked.filter((w) => w.present && !w.fromCache).length,
        b: b.walked.filter((w) => w.present && !w.fromCache && !reusable.has(w.diffId)).length,
      },
    },
    ignore: options.ignore ?? [],
  };
}

/**
 * Compressed growth needs both sides' compressed sizes: an image storing plain tars (`docker save`) has none, and its
 * tar size set against a pushed image's would gate the same image as grown (ci's compressed budget is SKIP there).
 * Checked before either image is walked.
 */
async function refuseUnknownCompressedSize(
  imageA: Image,
  imageB: Image,
  options: Pick<DiffOptions, 'sourceOf'>,
): Promise<void> {
  for (const [side, image] of [
    ['A', imageA],
    ['B', imageB],
  ] as const) {
    const types = await Promise.all((await image.layers()).map((l) => l.mediaType()));
    const plain = types.filter((t) => !isCompressedLayerType(t)).length;
    if (plain === 0) continue;
    throw new UsageError(
      `${(options.sourceOf ?? asTyped)('growth-metric')} compressed: ${side} (${image.ref.name}) stores ${plain} of ${types.length} layers uncompressed (as docker save writes them), so its compressed size is not known`,
      {
        code: 'usage',
        hint: 'give the image as pushed (docker://REF, or an OCI layout with compressed layers), or measure --growth-metric uncompressed',
      },
    );
  }
}

/** The manifest's annotations, or undefined when the image has no manifest able to hold any. */
async function knownAnnotations(image: Image): Promise<Record<string, string> | undefined> {
  // No digest: the manifest was synthesized from the config (a docker archive without one, a daemon export).
  if ((await image.digest()) === undefined) return undefined;
  if ((await image.mediaType()) === MediaTypes.dockerManifest) return undefined;
  return (await image.manifest()).annotations ?? {};
}

export async function diffImages(options: DiffOptions): Promise<DiffResult> {
  // Bad flag values fail before any image is opened.
  parseGrowthOption(options.failOnGrowth, (options.sourceOf ?? asTyped)('fail-on-growth'));
  const imageA = await openImage(options.a, options).catch((error: unknown) => {
    throw wrapError(namesImage(error, options.a) ? 'opening A' : `opening A (${withoutCredentials(options.a)})`, error);
  });
  try {
    const imageB = await openImage(options.b, {
      ...options,
      platform: options.platformB ?? options.platform,
    }).catch((error: unknown) => {
      throw wrapError(
        namesImage(error, options.b) ? 'opening B' : `opening B (${withoutCredentials(options.b)})`,
        error,
      );
    });
    try {
      return await diffOpened(imageA, imageB, options);
    } finally {
      await imageB.close();
    }
  } finally {
    await imageA.close();
  }
}
