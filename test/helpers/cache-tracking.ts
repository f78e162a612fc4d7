// For the cache tests: an analysis that reports which layers it read, and the entry files of one of the caches.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckState } from '../../src/analysis/checks.js';
import { analyze, type AnalyzeOptions, type AnalyzeResult } from '../../src/services/analyze.js';

/** Layer indices the walk read (the progress callback fires only for layers whose blob is read). */
export async function analyzeTracking(
  image: string,
  cacheDir: string | undefined,
  extra: Partial<AnalyzeOptions> = {},
) {
  const read = new Set<number>();
  const result = await analyze({ image, cacheDir, ...extra, onProgress: (p) => read.add(p.layer) });
  return { result, read: [...read].sort() };
}

/** The entry files of `<cacheDir>/<kind>/v<version>/` (none when it does not exist). */
export function cacheEntryFiles(cacheDir: string, kind: 'layers' | 'results', version: number): string[] {
  const dir = join(cacheDir, kind, `v${version}`);
  try {
    return readdirSync(dir).map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/**
 * `result` as a run served from the cache tells it: each check `verified` when it was read is `cached` (checks.ts);
 * the rest of the answer is the same.
 */
export function asCached(result: AnalyzeResult): AnalyzeResult {
  const cached = (state: CheckState): CheckState => (state === 'verified' ? 'cached' : state);
  const { blobDigests, diffIds } = result.image.checks;
  return {
    ...result,
    image: { ...result.image, checks: { blobDigests: cached(blobDigests), diffIds: cached(diffIds) } },
    layers: result.layers.map((l) => ({
      ...l,
      checks: { blobDigest: cached(l.checks.blobDigest), diffId: cached(l.checks.diffId) },
    })),
  };
}
