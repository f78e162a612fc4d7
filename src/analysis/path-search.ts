// The path filter's search over a tree's path index (layer-tree.ts's `PathIndex`), as one function that refers to
// nothing outside its own body: the explore view also runs it on a worker thread, compiled from its source text
// (src/ui/explore/filter-thread.ts), so that an expression that runs away on every path never holds the view.

/** What the search reads of a `PathIndex` (see there); `lines` is made on the first regular expression. */
export interface SearchIndex {
  lower: string[];
  text: string;
  starts: Int32Array;
  end: Int32Array;
  lines?: { text: string; odd: number[] };
}

/** The tests of path number `i`: does the path itself match (`own`), does it or anything below it (`below`). */
export interface PathSearch {
  own(i: number): boolean;
  below(i: number): boolean;
}

/**
 * The tests of `needle`: a lower-case text a path contains, or a regular expression (flags other than `g`/`y` kept;
 * the index's paths are lower-case, so it should be case-insensitive). Nothing is searched up front; a directory asks
 * one search over its subtree's run of the joined text, and siblings asked in order share the search (the next match
 * found for one is the answer for the next ones until they pass it). So the first character typed into the filter,
 * which matches nearly all of 50k paths, costs a look-up per row shown, not a scan of every path. `stop` is asked
 * between windows of a search: true throws, for a search nobody waits for any more.
 */
export function pathSearch(index: SearchIndex, needle: string | RegExp, stop?: () => boolean): PathSearch {
  // The characters of joined paths one search of a regular expression covers (whole paths, so a little more).
  const SEARCH_WINDOW = 2048;
  const { text, starts, end, lower } = index;
  const alone = typeof needle === 'string' ? undefined : new RegExp(needle.source, needle.flags.replace(/[gy]/g, ''));
  const own = (p: string) => (alone ? alone.test(p) : p.includes(needle as string));

  /**
   * The lower-case paths joined by line feeds, so that a regular expression's `^` and `$`, with the `m` flag, mean a
   * path's start and end. A line feed or carriage return inside a path is a NUL here (the text keeps its length), and
   * those paths are listed (`odd`): a match in them is checked against the path alone.
   */
  const lineText = () => {
    if (index.lines) return index.lines;
    const odd: number[] = [];
    const parts = lower.map((p, i) => {
      if (!/[\n\r]/.test(p)) return p;
      odd.push(i);
      return p.replace(/[\n\r]/g, '\0');
    });
    return (index.lines = { text: parts.join('\n'), odd });
  };

  /**
   * A regular expression's search over the paths joined by line feeds, with the `m` flag so that its `^` and `$` mean
   * a path's start and end: from `from` on, where the first path it matches starts. A match that holds a line feed
   * (one that `[^x]`, `\s` or `\W` took between two paths) or a NUL (a line break inside a path) is checked against
   * its path alone, and the search goes on from the next path if that fails. No lookaround is added, so V8 can finish
   * a runaway expression on its linear-time engine where the explore filter allows it (fold-case.ts). (A lookaround
   * of the user's peeking past a path's end sees the line feed and the next path; `own` decides for the path itself.)
   */
  const joinedSearch = (re0: RegExp): ((from: number) => number) => {
    const joined = lineText().text;
    const count = starts.length - 1;
    const re = new RegExp(re0.source, `${re0.flags.replace(/[gym]/g, '')}gm`);
    const pathAt = (at: number): number => {
      let lo = 0;
      let hi = count - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= at) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    // Searched a window of whole paths at a time: V8 counts backtracks per search, and one search over the whole text
    // (megabytes) piled up enough of them for an ordinary `.*\.so$` to go to the linear-time engine, which took
    // seconds over it; in windows the native engine finishes each, and the fallback, where an expression does run
    // away, has a window to do, not the rest of the text.
    return (from) => {
      while (from < joined.length) {
        if (stop?.()) throw new Error('search stopped');
        const to = joined.indexOf('\n', from + SEARCH_WINDOW);
        const window = joined.slice(from, to < 0 ? joined.length : to);
        re.lastIndex = 0;
        let m = re.exec(window);
        while (m) {
          const at = from + m.index;
          const k = pathAt(at);
          if (!/[\n\0]/.test(m[0]) || own(lower[k])) return at;
          // A match held a line break (not of its path alone): on from the next path in the window.
          if (starts[k + 1] - from >= window.length) break;
          re.lastIndex = starts[k + 1] - from;
          m = re.exec(window);
        }
        if (to < 0) break;
        from = to + 1;
      }
      return -1;
    };
  };

  const search =
    typeof needle === 'string' ? (from: number) => text.indexOf(needle, from) : joinedSearch(needle as RegExp);
  // The paths a regular expression's search over the joined text can miss: those holding a line break.
  const odd = typeof needle === 'string' ? [] : lineText().odd;
  const oddBelow = (i: number): boolean => {
    // The first of them at or after `i`, then each up to the end of `i`'s subtree.
    let lo = 0;
    let hi = odd.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (odd[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < odd.length && odd[k] < end[i]; k++) if (own(lower[odd[k]])) return true;
    return false;
  };
  let askedFrom = Infinity;
  let found = -1;
  const nextMatch = (from: number): number => {
    if (from < askedFrom || (found >= 0 && found < from)) {
      // Forgotten first: a search stopped half way leaves no answer behind for the next question.
      askedFrom = Infinity;
      found = search(from);
    }
    askedFrom = from;
    return found;
  };
  // A NUL in a text would match across paths: then only a path's own text counts.
  const joined = typeof needle !== 'string' || !needle.includes('\0');
  return {
    own: (i) => own(lower[i]),
    below: (i) => {
      if (end[i] === i + 1 || !joined) return own(lower[i]);
      const at = nextMatch(starts[i]);
      return (at >= 0 && at < starts[end[i]]) || (odd.length > 0 && oddBelow(i));
    },
  };
}
