// Ctrl-C and SIGTERM at random points of `analyze` on a gzip-compressed docker-archive (which ballast spools to a temp
// file): the process ends promptly with 130 / 143 (or, when the signal lands before ballast has installed its
// handlers, by the signal itself, as a shell reports it), leaves no temp file, and the next run on the same input
// succeeds. The kill points are drawn from a printed seed. Runs the real CLI (dist/).
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli, startCli } from '../helpers/cli.js';
import { buildDockerArchive, layer } from '../helpers/image-builder.js';
import { seededRandom } from '../helpers/seeded.js';
import { exitCleanly, forget, removeOnExit } from '../../src/temp-files.js';

const SEED = Number(process.env.SIGNAL_SEED ?? 7_331);
const ITERATIONS = 6;
const PROMPT_MS = 10_000;

let work: string;
let archive: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ballast-signals-'));
  // ~40 MB of tar in a few layers: long enough to be inside the spool or the walk when the signal lands.
  const image = await buildDockerArchive([
    layer({ 'a/one.bin': 12_000_000, 'a/two.bin': 4_000_000 }),
    layer({ 'b/three.bin': 12_000_000 }),
    layer({ 'c/four.bin': 12_000_000 }),
  ]);
  archive = join(work, 'image.tar.gz');
  writeFileSync(archive, gzipSync(readFileSync(image.path), { level: 1 }));
  image.cleanup();
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function runAndKill(
  signal: 'SIGINT' | 'SIGTERM',
  afterMs: number,
  tmp: string,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; exitMs: number }> {
  const { child, done } = startCli(['analyze', archive, '--json'], {
    env: { TMPDIR: tmp },
    timeoutMs: afterMs + 60_000,
  });
  let sentAt = 0;
  const killer = setTimeout(() => {
    sentAt = Date.now();
    child.kill(signal);
  }, afterMs);
  return done.then((result) => {
    clearTimeout(killer);
    return { ...result, exitMs: sentAt ? Date.now() - sentAt : 0 };
  });
}

describe('signals', () => {
  it(`SIGINT/SIGTERM at random points: prompt exit 130/143, no temp files, the next run succeeds (seed ${SEED})`, async () => {
    console.log(`signals: ${ITERATIONS} kills, SIGNAL_SEED=${SEED}`);
    const next = seededRandom(SEED);
    for (let i = 0; i < ITERATIONS; i++) {
      const signal = i % 2 === 0 ? 'SIGINT' : 'SIGTERM';
      const afterMs = Math.round(300 + next() * 6000);
      const tmp = mkdtempSync(join(work, `tmp-${i}-`));
      const result = await runAndKill(signal, afterMs, tmp);
      const label = `${signal} after ${afterMs} ms`;
      if (result.code === 0) {
        // It finished before the signal was handled (the signal raced the natural end): then a full, clean result.
        expect((JSON.parse(result.stdout) as { summary: { finalFiles: number } }).summary.finalFiles).toBe(4);
      } else {
        const expected = signal === 'SIGINT' ? 130 : 143;
        // Either ballast's handler (exit code) or the default action before it was installed (killed by the signal).
        expect([
          label,
          result.code === expected || result.signal === signal,
          result.code,
          result.signal,
          result.stderr,
        ]).toEqual([label, true, result.code, result.signal, result.stderr]);
        expect([label, result.exitMs < PROMPT_MS]).toEqual([label, true]);
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
      expect([label, readdirSync(tmp)]).toEqual([label, []]);
    }
    const again = await runCli(['analyze', archive, '--json'], { timeoutMs: 120_000 });
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { summary: { finalFiles: number } }).summary.finalFiles).toBe(4);
  }, 600_000);

  it('ends `lint --fix` of a huge Dockerfile at once on SIGTERM, leaving the file as it was', async () => {
    // A lint pass is synchronous: a signal handler (JavaScript) installed while it runs waits for it to end, so
    // Ctrl-C and CI timeouts were ignored for as long as the lint took. This one takes minutes; it must not finish.
    const file = join(work, 'Dockerfile');
    const text = ['FROM alpine:3.19', ...Array.from({ length: 400_000 }, () => 'RUN true'), ''].join('\n');
    writeFileSync(file, text);
    const start = Date.now();
    const { child, done } = startCli(['lint', file, '--fix', '--unsafe-fixes'], { timeoutMs: 600_000 });
    // Well past start-up (where the default action ends the process anyway), well before the lint could end.
    const killer = setTimeout(() => child.kill('SIGTERM'), 3_000);
    const result = await done;
    const exitMs = Date.now() - start - 3_000;
    clearTimeout(killer);
    expect([result.code === 143 || result.signal === 'SIGTERM', result.stdout]).toEqual([true, '']);
    expect(exitMs).toBeLessThan(PROMPT_MS);
    expect(readFileSync(file, 'utf8') === text).toBe(true);
  }, 600_000);

  it('handles SIGINT/SIGTERM only while a temp file exists, so synchronous work is not kept alive', () => {
    exitCleanly();
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const path = join(work, 'not-there');
    removeOnExit(path);
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before.map((n) => n + 1));
    forget(path);
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
  });
});
