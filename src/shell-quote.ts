// Quoting a word for a POSIX shell, in its own module: a lint fix writes it into a script, and an image source's hint
// into a command to paste, and the sources should not load the lint shell parser for it.

/** A word as the shell reads it back: as it is when it needs no quoting, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
