// Which digest checks a layer's walk runs, and what the result may claim about them. A check is claimed only
// when something independent of the bytes read vouches for them: a manifest's or file name's blob digest, or
// the config's diff_id. Where the diff_id is the only independent digest (a compressed blob stored without a
// digest in its name), it is checked by default: the walk decompresses the layer anyway, so it costs one
// sha256 pass over the tar.
import type { DigestSource } from '../image/types.js';

// `cached`: the layer came from the layer cache (or its whole result from the result cache) and the check did not run
// in this run; it ran when the entry was written, as only verified reads are cached. Not `verified` even when the
// blob's file looks untouched: a size, mtime and inode do not prove its bytes (a rewrite in place keeps the inode,
// an mtime can be set back), and a registry's or daemon's layer has no file to look at.
export type CheckState = 'verified' | 'cached' | 'not-available' | 'skipped';

export interface LayerChecks {
  /** The stored blob against a digest from the manifest or the file name. */
  blobDigest: CheckState;
  /** The uncompressed tar against the config's diff_id. */
  diffId: CheckState;
}

export interface CheckPlan {
  checks: LayerChecks;
  /** Hash the decompressed stream and compare it with the diff_id. */
  hashDiffId: boolean;
}

export function planChecks(
  layer: { present: boolean; source: DigestSource; digest: string; diffId: string },
  verify: boolean,
  verifyDiffIds: boolean,
): CheckPlan {
  if (!layer.present) return { checks: { blobDigest: 'not-available', diffId: 'not-available' }, hashDiffId: false };
  if (!verify) return { checks: { blobDigest: 'skipped', diffId: 'skipped' }, hashDiffId: false };
  const independentBlob = layer.source === 'manifest' || layer.source === 'name';
  // A blob whose digest is its diff_id (an uncompressed layer) is checked against the diff_id as it is read.
  const blobIsTar = layer.digest === layer.diffId;
  const hashDiffId = !blobIsTar && (verifyDiffIds || !independentBlob);
  return {
    checks: {
      blobDigest: independentBlob ? 'verified' : 'not-available',
      diffId: blobIsTar || hashDiffId ? 'verified' : 'skipped',
    },
    hashDiffId,
  };
}

/** The checks of a layer served from the cache: what would have been verified was verified when it was cached. */
export function cachedChecks(checks: LayerChecks, diffIdCached: boolean): LayerChecks {
  const cached = (state: CheckState): CheckState => (state === 'verified' ? 'cached' : state);
  return {
    blobDigest: cached(checks.blobDigest),
    // An entry read without the diff_id check cannot vouch for it (walk.ts reads such a layer again when the check is
    // asked for, so this is the guard, not the usual path).
    diffId: checks.diffId !== 'verified' ? checks.diffId : diffIdCached ? 'cached' : 'skipped',
  };
}

/** One line for an image: `verified` only when every layer's check ran in this run, `cached` when some came from the cache. */
export function summarizeChecks(layers: LayerChecks[]): { blobDigests: CheckState; diffIds: CheckState } {
  const order: CheckState[] = ['skipped', 'not-available', 'cached', 'verified'];
  const worst = (states: CheckState[]): CheckState => order.find((s) => states.includes(s)) ?? 'verified';
  return { blobDigests: worst(layers.map((l) => l.blobDigest)), diffIds: worst(layers.map((l) => l.diffId)) };
}
