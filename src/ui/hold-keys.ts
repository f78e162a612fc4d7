// The keys typed while the image loads, before the view opens. The terminal is still in its normal mode then: it
// would echo every key (PgUp as `^[[5~` over the progress bar and, after a quit, above the shell's prompt), and hand
// them all to the view once it opens, which would act on keys pressed minutes earlier. So from the start of the walk
// the terminal is raw (no echo), what is typed is read and dropped, and q or Ctrl-C (which a raw terminal no longer
// turns into SIGINT) ends the load at once. The terminal's mode is restored however the process ends.

/** Why the load was cut short: `q` (a quit) or Ctrl-C (an interrupt). */
export type LoadStop = 'quit' | 'interrupt';

export interface KeyHold {
  /**
   * Stops reading. With `restore`, the terminal goes back to its normal mode (the load failed, nothing else will
   * read it); without, it stays raw for the view that reads it next. Keys already typed are dropped first.
   */
  release(restore: boolean): Promise<void>;
}

// Escape sequences (arrows, PgUp, function keys) are one key each: a `q` inside one is not a quit.
// eslint-disable-next-line no-control-regex -- terminal key sequences are the point
const SEQUENCES = /\u001b(\[[0-?]*[ -/]*[@-~]|O.|.)/gs;

/** Holds the keys typed on `stdin` (a terminal) until released; `stop` is called on q or Ctrl-C. */
export function holdKeys(stdin: NodeJS.ReadStream, stop: (how: LoadStop) => void): KeyHold {
  if (!stdin.isTTY) return { release: async () => {} };
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
  const onData = (chunk: Buffer) => {
    const keys = chunk.toString('latin1');
    if (keys.includes('\u0003')) stop('interrupt');
    else if (keys.replace(SEQUENCES, '').includes('q')) stop('quit');
  };
  stdin.on('data', onData);
  return {
    async release(restoreMode) {
      // Keys that reached the terminal but not yet this process are read (and dropped) first.
      await new Promise((resolve) => setImmediate(resolve));
      stdin.off('data', onData);
      // Left flowing for the view (ink reads on 'readable'): a paused terminal stream stops reading its handle but
      // still counts a read as pending, so ink would never start one, and the process would end on its first frame.
      // Nothing else will read after a failed load: paused, so the process can end.
      if (restoreMode) {
        stdin.pause();
        restore();
      }
    },
  };
}
