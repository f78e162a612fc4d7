// `ballast analyze` end to end through the real executable (compiled dist/, so the layer walk runs on worker
// threads here): JSON, text and markdown output, exit codes, and one-line errors on bad input.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { WHITEOUT, buildOciLayout, layer } from '../helpers/image-builder.js';

const dive = 'test/fixtures/dive/test-docker-image.tar';

describe('ballast analyze (CLI)', () => {
  it('prints the documented JSON with dive-exact numbers', async () => {
    const { code, stdout, stderr } = await runCli(['analyze', dive, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(Object.keys(r.summary)).toEqual(
      expect.arrayContaining([
        'layers',
        'compressedBytes',
        'uncompressedBytes',
        'fileBytes',
        'files',
        'finalFileBytes',
        'wastedBytes',
        'wasted',
        'duplicateBytes',
        'efficiency',
      ]),
    );
    expect(r.summary.wasted).toEqual({ deleted: 19215, overwrittenChanged: 0, overwrittenSameContent: 12810 });
    expect(r.dive).toMatchObject({
      efficiencyScore: 0.9844212134184309,
      sizeBytes: 1220598,
      inefficientBytes: 32025,
      userSizeBytes: 66237,
      userWastedPercent: 0.4834911001404049,
    });
    // The share ci's maxWastedPercent checks: your layers' wasted bytes over their file bytes (dive's figure here).
    expect(r.summary.user).toMatchObject({ fileBytes: 66237, wastedBytes: 32025, wastedPercent: 0.4834911001404049 });
    for (const l of r.layers) {
      expect(Object.keys(l)).toEqual(
        expect.arrayContaining([
          'index',
          'diffId',
          'createdBy',
          'uncompressedBytes',
          'fileBytes',
          'added',
          'modified',
          'removed',
          'wastedBytes',
        ]),
      );
    }
    for (const key of ['junk', 'packages', 'topDirectories', 'topFiles', 'findings']) expect(r).toHaveProperty(key);
  });

  it("gives the count of dive's inefficient paths beside the --top it lists, as ci's JSON does", async () => {
    // dive's export lists every inefficient path; --top cut the list with no total, so a dive user could not tell
    // one path from hundreds. The count is fileReferenceCount, the name ci --json gives it.
    const { code, stdout } = await runCli(['analyze', dive, '--json', '--top', '1']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.dive.fileReferences).toEqual([{ file: '/root/saved.txt', count: 2, sizeBytes: 12810 }]);
    expect(r.dive.fileReferenceCount).toBe(3);
  });

  it('gives identical results on worker threads and in-process', async () => {
    // No cache: the two run at once, and one finding layers the other has just cached would say `cached`, not
    // `verified`, in its checks, a difference of timing and not of the walk.
    const [workers, inProcess] = await Promise.all([
      runCli(['analyze', 'test/fixtures/dive/test-kaniko-image.tar', '--json', '--workers', '2', '--no-cache']),
      runCli(['analyze', 'test/fixtures/dive/test-kaniko-image.tar', '--json', '--workers', '0', '--no-cache']),
    ]);
    expect(workers.code).toBe(0);
    expect(JSON.parse(workers.stdout)).toEqual(JSON.parse(inProcess.stdout));
    // kaniko build of the same Dockerfile: dive's numbers from docs/dive-metrics.md §4 (derived, not asserted by dive)
    expect(JSON.parse(workers.stdout).dive).toMatchObject({
      sizeBytes: 1326410,
      userSizeBytes: 94677,
      inefficientBytes: 46245,
      efficiencyScore: 0.9793688490216431,
    });
  });

  it('prints text for people and markdown for PR comments', async () => {
    const text = await runCli(['analyze', dive]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Wasted\s+32\.0 kB/);
    expect(text.stdout).toMatch(/Efficiency\s+98\.44%/);
    // dive's inefficient bytes as every other size here (the exact count is in --json): not a raw "32025 bytes".
    expect(text.stdout).toMatch(/^Efficiency\s+98\.44% \(dive: 32\.0 kB inefficient, /m);
    expect(text.stdout).toContain('/root/saved.txt');
    const md = await runCli(['analyze', dive, '--format', 'markdown']);
    expect(md.stdout).toMatch(/^### ballast analyze/);
    expect(md.stdout).toContain('| Bytes | Rule | Where | Message |');
  });

  it('exits 1 with --fail-on when findings reach the severity', async () => {
    expect((await runCli(['analyze', dive, '--fail-on', 'warning'])).code).toBe(1);
    expect((await runCli(['analyze', dive, '--fail-on', 'error'])).code).toBe(0);
  });

  it('fails with one line and exit 2 on input that is not an image', async () => {
    for (const args of [
      ['analyze', 'no/such/image.tar'],
      ['analyze', 'test/fixtures/dive/test-uncompressed-image.tar'],
      ['analyze', dive, '--dockerfile', 'no/such/Dockerfile'],
    ]) {
      const { code, stdout, stderr } = await runCli(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^error: /);
    }
  });

  it('fails cleanly (no hang, no stack trace) on a corrupt layer blob', async () => {
    const built = await buildOciLayout([layer({ 'a/b': 5000, c: 100 }), layer({ 'a/.wh.b': WHITEOUT })]);
    try {
      // Flip a byte in the middle of the biggest blob (a layer): its digest no longer matches.
      const blobs = join(built.path, 'blobs', 'sha256');
      const biggest = readdirSync(blobs)
        .map((f) => join(blobs, f))
        .sort((x, y) => statSync(y).size - statSync(x).size)[0];
      const bytes = readFileSync(biggest);
      bytes[Math.floor(bytes.length / 2)] ^= 0xff;
      writeFileSync(biggest, bytes);
      for (const workers of ['0', '2']) {
        const { code, stderr } = await runCli(['analyze', built.path, '--workers', workers], { timeoutMs: 30_000 });
        expect(code).toBe(2);
        expect(stderr.trim().split('\n')).toHaveLength(1);
        expect(stderr).toMatch(/^error: .*(digest|corrupt|decompress)/);
        expect(stderr).not.toMatch(/\n\s+at /);
      }
    } finally {
      built.cleanup();
    }
  });

  it('fails with exit 2 naming the blob when a layer blob is missing, in every command', async () => {
    const built = await buildOciLayout([layer({ 'a/b': 5000 }), layer({ c: 100 })]);
    try {
      const manifest = JSON.parse(readFileSync(join(built.path, 'index.json'), 'utf8')).manifests[0].digest.slice(7);
      const layers = JSON.parse(readFileSync(join(built.path, 'blobs', 'sha256', manifest), 'utf8')).layers;
      const missing: string = layers[1].digest;
      rmSync(join(built.path, 'blobs', 'sha256', missing.slice(7)));
      for (const args of [
        ['analyze', built.path],
        ['analyze', built.path, '--workers', '2'],
        ['inspect', built.path],
      ]) {
        const { code, stdout, stderr } = await runCli(args, { timeoutMs: 30_000 });
        expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' });
        expect(stderr.trim().split('\n')).toHaveLength(1);
        expect(stderr).toContain(`lacks the blob ${missing} of layer 1`);
      }
    } finally {
      built.cleanup();
    }
  });
});
