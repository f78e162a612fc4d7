// Helpers the standalone benchmarks share: reading `--name value` options, taking medians, finding the corpus.
/* global URL */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real-image corpus, found as the tests find it: $BALLAST_CORPUS, else the .corpus link setup-tests.sh makes. */
export const corpusDir = process.env.BALLAST_CORPUS || join(fileURLToPath(new URL('..', import.meta.url)), '.corpus');

/** Removes `name value` from `args` and returns the value (or `fallback` when absent). */
export function takeOption(args, name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
