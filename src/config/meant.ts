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

/**
 * Whether `short` is `long` cut short: its first letter, then some of its letters in order (`pkgs` for `packages`,
 * `hist` for `history`). Three letters at least: fewer are short forms of too much.
 */
function abbreviates(short: string, long: string): boolean {
  if (short.length < 3 || short.length >= long.length || short[0] !== long[0]) return false;
  let at = 1;
  for (let i = 1; i < short.length; i++) {
    at = long.indexOf(short[i], at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/**
 * The key `key` was probably meant to be, when it is close to one of `keys` (case, dashes and typos aside): one it
 * names exactly, else the closest it is a short form of (`pkgs` is `packages`, though `dpkg` is fewer edits away),
 * else the closest within a few typos.
 */
export function meant(key: string, keys: readonly string[]): string | undefined {
  const plain = (k: string) => k.replace(/[-_\s]/g, '').toLowerCase();
  const typed = plain(key);
  const scored = keys.map((k) => ({ k, d: distance(typed, plain(k)) })).sort((a, b) => a.d - b.d);
  if (scored[0]?.d === 0) return scored[0].k;
  const short = scored.find((s) => abbreviates(typed, plain(s.k)));
  if (short) return short.k;
  return scored[0] && scored[0].d <= Math.max(2, Math.floor(scored[0].k.length / 4)) ? scored[0].k : undefined;
}
