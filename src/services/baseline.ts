// Baselines for the ci gate's growth budgets: the compact, versioned file `ballast ci --save-baseline` writes, and the
// one comparison of two image summaries (current against baseline). `--baseline IMAGE` analyzes that image with the
// analyze service and compares the same summary, so both kinds of baseline give the same numbers. This is the one
// place a baseline is compared; pointing it at the diff service later changes only compareToBaseline.
import { growthOf, type Growth } from '../analysis/growth.js';
import { cannotWrite, ConfigError, UsageError } from '../errors.js';
import { readSmallFile, type SmallFile } from '../host-path.js';
import { writeOutputFile } from '../output-file.js';
import type { AnalyzeResult } from './analyze.js';
import { formatPlatform } from '../image/platform.js';
import { imageArgument } from '../report/image-name.js';

export const BASELINE_KIND = 'ballast-baseline';
export const BASELINE_VERSION = 1;

/** What a growth budget compares; a subset of the analyze summary, so a baseline file stays small. */
export interface BaselineSummary {
  layers: number;
  compressedBytes: number;
  uncompressedBytes: number;
  finalFileBytes: number;
  wastedBytes: number;
  efficiency: number;
  findingBytes: number;
}

export interface Baseline {
  kind: typeof BASELINE_KIND;
  version: typeof BASELINE_VERSION;
  createdAt: string;
  /** `tag` is absent from files written before it was saved (still version 1: readers ignore what they do not know). */
  image: { reference: string; tag?: string | null; digest: string | null; imageId: string; platform: string };
  summary: BaselineSummary;
}

export interface BaselineComparison {
  /** The image reference or baseline file it came from. */
  source: string;
  baseline: Baseline['image'];
  uncompressed: Growth;
  compressed: Growth;
  wasted: Growth;
  findingBytes: Growth;
  layers: { before: number; after: number };
  /**
   * Why the growth budgets do not compare against this baseline (another platform's build), or null. The figures above
   * are still there for a reader who wants them; the budgets skip with this reason.
   */
  notCompared: string | null;
}

/** The baseline's image and platform, as every report that shows growth names them: `myorg/app:main (linux/amd64)`. */
export function baselineLabel(image: Baseline['image']): string {
  return image.platform ? `${imageArgument(image)} (${image.platform})` : imageArgument(image);
}

/**
 * A platform as `os/arch[/variant]`, normalised as --platform reads one, so the same build's images compare as the
 * same: the variant an architecture has by default is implied (`linux/arm64/v8` is what some builders write for
 * `linux/arm64`, and a config without a variant for 32-bit arm means `linux/arm/v7`), `aarch64` is `arm64`.
 */
function platformKey(platform: string): string {
  const [os, architecture, variant] = platform.split('/');
  return formatPlatform({ os, architecture, variant });
}

/** Whether two images' platforms differ; an unknown one (an image config without os/architecture) differs from none. */
export function platformsDiffer(a: string, b: string): boolean {
  return Boolean(a && b) && platformKey(a) !== platformKey(b);
}

export function summaryOf(result: AnalyzeResult): BaselineSummary {
  const s = result.summary;
  return {
    layers: s.layers,
    compressedBytes: s.compressedBytes,
    uncompressedBytes: s.uncompressedBytes,
    finalFileBytes: s.finalFileBytes,
    wastedBytes: s.wastedBytes,
    efficiency: s.efficiency,
    findingBytes: s.findingBytes,
  };
}

export function baselineOf(result: AnalyzeResult, now = new Date()): Baseline {
  const { reference, tag, digest, imageId, platform } = result.image;
  return {
    kind: BASELINE_KIND,
    version: BASELINE_VERSION,
    createdAt: now.toISOString(),
    image: { reference, tag, digest, imageId, platform },
    summary: summaryOf(result),
  };
}

export function compareToBaseline(
  baseline: Baseline,
  current: BaselineSummary,
  source: string,
  platform: string,
): BaselineComparison {
  const b = baseline.summary;
  const theirs = baseline.image.platform;
  return {
    source,
    baseline: baseline.image,
    uncompressed: growthOf(b.uncompressedBytes, current.uncompressedBytes),
    compressed: growthOf(b.compressedBytes, current.compressedBytes),
    wasted: growthOf(b.wastedBytes, current.wastedBytes),
    findingBytes: growthOf(b.findingBytes, current.findingBytes),
    layers: { before: b.layers, after: current.layers },
    notCompared: platformsDiffer(theirs, platform)
      ? `the baseline ${imageArgument(baseline.image)} is ${theirs}, this image ${platform}`
      : null,
  };
}

