// A Dockerfile that is not the one the image was built from (Dockerfile.prod built, Dockerfile given) cannot place the
// image findings on its lines. `analyze` says so; the gate said nothing, so a job's findings came without lines and
// nobody knew why. The gate now says it in a note, in every report that carries notes.
import { copyFileSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ci } from '../../src/services/ci.js';
import { corpusDir, corpusDockerfiles, describeWithCorpus } from '../helpers/corpus.js';

const DEMO = resolve('examples/demo/demo.tar');
const DEMO_DOCKERFILE = resolve('examples/demo/Dockerfile');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ballast-ci-mismatch-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ci with a Dockerfile the image was not built from', () => {
  it('says the image findings are not attributed to its lines', async () => {
    // Given a Dockerfile whose instructions are not the image's history
    const other = join(dir, 'Dockerfile');
    writeFileSync(other, 'FROM scratch\nCOPY a /a\nCOPY b /b\n');
    // When the gate runs with it
    const r = await ci({ image: DEMO, cwd: dir, dockerfile: other, workers: 0 });
    // Then a note names the file and what is lost
    expect(r.notes.join('\n')).toMatch(/Dockerfile does not line up with the image's history: .*not attributed/);
    // And the image findings have no line
    const image = r.report.targets[r.report.targets.length - 1];
    expect(image.findings.some((f) => f.location.line !== undefined)).toBe(false);
  }, 120_000);

  it('says nothing of the kind with the Dockerfile it was built from', async () => {
    const r = await ci({ image: DEMO, cwd: dir, dockerfile: DEMO_DOCKERFILE, workers: 0 });
    expect(r.notes.join('\n')).not.toMatch(/line up/);
  }, 120_000);
});

// Another image's Dockerfile next to .ballast.yaml, sharing only its closing CMD with the image by keyword: all layers
// were taken for the base, and the budgets on your layers skipped ("no layers of yours") while the gate passed.
describeWithCorpus('ci with the Dockerfile of another image beside .ballast.yaml (multiarch.oci)', () => {
  it.each(['slim', 'bloated'])(
    'ci beside %s.Dockerfile measures the budgets on your layers and says the Dockerfile does not line up',
    async (name) => {
      copyFileSync(join(corpusDockerfiles, `${name}.Dockerfile`), join(dir, 'Dockerfile'));
      writeFileSync(join(dir, '.ballast.yaml'), 'ci:\n  maxLayerBytes: 1KB\n  maxWastedPercent: 10%\n');
      const r = await ci({ image: join(corpusDir, 'multiarch.oci'), cwd: dir, workers: 0 });
      const status = Object.fromEntries(r.checks.map((c) => [c.id, c.status]));
      // The image's RUN layer (4 KB) is yours: over 1 KB, and none of it wasted
      expect(status).toMatchObject({ maxLayerBytes: 'fail', maxWastedPercent: 'pass' });
      expect(r.verdict).toBe('fail');
      expect(r.notes.join('\n')).toMatch(/Dockerfile does not line up with the image's history/);
    },
    120_000,
  );
});

describe('ci run beside a Dockerfile it does not use', () => {
  // The gate lints the Dockerfile given, or the one next to .ballast.yaml. Run from the repository root with no config,
  // or with dive's .dive-ci, the Dockerfile there was left alone without a word: no lint findings, no lines.
  it('with no config, names ./Dockerfile and the flag that uses it', async () => {
    copyFileSync(DEMO_DOCKERFILE, join(dir, 'Dockerfile'));
    const r = await ci({ image: DEMO, cwd: dir, workers: 0 });
    expect(r.dockerfile).toBeNull();
    expect(r.notes.join('\n')).toContain(
      'Dockerfile is not linted or used for line attribution: pass --dockerfile Dockerfile',
    );
  }, 120_000);

  it("with dive's .dive-ci, names the Dockerfile beside it", async () => {
    copyFileSync(DEMO_DOCKERFILE, join(dir, 'Dockerfile'));
    writeFileSync(join(dir, '.dive-ci'), 'rules:\n  lowestEfficiency: 0.5\n');
    const r = await ci({ image: DEMO, cwd: dir, workers: 0 });
    expect(r.notes.join('\n')).toContain('pass --dockerfile Dockerfile');
  }, 120_000);

  it('says nothing when there is no Dockerfile, or when it is used', async () => {
    expect((await ci({ image: DEMO, cwd: dir, workers: 0 })).notes.join('\n')).not.toContain('--dockerfile');
    // A directory of that name is no Dockerfile: `--dockerfile Dockerfile` would only fail
    mkdirSync(join(dir, 'Dockerfile'));
    expect((await ci({ image: DEMO, cwd: dir, workers: 0 })).notes.join('\n')).not.toContain('--dockerfile');
    rmdirSync(join(dir, 'Dockerfile'));
    copyFileSync(DEMO_DOCKERFILE, join(dir, 'Dockerfile'));
    const r = await ci({ image: DEMO, cwd: dir, dockerfile: 'Dockerfile', workers: 0 });
    expect(r.notes.join('\n')).not.toContain('--dockerfile');
  }, 120_000);

  it('a directory named Dockerfile next to .ballast.yaml is no Dockerfile: the gate runs without one', async () => {
    // It was linted as the Dockerfile next to the config, and the gate stopped: "no Dockerfiles found in .../Dockerfile".
    mkdirSync(join(dir, 'Dockerfile'));
    writeFileSync(join(dir, '.ballast.yaml'), 'ci:\n  maxWastedBytes: 1GB\n');
    const r = await ci({ image: DEMO, cwd: dir, workers: 0 });
    expect(r.dockerfile).toBeNull();
    expect(r.verdict).toBe('pass');
  }, 120_000);
});
