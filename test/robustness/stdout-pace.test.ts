// A large document printed to a pipe whose reader is slow: stdout's writes to a pipe are asynchronous, and what the
// pipe cannot take at once waits in memory. explore --json (or a JSON report) made in pieces must wait for the reader,
// not queue the whole document (explore --json of 100,000 files through `| cat` took 116 MB more than into a file).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { startCli } from '../helpers/cli.js';
import { buildOciLayout, layer, type BuiltImage } from '../helpers/image-builder.js';

jest.setTimeout(240_000);
const probe = fileURLToPath(new URL('./stdout-queue.mjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ballast-pace-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a large document to a slow pipe', () => {
  let image: BuiltImage;
  beforeAll(async () => {
    const files = (from: number) =>
      Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`data/d${from + Math.floor(i / 500)}/f${i}`, 10]));
    image = await buildOciLayout([0, 10, 20, 30].map((from) => layer(files(from))));
  });
  afterAll(() => image.cleanup());

  it.each(['--json', '--format=json'])(
    'explore %s waits for the reader: a few batches queued at most',
    async (flag) => {
      const queueFile = join(work, `queue${flag}`);
      const { child, done } = startCli(['explore', flag, image.path, '--no-cache'], {
        env: { NODE_OPTIONS: `--import ${probe}`, BALLAST_QUEUE_FILE: queueFile },
        timeoutMs: 200_000,
      });
      // The reader takes nothing until the command has made its whole document, then everything.
      child.stdout!.pause();
      const resumeLater = setInterval(() => {
        if (child.stdout!.readableLength > 0) {
          clearInterval(resumeLater);
          setTimeout(() => child.stdout!.resume(), 3000);
        }
      }, 100);
      const result = await done;
      clearInterval(resumeLater);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      const json = JSON.parse(result.stdout) as { layers: { changes: unknown[] }[] };
      expect(json.layers.reduce((n, l) => n + l.changes.length, 0)).toBeGreaterThan(20_000);
      expect(result.stdout.length).toBeGreaterThan(2_000_000);
      // Before, the whole document (over 2 MB here) sat in stdout's queue.
      expect(Number(readFileSync(queueFile, 'utf8'))).toBeLessThan(512 * 1024);
    },
  );
});
