// Whether what ballast prints to a stream is coloured: the oclif commands and lint's fast path decide it alike.

/**
 * Whether to colour output: a TTY, and neither NO_COLOR nor TERM=dumb; FORCE_COLOR forces it on, except `0` and
 * `false`, which turn it off even on a terminal, as Node's own streams and chalk read them.
 */
export function colorEnabled(stream: { isTTY?: boolean } = process.stdout, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR !== undefined) return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}
