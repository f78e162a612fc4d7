// Globs in config files (ignorePaths, ci.ignore.paths, ci.images patterns): `*` and `?` stay within one path segment,
// `**/` matches any number of directories (none included), any other `**` matches anything, `{a,b}` either.
/** A path glob of nothing but slashes and blanks (`''`, `/`): it names no path, so it ignores nothing. */
export function isEmptyPathGlob(glob: string): boolean {
  return /^[\s/]*$/.test(glob);
}

export function globToRegExp(glob: string): RegExp {
  // dotAll: `**` is `.*`, and a file name may hold a newline (`*` and `?`, `[^/]`, match one already).
  return new RegExp(`^${globSource(glob, 0, false).source}$`, 's');
}

/**
 * The regular expression for `glob` from `start`. Inside braces (`inBraces`) it stops at the `,` or `}` that ends the
 * alternative; `{a,b}` becomes `(?:a|b)` (nested too), as in shells, `.gitignore` tools and `diff --ignore`. A `{` with
 * no matching `}` is literal.
 */
function globSource(glob: string, start: number, inBraces: boolean): { source: string; end: number } {
  let out = '';
  let i = start;
  for (; i < glob.length; i++) {
    const c = glob[i];
    if (inBraces && (c === ',' || c === '}')) break;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{' && closingBrace(glob, i) !== -1) {
      const alternatives: string[] = [];
      let j = i + 1;
      for (;;) {
        const part = globSource(glob, j, true);
        alternatives.push(part.source);
        j = part.end + 1;
        if (glob[part.end] === '}') break;
      }
      out += `(?:${alternatives.join('|')})`;
      i = j - 1;
    } else out += /[.+^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return { source: out, end: i };
}

/** The index of the `}` that closes the `{` at `open`, or -1. */
function closingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
