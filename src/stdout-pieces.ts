// A large document (explore --json of a big image, a JSON or SARIF report) written to stdout piece by piece, holding
// to the reader's pace. To a pipe, stdout writes are asynchronous: each write that the pipe cannot take at once is
// queued in memory, and a document made in pieces faster than the reader reads them was queued whole (explore --json
// of 100,000 files through `| cat`: 116 MB more than into a file). Writing them "in pieces" saved nothing then.

/** Pieces are joined up to this size per write: tens of bytes a write cost more in their queue than in their text. */
const BATCH_CHARS = 64 * 1024;

let pending: Promise<void> = Promise.resolve();
/** Calls of writePiecesToStdout being written or waiting their turn. */
let queued = 0;

/** Writes `pieces` to stdout, waiting for the stream to drain whenever it has a write queued. */
export function writePiecesToStdout(pieces: Iterable<string>): Promise<void> {
  const write = async () => {
    try {
      let batch = '';
      for (const piece of pieces) {
        batch += piece;
        if (batch.length < BATCH_CHARS) continue;
        // A failed write ends the process (temp-files.ts: 141 for a reader gone, else 2): drain is all to wait for.
        if (!process.stdout.write(batch)) await new Promise((resolve) => process.stdout.once('drain', resolve));
        batch = '';
      }
      if (batch) process.stdout.write(batch);
    } finally {
      queued--;
    }
  };
  // Starts at once when nothing is being written (up to its first wait, in order with any write after the call),
  // else after what is.
  queued++;
  pending = queued === 1 ? write() : pending.then(write);
  return pending;
}

/** Settles once everything given to writePiecesToStdout has been handed to stdout (main awaits it before exit). */
export function stdoutPiecesWritten(): Promise<void> {
  return pending;
}
