// Globs in config files (ignorePaths, ci.ignore.paths, ci.images patterns): `*` and `?` stay within one path segment,
// `**/` matches any number of directories (none included), any other `**` matches anything.
/** A path glob of nothing but slashes and blanks (`''`, `/`): it names no path, so it ignores nothing. */
export function isEmptyPathGlob(glob: string): boolean {
  return /^[\s/]*$/.test(glob);
}

export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += /[.+^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${out}$`);
}
