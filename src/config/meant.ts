// Did-you-mean for names people type (config keys, dive's rule keys, `diff --only` sections): small and free of
// imports, so a command's argument check can use it without loading more.

/** Edit distance, for telling a misspelt key from an unrelated one. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The key `key` was probably meant to be, when it is close to one of `keys` (case, dashes and typos aside). */
export function meant(key: string, keys: readonly string[]): string | undefined {
  const plain = (k: string) => k.replace(/[-_\s]/g, '').toLowerCase();
  const scored = keys.map((k) => ({ k, d: distance(plain(key), plain(k)) })).sort((a, b) => a.d - b.d);
  return scored[0] && scored[0].d <= Math.max(2, Math.floor(scored[0].k.length / 4)) ? scored[0].k : undefined;
}
