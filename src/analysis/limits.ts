// Budgets for one layer: how many bytes its tar may decompress to and how many entries it may hold. Images come
// from strangers; without a cap a 1 MB gzip of zeros costs minutes of CPU and 10 million empty entries cost
// gigabytes of entry list. The defaults sit far above every real image measured (the corpus's largest layer is
// 488 MB and 29,614 entries) so that only hostile or absurd layers trip them.
import { SourceError } from '../errors.js';
import { formatBytes } from '../reporters/format.js';

export interface LayerLimits {
  /** Decompressed tar bytes per layer. */
  maxDecompressedBytes: number;
  /** Tar entries per layer (files, directories, links, whiteouts). */
  maxEntries: number;
}

export const DEFAULT_LIMITS: LayerLimits = {
  maxDecompressedBytes: 16 * 1024 ** 3,
  maxEntries: 2_000_000,
};

/** `what` ("layer 3 of image.tar") went past one budget: exit 2, naming the layer, the budget and the flag. */
export function budgetExceeded(what: string, budget: 'bytes' | 'entries', limit: number, detail?: string): SourceError {
  const [flag, key, text] =
    budget === 'bytes'
      ? ['--max-decompressed-bytes', 'maxDecompressedBytes', `decompresses to more than ${formatBytes(limit)}`]
      : ['--max-entries', 'maxEntries', `has more than ${limit} entries`];
  return new SourceError(`${what} ${detail ?? text} (budget ${flag} ${limit})`, {
    code: 'budget',
    hint: `if the image is trusted, raise the budget with ${flag} or limits.${key} in .ballast.yaml`,
  });
}
