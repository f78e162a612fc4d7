// The flags a mistyped one was probably meant to be, for the hint of "Nonexistent flag" (oclif's commands and lint's
// fast path alike).
import leven from 'leven';
import { listed } from './report/lists.js';

/**
 * The long flags among `names` that `given` (`--max-wasted`, `--platfrom=linux/arm64`) was probably meant to be,
 * closest first, at most three (see closeWords). A short flag (`-x`) suggests nothing.
 */
export function closeFlags(given: string, names: Iterable<string>): string[] {
  const typed = /^--([^=]+)/.exec(given)?.[1];
  return typed === undefined ? [] : closeWords(typed, names).map((name) => `--${name}`);
}

/**
 * The words among `names` that `typed` was probably meant to be, closest first, at most three: those it begins
 * (`max-wasted` for `max-wasted-bytes` and `max-wasted-percent`), then those a typo or two away (`dockerfle`,
 * `platfrom`: two letters swapped count as one typo; `analyse`), a case apart (`lowestefficiency`) included. A word
 * shorter than three letters suggests nothing: too many names are that close to it.
 */
export function closeWords(typed: string, names: Iterable<string>): string[] {
  if (typed.length < 3) return [];
  const word = typed.toLowerCase();
  // One edit for a short word, two from eight letters: `cach` is `cache`, but `top` is not `tag`.
  const most = word.length >= 8 ? 2 : 1;
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(names)) {
    const lower = name.toLowerCase();
    if (lower === word) scored.push({ name, score: 0 });
    else if (lower.startsWith(word)) scored.push({ name, score: 1 + (lower.length - word.length) / 1000 });
    else if (swapped(word, lower)) scored.push({ name, score: 2 });
    else {
      const distance = leven(word, lower, { maxDistance: most + 1 });
      if (distance <= most) scored.push({ name, score: 1 + distance });
    }
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((s) => s.name);
}

/** Whether `a` is `b` with two neighbouring letters swapped (`fromat`, `format`): Levenshtein counts that as two. */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/**
 * `hint` after "did you mean warning?" for a value that is none of a flag's options (`--fail-on warnings`,
 * `BALLAST_FORMAT=jsonn`): the closest one, worded as the config file's hint for the same typo; `hint` alone when
 * none is close.
 */
export function didYouMeanValue(value: string, options: readonly string[], hint: string): string {
  const close = closeWords(value, options)[0];
  return close === undefined ? hint : `did you mean ${close}? ${hint}`;
}

/** "did you mean `--a`?", "did you mean `--a` or `--b`?", or undefined when nothing is close. */
export function didYouMean(given: string, names: Iterable<string>): string | undefined {
  const list = closeList(given, names);
  return list && `did you mean ${list}?`;
}

/**
 * The hint for several unknown flags: each one's suggestions, named ("did you mean `--format` for `--fromat` and
 * `--no-color` for `--nocolor`?"); for one, didYouMean's. Undefined when none is close to a flag.
 */
export function didYouMeanAll(given: readonly string[], names: Iterable<string>): string | undefined {
  const unique = [...new Set(given.map(flagName))];
  if (unique.length === 1) return didYouMean(unique[0], names);
  const known = [...names];
  const parts = unique.flatMap((g) => {
    const list = closeList(g, known);
    return list ? [`${list} for \`${g}\``] : [];
  });
  if (parts.length === 0) return undefined;
  return `did you mean ${listed(parts)}?`;
}

/**
 * A flag as the user typed it, without its value: `--fromat` for `--fromat=json`, `-Z` for `-Z=secret`. An error
 * names the flag only, since the value may be a secret (`--pasword=...` in a CI log). A short flag is cut only where
 * `=` follows its one letter: `-Zsecret` or `-Zq=s` may be letters run together (`-Vf=json`), which are shown whole.
 */
export function flagName(given: string): string {
  if (given.startsWith('--')) return given.replace(/=[\s\S]*$/, '');
  return /^-[A-Za-z]=/.test(given) ? given.slice(0, 2) : given;
}

/** "Nonexistent flag: --fromat", "Nonexistent flags: --fromat, --nocolor": each once, without its value. */
export function unknownFlagsText(given: readonly string[]): string {
  const unique = [...new Set(given.map(flagName))];
  return `Nonexistent flag${unique.length > 1 ? 's' : ''}: ${unique.join(', ')}`;
}

/** "`--a`", "`--a` or `--b`", "`--a`, `--b` or `--c`": the flags close to `given`, or undefined. */
function closeList(given: string, names: Iterable<string>): string | undefined {
  const close = closeFlags(given, names).map((f) => `\`${f}\``);
  if (close.length === 0) return undefined;
  return close.length === 1 ? close[0] : `${close.slice(0, -1).join(', ')} or ${close.at(-1)}`;
}