/** Writes the baseline file, making its missing folders as the report files' are (`--save-baseline baselines/app.json`). */
export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  try {
    await writeOutputFile(path, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (error) {
    throw cannotWrite(path, error, `the baseline ${path}`);
  }
}

/**
 * Largest baseline file read. `--save-baseline` writes well under 1 KB (a summary and the image's names); a larger
 * file is not one, and was read whole: 1 GiB took 640 MB before failing with V8's "Invalid string length".
 */
export const MAX_BASELINE_BYTES = 1024 * 1024;

/** `--baseline` names a file (not an image) when it ends in .json. */
export function isBaselineFile(spec: string): boolean {
  return /\.json$/i.test(spec);
}

export async function readBaseline(path: string): Promise<Baseline> {
  // Opened without waiting and read to a bound (readSmallFile): a FIFO named like a baseline hung the run, /dev/zero
  // ran the heap out, and a file checked by stat before it was read could be swapped in between.
  let read: SmallFile;
  try {
    read = readSmallFile(path, MAX_BASELINE_BYTES);
  } catch (error) {
    throw new UsageError(`cannot read the baseline ${path}: ${(error as Error).message}`, {
      code: 'baseline-read',
      hint: 'write one with `ballast ci IMAGE --save-baseline FILE.json`, or pass an image as --baseline',
      cause: error,
    });
  }
  const notAFile = (kind: string) =>
    new UsageError(`the baseline ${path} is ${kind}, not a file`, {
      code: 'baseline-read',
      hint: 'save the baseline to a file (`ballast ci IMAGE --save-baseline FILE.json`) and pass that file',
    });
  if ('directory' in read) throw notAFile('a directory');
  if ('special' in read) throw notAFile(read.special);
  if ('tooLarge' in read)
    throw new UsageError(
      `the baseline ${path} is ${read.tooLarge} bytes, too large for a baseline (limit ${MAX_BASELINE_BYTES})`,
      {
        code: 'baseline-read',
        hint: 'pass the file `ballast ci IMAGE --save-baseline FILE.json` wrote; baselines are under 1 KB',
      },
    );
  const { text } = read;
  let value: unknown;
  try {
    // A byte order mark is what Windows tools (PowerShell 5's Set-Content, Notepad) put before a UTF-8 file they
    // rewrite, as a baseline copied through a Windows agent's cache may be; JSON.parse refuses it.
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(`the baseline ${path} is not JSON: ${(error as Error).message}`, {
      code: 'baseline-invalid',
      hint: 'pass the file `--save-baseline` wrote',
      cause: error,
    });
  }
  const v = value as Partial<Baseline> | null;
  if (!v || v.kind !== BASELINE_KIND) {
    throw new ConfigError(`${path} is not a ballast baseline (no "kind": "${BASELINE_KIND}")`, {
      code: 'baseline-invalid',
      hint: 'pass the file `ballast ci --save-baseline` wrote (a full --json report is not a baseline)',
    });
  }
  if (v.version !== BASELINE_VERSION) {
    throw new ConfigError(
      `${path} is baseline version ${String(v.version)}; this ballast reads version ${BASELINE_VERSION}`,
      {
        code: 'baseline-version',
        hint: 'write it again with this version of ballast (`--save-baseline`)',
      },
    );
  }
  const s = v.summary as Partial<BaselineSummary> | undefined;
  const numeric: (keyof BaselineSummary)[] = [
    'layers',
    'compressedBytes',
    'uncompressedBytes',
    'finalFileBytes',
    'wastedBytes',
    'efficiency',
    'findingBytes',
  ];
  const missing = numeric.filter((k) => typeof s?.[k] !== 'number');
  if (missing.length || !v.image || typeof v.image.reference !== 'string') {
    throw new ConfigError(
      `the baseline ${path} is incomplete (${missing.length ? `no ${missing.join(', ')}` : 'no image'})`,
      {
        code: 'baseline-invalid',
        hint: 'write it again with `--save-baseline`',
      },
    );
  }
  // A number no image can have (a hand edit, a bad merge) is refused rather than compared: a negative size made any
  // growth a negative percentage, so maxGrowthPercent passed whatever the image had become.
  for (const k of numeric) {
    const n = s![k] as number;
    const problem =
      k === 'efficiency'
        ? !(n >= 0 && n <= 1) && 'not a fraction from 0 to 1'
        : !(Number.isSafeInteger(n) && n >= 0) && (k === 'layers' ? 'not a number of layers' : 'not a number of bytes');
    if (problem)
      throw new ConfigError(`the baseline ${path} has summary.${k} ${n}: ${problem}`, {
        code: 'baseline-invalid',
        hint: 'write it again with `--save-baseline`',
      });
  }
  // platform and tag only name the image in the reports (and tell the growth budgets whether to compare); one a hand
  // edit made something else than text is unknown rather than a crash.
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  return { ...(v as Baseline), image: { ...v.image, platform: str(v.image.platform) ?? '', tag: str(v.image.tag) } };
}
