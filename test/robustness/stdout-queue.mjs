// Preloaded into the CLI by stdout-pace.test.ts (NODE_OPTIONS=--import): writes the most bytes stdout ever held
// queued, waiting for its reader, to $BALLAST_QUEUE_FILE when the process exits.
import { writeFileSync } from 'node:fs';
import process from 'node:process';

const file = process.env.BALLAST_QUEUE_FILE;
if (file) {
  let most = 0;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (...args) => {
    const ok = write(...args);
    most = Math.max(most, process.stdout.writableLength);
    return ok;
  };
  process.on('exit', () => writeFileSync(file, String(most)));
}
