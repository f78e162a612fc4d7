// The keys typed while the image loads, before the view opens. The terminal is still in its normal mode then: it
// would echo every key (PgUp as `^[[5~` over the progress bar and, after a quit, above the shell's prompt). So from
// the start of the walk the terminal is raw (no echo), and q or Ctrl-C (which a raw terminal no longer turns into
// SIGINT) ends the load at once. The other keys are kept for the view, which applies them once it is drawn, as a
// shell or a pager applies keys typed ahead (a Tab pressed as the command starts moves to the tree): the view only
// shows, no key of it changes anything outside it. The terminal's mode is restored however the process ends.

/** Why the load was cut short: `q` (a quit) or Ctrl-C (an interrupt). */
export type LoadStop = 'quit' | 'interrupt';

export interface KeyHold {
  /**
   * Stops reading. With `restore`, the terminal goes back to its normal mode (the load failed, nothing else will
   * read it); without, it stays raw for the view that reads it next. Returns the keys typed so far, as typed (none
   * with `restore`), at most HELD_MAX bytes of them.
   */
  release(restore: boolean): Promise<string>;
}

// Escape sequences (arrows, PgUp, function keys) are one key each: a `q` inside one is not a quit.
// eslint-disable-next-line no-control-regex -- terminal key sequences are the point
const SEQUENCES = /\u001b(\[[0-?]*[ -/]*[@-~]|O.|.)/gs;

/**
 * The most bytes of typed-ahead keys kept: a key held down through a long load would otherwise replay thousands of
 * moves. Whole reads are kept or dropped, so an escape sequence is never cut in two.
 */
export const HELD_MAX = 256;

/** Holds the keys typed on `stdin` (a terminal) until released; `stop` is called on q or Ctrl-C. */
export function holdKeys(stdin: NodeJS.ReadStream, stop: (how: LoadStop) => void): KeyHold {
  if (!stdin.isTTY) return { release: async () => '' };
  const restore = () => {
    try {
      if (stdin.isRaw) stdin.setRawMode(false);
    } catch {
      // The terminal is gone (the session closed): there is nothing left to restore.
    }
  };
  // Kept until the process ends: a signal, an error or a quit from the view all restore the mode on the way out.
  process.once('exit', restore);
  stdin.setRawMode(true);
  const held: Buffer[] = [];
  let heldBytes = 0;
  const onData = (chunk: Buffer | string) => {
    const bytes = Buffer.from(chunk);
    const keys = bytes.toString('latin1');
    if (keys.includes('\u0003')) stop('interrupt');
    else if (keys.replace(SEQUENCES, '').includes('q')) stop('quit');
    else if (heldBytes + bytes.length <= HELD_MAX) {
      held.push(bytes);
      heldBytes += bytes.length;
    }
  };
  stdin.on('data', onData);
  return {
    async release(restoreMode) {
      // Keys that reached the terminal but not yet this process are read (and kept) first.
      await new Promise((resolve) => setImmediate(resolve));
      stdin.off('data', onData);
      // Left flowing for the view (ink reads on 'readable'): a paused terminal stream stops reading its handle but
      // still counts a read as pending, so ink would never start one, and the process would end on its first frame.
      // Nothing else will read after a failed load: paused, so the process can end.
      if (restoreMode) {
        stdin.pause();
        restore();
        return '';
      }
      return Buffer.concat(held).toString('utf8');
    },
  };
}
